"""Our profile of HSDS 3.0: the identifiers, the extension property and the rules for texts and ids
that export and import share (docs/hsds.md)."""

from __future__ import annotations

import uuid
from typing import Any

from wegweiser.directory.models import Offer
from wegweiser.directory.validation import main_language
from wegweiser.programmes.models import FundingRound

HSDS_VERSION = "3.0"
#: Identifies our profile of HSDS (the extension below and the controlled vocabularies); it is
#: described in docs/hsds.md.
PROFILE = "https://github.com/wegweiser/hsds-profile"
EXTENSION = "x_wegweiser"
THEME_TAXONOMY = "wegweiser-themes"
THEME_TAXONOMY_ID = uuid.uuid5(uuid.NAMESPACE_URL, f"{PROFILE}/taxonomies/{THEME_TAXONOMY}")
#: Ids of foreign records that are not UUIDs are mapped into this namespace.
FOREIGN_IDS = uuid.uuid5(uuid.NAMESPACE_URL, f"{PROFILE}/foreign-ids")

STATUS_TO_HSDS = {Offer.PUBLISHED: "active", Offer.INACTIVE: "inactive", Offer.DRAFT: "inactive"}
HSDS_STATUSES = ("active", "inactive", "defunct", "temporarily closed")

#: ``(path in the document, message)``
Issue = tuple[str, str]


def theme_term_id(key: str) -> uuid.UUID:
    """The id of the taxonomy term of a theme (the same in every export)."""
    return uuid.uuid5(THEME_TAXONOMY_ID, key)


def child_id(parent: uuid.UUID, suffix: str) -> str:
    """The id of a child record without a row of its own (schedule, language, address, …)."""
    return str(uuid.uuid5(parent, suffix))


def primary(texts: dict | None) -> str:
    """The text for the plain HSDS field: German, else the first language's."""
    texts = texts or {}
    return texts.get(main_language(texts), "")


def merge_texts(hsds_text: str, texts: dict[str, str] | None) -> dict[str, str]:
    """The HSDS text in its language plus the other languages from the extension."""
    result = dict(texts or {})
    key = main_language(result)
    if hsds_text or key in result:
        result[key] = hsds_text
    return result


def put(target: dict, key: str, value: Any) -> None:
    if value not in (None, "", [], {}):
        target[key] = value


def round_key(rnd: FundingRound | None) -> str | None:
    return f"{rnd.programme.key}/{rnd.key}" if rnd is not None else None
