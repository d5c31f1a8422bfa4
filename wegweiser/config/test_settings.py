"""Settings for the test suite: the production settings plus a fixed key and a fast hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from wegweiser.config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True
# static files straight from the apps, without collectstatic's manifest of hashed names
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Failed-login throttling off in tests (django-axes docs); its own tests switch it on.
AXES_ENABLED = False
# A second alias for the replica router's tests (tests/core/test_replica.py): a test mirror of
# the default database; the router uses it only where a test sets WEGWEISER_READ_REPLICA.
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "ATOMIC_REQUESTS": False,  # reads only, as in settings.py
    "TEST": {"MIRROR": "default"},
}
# The public limits per address out of the way of tests that send many requests from one
# address; the limits' own tests set small ones (tests/config/test_guard.py).
WEGWEISER_API_LIMIT_PER_ADDRESS = "100000/m"
WEGWEISER_SELFCHECK_LIMIT_PER_ADDRESS = "100000/m"
