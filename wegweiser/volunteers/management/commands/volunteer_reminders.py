"""Daily: remind volunteer and requester of tomorrow's confirmed interpreting appointments."""

from django.core.management.base import BaseCommand

from wegweiser.volunteers import services


class Command(BaseCommand):
    help = "Mail tomorrow's confirmed interpreting appointments (with .ics), each once."

    def handle(self, *args, **options):
        sent = services.reminders_send()
        self.stdout.write(f"{sent} reminders sent")
