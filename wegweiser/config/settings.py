"""Django settings for wegweiser, read from environment variables (docs/environment.md).

No ``DATABASE_URL`` means an SQLite file in the project folder; ``DATABASE_URL=postgres://...``
means PostgreSQL. ``SECRET_KEY`` is required when ``DEBUG`` is off.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: The project folder (the checkout); the SQLite file lives here.
BASE_DIR = Path(os.environ.get("WEGWEISER_HOME", PACKAGE_DIR.parent))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


#: Debug mode: never in production.
DEBUG = env_bool("DEBUG", False)
#: Signing key; required when DEBUG is off.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see docs/environment.md)"
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"  # noqa: S105
#: Host names this site answers to, comma-separated.
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
#: Origins trusted for POST requests behind a proxy, comma-separated.
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs page from our own static files (no CDN)
    "wegweiser.core",
    "wegweiser.organisations",  # before the directory: its admin extends ours
    "wegweiser.audit",
    "wegweiser.programmes",
    "wegweiser.directory",
    "wegweiser.accounts",
    "wegweiser.cases",
    "wegweiser.public",
    "wegweiser.notifications",
    "wegweiser.volunteers",
    "wegweiser.funding",
    "wegweiser.reporting",
    "csp",
    "django_otp",  # the second factor at login (accounts/second_factor.py)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # the recovery codes
    "django_ratelimit",  # its system check refuses a cache that cannot count (see CACHES)
    "axes",  # failed-login throttling (after our apps: our templates win)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "wegweiser.core.middleware.PermissionsPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # /api/: limits per address, on body size and JSON depth; every error in JSON
    "wegweiser.config.guard.ApiGuard",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor given
    # a role that reads personal data: no page before the second factor (or its set-up)
    "wegweiser.accounts.second_factor.RequireSecondFactor",
    # every page needs a login unless marked public (core.access.public, login_not_required)
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "wegweiser.accounts.context.CurrentOrganisationMiddleware",
    "wegweiser.core.replica.PublicRequestsReadTheReplica",  # with a replica (docs/scaling.md)
    "wegweiser.audit.reads.ReadsOncePerRequest",  # a read of a person's file is logged once
    "django.contrib.messages.middleware.MessageMiddleware",
    "wegweiser.core.middleware.MethodNotAllowedPage",
    "wegweiser.config.guard.SelfCheckRateLimit",  # the self-check's pages: a limit per address
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

#: django-axes first (it refuses a locked-out login before the password is checked).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "wegweiser.config.urls"
#: A failed CSRF check answers with our page (templates 403_csrf.html), not Django's English one.
CSRF_FAILURE_VIEW = "wegweiser.core.views.csrf_failure"
WSGI_APPLICATION = "wegweiser.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

#: Database: SQLite file in the project folder unless DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
#: A PostgreSQL streaming replica for the public pages' reads (docs/scaling.md): set
#: DATABASE_REPLICA_URL and visitors' GET requests read the catalogue and the directory there.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
    }
    WEGWEISER_READ_REPLICA = "replica"
DATABASE_ROUTERS = ["wegweiser.core.replica.PublicReadsFromReplica"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ATOMIC_REQUESTS = True
DATABASES["default"]["ATOMIC_REQUESTS"] = True
#: SQLite (`make run`, the SQLite test suite). A write-ahead log: readers go on while one
#: request writes. Transactions begin IMMEDIATE: they take the write lock at once and wait up to
#: 20 s for it. A deferred transaction that read first and then wrote failed at once with
#: "database is locked" whenever another request wrote at the same time (13 demo logins at once
#: under `make run`: 12 answered 500; tests/config/test_sqlite.py). The price: requests in a
#: transaction (ATOMIC_REQUESTS; the public pages' reads are not) take turns, which suits the
#: embedded database of `make run`; production is PostgreSQL. A 64 MB page cache and
#: memory-mapped reads: the search's indexes stay in memory instead of being re-read from the
#: operating system for every query (SQLite's default cache is 2 MB).
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode = WAL; PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    for _name, _value in SQLITE_OPTIONS.items():  # options given in DATABASE_URL win
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(_name, _value)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parallel workers cost more than they save for the web's queries of a few to a few tens of
    # ms (measured: the broadest bench search 43 ms with two workers, 30 ms without). Set once
    # per connection: per query it cost a savepoint and a SET, three round trips per search.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c max_parallel_workers_per_gather=0"
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: German first; the six languages of the public self-check.
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("Deutsch")),
    ("en", _("Englisch")),
    ("ar", _("Arabisch")),
    ("uk", _("Ukrainisch")),
    ("fa", _("Dari/Farsi")),
    ("tr", _("Türkisch")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
#: Date formats Django's locales lack (Arabic date-times were month first): config/formats/
FORMAT_MODULE_PATH = ["wegweiser.config.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
#: The map background (directory/map-background.geojson) as what it is, not as a download.
WHITENOISE_MIMETYPES = {".geojson": "application/geo+json"}
#: ``collectstatic`` also writes gzip copies, which WhiteNoise serves to browsers
#: that accept them (the map background: 244 KB, 72 KB gzipped).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # hashed names (site.3f2a….css): WhiteNoise lets browsers keep them for a year
    "staticfiles": {"BACKEND": "wegweiser.core.storage.StaticStorage"},
}

LOGIN_URL = "login"
#: After the login: case management, or the offer maintenance for the offer maintainers.
LOGIN_REDIRECT_URL = "accounts:home"
#: The second factor (docs/security.md): the name authenticator apps show, and no drift
#: learning (a code is accepted one 30-second step early or late, and only once).
OTP_TOTP_ISSUER = "wegweiser"
OTP_TOTP_SYNC = False
#: Days an invitation link (platform administration) stays valid; it works once.
WEGWEISER_INVITATION_DAYS = int(os.environ.get("WEGWEISER_INVITATION_DAYS", "7"))
#: How long a password-reset link stays valid (hours; Django's default would be three days).
PASSWORD_RESET_TIMEOUT = int(float(os.environ.get("WEGWEISER_PASSWORD_RESET_HOURS", "24")) * 3600)

# Failed logins (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is locked for AXES_COOLOFF_TIME; a successful login resets the count.
#: Failed logins per username and address before the lock-out.
AXES_FAILURE_LIMIT = int(os.environ.get("WEGWEISER_LOGIN_FAILURE_LIMIT", "5"))
#: How long a username and address stay locked out.
AXES_COOLOFF_TIME = dt.timedelta(
    minutes=int(os.environ.get("WEGWEISER_LOGIN_LOCKOUT_MINUTES", "15"))
)
#: Locked: one username from one address after AXES_FAILURE_LIMIT failures, and one address
#: (across usernames) after WEGWEISER_LOGIN_ADDRESS_FAILURE_LIMIT (wegweiser.accounts.axes).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "wegweiser.accounts.axes.AddressLimitHandler"
WEGWEISER_LOGIN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("WEGWEISER_LOGIN_ADDRESS_FAILURE_LIMIT", "20")
)
#: Behind reverse proxies: how many of them append to X-Forwarded-For (0: no proxy, the header
#: is ignored). The client address is taken this many hops from the right.
WEGWEISER_TRUSTED_PROXY_COUNT = int(os.environ.get("WEGWEISER_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "wegweiser.accounts.axes.client_ip"
#: Behind a TLS-terminating proxy: the header it sets to "https" (e.g. X-Forwarded-Proto), so
#: that Django knows a request was secure. Only set it if the proxy always sets or strips it.
if os.environ.get("WEGWEISER_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["WEGWEISER_PROXY_SSL_HEADER"].strip().upper().replace("-", "_"),
        "https",
    )
#: Redirect plain HTTP to HTTPS in the application too (deploy/: nginx redirects first; behind
#: it, the proxy header above tells Django the request was secure). Off unless set.
SECURE_SSL_REDIRECT = env_bool("WEGWEISER_SSL_REDIRECT", False)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
#: Successful logins are not logged by axes (data minimisation); failures are.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

#: Caches. "default" keeps rendered public pages per process (memory). "limits" holds the
#: counters of the contact-request limits and the marker of a request just sent: they must be
#: the same for every server process, so they live in the database (table wegweiser_limits,
#: created by a migration) with an atomic increment (wegweiser/core/cache.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # the counters of the API's and the self-check's limits per address (config/guard.py): in
    # memory, per process; nothing about a visitor of the self-check is written anywhere
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
    "limits": {
        "BACKEND": "wegweiser.core.cache.AtomicDatabaseCache",
        "LOCATION": "wegweiser_limits",
        # culling would forget counters: keep room for many addresses within one window
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    },
}
RATELIMIT_USE_CACHE = "limits"
#: django-ratelimit supports memcached and Redis officially; the database cache above counts
#: atomically too (its incr locks the row), so its "not officially supported" warning is off.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]


def _rate(name: str, default: str) -> str:
    value = os.environ.get(name, default).strip()
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", value):
        raise ImproperlyConfigured(f"{name} must look like 5/h, 20/d or 3/10m, not {value!r}")
    return value


#: Contact requests of the public self-check: how many one client address may send, and how
#: many one offer may receive, per period (django-ratelimit's notation: 5/h, 20/d, 3/10m).
WEGWEISER_CONTACT_LIMIT_PER_ADDRESS = _rate("WEGWEISER_CONTACT_LIMIT_PER_ADDRESS", "5/h")
WEGWEISER_CONTACT_LIMIT_PER_OFFER = _rate("WEGWEISER_CONTACT_LIMIT_PER_OFFER", "20/h")
#: The public API (everything under /api/): requests one client address may send per period
#: (429 with Retry-After beyond). The self-check's pages: the same per address. Many people may
#: share one address (a shared accommodation's Wi-Fi, a counselling office): keep these generous.
WEGWEISER_API_LIMIT_PER_ADDRESS = _rate("WEGWEISER_API_LIMIT_PER_ADDRESS", "120/m")
WEGWEISER_SELFCHECK_LIMIT_PER_ADDRESS = _rate("WEGWEISER_SELFCHECK_LIMIT_PER_ADDRESS", "120/m")
#: Shared reads of the public pages (which Kreise have a WIR or AMIF project, the rounds' ids,
#: which organisations answer contact requests) are kept this long per server process, the
#: directory's kept objects are verified this often against the change counters; the process
#: that changes them forgets them at once (wegweiser/core/shared.py). 0: not kept.
WEGWEISER_SHARED_READ_SECONDS = int(os.environ.get("WEGWEISER_SHARED_READ_SECONDS", "30"))
#: Up to this many published offers with a place, each server process ranks the offers around a
#: point itself (the result page's nearest offers, a search by distance without text or facets)
#: instead of asking the database (wegweiser/directory/around.py). 0: the database always.
WEGWEISER_AROUND_IN_PROCESS_MAX = int(os.environ.get("WEGWEISER_AROUND_IN_PROCESS_MAX", "1000"))
#: Largest request body the API reads (bytes; 413 beyond), deepest JSON nesting it parses (422).
WEGWEISER_API_MAX_BODY_BYTES = int(os.environ.get("WEGWEISER_API_MAX_BODY_BYTES", "65536"))
WEGWEISER_API_MAX_JSON_DEPTH = int(os.environ.get("WEGWEISER_API_MAX_JSON_DEPTH", "32"))
#: The same request (offer, name, phone, e-mail) sent again within this many minutes is the
#: same request: the person gets the same reference number, nothing new is stored.
WEGWEISER_CONTACT_DUPLICATE_MINUTES = int(
    os.environ.get("WEGWEISER_CONTACT_DUPLICATE_MINUTES", "15")
)

#: Days a sent referral may stay unanswered before it expires (``expire_referrals``).
WEGWEISER_REFERRAL_EXPIRY_DAYS = int(os.environ.get("WEGWEISER_REFERRAL_EXPIRY_DAYS", "14"))
#: Funding files are kept this many years after 31 December of the year of the last payment
#: (docs/funding.md: which rule says how long).
FUNDING_RETENTION_YEARS = int(os.environ.get("WEGWEISER_FUNDING_RETENTION_YEARS", "10"))
#: Follow-up check-ins per programme key, JSON, e.g. ``{"wir": ["4w", "3m", "6m"]}``;
#: programmes not named get 4 weeks, 3 months, 6 months.
try:
    WEGWEISER_FOLLOWUP_OFFSETS = json.loads(os.environ.get("WEGWEISER_FOLLOWUP_OFFSETS") or "{}")
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(f"WEGWEISER_FOLLOWUP_OFFSETS is not valid JSON: {error}") from None

#: Public address of the site, used in e-mails (e.g. https://wegweiser.example.org).
SITE_URL = os.environ.get("WEGWEISER_SITE_URL", "").rstrip("/")

#: Mail through Django's mail framework: printed to the console under DEBUG (``make run``),
#: SMTP with the ``EMAIL_*`` variables otherwise; ``EMAIL_BACKEND`` overrides both (e.g. the
#: file backend with ``EMAIL_FILE_PATH``).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
#: Sender of every mail, e.g. ``wegweiser <noreply@wegweiser.example.org>``.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "wegweiser <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

#: Optional background map tiles (e.g. an OpenStreetMap tile server you operate or contract).
#: Empty: the map shows only the Kreis boundaries, and no request leaves our server.
MAP_TILE_URL = os.environ.get("WEGWEISER_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("WEGWEISER_MAP_TILE_ATTRIBUTION", "")
STATIC_ROOT = BASE_DIR / "staticfiles"

#: Who runs this installation, for the accessibility statement and the privacy notice of the
#: public pages (BITV 2.0 § 7 asks for a feedback contact; Art. 13 DSGVO for the controller and
#: a privacy contact). While a page's contact is unset, the page says that the installation is
#: not set up yet, and ``wegweiser check --deploy`` warns (public.W001).
OPERATOR_NAME = os.environ.get("WEGWEISER_OPERATOR_NAME", "")
OPERATOR_ADDRESS = os.environ.get("WEGWEISER_OPERATOR_ADDRESS", "")
ACCESSIBILITY_EMAIL = os.environ.get("WEGWEISER_ACCESSIBILITY_EMAIL", "")
PRIVACY_EMAIL = os.environ.get("WEGWEISER_PRIVACY_EMAIL", "")

#: Folder of the programme catalogue and rule files (default: the one shipped in the package).
CATALOGUE_DIR = os.environ.get("WEGWEISER_CATALOGUE_DIR") or None

SECURE_CONTENT_TYPE_NOSNIFF = True
#: Content-Security-Policy (django-csp 4): only our own scripts, styles, images and requests; no
#: inline script or style (no 'unsafe-inline'), no plugins, no framing, forms only to us. Map
#: tiles, when configured, come from the tile server's origin.
_TILE_ORIGIN = re.match(r"^(https?://[^/{}]+)", MAP_TILE_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_TILE_ORIGIN.group(1)] if _TILE_ORIGIN else [])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
#: Permissions-Policy (core.middleware.PermissionsPolicy): powerful browser features none of our
#: pages uses, switched off for every page and anything it might embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)
X_FRAME_OPTIONS = "DENY"
#: Database sessions that skip the lookup of a signed self-check cookie (accounts/sessions.py).
SESSION_ENGINE = "wegweiser.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
#: A login lasts one working day (hours, default 8) and ends when the browser is closed: the
#: case pages show personal data, often on shared office computers.
SESSION_COOKIE_AGE = int(float(os.environ.get("WEGWEISER_SESSION_HOURS", "8")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    #: HSTS on every answer over HTTPS (Django sends it only on secure requests): browsers then
    #: reach this host only over HTTPS for a year. 0 switches it off.
    SECURE_HSTS_SECONDS = int(os.environ.get("WEGWEISER_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("WEGWEISER_HSTS_INCLUDE_SUBDOMAINS", False)
    #: "preload" in the header: the site may be submitted to the browsers' preload list
    SECURE_HSTS_PRELOAD = env_bool("WEGWEISER_HSTS_PRELOAD", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

#: Serve static files straight from the apps while developing (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
