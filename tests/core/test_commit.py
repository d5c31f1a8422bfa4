"""`after_commit`: runs once the transaction has committed; a failure is logged by its name and
undoes nothing."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from wegweiser.core.commit import after_commit
from wegweiser.organisations.models import Organisation

ran: list[tuple] = []


def note(*args, **kwargs) -> None:
    ran.append((args, kwargs))


def refuse(reason: str) -> None:
    raise ConnectionRefusedError(reason)


@pytest.fixture(autouse=True)
def fresh():
    ran.clear()


@pytest.mark.django_db(transaction=True)
def test_runs_with_its_arguments_only_after_the_commit():
    with transaction.atomic():
        after_commit(note, 1, "zwei", drei=3)
        assert ran == []
    assert ran == [((1, "zwei"), {"drei": 3})]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_runs_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        after_commit(note, 1)
        raise RuntimeError
    assert ran == []


@pytest.mark.django_db(transaction=True)
def test_a_failure_is_logged_by_name_and_keeps_the_write(caplog):
    with caplog.at_level(logging.ERROR, logger="django.db.backends.base"), transaction.atomic():
        Organisation.objects.create(name="Nach dem Commit e. V.")
        after_commit(refuse, "kein Mailserver")
        after_commit(note, "danach")
    assert Organisation.objects.filter(name="Nach dem Commit e. V.").exists()
    assert ran == [(("danach",), {})]  # the next hook still runs
    [record] = caplog.records
    assert "Error calling refuse in on_commit()" in record.getMessage()
    assert "kein Mailserver" in record.getMessage()
