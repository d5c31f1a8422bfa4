from django.core.management.base import BaseCommand, CommandError

from wegweiser.eligibility.catalogue import CatalogueError, load_catalogue
from wegweiser.programmes.i18n import STRINGS_MODULE, collect_strings, render_module


class Command(BaseCommand):
    help = (
        "Write wegweiser/programmes/catalogue_strings.py: the German catalogue texts, fact "
        "labels and engine messages for makemessages. --check only tells whether it is current."
    )

    def add_arguments(self, parser):
        parser.add_argument("--catalogue", default=None, help="folder of the catalogue files")
        parser.add_argument(
            "--check", action="store_true", help="exit 1 when the module is out of date"
        )

    def handle(self, *args, catalogue=None, check=False, **options):
        from django.conf import settings

        try:
            data = load_catalogue(catalogue or settings.CATALOGUE_DIR)
        except CatalogueError as exc:
            raise CommandError(f"catalogue not valid: {exc}") from None
        strings = collect_strings(data)
        source = render_module(strings)
        current = STRINGS_MODULE.read_text(encoding="utf-8") if STRINGS_MODULE.exists() else ""
        if check:
            if current != source:
                raise CommandError(
                    f"{STRINGS_MODULE.name} is out of date: run `wegweiser catalogue_strings`, "
                    "then makemessages and translate the new texts"
                )
            self.stdout.write(f"{STRINGS_MODULE.name} is current ({len(strings)} texts)")
            return
        if current == source:
            self.stdout.write(f"{STRINGS_MODULE.name} unchanged ({len(strings)} texts)")
            return
        STRINGS_MODULE.write_text(source, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"wrote {STRINGS_MODULE} ({len(strings)} texts)"))
