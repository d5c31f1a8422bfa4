"""``import_document``: check a whole HSDS document, then write it with the import writer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wegweiser.directory import services
from wegweiser.directory.hsds.profile import Issue
from wegweiser.directory.hsds.reader import _Reader
from wegweiser.directory.import_writer import write_batch


class HSDSImportError(Exception):
    """The document has errors; nothing was written. ``errors`` lists ``(path, message)``."""

    def __init__(self, errors: list[Issue]):
        self.errors = errors
        shown = "; ".join(f"{path or '(Dokument)'}: {msg}" for path, msg in errors[:5])
        more = f" (+{len(errors) - 5})" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} errors: {shown}{more}")


class ImportSummary(dict[str, int]):
    """Counts of what was imported, and ``warnings``: ``(path, message)`` for every value of
    the document that our model cannot hold and that was therefore not taken over."""

    def __init__(self, counts: dict[str, int], warnings: list[Issue]):
        super().__init__(counts)
        self.warnings = warnings


def import_document(
    doc: Any, *, by, progress: Callable[[str], None] | None = None
) -> ImportSummary:
    """Check the whole document, then create or update everything in one transaction.

    ``by``: the acting user (a platform administrator: the import writes organisations and
    projects) or ``services.SYSTEM``. Raises :class:`HSDSImportError` with every error (and
    writes nothing) when the document has any. Returns the counts with the warnings about what
    could not be taken over.
    """
    services.require_platform_admin(by)
    say = progress or (lambda _msg: None)
    reader = _Reader()
    reader.read(doc)
    if reader.errors:
        raise HSDSImportError(reader.errors)
    say(
        f"checked {len(reader.orgs)} organisations, {len(reader.projects)} projects, "
        f"{len(reader.locations)} places, {len(reader.offers)} offers "
        f"({len(reader.warnings)} warnings)"
    )
    counts = write_batch(reader.batch(), by=by, progress=say)
    return ImportSummary(counts | {"warnings": len(reader.warnings)}, reader.warnings)
