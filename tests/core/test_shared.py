"""Shared reads (``core.shared``): kept per process, forgotten at once by the process that
changes the data, by another process when they expire."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.public.test_derived import DARMSTADT, GIESSEN_STADT, KASSEL, projects  # noqa: F401 (fixture)
from wegweiser.accounts.models import Membership, Role
from wegweiser.accounts.recipients import receives_requests, receiving_organisation_ids
from wegweiser.core import shared
from wegweiser.core.shared import forget, forget_all
from wegweiser.directory.models import Offer
from wegweiser.directory.selectors import round_id_map, round_ids
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import FundingRound, Project
from wegweiser.programmes.selectors import refugee_project_regions, refugee_project_serves


def _queries(fn) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as ctx:
        value = fn()
    return value, len(ctx.captured_queries)


def test_a_kept_answer_costs_no_query_and_equals_the_database(projects):  # noqa: F811
    day = timezone.localdate()
    first, n_first = _queries(lambda: refugee_project_serves([DARMSTADT], day))
    again, n_again = _queries(lambda: refugee_project_serves([KASSEL], day))
    assert (first, again) == (True, True)
    assert (n_first, n_again) == (1, 0)
    assert refugee_project_regions(day) == refugee_project_regions.uncached(day)


def test_a_change_in_this_process_is_seen_at_once(projects):  # noqa: F811
    day = timezone.localdate()
    assert refugee_project_serves([DARMSTADT], day)
    assert refugee_project_serves([GIESSEN_STADT], day)
    Project.objects.get(name="WIR Darmstadt").regions.set([KASSEL])  # many-to-many
    assert not refugee_project_serves([DARMSTADT], day)
    project = Project.objects.get(name="WIR Stadt Gießen")
    project.end = day - dt.timedelta(days=1)
    project.save()
    assert not refugee_project_serves([GIESSEN_STADT], day)


def test_a_change_elsewhere_is_seen_when_the_answer_expires(projects):  # noqa: F811
    """``QuerySet.update`` sends no signal, like a write of another server process."""
    day = timezone.localdate()
    assert refugee_project_serves([DARMSTADT], day)
    Project.objects.filter(name="WIR Darmstadt").update(end=day - dt.timedelta(days=1))
    assert refugee_project_serves([DARMSTADT], day)  # kept (at most the configured seconds)
    forget("refugee-project-regions")  # what expiry does
    assert not refugee_project_serves([DARMSTADT], day)


def test_nothing_is_kept_with_zero_seconds(projects, settings):  # noqa: F811
    settings.WEGWEISER_SHARED_READ_SECONDS = 0
    day = timezone.localdate()
    refugee_project_serves([DARMSTADT], day)
    _, n = _queries(lambda: refugee_project_serves([DARMSTADT], day))
    assert n == 1


def test_round_ids_follow_the_rounds(catalogue_loaded):
    rnd = FundingRound.objects.select_related("programme").first()
    key = f"{rnd.programme.key}/{rnd.key}"
    assert round_ids([key, "no/such-round"]) == frozenset({rnd.pk})
    assert round_id_map() == round_id_map.uncached()
    _, n = _queries(lambda: round_ids([key]))
    assert n == 0


@pytest.mark.django_db
def test_the_contact_form_follows_the_counsellors_at_once():
    org = Organisation.objects.create(name="Beratung (Test)", kind="beratungsstelle")
    user = get_user_model().objects.create_user("berater-shared", password="x" * 16)
    assert receiving_organisation_ids([org.pk]) == set()
    Membership.objects.create(user=user, organisation=org, role=Role.COUNSELLOR)
    assert receiving_organisation_ids([org.pk]) == {org.pk}
    user.is_active = False
    user.save()
    assert receiving_organisation_ids([org.pk]) == set()
    assert not receives_requests(org)  # the decision to send one reads the database itself


# --- the offers as result lists show them (directory.selectors, SharedObjects) ------------------

FRANKFURT_POINT = {"lat": 50.1109, "lon": 8.6821, "radius_km": 100}


def _nearest(n: int = 5):
    from wegweiser.directory.selectors import OfferQuery, search_offers

    return search_offers(OfferQuery(**FRANKFURT_POINT, sort="distance", page_size=n))


@pytest.mark.parametrize(
    "in_process", [True, False], ids=["ranked in the process", "by the database"]
)
def test_the_listed_offers_are_loaded_once(demo_directory, settings, in_process):
    if not in_process:
        settings.WEGWEISER_AROUND_IN_PROCESS_MAX = 0  # the search is a query each time
    first, n_first = _queries(_nearest)
    again, n_again = _queries(_nearest)
    assert [h.offer.pk for h in again.hits] == [h.offer.pk for h in first.hits]
    assert len(first.hits) == 5
    # neither the offers nor their places again (nor, in the process, the points)
    assert n_again == (0 if in_process else n_first - 3)
    assert [h.offer.title for h in again.hits] == [
        Offer.objects.get(pk=h.offer.pk).title for h in again.hits
    ]


def test_a_page_marking_an_offer_does_not_mark_another_requests(demo_directory):
    first = _nearest()
    first.hits[0].offer.receives_requests = True
    assert not hasattr(_nearest().hits[0].offer, "receives_requests")


def test_an_edited_offer_is_listed_anew_at_once(demo_directory):
    offer = _nearest().hits[0].offer
    kept = Offer.objects.get(pk=offer.pk)
    kept.name = {**kept.name, "de": "Neu benannt (Test)"}
    kept.save()
    assert _nearest().hits[0].offer.title == "Neu benannt (Test)"


def test_a_bulk_write_is_listed_after_forget_all(demo_directory):
    """``QuerySet.update`` and ``bulk_create`` send no signal: the importers and the demo
    directory call ``forget_all`` (another process's write shows when the objects expire)."""
    offer = _nearest().hits[0].offer
    Offer.objects.filter(pk=offer.pk).update(name={"de": "Im Stapel geändert (Test)"})
    assert _nearest().hits[0].offer.title != "Im Stapel geändert (Test)"
    forget_all()
    assert _nearest().hits[0].offer.title == "Im Stapel geändert (Test)"


def test_the_search_forms_programmes_follow_a_renamed_programme(catalogue_loaded, regions_loaded):
    from wegweiser.directory.forms import OfferSearchForm
    from wegweiser.programmes.models import Programme

    first = dict(OfferSearchForm().fields["programme"].choices)
    _, n = _queries(lambda: OfferSearchForm().fields["programme"].choices)
    assert n == 0
    programme = Programme.objects.get(key="wir")
    assert first["wir"] == programme.name["de"]
    programme.name = {**programme.name, "de": "WIR (umbenannt, Test)"}
    programme.save()
    assert dict(OfferSearchForm().fields["programme"].choices)["wir"] == "WIR (umbenannt, Test)"


def test_the_offer_page_is_kept_for_visitors_and_follows_a_change(demo_directory, client):
    offer = Offer.objects.filter(status=Offer.PUBLISHED).order_by("sort_name").first()
    url = offer.get_absolute_url()
    first, n_first = _queries(lambda: client.get(url))
    again, n_again = _queries(lambda: client.get(url))
    assert first.status_code == again.status_code == 200
    assert offer.title in again.content.decode()
    assert n_again < n_first
    offer.name = {**offer.name, "de": "Neu auf der Angebotsseite (Test)"}
    offer.save()
    assert "Neu auf der Angebotsseite (Test)" in client.get(url).content.decode()
    offer.status = Offer.DRAFT
    offer.save()
    assert client.get(url).status_code == 404


def test_a_deleted_offer_leaves_its_kept_page_at_once(demo_directory, client):
    offer = Offer.objects.filter(status=Offer.PUBLISHED).order_by("sort_name").first()
    url = offer.get_absolute_url()
    assert client.get(url).status_code == 200
    Offer.objects.filter(pk=offer.pk).delete()
    assert client.get(url).status_code == 404


# --- kept objects verified, not expired (core.shared.SharedObjects, SharedStamp) ----------------


def _stamp_reads_only(queries) -> bool:
    sqls = [q["sql"] for q in queries.captured_queries]
    return bool(sqls) and all("wegweiser_shared_stamp" in sql for sql in sqls)


def test_past_its_seconds_an_unchanged_store_costs_one_read_of_its_counters(
    demo_directory, settings
):
    settings.WEGWEISER_SHARED_READ_SECONDS = 1
    first = _nearest()
    time.sleep(1.1)
    again, n_again = _queries(_nearest)
    assert [h.offer.pk for h in again.hits] == [h.offer.pk for h in first.hits]
    with CaptureQueriesContext(connection) as queries:
        _nearest()  # the same objects, verified: not even the counters again within the second
    assert n_again == 2 and not queries.captured_queries  # the points' and the offers' counters
    time.sleep(1.1)
    with CaptureQueriesContext(connection) as queries:
        _nearest()
    assert _stamp_reads_only(queries)


def test_a_change_in_another_process_is_seen_after_the_seconds(demo_directory, settings):
    """Another process's save raises the offers' counter after its commit (here: the same
    statement, after a write that sent no signal in this one)."""
    settings.WEGWEISER_SHARED_READ_SECONDS = 1
    offer = _nearest().hits[0].offer
    Offer.objects.filter(pk=offer.pk).update(name={"de": "Anderswo geändert (Test)"})
    shared._raise_now(["directory.offer"])
    assert _nearest().hits[0].offer.title != "Anderswo geändert (Test)"  # within the second
    time.sleep(1.1)
    assert _nearest().hits[0].offer.title == "Anderswo geändert (Test)"


def test_a_write_without_signal_or_counter_is_seen_after_the_hard_limit(
    demo_directory, settings, monkeypatch
):
    settings.WEGWEISER_SHARED_READ_SECONDS = 1
    monkeypatch.setattr(shared, "HARD_LIMIT_FACTOR", 2)
    monkeypatch.setattr(shared, "HARD_LIMIT_SPREAD", 0)  # each read afresh after exactly 2 s
    offer = _nearest().hits[0].offer
    Offer.objects.filter(pk=offer.pk).update(name={"de": "Ohne Signal geändert (Test)"})
    time.sleep(1.1)
    assert _nearest().hits[0].offer.title != "Ohne Signal geändert (Test)"  # verified, kept
    time.sleep(1.0)
    assert _nearest().hits[0].offer.title == "Ohne Signal geändert (Test)"


def test_a_save_raises_its_models_counter_after_the_commit(
    demo_directory, django_capture_on_commit_callbacks
):
    offer = Offer.objects.filter(status=Offer.PUBLISHED).first()
    before = shared.counters(["directory.offer", "directory.location"])
    with django_capture_on_commit_callbacks(execute=False) as pending:
        offer.save()
    assert shared.counters(["directory.offer"]) == before[:1]  # not before the commit
    for callback in pending:
        callback()
    assert shared.counters(["directory.offer", "directory.location"]) == (before[0] + 1, before[1])


def test_forget_all_raises_every_counter_and_tells_no_one_when_asked_not_to(
    demo_directory, django_capture_on_commit_callbacks
):
    labels = sorted(shared._stamped)
    assert {"directory.offer", "directory.offerlocation", "directory.location"} <= set(labels)
    before = shared.counters(labels)
    with django_capture_on_commit_callbacks(execute=True):
        forget_all(others=False)
    assert shared.counters(labels) == before
    with django_capture_on_commit_callbacks(execute=True):
        forget_all()
    assert shared.counters(labels) == tuple(n + 1 for n in before)


_NAMES = shared.SharedObjects("test-organisation-names", Organisation)


def _names(pks) -> dict:
    return _NAMES.get_many(
        pks,
        lambda missing: dict(Organisation.objects.filter(pk__in=missing).values_list("pk", "name")),
    )


def test_a_change_is_seen_within_the_seconds_of_the_reading_before_it(demo_directory, settings):
    """What expires after the counters were read is trusted only until the next reading, not
    for another full interval (else a change could take twice the seconds)."""
    settings.WEGWEISER_SHARED_READ_SECONDS = 1
    first, second = Organisation.objects.order_by("pk").values_list("pk", flat=True)[:2]
    _names([first])
    time.sleep(0.5)
    _names([second])
    time.sleep(0.65)  # the first expired: the counters are read, trusted for a second
    _names([first])
    Organisation.objects.filter(pk=second).update(name="Anderswo umbenannt (Test)")
    shared._raise_now(["organisations.organisation"])  # another process's commit
    time.sleep(0.5)  # the second expired: trusted only until the reading's second ends
    assert _names([second])[second] != "Anderswo umbenannt (Test)"
    time.sleep(0.6)
    assert _names([second])[second] == "Anderswo umbenannt (Test)"


def test_past_its_hard_limit_an_object_is_read_afresh_alone(demo_directory, settings, monkeypatch):
    """Past its hard limit an object is read again by itself (a write without signal shows);
    the others stay kept and the store keeps its generation."""
    settings.WEGWEISER_SHARED_READ_SECONDS = 1
    monkeypatch.setattr(shared, "HARD_LIMIT_FACTOR", 2)
    monkeypatch.setattr(shared, "HARD_LIMIT_SPREAD", 0)
    first, second = Organisation.objects.order_by("pk").values_list("pk", flat=True)[:2]
    _names([first])
    generation = _NAMES.generation
    time.sleep(1.1)
    _names([second])  # read a second later: its hard limit is a second later too
    Organisation.objects.filter(pk__in=[first, second]).update(name="Ohne Signal (Test)")
    assert _names([first, second]) != {first: "Ohne Signal (Test)", second: "Ohne Signal (Test)"}
    time.sleep(1.0)
    names, n = _queries(lambda: _names([first, second]))
    assert names[first] == "Ohne Signal (Test)"  # past its limit: read afresh
    assert names[second] != "Ohne Signal (Test)"  # within its limit: kept
    assert n <= 2  # the first one's reading (and the counters', if due)
    assert _NAMES.generation == generation


def test_objects_read_together_reach_their_hard_limits_spread_out(demo_directory, settings):
    """Objects read in one go (a process's first requests) are read afresh each at its own time,
    between half and the whole hard limit: not all at once, which rendered ~900 offer pages
    again in the same second every five minutes."""
    settings.WEGWEISER_SHARED_READ_SECONDS = 30
    pks = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    assert len(pks) >= 20
    before = time.monotonic()
    _names(pks)
    after = time.monotonic()
    hard = 30 * shared.HARD_LIMIT_FACTOR
    deadlines = [_NAMES._items[pk][2] for pk in pks]
    assert all(before + hard * 0.5 <= d <= after + hard for d in deadlines)
    assert max(deadlines) - min(deadlines) > hard * 0.1  # spread, not one moment


def test_an_offer_page_shows_a_write_without_signal_after_the_offers_hard_limit(
    client, demo_directory, settings, monkeypatch
):
    """The rendered page is kept per reading of its offer: when the offer is read afresh alone
    (past its hard limit, the store's generation unchanged), the page is rendered afresh."""
    settings.WEGWEISER_SHARED_READ_SECONDS = 1
    monkeypatch.setattr(shared, "HARD_LIMIT_FACTOR", 2)
    monkeypatch.setattr(shared, "HARD_LIMIT_SPREAD", 0)
    offer = Offer.objects.filter(status=Offer.PUBLISHED).order_by("sort_name").first()
    url = offer.get_absolute_url()
    assert client.get(url.replace("/de/", "/en/", 1)).status_code == 200  # the offer read
    time.sleep(1.1)
    assert client.get(url).status_code == 200  # the German page rendered a second later
    Offer.objects.filter(pk=offer.pk).update(name={"de": "Ohne Signal umbenannt (Test)"})
    assert "Ohne Signal umbenannt (Test)" not in _article(client, url)  # kept
    time.sleep(1.0)  # the offer past its limit, the German page not yet
    assert "Ohne Signal umbenannt (Test)" in _article(client, url)


def _article(client, url: str) -> str:
    """The page's content (the kept article), without the title the layout writes each time."""
    return client.get(url).content.decode().split("<main", 1)[1]


_FEW = shared.SharedObjects("test-few-names", Organisation, limit=3)


def _few(pks) -> dict:
    return _FEW.get_many(
        pks,
        lambda missing: dict(Organisation.objects.filter(pk__in=missing).values_list("pk", "name")),
    )


def test_a_full_store_drops_what_is_past_its_hard_limit_first(
    demo_directory, settings, monkeypatch
):
    """At its limit a store drops the objects past their hard limit (the offer pages' content
    keyed by an earlier reading of its offer is never asked again) before starting afresh."""
    settings.WEGWEISER_SHARED_READ_SECONDS = 1
    monkeypatch.setattr(shared, "HARD_LIMIT_FACTOR", 2)
    monkeypatch.setattr(shared, "HARD_LIMIT_SPREAD", 0)
    p1, p2, p3, p4 = Organisation.objects.order_by("pk").values_list("pk", flat=True)[:4]
    _few([p1])
    time.sleep(2.1)  # p1 past its hard limit
    _few([p2, p3])
    _few([p4])  # full: p1 goes, p2 and p3 stay
    assert set(_FEW._items) == {p2, p3, p4}
    _, n = _queries(lambda: _few([p2, p3]))
    assert n == 0
