"""Open Referral HSDS 3.0 export and import of the directory (see ``docs/hsds.md``).

The export (``export.py``) is one JSON document::

    {"hsds_version": "3.0", "profile": PROFILE, "organizations": [...]}

Each organization carries its ``programs`` (our funded projects, where it is the carrier),
``services`` (our offers, as in the official ``organization_full.json`` example) and
``locations``. What HSDS has no field for (translations, funding round, modes, project partners
and regions, budget, organisation kind, ...) is kept in one extension property ``x_wegweiser`` on
the object it belongs to, so that export -> import -> export gives the same document. Every object
keeps our UUID; child records get ids derived with :func:`uuid.uuid5` from their parent's id.

The import (``importer.py``) accepts our document, a single HSDS organization, a list of them, an
HSDS API page (``{"contents": [...]}``) and services with an embedded ``organization``. Its
structure is checked against the HSDS 3.0 JSON Schemas (``schema.py``); the mapping onto our
models is written by hand (``organisations.py``, ``places.py``, ``offers.py``,
``opening_hours.py``, ``references.py``), the values of offers and places judged by the one
validation (``directory/validation.py``). With any error nothing is written
(:class:`HSDSImportError`, with the path of each value); data from other publishers is mapped
where our model has a place for it, everything else is reported as a warning
(``ImportSummary.warnings``). The checked records are written by the import writer
(``directory/import_writer.py``), which the CSV import uses too.
"""

from wegweiser.directory.hsds.export import export_document
from wegweiser.directory.hsds.importer import HSDSImportError, ImportSummary, import_document
from wegweiser.directory.hsds.profile import (
    EXTENSION,
    HSDS_VERSION,
    PROFILE,
    theme_term_id,
)
from wegweiser.directory.hsds.profile import (
    primary as _primary,
)
from wegweiser.directory.hsds.reader import _Reader

__all__ = [
    "EXTENSION",
    "HSDS_VERSION",
    "PROFILE",
    "HSDSImportError",
    "ImportSummary",
    "_Reader",
    "_primary",
    "export_document",
    "import_document",
    "theme_term_id",
]
