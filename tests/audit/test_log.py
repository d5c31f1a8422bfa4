"""The audit app: any model as the subject, the allow-list registered per app, reads once per
request, model names unique."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import isolate_apps

from wegweiser.audit import checks, detail, reads, selectors
from wegweiser.audit.models import AuditAction, AuditEntry
from wegweiser.audit.services import audit
from wegweiser.organisations.models import Organisation


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Träger A", kind="verein")


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("pruefer", password="x")


def test_any_model_can_be_the_subject(organisation, user):
    about_org = audit(actor=user, organisation=organisation, action="update", obj=organisation)
    about_user = audit(actor=user, organisation=None, action="update", obj=user)
    assert (about_org.object_type, about_org.object_id) == ("organisation", str(organisation.pk))
    assert (about_user.object_type, about_user.object_id) == ("user", str(user.pk))
    assert about_org.participant_id is None
    rows = selectors.readable([about_org, about_user], {})
    assert [r.object_label for r in rows] == ["Organisation", "Benutzer"]
    assert [r.pseudonym for r in rows] == ["", ""]
    assert selectors.subject_label("gone") == "gone"


def _request_reading(organisation, user, objects):
    """One request through the middleware whose view logs a read of each of ``objects``."""

    def view(request):
        for obj in objects:
            reads.read(actor=user, organisation=organisation, obj=obj)
        return HttpResponse()

    return reads.ReadsOncePerRequest(view)(RequestFactory().get("/"))


def test_a_read_is_logged_once_per_request(organisation, user):
    _request_reading(organisation, user, [organisation, organisation, user, organisation])
    logged = list(AuditEntry.objects.values_list("action", "object_type").order_by("id"))
    assert logged == [("view", "organisation"), ("view", "user")]
    _request_reading(organisation, user, [organisation])  # the next request logs again
    assert AuditEntry.objects.filter(object_type="organisation").count() == 2


def test_outside_a_request_every_read_is_logged(organisation, user):
    reads.read(actor=user, organisation=organisation, obj=organisation)
    reads.read(actor=user, organisation=organisation, obj=organisation)
    reads.read(actor=user, organisation=organisation, obj=organisation, action=AuditAction.EXPORT)
    assert AuditEntry.objects.count() == 3


def test_a_key_belongs_to_the_app_that_registered_it():
    detail.register("audit", {"fields": detail.list_of(detail.matches(r"[a-z_]+"))})  # again
    with pytest.raises(ImproperlyConfigured):
        detail.register("volunteers", {"fields": detail.is_bool})
    with pytest.raises(ValueError):
        detail.check_detail({"not_registered": True})
    detail.check_detail({"fields": ["email"], "reason_recorded": True})


def _model(name: str, app_label: str) -> type:
    meta = type("Meta", (), {"app_label": app_label})
    return type(name, (models.Model,), {"__module__": __name__, "Meta": meta})


@isolate_apps("wegweiser.audit", "wegweiser.organisations")
def test_two_models_of_one_name_are_an_error():
    visit, other_visit = _model("Visit", "audit"), _model("Visit", "organisations")
    errors = checks.shared_model_names([visit, other_visit, _model("Stay", "audit")])
    assert [e.id for e in errors] == ["audit.E001"]
    assert "audit.Visit, organisations.Visit" in errors[0].msg
    assert checks.model_names_unique() == []  # the installed apps
