"""``wegweiser restore FILE``: a backup into the configured, empty PostgreSQL database, then the
audit chain checked (docs/operations.md)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from wegweiser.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `wegweiser backup` into the database of DATABASE_URL, which "
        "must be empty (createdb NAME); then check the audit chain (exit status 1 if broken)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the backup file to read")

    def handle(self, *args, file: Path, **options):
        started = time.monotonic()
        try:
            backup.restore(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = backup.table_rows()
        self.stdout.write(
            f"Restored {file}: {len(tables)} tables, {sum(t.rows for t in tables):,} rows, "
            f"{time.monotonic() - started:.1f} s."
        )
        call_command("audit_verify", stdout=self.stdout, stderr=self.stderr)
