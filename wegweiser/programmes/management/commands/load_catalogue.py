from django.core.management.base import BaseCommand, CommandError

from wegweiser.eligibility.catalogue import CatalogueError, load_catalogue
from wegweiser.programmes.services import catalogue_sync


class Command(BaseCommand):
    help = "Validate the programme catalogue files and store them in the database (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--catalogue", default=None, help="folder of the catalogue files")

    def handle(self, *args, catalogue=None, **options):
        from django.conf import settings

        try:
            data = load_catalogue(catalogue or settings.CATALOGUE_DIR)
        except CatalogueError as exc:
            raise CommandError(f"catalogue not loaded, nothing changed: {exc}") from None
        self.stdout.write(f"validated {len(data.programmes)} programmes, {len(data.rounds)} rounds")
        summary = catalogue_sync(catalogue=data)
        self.stdout.write(self.style.SUCCESS(str(summary)))
