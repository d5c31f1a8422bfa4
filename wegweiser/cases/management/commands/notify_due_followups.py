"""Daily: mail counsellors the follow-up check-ins that are due (each check-in once)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from wegweiser.cases.services.notify import due_followups_notify


class Command(BaseCommand):
    help = "E-Mail an die Zuständigen: fällige Nachbetreuungstermine (jeder Termin einmal)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Stichtag JJJJ-MM-TT (Standard: heute)")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today: kein Datum: {today}") from None
        sent = due_followups_notify(today=day)
        self.stdout.write(f"{sent} E-Mail(s) gesendet")
