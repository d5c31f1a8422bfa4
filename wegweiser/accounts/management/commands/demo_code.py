"""``wegweiser demo_code``: the code the demo logins' authenticator app would show now.

The demo logins (``wegweiser demo``) share one published, synthetic key (README, "Demo
logins"); this computes its current code, so that trying the demo needs no app. It knows no
other key and reads nothing from the database: real accounts' secrets stay where they are."""

from django.core.management.base import BaseCommand

from wegweiser.accounts.demo_totp import demo_code


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo logins (their published key)."

    def handle(self, *args, **options):
        self.stdout.write(demo_code())
