import secrets
import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from wegweiser.directory import demo
from wegweiser.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Load the programme catalogue, the regions and the clearly synthetic demo directory "
        "used by `make run`. Keeps an existing demo directory unless --reset or --offers is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--offers",
            type=int,
            default=None,
            help="generate this many offers in all (for benchmarks, e.g. 100000)",
        )
        parser.add_argument("--reset", action="store_true", help="replace the demo directory")
        parser.add_argument("--seed", type=int, default=demo.SEED)

    def handle(self, *args, offers=None, reset=False, seed=demo.SEED, **options):
        call_command("load_catalogue", stdout=self.stdout, stderr=self.stderr)
        call_command("load_regions", stdout=self.stdout, stderr=self.stderr)
        if offers is not None and offers < 0:
            self.stderr.write("--offers must not be negative")
            raise SystemExit(2)
        if Organisation.objects.filter(is_synthetic=True).exists():
            if not (reset or offers is not None):
                self.stdout.write("demo directory: already present (use --reset to rebuild)")
                self._demo_editor()
                self._demo_cases()
                return
            from wegweiser.cases import demo as cases_demo

            if cases_demo.has_case_data():
                self.stderr.write(
                    "The demo organisations hold case data, and the audit log is append-only: "
                    "to rebuild the demo directory start from a new database (e.g. delete "
                    "db.sqlite3)."
                )
                raise SystemExit(2)
            removed = demo.clear_synthetic()
            self.stdout.write(f"demo directory: removed {removed} synthetic organisations")
        started = time.monotonic()
        counts = demo.generate(offers=offers, seed=seed, progress=self.stdout.write)
        self.stdout.write(
            "demo directory (synthetic, every name ends in '(Demo)'): "
            + ", ".join(f"{v} {k}" for k, v in counts.items())
            + f" in {time.monotonic() - started:.1f} s"
        )
        self._demo_editor()
        self._demo_cases()

    def _demo_cases(self):
        """One login per role (new passwords each run) and a few invented cases (once)."""
        from wegweiser.cases import demo as cases_demo

        result = cases_demo.setup()
        if result is None:
            self.stdout.write("demo case management: no suitable demo organisation found")
            return
        self.stdout.write(
            f"demo case management at {result.organisation.name} "
            f"(referral partner: {result.partner.name}); "
            + (
                f"{result.cases_created} invented cases created"
                if result.cases_created
                else "demo cases already present"
            )
        )
        for username, password in result.passwords.items():
            role, at_partner = cases_demo.DEMO_USERS[username]
            where = result.partner.name if at_partner else result.organisation.name
            self.stdout.write(f"demo login ({role.label}, {where}): {username} / {password}")

    def _demo_editor(self):
        """A user who maintains the offers of one demo organisation (new password each run).

        Role "Angebotspflege": the maintenance pages only, no case management.
        """
        from wegweiser.accounts.models import Membership, Role

        org = (
            Organisation.objects.filter(is_synthetic=True, kind="kommune").order_by("name").first()
        )
        if org is None:
            return
        user, _ = get_user_model().objects.get_or_create(username="demo-pflege")
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        # exactly this one membership (earlier versions made demo-pflege a counsellor)
        Membership.objects.filter(user=user).exclude(
            organisation=org, role=Role.OFFER_EDITOR
        ).delete()
        Membership.objects.get_or_create(user=user, organisation=org, role=Role.OFFER_EDITOR)
        self.stdout.write(
            f"demo login ({Role.OFFER_EDITOR.label}, {org.name}): demo-pflege / {password} "
            f"(maintains the offers of {org.name})"
        )
