"""Settings for the test suite: the production settings plus a fixed key and a fast hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from wegweiser.config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Failed-login throttling off in tests (django-axes docs); its own tests switch it on.
AXES_ENABLED = False
# The public limits per address out of the way of tests that send many requests from one
# address; the limits' own tests set small ones (tests/config/test_guard.py).
WEGWEISER_API_LIMIT_PER_ADDRESS = "100000/m"
WEGWEISER_SELFCHECK_LIMIT_PER_ADDRESS = "100000/m"
