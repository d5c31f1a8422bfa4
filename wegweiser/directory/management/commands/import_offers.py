import uuid

from django.core.management.base import BaseCommand, CommandError

from wegweiser.directory import csv_import, services
from wegweiser.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Import offers of one organisation from a CSV file (columns: see "
        "wegweiser/directory/csv_import.py or docs/hsds.md). Every row is checked first; with any "
        "error nothing is imported and the command exits with status 2. The audit log records "
        "the system as actor."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file (UTF-8)")
        parser.add_argument("--organisation", required=True, metavar="UUID")

    def handle(self, *args, file, organisation, **options):
        try:
            org = Organisation.objects.get(pk=uuid.UUID(organisation))
        except (ValueError, Organisation.DoesNotExist):
            raise CommandError(f"organisation {organisation} not found", returncode=2) from None
        try:
            summary = csv_import.import_offers_csv(
                file, org, by=services.SYSTEM, progress=self.stdout.write
            )
        except OSError as exc:
            raise CommandError(f"{file}: {exc}", returncode=2) from None
        except csv_import.CSVImportError as exc:
            for error in exc.errors:
                self.stderr.write(csv_import.describe(error))
            raise CommandError(
                f"{len(exc.errors)} errors, nothing imported", returncode=2
            ) from None
        self.stdout.write(
            self.style.SUCCESS(f"{org.name}: " + ", ".join(f"{v} {k}" for k, v in summary.items()))
        )
