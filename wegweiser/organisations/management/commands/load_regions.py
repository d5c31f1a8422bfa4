from django.core.management.base import BaseCommand

from wegweiser.organisations import services


class Command(BaseCommand):
    help = (
        "Create or update the regions (German Kreise, Hessian Sonderstatusstädte) "
        "from the shipped geodata."
    )

    def handle(self, *args, **options):
        count = services.regions_sync()
        self.stdout.write(f"regions: {count} loaded")
