import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wegweiser.directory import hsds
from wegweiser.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Export the directory as one Open Referral HSDS 3.0 JSON document (docs/hsds.md). "
        "Two exports of the same data are identical."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default=None, help="file to write (default: stdout)")
        parser.add_argument(
            "--organisation",
            action="append",
            default=None,
            metavar="UUID",
            help="export only this organisation (repeatable)",
        )

    def handle(self, *args, output=None, organisation=None, **options):
        orgs = None
        if organisation:
            orgs = list(Organisation.objects.filter(pk__in=organisation))
            if len(orgs) != len(set(organisation)):
                raise CommandError("unknown organisation id", returncode=2)
        doc = hsds.export_document(orgs)
        text = json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
        organisations = doc["organizations"]
        summary = (
            f"{len(organisations)} organisations, "
            f"{sum(len(o['programs']) for o in organisations)} programs, "
            f"{sum(len(o['services']) for o in organisations)} services, "
            f"{sum(len(o['locations']) for o in organisations)} locations"
        )
        if output in (None, "-"):
            self.stdout.write(text, ending="")
            self.stderr.write(f"exported {summary}")
        else:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"exported {summary} to {output}")
