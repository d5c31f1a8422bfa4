"""Mark referrals unanswered for WEGWEISER_REFERRAL_EXPIRY_DAYS (default 14) as expired."""

from django.core.management.base import BaseCommand

from wegweiser.cases.services import SYSTEM, referrals_expire


class Command(BaseCommand):
    help = "Referrals sent and unanswered for the set number of days expire (run daily)."

    def handle(self, *args, **options):
        count = referrals_expire(by=SYSTEM)
        self.stdout.write(f"{count} referral(s) expired")
