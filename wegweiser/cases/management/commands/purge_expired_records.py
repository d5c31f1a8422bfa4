"""Delete anonymised participants whose ESF record-keeping period has ended (run monthly)."""

import datetime as dt

from django.core.management.base import BaseCommand

from wegweiser.cases.services import SYSTEM, purge_expired_records


class Command(BaseCommand):
    help = (
        "Anonymised people are kept only as ESF Plus records; once the record-keeping period of "
        "all their cases has ended (facts.md D.2), they and their cases are deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="only list what would be deleted"
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="the day to judge the periods on (YYYY-MM-DD; default today)",
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        verb = "would delete" if dry_run else "deleting"

        def progress(pseudonym):
            self.stdout.write(f"{verb} {pseudonym}")

        done = purge_expired_records(by=SYSTEM, today=today, dry_run=dry_run, progress=progress)
        summary = "would be deleted" if dry_run else "deleted"
        self.stdout.write(self.style.SUCCESS(f"{len(done)} anonymised participant(s) {summary}"))
