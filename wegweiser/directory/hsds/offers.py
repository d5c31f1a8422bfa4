"""HSDS service -> ``Offer`` (docs/hsds.md, "Offer -> service").

The values are judged by the one validation of an offer (``validation.check_offer``), the same
as the maintenance form's and the CSV import's; this module says where each problem lies in the
document and maps what HSDS has (attributes, languages, cost options, schedules, places) onto
our fields.
"""

from __future__ import annotations

import uuid
from typing import Any

import pycountry
from django.utils.translation import gettext as _

from wegweiser.directory import vocabulary
from wegweiser.directory.hsds.opening_hours import read_schedules
from wegweiser.directory.hsds.places import read_location
from wegweiser.directory.hsds.profile import (
    EXTENSION,
    HSDS_STATUSES,
    STATUS_TO_HSDS,
    THEME_TAXONOMY,
    merge_texts,
    theme_term_id,
)
from wegweiser.directory.hsds.values import (
    OfferPlan,
    Reading,
    Ref,
    apply,
    extension,
    text,
    translations,
)
from wegweiser.directory.models import Offer
from wegweiser.directory.validation import OfferInput, Problem, check_offer, main_language

SERVICE_FIELDS = {
    "id",
    "organization_id",
    "organization",
    "program_id",
    "program",
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees_description",
    "cost_options",
    "assured_date",
    "phones",
    "contacts",
    "schedules",
    "service_at_locations",
    "languages",
    "attributes",
    "funding",
    EXTENSION,
}


def read_service(r: Reading, obj: dict, path: str, owner: uuid.UUID | None) -> None:
    ext = extension(obj)
    own = ext is not None
    ext = ext or {}
    xp = f"{path}.{EXTENSION}"
    sid = r.ident(obj.get("id"), "service", f"{path}.id", own)
    r.unmapped(obj, SERVICE_FIELDS, path)
    r.check_owner(obj, "organization_id", owner, path)
    if isinstance(obj.get("organization"), dict):
        r.check_owner(obj["organization"], "id", owner, f"{path}.organization")
    status = _status(r, obj, ext, path, own)
    if own:
        modes = ext.get("modes")
        modes = [m for m in modes if isinstance(m, str)] if isinstance(modes, list) else []
        is_free = ext.get("is_free", True) is not False
        rnd = r.funding_round(ext.get("funding_round"), f"{xp}.funding_round", required=False)
    else:
        modes, is_free, rnd = [], _costs(r, obj, path), None
        for _rec, p in r.records(obj, "funding", path):
            r.warn(p, _("Angaben zur Finanzierung werden nicht übernommen (keine Förderrunde)."))
    themes, theme_paths = _themes(r, obj, path, own)
    languages, language_paths = _languages(r, obj, path, own)
    phone, phone_path = r.phone(obj, path)
    contact_name, contact_path = _contact(r, obj, path)
    values = OfferInput(
        name=merge_texts(text(obj, "name"), translations(ext.get("name"))),
        description=merge_texts(text(obj, "description"), translations(ext.get("description"))),
        themes=themes,
        languages=languages,
        modes=modes,
        is_free=is_free,
        cost_note=text(obj, "fees_description"),
        contact_name=contact_name,
        email=text(obj, "email"),
        phone=phone,
        website=text(obj, "url"),
        appointment_only=ext.get("appointment_only") is True,
        hours_note=text(ext, "hours_note"),
        last_verified=r.date(obj.get("assured_date"), f"{path}.assured_date"),
    )
    fields = {
        "themes": theme_paths,
        "languages": language_paths,
        "modes": [f"{xp}.modes[{i}]" for i in range(len(modes))],
        "email": f"{path}.email",
        "phone": phone_path,
        "website": f"{path}.url",
        "cost_note": f"{path}.fees_description",
        "contact_name": contact_path,
        "hours_note": f"{xp}.hours_note",
    }

    def where(problem: Problem) -> str:
        if problem.field in ("name", "description"):
            texts = getattr(values, problem.field)
            if problem.key == main_language(texts):
                return f"{path}.{problem.field}"
            return f"{xp}.{problem.field}.{problem.key}"
        place = fields[problem.field]
        return place[problem.key] if isinstance(place, list) else place

    values, problems = check_offer(values, complete=False)
    apply(values, r.judge(problems, where, own))
    offer = Offer(id=sid, organisation_id=owner, funding_round=rnd, status=status)
    values.apply_to(offer)
    program = None
    program_id = obj.get("program_id")
    if program_id in (None, "") and isinstance(obj.get("program"), dict):
        program_id = obj["program"].get("id")
    if program_id not in (None, ""):
        pid = r.ident(program_id, "program", f"{path}.program_id", own)
        if pid is not None:
            program = Ref(pid, f"{path}.program_id", own)
    schedules = r.records(obj, "schedules", path)
    hours = read_schedules(r, schedules, own)
    schedule_ids = {str(rec.get("id")) for rec, _p in schedules}
    locations: list[Ref] = []
    for rec, p in r.records(obj, "service_at_locations", path):
        ref = _placement(r, rec, p, owner, own, sid, schedule_ids)
        if ref is not None:
            if any(known.id == ref.id for known in locations):
                r.unfit(p, _("Der Ort ist dem Angebot schon zugeordnet."), own)
            else:
                locations.append(ref)
    if sid is not None:
        if sid in r.offers:
            r.error(f"{path}.id", _("Die ID %(id)s kommt doppelt vor.") % {"id": sid})
        else:
            r.offers[sid] = OfferPlan(offer, program, locations, hours, path, own)


def _status(r: Reading, obj: dict, ext: dict, path: str, own: bool) -> str:
    """Our status: the extension's, unless the HSDS field was changed after the export."""
    status = obj.get("status")
    if status not in HSDS_STATUSES:
        return Offer.INACTIVE  # reported by the structure check
    if not own:
        if status in ("defunct", "temporarily closed"):
            r.warn(
                f"{path}.status",
                _("Status „%(value)s“ wird als „eingestellt“ übernommen.") % {"value": status},
            )
        return Offer.PUBLISHED if status == "active" else Offer.INACTIVE
    ours = ext.get("status")
    if ours not in dict(Offer.STATUS_CHOICES):
        r.error(
            f"{path}.{EXTENSION}.status", _("Unbekannter Status „%(value)s“.") % {"value": ours}
        )
        return Offer.INACTIVE
    if STATUS_TO_HSDS[ours] != status:  # the HSDS field was changed after the export: it wins
        return Offer.PUBLISHED if status == "active" else Offer.INACTIVE
    return ours


def _contact(r: Reading, obj: dict, path: str) -> tuple[str, str]:
    """The first contact's name and its path; the others are reported."""
    contacts = r.records(obj, "contacts", path)
    if not contacts:
        return "", f"{path}.contacts"
    rec, p = contacts[0]
    r.unmapped(rec, {"id", "service_id", "name"}, p)
    for _rec, extra in contacts[1:]:
        r.warn(extra, _("Nur eine Ansprechperson wird übernommen."))
    return text(rec, "name"), f"{p}.name"


def _costs(r: Reading, obj: dict, path: str) -> bool:
    """Free unless a cost option has an amount, or there is only a text about fees."""
    paid = free = False
    for rec, p in r.records(obj, "cost_options", path):
        amount = rec.get("amount")
        if isinstance(amount, int | float) and not isinstance(amount, bool) and amount == 0:
            free = True
            continue
        paid = True
        r.warn(
            p,
            _(
                "Kostenoption „%(option)s“ (%(amount)s %(currency)s) wird nicht einzeln "
                "übernommen; das Angebot gilt als kostenpflichtig."
            )
            % {
                "option": rec.get("option") or "",
                "amount": amount if amount is not None else "",
                "currency": rec.get("currency") or "",
            },
        )
    if paid:
        return False
    return free or not obj.get("fees_description")


def _themes(r: Reading, obj: dict, path: str, own: bool) -> tuple[list[str], list[str]]:
    """The theme keys of the attributes of our taxonomy, with the path of each."""
    by_term = {str(theme_term_id(k)): k for k in vocabulary.THEMES}
    keys: list[str] = []
    paths: list[str] = []
    for rec, p in r.records(obj, "attributes", path):
        term = rec.get("taxonomy_term") if isinstance(rec.get("taxonomy_term"), dict) else {}
        detail = term.get("taxonomy_detail")
        detail = detail if isinstance(detail, dict) else {}
        taxonomy = term.get("taxonomy") or detail.get("name")
        if taxonomy == THEME_TAXONOMY:
            keys.append(str(term.get("code")))
            paths.append(f"{p}.taxonomy_term.code")
        elif str(rec.get("taxonomy_term_id")) in by_term:
            keys.append(by_term[str(rec["taxonomy_term_id"])])
            paths.append(f"{p}.taxonomy_term_id")
        else:
            r.warn(
                p,
                _(
                    "Merkmal aus der Taxonomie „%(taxonomy)s“ wird nicht übernommen; "
                    "Themen kommen aus „%(ours)s“."
                )
                % {"taxonomy": taxonomy or "?", "ours": THEME_TAXONOMY},
            )
    if not keys and not own:
        r.warn(
            f"{path}.attributes",
            _("Kein Thema aus „%(ours)s“: das Angebot erscheint in keinem Themenfilter.")
            % {"ours": THEME_TAXONOMY},
        )
    return keys, paths


def _languages(r: Reading, obj: dict, path: str, own: bool) -> tuple[list[str], list[str]]:
    """The language codes (from the name where there is none), with the path of each."""
    codes: list[str] = []
    paths: list[str] = []
    for rec, p in r.records(obj, "languages", path):
        r.unmapped(rec, {"id", "service_id", "code", "name"}, p)
        code = rec.get("code")
        if code in (None, ""):
            found = _language_by_name(rec.get("name"))
            if found is None:
                r.unfit(p, _("Sprache ohne Code wird nicht übernommen."), own)
                continue
            r.warn(
                p,
                _("Sprachcode „%(code)s“ aus dem Namen „%(name)s“ bestimmt.")
                % {"code": found, "name": rec.get("name")},
            )
            code = found
        codes.append(str(code))
        paths.append(f"{p}.code")
    return codes, paths


def _language_by_name(name: Any) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        lang = pycountry.languages.lookup(name.strip())
    except LookupError:
        return None
    return getattr(lang, "alpha_2", None) or lang.alpha_3


def _placement(
    r: Reading,
    rec: dict,
    path: str,
    owner: uuid.UUID | None,
    own: bool,
    sid: uuid.UUID | None,
    schedule_ids: set[str],
) -> Ref | None:
    r.unmapped(rec, {"id", "service_id", "location_id", "location", "schedules"}, path)
    if (
        rec.get("service_id") not in (None, "")
        and sid is not None
        and str(rec["service_id"]) != str(sid)
    ):
        r.error(f"{path}.service_id", _("Verweist auf ein anderes Angebot."))
    for sched, p in r.records(rec, "schedules", path):
        if str(sched.get("id")) not in schedule_ids:
            r.warn(p, _("Öffnungszeiten je Ort werden nicht übernommen (sie gelten je Angebot)."))
    embedded = rec.get("location") if isinstance(rec.get("location"), dict) else None
    ref = rec.get("location_id")
    if ref in (None, "") and embedded is not None:
        ref = embedded.get("id")
    if ref in (None, ""):
        r.error(f"{path}.location_id", _("Der Verweis auf den Ort fehlt."))
        return None
    lid = r.ident(ref, "location", f"{path}.location_id", own)
    if lid is None:
        return None
    if embedded is not None and lid not in r.locations and lid not in r.dropped_locations:
        read_location(r, embedded, f"{path}.location", owner)
    return Ref(lid, f"{path}.location_id", own)
