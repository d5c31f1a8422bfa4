"""What an audit entry's ``detail`` may hold: an allow-list of keys, each with a check of its value.

The log is append-only and kept long, so its ``detail`` may hold only what is not personal data
in itself: ids, statuses and other values from fixed lists, field names, booleans. Names, contact
data, notes, free text and reasons (a drop-out's reason can be health or residence, Art. 9 GDPR)
are refused; a service logs ``reason_recorded: true`` instead of a reason.

The audit app allows the keys every app may use (below); each app registers the keys of its own
entries with their checks when it starts (``register`` in its ``AppConfig.ready``, e.g.
``cases/audit_detail.py``), so that the kernel knows no feature app's values.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

Check = Callable[[Any], bool]


def is_uuid(value: Any) -> bool:
    """A UUID as a string (or nothing)."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def matches(pattern: str) -> Check:
    """A string matching ``pattern`` as a whole."""
    compiled = re.compile(pattern)
    return lambda value: isinstance(value, str) and compiled.fullmatch(value) is not None


def one_of(*choices: Iterable) -> Check:
    """A value of one of the ``TextChoices`` classes (or other collections with ``.values``)."""
    allowed = frozenset(v for c in choices for v in getattr(c, "values", c))
    return lambda value: value in allowed


def list_of(check: Check) -> Check:
    """A list (or tuple) whose every item passes ``check``."""
    return lambda value: isinstance(value, list | tuple) and all(check(v) for v in value)


def is_bool(value: Any) -> bool:
    return isinstance(value, bool)


#: key -> (the app that registered it, the check of its value)
_KEYS: dict[str, tuple[str, Check]] = {}


def register(owner: str, keys: Mapping[str, Check]) -> None:
    """Allow ``keys`` (with the checks of their values) in entries' detail, on behalf of the app
    ``owner``. An app may register its keys again; a key registered by another app is an error."""
    for key, check in keys.items():
        known = _KEYS.get(key)
        if known is not None and known[0] != owner:
            raise ImproperlyConfigured(
                f"audit detail key {key!r} of {owner} is already registered by {known[0]}"
            )
        _KEYS[key] = (owner, check)


def check_detail(detail: Any) -> None:
    """Refuse a detail with a key nobody registered or a value its check refuses."""
    if not isinstance(detail, dict):
        raise ValueError("audit detail must be a dict")
    for key, value in detail.items():
        known = _KEYS.get(key)
        if known is None:
            raise ValueError(f"audit detail must not contain {key!r}")
        if not known[1](value):
            raise ValueError(f"audit detail {key!r} has a value that is not allowed")


register(
    "audit",
    {
        "fields": list_of(matches(r"[a-z][a-z_]{0,39}")),  # the names of changed fields
        "reason_recorded": is_bool,  # a reason was given (never the reason)
    },
)
