"""Tell each organisation which of its offers have not been verified for 12 months.

Run daily or weekly from cron; sends one e-mail per organisation with an address (Django's e-mail
settings decide how) and prints a summary. Offers stay public and are shown as "possibly outdated".
"""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from wegweiser.directory.models import Offer
from wegweiser.directory.selectors import outdated_offers
from wegweiser.organisations.models import Organisation


class Command(BaseCommand):
    help = "E-mail each organisation the list of its offers not verified for 12 months."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only print, send nothing")

    def handle(self, *args, dry_run=False, **options):
        sent = skipped = total = 0
        manage_url = getattr(settings, "SITE_URL", "") + reverse("directory:manage")
        for org in Organisation.objects.order_by("name"):
            outdated = outdated_offers(Organisation.objects.filter(pk=org.pk))
            offers = list(outdated.filter(status=Offer.PUBLISHED).order_by("sort_name"))
            if not offers:
                continue
            total += len(offers)
            if not org.email:
                skipped += 1
                self.stdout.write(f"{org.name}: {len(offers)} outdated, no e-mail address")
                continue
            with override("de"):
                subject = _("Bitte prüfen Sie %(count)s Angebote im wegweiser") % {
                    "count": len(offers)
                }
                lines = [
                    _(
                        "Diese Angebote wurden seit mehr als 12 Monaten nicht bestätigt "
                        "und erscheinen öffentlich als „möglicherweise veraltet“:"
                    ),
                    "",
                    *[f"- {offer.title}" for offer in offers],
                    "",
                    _("Bitte prüfen und bestätigen Sie sie hier: %(url)s") % {"url": manage_url},
                ]
            if not dry_run:
                send_mail(subject, "\n".join(lines), None, [org.email])
            sent += 1
        self.stdout.write(
            f"outdated offers: {total}; organisations notified: {sent}"
            f"{' (dry run, nothing sent)' if dry_run else ''}; without e-mail address: {skipped}"
        )
