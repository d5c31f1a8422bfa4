"""Reads an HSDS document into unsaved model objects (no writes): the shapes a document can
have, the structure check against the schemas, then the mapping of each record.

Accepted: our document (``{"organizations": [...]}``), a single HSDS organization, a list of them,
an HSDS API page (``{"contents": [...]}``) and services with an embedded ``organization``. Each
error is reported once per path, the first found (the structure check's before the mapping's).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from wegweiser.directory.hsds import organisations, places, references
from wegweiser.directory.hsds.offers import read_service
from wegweiser.directory.hsds.profile import HSDS_VERSION, merge_texts
from wegweiser.directory.hsds.schema import structure_errors
from wegweiser.directory.hsds.values import Item, Reading
from wegweiser.directory.import_writer import ImportBatch, OfferRecord, ProjectRecord
from wegweiser.organisations.models import Organisation, Region


class _Reader(Reading):
    """Reads and checks a whole document (:meth:`read`), then gives the batch to write."""

    merge_texts = staticmethod(merge_texts)

    def read(self, doc: Any) -> None:
        if not Region.objects.exists():
            self.error("", _("Die Regionen sind nicht geladen (Befehl load_regions)."))
        for item in self.items(doc):
            self.read_item(item)
        references.resolve(self)
        first: dict[str, str] = {}
        for path, message in self.errors:
            first.setdefault(path, message)
        self.errors = list(first.items())

    def items(self, doc: Any) -> list[Item]:
        if isinstance(doc, list):
            return self.group(doc, "")
        if not isinstance(doc, dict):
            self.error("", _("Erwartet wird ein HSDS-Dokument, eine Organisation oder eine Liste."))
            return []
        if "organizations" in doc:
            version = str(doc.get("hsds_version", doc.get("version", HSDS_VERSION)))
            if not version.startswith("3."):
                self.warn(
                    "hsds_version",
                    _("HSDS-Version %(version)s: erwartet wird 3.x.") % {"version": version},
                )
            if not isinstance(doc["organizations"], list):
                self.error("organizations", _("Hier wird eine Liste erwartet."))
                return []
            return self.group(doc["organizations"], "organizations")
        if isinstance(doc.get("contents"), list):
            return self.group(doc["contents"], "contents")
        if _is_service(doc):
            return self.group([doc], "", single="service")
        return self.group([doc], "", single="organization")

    def group(self, entries: list, base: str, single: str = "") -> list[Item]:
        """Organisations in input order; services with an embedded organisation join it. Each
        entry's structure is checked here, against the schema of what it is."""
        items: list[Item] = []
        by_id: dict[str, Item] = {}
        for i, entry in enumerate(entries):
            path = single or f"{base}[{i}]"
            if not isinstance(entry, dict):
                self.error(path, _("Hier wird ein Objekt erwartet."))
                continue
            kind = "service" if _is_service(entry) else "organization"
            self.errors += structure_errors(entry, kind, path)
            if kind == "organization":
                item = Item(entry, path)
                items.append(item)
                by_id.setdefault(str(entry.get("id")), item)
                continue
            org = entry.get("organization")
            if not isinstance(org, dict):
                self.error(
                    f"{path}.organization",
                    _("Ein Angebot ohne eingebettete Organisation kann nicht zugeordnet werden."),
                )
                continue
            item = by_id.get(str(org.get("id")))
            if item is None:
                item = Item(org, f"{path}.organization")
                items.append(item)
                by_id[str(org.get("id"))] = item
            item.services.append((entry, path))
        return items

    def read_item(self, item: Item) -> None:
        """An organisation with its programs, places and services."""
        obj, path = item.org, item.path
        oid = organisations.read_organisation(self, obj, path)
        for rec, p in self.records(obj, "programs", path):
            organisations.read_program(self, rec, p, oid)
        for rec, p in self.records(obj, "locations", path):
            places.read_location(self, rec, p, oid)
        for rec, p in self.records(obj, "services", path) + item.services:
            read_service(self, rec, p, oid)

    def batch(self) -> ImportBatch:
        """What the import writer writes (after :meth:`read` found no error)."""
        stored = {**self.db_locations, **self.locations}
        return ImportBatch(
            source="hsds",
            organisations=sorted((p.org for p in self.orgs.values()), key=self.depth),
            projects=[
                ProjectRecord(
                    plan.project, [(ref.id, role) for ref, role in plan.partners], plan.regions
                )
                for plan in self.projects.values()
            ],
            locations=list(self.locations.values()),
            offers=[
                OfferRecord(plan.offer, [stored[ref.id] for ref in plan.locations], plan.hours)
                for plan in self.offers.values()
            ],
        )

    def depth(self, org: Organisation) -> int:
        depth, current = 0, org.parent_id
        while current in self.orgs and depth < len(self.orgs):
            depth += 1
            current = self.orgs[current].org.parent_id
        return depth


def _is_service(obj: dict) -> bool:
    return "status" in obj or isinstance(obj.get("organization"), dict)
