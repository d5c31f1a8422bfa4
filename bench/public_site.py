"""Settings of the server that ``bench/public_load.py`` measures: the production settings
(``wegweiser.config.settings``, DEBUG off) with one bench-only view added for the ceiling.

Used only by the benchmark (``DJANGO_SETTINGS_MODULE=bench.public_site``), so the production
URLs never get the bare view. Static files are collected into ``bench/.cache/public-static`` and
served by WhiteNoise as in production.
"""

from pathlib import Path

from wegweiser.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.public_urls"
STATIC_ROOT = Path(__file__).resolve().parent / ".cache" / "public-static"
