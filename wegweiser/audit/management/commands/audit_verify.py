"""Check the hash chain of the whole audit log (audit/chain.py); run daily (docs/operations.md).

Exit status 0 when every entry fits, 1 at the first entry that does not (named by its position
and time), 2 for bad arguments."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wegweiser.audit import chain


def _anchor(text: str) -> tuple[int, str]:
    position, _, digest = text.partition(":")
    if not position.isdigit() or len(digest) != 64:
        raise CommandError(f"--anchor {text!r}: expected POSITION:HASH (64 hex digits)")
    return int(position), digest.lower()


class Command(BaseCommand):
    help = (
        "Check that no audit entry was changed, deleted or inserted since it was written: walks "
        "the hash chain and names the first entry that does not fit (exit status 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="POSITION:HASH",
            help="a head printed by an earlier run, kept outside the database: the chain must "
            "still pass through it (may be given more than once)",
        )
        parser.add_argument(
            "--batch", type=int, default=20_000, help="entries per query and progress line"
        )

    def handle(self, *args, anchor, batch, verbosity=1, **options):
        anchors = dict(_anchor(a) for a in anchor)
        started = time.monotonic()

        def progress(checked):
            if verbosity >= 1:
                rate = checked / max(time.monotonic() - started, 1e-9)
                self.stdout.write(f"{checked:,} entries checked ({rate:,.0f} per second)")

        result = chain.verify(batch=max(batch, 1), progress=progress, anchors=anchors)
        seconds = time.monotonic() - started
        if result.broken is None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"The audit log is intact: {result.checked:,} entries checked in "
                    f"{seconds:.1f} s."
                )
            )
            self.stdout.write(f"Head: {result.head_seq}:{result.head_hash}")
            return
        b = result.broken
        when = (
            f", written {timezone.localtime(b.at):%d.%m.%Y at %H:%M:%S}" if b.at is not None else ""
        )
        self.stderr.write(
            self.style.ERROR(
                f"The audit log was altered. First broken entry: entry {b.number:,}{when}: "
                f"{b.reason}."
            )
        )
        self.stderr.write(
            f"The {result.checked:,} entries before it are intact "
            f"(last intact head: {result.head_seq}:{result.head_hash})."
        )
        raise SystemExit(1)
