"""Static addresses in production (``core.storage.StaticStorage``): the manifest's hashed name,
worked out once per name."""

from __future__ import annotations

import json

import pytest

from wegweiser.core.storage import StaticStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    manifest = {"paths": {"site.css": "site.3f2a1b.css"}, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticStorage(location=str(tmp_path), base_url="/static/")


def test_the_address_is_the_manifests_hashed_name(storage):
    assert storage.url("site.css") == "/static/site.3f2a1b.css"
    assert storage.url("site.css") == "/static/site.3f2a1b.css"


def test_the_address_is_worked_out_once(storage):
    first = storage.url("site.css")
    storage.hashed_files["site.css"] = "site.000000.css"  # the manifest does not change in use
    assert storage.url("site.css") == first
    assert storage.url("site.css", force=True) == "/static/site.000000.css"


def test_a_name_not_in_the_manifest_is_refused_each_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("nothing.css")
