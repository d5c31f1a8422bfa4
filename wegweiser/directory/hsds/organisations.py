"""HSDS organization -> ``Organisation``, HSDS program -> ``Project`` (docs/hsds.md, "Mapping")."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from wegweiser.directory import vocabulary
from wegweiser.directory.hsds.profile import EXTENSION
from wegweiser.directory.hsds.values import OrgPlan, ProjectPlan, Reading, Ref, extension, text
from wegweiser.directory.validation import email_problem, max_length, website_problem
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import Project

ORG_FIELDS = {
    "id",
    "name",
    "alternate_name",
    "description",
    "email",
    "website",
    "phones",
    "parent_organization_id",
    "locations",
    "programs",
    "services",
    EXTENSION,
}
PROGRAM_FIELDS = {"id", "organization_id", "name", "description", EXTENSION}


def read_organisation(r: Reading, obj: dict, path: str) -> uuid.UUID | None:
    """The organisation itself (its programs, places and services are read by the caller)."""
    ext = extension(obj)
    own = ext is not None
    ext = ext or {}
    oid = r.ident(obj.get("id"), "organization", f"{path}.id", own)
    r.unmapped(obj, ORG_FIELDS, path)
    kind = ext.get("kind", "sonstige")
    if kind not in vocabulary.ORGANISATION_KINDS:
        r.error(
            f"{path}.{EXTENSION}.kind",
            _("Unbekannte Art von Organisation „%(value)s“.") % {"value": kind},
        )
    phone, phone_path = r.phone(obj, path)
    phone = r.cut(phone, max_length(Organisation, "phone"), phone_path, own)
    org = Organisation(
        id=oid,
        name=r.limited(obj, "name", path, own, max_length(Organisation, "name")),
        alternate_name=r.limited(
            obj, "alternate_name", path, own, max_length(Organisation, "alternate_name")
        ),
        kind=kind,
        description=r.texts(obj, "description", ext, path, own),
        email=_checked(r, obj, "email", path, email_problem),
        phone=phone,
        website=_checked(r, obj, "website", path, website_problem),
        is_synthetic=ext.get("is_synthetic") is True,
    )
    parent = None
    if obj.get("parent_organization_id") not in (None, ""):
        where = f"{path}.parent_organization_id"
        pid = r.ident(obj["parent_organization_id"], "organization", where, own)
        if pid is not None:
            parent = Ref(pid, where, own)
    if oid is not None:
        if oid in r.orgs:
            r.error(f"{path}.id", _("Die ID %(id)s kommt doppelt vor.") % {"id": oid})
        else:
            r.orgs[oid] = OrgPlan(org, parent, path)
    return oid


def _checked(r: Reading, obj: dict, key: str, path: str, check) -> str:
    """An e-mail or web address, judged like an offer's (an error also in foreign data)."""
    value = text(obj, key)
    message = check(value)
    if message:
        r.error(f"{path}.{key}", message)
        return ""
    return value


def read_program(r: Reading, obj: dict, path: str, carrier: uuid.UUID | None) -> None:
    ext = extension(obj)
    own = ext is not None
    pid = r.ident(obj.get("id"), "program", f"{path}.id", own)
    if not own:
        r.warn(
            path,
            _(
                "Programme ohne Förderrunde (Erweiterung %(ext)s) können nicht als "
                "gefördertes Projekt übernommen werden."
            )
            % {"ext": EXTENSION},
        )
        if pid is not None:
            r.dropped_programs.add(pid)
        return
    xp = f"{path}.{EXTENSION}"
    r.unmapped(obj, PROGRAM_FIELDS, path)
    r.check_owner(obj, "organization_id", carrier, path)
    partners: list[tuple[Ref, str]] = []
    for rec, p in r.records(ext, "partners", xp):
        org_id = r.ident(rec.get("organization_id"), "organization", f"{p}.organization_id", True)
        role = rec.get("role")
        if role not in vocabulary.PARTNER_ROLES:
            r.error(f"{p}.role", _("Unbekannte Rolle „%(value)s“.") % {"value": role})
        elif org_id is not None:
            partners.append((Ref(org_id, f"{p}.organization_id", True), role))
    regions = ext.get("regions")
    project = Project(
        id=pid,
        name=r.limited(obj, "name", path, own, max_length(Project, "name")),
        description=r.texts(obj, "description", ext, path, own),
        funding_round=r.funding_round(ext.get("funding_round"), f"{xp}.funding_round", True),
        carrier_id=carrier,
        start=r.date(ext.get("start"), f"{xp}.start", required=True),
        end=r.date(ext.get("end"), f"{xp}.end"),
        budget_eur=_budget(r, ext.get("budget_eur"), f"{xp}.budget_eur"),
    )
    if pid is not None:
        if pid in r.projects:
            r.error(f"{path}.id", _("Die ID %(id)s kommt doppelt vor.") % {"id": pid})
        else:
            regions = (
                [a for a in regions if isinstance(a, str)] if isinstance(regions, list) else []
            )
            r.projects[pid] = ProjectPlan(project, partners, regions, path)


def _budget(r: Reading, value: Any, path: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)) if not isinstance(value, bool) else None
    except InvalidOperation:
        amount = None
    if (
        amount is None
        or not amount.is_finite()
        or amount < 0
        or amount != amount.quantize(Decimal("0.01"))
        or amount >= Decimal("1e10")
    ):
        r.error(path, _("„%(value)s“ ist kein gültiger Betrag in Euro.") % {"value": value})
        return None
    return amount.quantize(Decimal("0.01"))
