import pytest


@pytest.fixture
def catalogue_loaded(db):
    """The programme catalogue stored in the test database, as `make run` does."""
    from django.core.management import call_command

    call_command("load_catalogue", verbosity=0)
