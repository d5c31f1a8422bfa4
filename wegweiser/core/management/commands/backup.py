"""``wegweiser backup FILE``: the whole PostgreSQL database into FILE (docs/operations.md)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wegweiser.core import backup


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database into FILE with pg_dump (custom format). Checks the "
        "audit chain first; restore with `wegweiser restore FILE` into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            type=Path,
            help="the backup file to write; a folder: wegweiser-YYYY-MM-DD.dump in it",
        )
        parser.add_argument(
            "--force", action="store_true", help="overwrite FILE if it exists already"
        )

    def handle(self, *args, file: Path, force: bool, **options):
        if file.is_dir():
            file = file / f"wegweiser-{timezone.localdate():%Y-%m-%d}.dump"
        if file.exists() and not force:
            raise CommandError(f"{file} exists already (--force overwrites it)")
        started = time.monotonic()
        try:
            backup.tool("pg_dump")
            call_command("audit_verify", stdout=self.stdout, stderr=self.stderr, verbosity=0)
            backup.dump(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = backup.table_rows()
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {file}: {len(tables)} tables, "
                f"{sum(t.rows for t in tables):,} rows, {file.stat().st_size / 1e6:.1f} MB, "
                f"{time.monotonic() - started:.1f} s."
            )
        )
