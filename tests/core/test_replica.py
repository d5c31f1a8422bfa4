"""The read-replica router (docs/scaling.md), with a second database alias.

The alias ``replica`` of the test settings mirrors the test database, so each query can be
seen on the connection it was sent to. With ``WEGWEISER_READ_REPLICA`` set, a visitor's GET
reads the catalogue and the directory from the replica and nothing else; a logged-in user, a
POST, and every private table stay on the primary; without the setting, nothing reaches it.
"""

from __future__ import annotations

import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

# committed data, and the two aliases as two connections (in a test transaction Django lets a
# mirror share the default connection)
pytestmark = pytest.mark.django_db(databases=["default", "replica"], transaction=True)

PUBLIC_TABLE = re.compile(r'FROM "(directory|programmes|organisations)_')
PRIVATE_TABLE = re.compile(r'FROM "(django_session|accounts|auth|cases|volunteers|funding|public)_')


def _queries(client_call):
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as default,
    ):
        response = client_call()
    return response, [q["sql"] for q in replica], [q["sql"] for q in default]


@pytest.fixture
def catalogue(db):
    from django.core.management import call_command

    call_command("load_catalogue", verbosity=0)


@pytest.mark.parametrize("path", ["/de/programme/", "/de/angebote/?postcode=60311"])
def test_a_visitor_s_public_reads_come_from_the_replica(client, settings, catalogue, path):
    settings.WEGWEISER_READ_REPLICA = "replica"
    response, replica, default = _queries(lambda: client.get(path))
    assert response.status_code == 200
    assert any(PUBLIC_TABLE.search(sql) for sql in replica), replica
    assert not any(PRIVATE_TABLE.search(sql) for sql in replica), replica
    assert not any(PUBLIC_TABLE.search(sql) for sql in default), default


def test_staff_and_writes_read_the_primary(client, settings, catalogue, django_user_model):
    settings.WEGWEISER_READ_REPLICA = "replica"
    user = django_user_model.objects.create_user("staff", password="x")  # noqa: S106
    client.force_login(user)
    response, replica, _ = _queries(lambda: client.get("/de/programme/"))
    assert response.status_code == 200 and replica == []
    client.logout()
    response, replica, _ = _queries(lambda: client.post("/de/selbstcheck/", {}))
    assert response.status_code < 500 and replica == []


def test_without_a_replica_nothing_reaches_the_second_alias(client, settings, catalogue):
    settings.WEGWEISER_READ_REPLICA = None
    response, replica, _ = _queries(lambda: client.get("/de/programme/"))
    assert response.status_code == 200 and replica == []


def test_nothing_is_migrated_on_the_replica_and_writes_go_to_the_primary():
    from django.db import router

    from wegweiser.programmes.models import Project

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.conf.settings.WEGWEISER_READ_REPLICA", "replica", raising=False)
        assert router.allow_migrate("replica", "programmes") is False
        assert router.db_for_write(Project) == "default"
