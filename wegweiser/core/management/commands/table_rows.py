"""``wegweiser table_rows``: every table's rows (and, on PostgreSQL, a checksum of them), to
compare a database with its restored backup or its copy (docs/operations.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from wegweiser.core import backup


class Command(BaseCommand):
    help = (
        "List every table with its number of rows and, on PostgreSQL, an md5 checksum of all "
        "its rows: equal lists before a backup and after its restore mean equal data."
    )

    def handle(self, *args, **options):
        for t in backup.table_rows():
            self.stdout.write(f"{t.table}\t{t.rows}\t{t.checksum}".rstrip())
