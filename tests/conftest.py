import pytest
from hypothesis import settings

# No time limit per example: speed is measured in benchmarks, not in tests. Hypothesis' default
# deadline (200 ms) fails an example that is slow once on a loaded CI host ("Flaky").
settings.register_profile("wegweiser", deadline=None)
settings.load_profile("wegweiser")


@pytest.fixture
def catalogue_loaded(db):
    """The programme catalogue stored in the test database, as `make run` does."""
    from django.core.management import call_command

    call_command("load_catalogue", verbosity=0)


@pytest.fixture
def regions_loaded(db):
    """The regions table as `make run` fills it."""
    from wegweiser.organisations import services

    services.regions_sync()


@pytest.fixture
def demo_directory(catalogue_loaded, regions_loaded):
    """The synthetic Hessen directory of `make run` (155 offers, deterministic)."""
    from wegweiser.directory import demo

    return demo.generate()


@pytest.fixture(autouse=True)
def german_by_default():
    """Every test starts in German, the source language: a request in another language
    activates it for the thread, and URLs built afterwards would carry its prefix."""
    from django.utils import translation

    translation.activate("de")
    yield
    translation.deactivate()


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` run in CI's PostgreSQL run and are left out, not skipped,
    of the SQLite run (CI runs the suite on both; no test is skipped in either)."""
    from django.conf import settings

    for item in items:
        if item.get_closest_marker("browser") is not None:
            # one worker of pytest-xdist runs them all: one server with the demo, one Chromium
            item.add_marker(pytest.mark.xdist_group("browser"))
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    kept = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: pages kept by one test (the self-check's start and
    question pages) must not answer another test's requests."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["throttle"].clear()  # the counters of the limits per address (config/guard.py)
    from wegweiser.core import shared

    shared.forget_all(others=False)  # what this process keeps (core/shared.py); no counters
    from wegweiser.core.templatetags.fast import forget_kept

    forget_kept()  # the layout's parts kept per language and roles ({% kept %})
    yield


def _test_logins_give_the_second_factor(sender, request, user, **kwargs):
    """``client.force_login`` and ``client.login`` are the tests' shortcut past the login form:
    they stand for a complete login, second factor included (a confirmed app for the user, the
    session verified by it). The form, the code page, the set-up and the enforcement are tested
    through real requests (tests/accounts/test_second_factor.py, the browser tests); a real
    request (one with a method) is left to them."""
    if request is None or request.META.get("REQUEST_METHOD"):
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(
        user=user, confirmed=True
    ).first() or TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id


def pytest_configure(config):
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(_test_logins_give_the_second_factor, dispatch_uid="tests-second-factor")
