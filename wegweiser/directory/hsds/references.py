"""References between the records of a document, and to the directory: parent organisations,
project partners and regions, an offer's project and places (docs/hsds.md, "Import")."""

from __future__ import annotations

import uuid
from collections.abc import Container

from django.utils.translation import gettext as _

from wegweiser.directory.hsds.profile import EXTENSION
from wegweiser.directory.hsds.values import Reading, Ref
from wegweiser.directory.models import Location
from wegweiser.organisations.models import Organisation, Region
from wegweiser.programmes.models import Project


def resolve(r: Reading) -> None:
    """Resolve the references between the records read, and to the directory."""
    known_orgs = _organisations(r)
    check_cycles(r)
    _projects(r, known_orgs)
    _offers(r)


def _found(
    r: Reading,
    ref: Ref,
    known,
    missing: str,
    dropped: Container = (),
    dropped_message: str = "",
) -> bool:
    """Whether ``ref`` resolves; if not, a warning for a record left out, else ``missing`` (an
    error in our data, a warning in another publisher's)."""
    if ref.id in known:
        return True
    if ref.id in dropped:
        r.warn(ref.path, dropped_message)
    else:
        r.unfit(ref.path, missing % {"id": ref.id}, ref.own)
    return False


def _organisations(r: Reading) -> set[uuid.UUID]:
    """Parents (in the document or the directory); returns every organisation known."""
    wanted: set[uuid.UUID] = {plan.parent.id for plan in r.orgs.values() if plan.parent}
    for pp in r.projects.values():
        wanted.update(ref.id for ref, _role in pp.partners)
    stored = Organisation.objects.filter(id__in=wanted - set(r.orgs)).values_list("id", flat=True)
    known = set(r.orgs) | set(stored)
    missing = _("Die Hauptorganisation %(id)s gibt es weder im Dokument noch im Verzeichnis.")
    for plan in r.orgs.values():
        if plan.parent is not None and _found(r, plan.parent, known, missing):
            plan.org.parent_id = plan.parent.id
    return known


def _projects(r: Reading, known_orgs: set[uuid.UUID]) -> None:
    """Partners and regions of the projects."""
    wanted = {a for pp in r.projects.values() for a in pp.regions}
    regions = set(Region.objects.filter(ags__in=wanted).values_list("ags", flat=True))
    missing = _("Die Organisation %(id)s gibt es weder im Dokument noch im Verzeichnis.")
    for pp in r.projects.values():
        seen = set()
        for ref, _role in pp.partners:
            if _found(r, ref, known_orgs, missing) and ref.id in seen:
                r.error(ref.path, _("Die Organisation ist schon Partner des Projekts."))
            seen.add(ref.id)
        for i, ags in enumerate(pp.regions):
            if ags not in regions:
                r.error(
                    f"{pp.path}.{EXTENSION}.regions[{i}]",
                    _("Unbekannte Region „%(value)s“.") % {"value": ags},
                )


def _offers(r: Reading) -> None:
    """The project and the places of each offer."""
    wanted = {op.program.id for op in r.offers.values() if op.program} - set(r.projects)
    projects = set(r.projects) | set(
        Project.objects.filter(id__in=wanted).values_list("id", flat=True)
    )
    wanted = {ref.id for op in r.offers.values() for ref in op.locations} - set(r.locations)
    r.db_locations = {
        loc.id: loc for loc in Location.objects.filter(id__in=wanted - r.dropped_locations)
    }
    places = set(r.locations) | set(r.db_locations)
    for op in r.offers.values():
        if op.program is not None and _found(
            r,
            op.program,
            projects,
            _("Das Projekt %(id)s gibt es weder im Dokument noch im Verzeichnis."),
            r.dropped_programs,
            _("Das Angebot wird ohne Projekt übernommen."),
        ):
            op.offer.project_id = op.program.id
        op.locations = [
            ref
            for ref in op.locations
            if _found(
                r,
                ref,
                places,
                _("Den Ort %(id)s gibt es weder im Dokument noch im Verzeichnis."),
                r.dropped_locations,
                _("Der Ort wurde nicht übernommen; das Angebot bleibt ohne ihn."),
            )
        ]
        if not op.own:
            # HSDS has no delivery mode; a service at a place is given there.
            op.offer.modes = ["in_person"] if op.locations else []


def check_cycles(r: Reading) -> None:
    """Parent organisations must not form a cycle."""
    for start, plan in r.orgs.items():
        seen = {start}
        current = plan.org.parent_id
        while current is not None and current in r.orgs:
            if current in seen:
                r.error(
                    f"{plan.path}.parent_organization_id",
                    _("Die Hauptorganisationen bilden einen Kreis."),
                )
                break
            seen.add(current)
            current = r.orgs[current].org.parent_id
