from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the programme catalogue and the (clearly synthetic) demo data used by `make run`."

    def handle(self, *args, **options):
        call_command("load_catalogue", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            "demo data: the programme catalogue is real; directory and case demo "
            "data follow with their issues"
        )
