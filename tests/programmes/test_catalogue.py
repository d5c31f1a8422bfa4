"""The catalogue in the database, its public pages and the admin."""

from __future__ import annotations

import shutil

import pytest
from django.core.management import CommandError, call_command

from wegweiser.eligibility.catalogue import DEFAULT_CATALOGUE_DIR, load_catalogue
from wegweiser.programmes.models import FundingRound, Programme

pytestmark = pytest.mark.django_db


def test_load_catalogue_stores_every_round(catalogue_loaded):
    cat = load_catalogue()
    stored = {str(r) for r in FundingRound.objects.all()}
    assert stored == {r.key for r in cat.rounds}
    ikmk = Programme.objects.get(key="integrationskurs-mit-kind")
    assert ikmk.is_ended()
    ww2 = FundingRound.objects.get(programme__key="win-win", key="win-win-2")
    assert ww2.is_assumed("start") and ww2.catalogue_version == cat.version
    assert any("Kapitel 2 Abschnitt 5" in rule["text"]["de"] for rule in ww2.rules)


def test_load_is_idempotent(catalogue_loaded):
    before = FundingRound.objects.count()
    call_command("load_catalogue", verbosity=0)
    assert FundingRound.objects.count() == before


def test_invalid_catalogue_changes_nothing(catalogue_loaded, tmp_path):
    broken = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_CATALOGUE_DIR, broken)
    path = broken / "jmd.yaml"
    path.write_text(path.read_text().replace("{fact: age, gte: 12}", "{fact: alter, gte: 12}"))
    before = list(FundingRound.objects.values_list("id", "catalogue_version"))
    with pytest.raises(CommandError, match="jmd.yaml, rule 'age-12-26': unknown fact 'alter'"):
        call_command("load_catalogue", catalogue=str(broken), verbosity=0)
    assert list(FundingRound.objects.values_list("id", "catalogue_version")) == before


def test_removed_round_is_deleted(catalogue_loaded, tmp_path):
    changed = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_CATALOGUE_DIR, changed)
    index = changed / "index.yaml"
    index.write_text(index.read_text().replace("  - hessen-lotsen\n", ""))
    (changed / "hessen-lotsen.yaml").unlink()
    call_command("load_catalogue", catalogue=str(changed), verbosity=0)
    assert not Programme.objects.filter(key="hessen-lotsen").exists()


def test_public_programme_pages(client, catalogue_loaded):
    response = client.get("/de/programme/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Win-Win – Durch Kooperation zur Integration" in html
    assert html.count("beendet") >= 1
    detail = client.get("/de/programme/win-win/").content.decode()
    assert "Kapitel 2 Abschnitt 5 AufenthG" in detail
    # sources by title and link; our own working material (seeds, decisions) and ids never
    assert ">esfplus.de: Win-Win</a>" in detail
    assert 'href="https://www.gesetze-im-internet.de/aufenthg_2004/"' in detail
    assert "Seed 001" not in detail and "S46" not in detail
    assert "<code>win-win-2</code>" not in detail and "2. Förderrunde (2025–2028)" in detail
    assert "angenommen" not in detail  # assumed markers are for administrators
    english = client.get("/en/programme/win-win/").content.decode()
    assert "Win-Win – integration through cooperation" in english
    assert client.get("/de/programme/nope/").status_code == 404


def test_root_redirects_to_the_offer_search(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/de/angebote/"


def test_staff_see_assumed_markers_and_read_only_admin(client, catalogue_loaded, admin_user):
    client.force_login(admin_user)
    detail = client.get("/de/programme/win-win/").content.decode()
    assert "angenommen" in detail
    rnd = FundingRound.objects.get(key="win-win-2")
    page = client.get(f"/admin/programmes/fundinground/{rnd.pk}/change/")
    assert page.status_code == 200
    assert client.get("/admin/programmes/programme/add/").status_code == 403
    assert client.get("/admin/programmes/fundinground/").status_code == 200
