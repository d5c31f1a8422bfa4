import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wegweiser.directory import hsds, services


class Command(BaseCommand):
    help = (
        "Import an HSDS 3.0 JSON file (our export, an organization, a list of them, or services "
        "with their organization). Everything is checked first; with any error nothing is "
        "written and the command exits with status 2. The audit log records the system as actor."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON file ('-' reads stdin)")

    def handle(self, *args, file, **options):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
            doc = json.loads(text)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.stderr.write(f"{file}: {exc}")
            raise CommandError(
                "file not readable as JSON, nothing imported", returncode=2
            ) from None
        try:
            summary = hsds.import_document(doc, by=services.SYSTEM, progress=self.stdout.write)
        except hsds.HSDSImportError as exc:
            for path, message in exc.errors:
                self.stderr.write(f"{path or '(document)'}: {message}")
            raise CommandError(
                f"{len(exc.errors)} errors, nothing imported", returncode=2
            ) from None
        for path, message in summary.warnings:
            self.stderr.write(f"warning: {path}: {message}")
        self.stdout.write(
            self.style.SUCCESS("imported: " + ", ".join(f"{v} {k}" for k, v in summary.items()))
        )
