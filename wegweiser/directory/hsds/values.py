"""The state of one HSDS import while it reads, and the helpers that read single values.

The structure of the document (types, required fields, fixed values) was checked against the
HSDS 3.0 schemas before (``hsds/schema.py``); these helpers read what the mapping needs, report
what our model cannot hold and skip values of the wrong type without a second message.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from wegweiser.directory.hsds.profile import (
    EXTENSION,
    FOREIGN_IDS,
    Issue,
    merge_texts,
    round_key,
)
from wegweiser.directory.models import Location, Offer
from wegweiser.directory.opening_hours import Hours
from wegweiser.directory.validation import Problem, check_texts, too_long
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import FundingRound, Project

_EMPTY = (None, "", [], {})
#: Values of other publishers that the one validation refuses and that are then left out (with
#: a warning) rather than refusing the document: a phone number, a postcode outside Germany.
DROPPED = {"phone", "postcode"}


@dataclass
class Ref:
    """A reference to an organisation, project or place, resolved after everything is read."""

    id: uuid.UUID
    path: str
    own: bool


@dataclass
class OrgPlan:
    org: Organisation
    parent: Ref | None
    path: str


@dataclass
class ProjectPlan:
    project: Project
    partners: list[tuple[Ref, str]]
    regions: list[str]
    path: str


@dataclass
class OfferPlan:
    offer: Offer
    program: Ref | None
    locations: list[Ref]
    hours: list[Hours]
    path: str
    own: bool


@dataclass
class Item:
    """An organisation of the input with the services to read with it."""

    org: Any
    path: str
    services: list[tuple[Any, str]] = field(default_factory=list)


class Reading:
    """Reads a document into unsaved model objects (no writes): the plans found so far, the
    errors and the warnings."""

    def __init__(self) -> None:
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.rounds = {
            round_key(r): r for r in FundingRound.objects.select_related("programme").all()
        }
        self.orgs: dict[uuid.UUID, OrgPlan] = {}
        self.projects: dict[uuid.UUID, ProjectPlan] = {}
        self.dropped_programs: set[uuid.UUID] = set()
        self.locations: dict[uuid.UUID, Location] = {}
        self.dropped_locations: set[uuid.UUID] = set()
        self.offers: dict[uuid.UUID, OfferPlan] = {}
        self.db_locations: dict[uuid.UUID, Location] = {}

    # -- reporting ------------------------------------------------------------------------------

    def error(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append((path, message))

    def unfit(self, path: str, message: str, own: bool) -> None:
        """A value our model cannot hold: an error in our own data, a warning in foreign data."""
        (self.error if own else self.warn)(path, message)

    def unmapped(self, obj: dict, known: set[str], path: str) -> None:
        for key in sorted(obj):
            if key not in known and obj[key] not in _EMPTY:
                self.warn(
                    f"{path}.{key}",
                    _("Das Feld „%(field)s“ hat bei uns keinen Platz und wird nicht übernommen.")
                    % {"field": key},
                )

    def judge(
        self, problems: list[Problem], where: Callable[[Problem], str], own: bool
    ) -> list[Problem]:
        """Report the problems the one validation found, at their paths. In our own data each is
        an error; in another publisher's a text that is too long is cut and a value of
        :data:`DROPPED` left out, with a warning. Returns those (see :func:`apply`)."""
        changed = []
        for problem in problems:
            path = where(problem)
            if own or (problem.limit is None and problem.field not in DROPPED):
                self.error(path, problem.message)
                continue
            if problem.limit is not None:
                self.warn(path, problem.message + " " + _("Er wird gekürzt."))
            else:
                self.warn(path, problem.message + " " + _("Die Angabe wird nicht übernommen."))
            changed.append(problem)
        return changed

    # -- values ---------------------------------------------------------------------------------

    def absent(self, value: Any, path: str, required: bool, message: str) -> bool:
        """Whether there is no value; a required one is reported with ``message``."""
        if value not in (None, ""):
            return False
        if required:
            self.error(path, message)
        return True

    def ident(self, value: Any, kind: str, path: str, own: bool, required: bool = True):
        if self.absent(value, path, required, _("Die ID fehlt.")):
            return None
        if isinstance(value, str):
            try:
                return uuid.UUID(value)
            except ValueError:
                pass
        if own or not isinstance(value, str | int) or isinstance(value, bool):
            self.error(path, _("„%(value)s“ ist keine gültige UUID.") % {"value": value})
            return None
        mapped = uuid.uuid5(FOREIGN_IDS, f"{kind}/{value}")
        self.warn(
            path,
            _("Die ID „%(value)s“ ist keine UUID; sie wird als %(uuid)s gespeichert.")
            % {"value": value, "uuid": mapped},
        )
        return mapped

    def cut(self, value: str, limit: int, path: str, own: bool) -> str:
        """A text of at most ``limit`` characters (longer: an error, or cut in foreign data)."""
        problem = Problem("", too_long(limit), limit=limit)
        if len(value) > limit and self.judge([problem], lambda _p: path, own):
            return value[:limit]
        return value

    def limited(self, obj: dict, key: str, path: str, own: bool, limit: int) -> str:
        """A text of an organisation or project (see :meth:`cut`)."""
        return self.cut(text(obj, key), limit, f"{path}.{key}", own)

    def texts(self, obj: dict, key: str, ext: dict, path: str, own: bool) -> dict[str, str]:
        """A text per language: the plain HSDS field and the extension's translations."""
        texts = merge_texts(text(obj, key), translations(ext.get(key)))
        problems = check_texts(texts, key, None)
        self.judge(problems, lambda p: f"{path}.{EXTENSION}.{key}.{p.key}", own)
        return texts

    def date(self, value: Any, path: str, required: bool = False) -> dt.date | None:
        if self.absent(value, path, required, _("Das Datum fehlt.")):
            return None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value[:10] if "T" in value else value)
            except ValueError:
                pass
        self.error(path, _("„%(value)s“ ist kein Datum der Form JJJJ-MM-TT.") % {"value": value})
        return None

    def funding_round(self, value: Any, path: str, required: bool) -> FundingRound | None:
        if self.absent(value, path, required, _("Die Förderrunde fehlt.")):
            return None
        rnd = self.rounds.get(value) if isinstance(value, str) else None
        if rnd is None:
            self.error(
                path,
                _("Unbekannte Förderrunde „%(value)s“ (erwartet: Programm/Runde).")
                % {"value": value},
            )
        return rnd

    def records(self, obj: dict, key: str, path: str) -> list[tuple[dict, str]]:
        """The objects in the list ``obj[key]`` as ``(record, path)``."""
        value = obj.get(key)
        if not isinstance(value, list):
            return []
        return [(rec, f"{path}.{key}[{i}]") for i, rec in enumerate(value) if isinstance(rec, dict)]

    def check_owner(self, obj: dict, key: str, owner: uuid.UUID | None, path: str) -> None:
        """A nested record that names its organisation must name the one it is nested in."""
        value = obj.get(key)
        if value in (None, "") or owner is None:
            return
        try:
            named = uuid.UUID(str(value))
        except ValueError:
            named = uuid.uuid5(FOREIGN_IDS, f"organization/{value}")
        if named != owner:
            self.error(
                f"{path}.{key}",
                _("Verweist auf eine andere Organisation als die, in der der Eintrag steht."),
            )

    def phone(self, obj: dict, path: str) -> tuple[str, str]:
        """The first phone number and its path; the others are reported."""
        phones = self.records(obj, "phones", path)
        if not phones:
            return "", f"{path}.phones"
        rec, p = phones[0]
        self.unmapped(
            rec, {"id", "number", "service_id", "organization_id", "location_id", "contact_id"}, p
        )
        for _rec, extra in phones[1:]:
            self.warn(extra, _("Nur eine Telefonnummer wird übernommen."))
        return text(rec, "number"), f"{p}.number"


def text(obj: dict, key: str) -> str:
    """A text of the document ("" when absent or not a text: the schema check reported that)."""
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def translations(value: Any) -> dict[str, str]:
    return {k: v for k, v in value.items() if isinstance(v, str)} if isinstance(value, dict) else {}


def extension(obj: dict) -> dict | None:
    """Our extension of a record (None: the record is another publisher's)."""
    ext = obj.get(EXTENSION)
    if ext is None:
        return None
    return ext if isinstance(ext, dict) else {}


def apply(values: Any, changed: list[Problem]) -> None:
    """Cut or leave out what :meth:`Reading.judge` reported for another publisher's data."""
    for problem in changed:
        current = getattr(values, problem.field)
        if isinstance(current, dict):
            current[problem.key] = current[problem.key][: problem.limit]
        elif problem.limit is not None:
            setattr(values, problem.field, current[: problem.limit])
        else:
            setattr(values, problem.field, "")
