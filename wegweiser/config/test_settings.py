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
