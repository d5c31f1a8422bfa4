"""References between the records of a document, and to the directory: parent organisations,
project partners and regions, an offer's project and places (docs/hsds.md, "Import")."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from wegweiser.directory.hsds.profile import EXTENSION
from wegweiser.directory.hsds.values import Reading
from wegweiser.directory.models import Location, Organisation, Project, Region


def resolve(r: Reading) -> None:
    """Resolve the references between the records read, and to the directory."""
    wanted_orgs: set[uuid.UUID] = set()
    for plan in r.orgs.values():
        if plan.parent:
            wanted_orgs.add(plan.parent.id)
    for pp in r.projects.values():
        wanted_orgs.update(ref.id for ref, _role in pp.partners)
    db_orgs = set(
        Organisation.objects.filter(id__in=wanted_orgs - set(r.orgs)).values_list("id", flat=True)
    )
    known_orgs = set(r.orgs) | db_orgs
    for plan in r.orgs.values():
        ref = plan.parent
        if ref is None:
            continue
        if ref.id in known_orgs:
            plan.org.parent_id = ref.id
        else:
            r.unfit(
                ref.path,
                _("Die Hauptorganisation %(id)s gibt es weder im Dokument noch im Verzeichnis.")
                % {"id": ref.id},
                ref.own,
            )
    check_cycles(r)
    regions = {
        ags
        for ags in Region.objects.filter(
            ags__in={a for pp in r.projects.values() for a in pp.regions}
        ).values_list("ags", flat=True)
    }
    for pp in r.projects.values():
        seen = set()
        for ref, _role in pp.partners:
            if ref.id not in known_orgs:
                r.error(
                    ref.path,
                    _("Die Organisation %(id)s gibt es weder im Dokument noch im Verzeichnis.")
                    % {"id": ref.id},
                )
            elif ref.id in seen:
                r.error(ref.path, _("Die Organisation ist schon Partner des Projekts."))
            seen.add(ref.id)
        for i, ags in enumerate(pp.regions):
            if ags not in regions:
                r.error(
                    f"{pp.path}.{EXTENSION}.regions[{i}]",
                    _("Unbekannte Region „%(value)s“.") % {"value": ags},
                )
    wanted_projects = {
        op.program.id for op in r.offers.values() if op.program and op.program.id not in r.projects
    }
    db_projects = set(Project.objects.filter(id__in=wanted_projects).values_list("id", flat=True))
    wanted_locations = {
        ref.id for op in r.offers.values() for ref in op.locations if ref.id not in r.locations
    }
    r.db_locations = {
        loc.id: loc
        for loc in Location.objects.filter(id__in=wanted_locations - r.dropped_locations)
    }
    for op in r.offers.values():
        if op.program is not None:
            ref = op.program
            if ref.id in r.projects or ref.id in db_projects:
                op.offer.project_id = ref.id
            elif ref.id in r.dropped_programs:
                r.warn(ref.path, _("Das Angebot wird ohne Projekt übernommen."))
            else:
                r.unfit(
                    ref.path,
                    _("Das Projekt %(id)s gibt es weder im Dokument noch im Verzeichnis.")
                    % {"id": ref.id},
                    ref.own,
                )
        kept = []
        for ref in op.locations:
            if ref.id in r.locations or ref.id in r.db_locations:
                kept.append(ref)
            elif ref.id in r.dropped_locations:
                r.warn(ref.path, _("Der Ort wurde nicht übernommen; das Angebot bleibt ohne ihn."))
            else:
                r.unfit(
                    ref.path,
                    _("Den Ort %(id)s gibt es weder im Dokument noch im Verzeichnis.")
                    % {"id": ref.id},
                    ref.own,
                )
        op.locations = kept
        if not op.own:
            # HSDS has no delivery mode; a service at a place is given there.
            op.offer.modes = ["in_person"] if kept else []


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
