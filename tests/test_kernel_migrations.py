"""The shared kernel (issue 12) moved models between apps without moving data: a database
migrated by the code before the move keeps its rows, its tables and the audit log's trigger.

The test migrates the test database back to the state before the move, writes rows with the
models as they were then (``directory.Organisation`` …, ``cases.AuditEntry``), migrates forward
and reads them through the models as they are now. On PostgreSQL it also checks that the
append-only trigger still refuses an UPDATE.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

#: The last migration of each app before the move (the code of ba2dbbf).
BEFORE = [
    ("programmes", "0001_catalogue"),
    ("directory", "0003_search_table"),
    ("accounts", "0003_membership_role_offer_editor"),
    ("cases", "0005_referral_receiver_case"),
    ("public", "0002_contactrequest_related_names"),
    ("organisations", None),
    ("audit", None),
]


def _old_rows(apps) -> dict:
    """Rows written with the models as they were before the move."""
    line = apps.get_model("programmes", "FundingLine").objects.create(key="esf", name={"de": "E"})
    programme = apps.get_model("programmes", "Programme").objects.create(
        key="wir",
        name={"de": "WIR"},
        summary={"de": "s"},
        target_group={"de": "t"},
        funder="BMAS",
        administering_authority="BAS",
        funding_line=line,
        source_file="wir.yaml",
    )
    rnd = apps.get_model("programmes", "FundingRound").objects.create(
        programme=programme,
        key="wir-2022",
        name={"de": "2022"},
        start=dt.date(2022, 1, 1),
        funder="BMAS",
        administering_authority="BAS",
        funding_line=line,
        catalogue_version="x",
    )
    region = apps.get_model("directory", "Region").objects.create(
        ags="06431", name="Bergstraße", label="Landkreis Bergstraße", kind="landkreis",
        land_ags="06", land="Hessen", lat=49.6, lon=8.6,
    )  # fmt: skip
    organisation = apps.get_model("directory", "Organisation")
    carrier = organisation.objects.create(name="Träger (alt)", kind="verein")
    branch = organisation.objects.create(name="Zweigstelle (alt)", kind="verein", parent=carrier)
    project = apps.get_model("directory", "Project").objects.create(
        name="Netzwerk (alt)", funding_round=rnd, carrier=carrier, start=dt.date(2022, 1, 1)
    )
    project.regions.add(region)
    apps.get_model("directory", "ProjectPartner").objects.create(
        project=project, organisation=branch, role="partner"
    )
    entry = apps.get_model("cases", "AuditEntry").objects.create(
        organisation=carrier, action="view", object_type="organisation", object_id=str(carrier.pk)
    )
    return {"carrier": carrier.pk, "branch": branch.pk, "project": project.pk, "entry": entry.pk}


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_code_before_the_move_keeps_its_rows():
    from wegweiser.audit.models import AuditEntry
    from wegweiser.organisations.models import Organisation, Region
    from wegweiser.programmes.models import Project

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    old = executor.loader.project_state([n for n in BEFORE if n[1]]).apps
    ids = _old_rows(old)

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    carrier = Organisation.objects.get(pk=ids["carrier"])
    assert [b.pk for b in carrier.branches.all()] == [ids["branch"]]
    project = Project.objects.get(pk=ids["project"])
    assert project.carrier == carrier
    assert [o.pk for o in project.partners.all()] == [ids["branch"]]
    assert list(project.regions.all()) == [Region.objects.get(ags="06431")]
    assert project.memberships.get().role == "partner"
    entry = AuditEntry.objects.get(pk=ids["entry"])
    assert (entry.organisation, entry.object_type) == (carrier, "organisation")
    if connection.vendor == "postgresql":
        refused = pytest.raises(DatabaseError, match="append-only")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cases_auditentry SET action = 'export' WHERE id = %s", [entry.pk]
            )
