"""Servicegate settings, read from the environment.

Every setting that can be changed comes from one environment variable; a missing or
malformed value stops start-up with one sentence that names the variable.  The
embedded default is SQLite in ``SERVICEGATE_DATA_DIR``; ``DATABASE_URL`` switches to
PostgreSQL (psycopg 3).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """Return the variable ``name`` or ``default``."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Return the variable ``name`` as a boolean; refuse anything but yes/no words."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no or on/off, not {raw!r}."
    )


def env_int(name: str, default: int) -> int:
    """Return the variable ``name`` as an integer."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Return the comma-separated variable ``name`` as a list of non-empty items."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("SERVICEGATE_DEBUG")
# Demo mode: the local demo organisation started by `servicegate demo` / `make demo`.
DEMO = env_bool("SERVICEGATE_DEMO")
# Set by the `servicegate` command for work that serves no pages (imports, migrations,
# workers): it may use the key generated in the data directory when SECRET_KEY is unset.
OFFLINE_COMMAND = env_bool("SERVICEGATE_OFFLINE_COMMAND")

DATA_DIR = Path(env_str("SERVICEGATE_DATA_DIR", "var")).resolve()


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        if len(key) < 32 and not (DEBUG or DEMO):
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")
        return key
    if not (DEBUG or DEMO or OFFLINE_COMMAND):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: set it to a long random value "
            "(or SERVICEGATE_DEBUG=1 for development)."
        )
    # Debug, demo and offline commands keep a generated key in the data directory.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "servicegate.core",
    "servicegate.accounts",
    "servicegate.calendars",
    "servicegate.catalog",
    "servicegate.promises",
    "servicegate.operations",
    "servicegate.measurement",
    "servicegate.improvement",
    "servicegate.planning",
    "servicegate.maintenance",
    "servicegate.scheduling",
    "servicegate.team",
    "servicegate.portal",
    "servicegate.inbox",
    "servicegate.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # the API docs page's Swagger UI files, served from the package
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "servicegate.core.logging.RequestIdMiddleware",
    "servicegate.core.uploads.UploadLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "servicegate.accounts.middleware.UserLanguageMiddleware",
    "servicegate.accounts.middleware.LoginRequiredMiddleware",
    "servicegate.portal.isolation.PortalIsolationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "servicegate.urls"
WSGI_APPLICATION = "servicegate.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "servicegate.core.context_processors.navigation",
                "servicegate.accounts.context_processors.roles",
            ],
        },
    },
]

# Cross-app extension points: ``core`` imports no app, it loads these dotted paths.
# The demo organisation's steps, in the order they run (each ``(DemoContext) -> None``).
SERVICEGATE_DEMO_STEPS = [
    "servicegate.calendars.demo.build",
    "servicegate.catalog.demo.build",
    "servicegate.operations.demo.customers.build",
    "servicegate.accounts.demo.build",
    "servicegate.team.demo.build",
    "servicegate.promises.demo.build",
    "servicegate.operations.demo.tickets.build",
    "servicegate.measurement.demo.build",
    "servicegate.planning.demo.build",
    "servicegate.maintenance.demo.build",
    "servicegate.improvement.demo.build",
    "servicegate.portal.demo.build",
    "servicegate.scheduling.demo.build",
    "servicegate.team.agile_demo.build",
]
# The dashboard's panels, in the order they show (each ``() -> core.dashboard.Panel``).
SERVICEGATE_DASHBOARD_PANELS = [
    "servicegate.catalog.dashboard.segments",
    "servicegate.operations.dashboard.customers",
    "servicegate.team.dashboard.technicians",
    "servicegate.promises.dashboard.promises_in_service",
    "servicegate.operations.dashboard.open_tickets",
    "servicegate.improvement.dashboard.open_findings",
    "servicegate.improvement.dashboard.running_actions",
    "servicegate.team.dashboard.cards_in_progress",
    "servicegate.maintenance.dashboard.active_plans",
    "servicegate.maintenance.dashboard.condition_alarms",
    "servicegate.scheduling.dashboard.visits_today",
]
# Personal sections below the figures: functions (user) -> Panel.
SERVICEGATE_DASHBOARD_SECTIONS = ["servicegate.inbox.dashboard.inbox_section"]


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "servicegate.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("SERVICEGATE_SQLITE_TIMEOUT", 20),
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types
        raise ImproperlyConfigured(
            f"DATABASE_URL is malformed ({exc}); use postgres://USER@HOST:PORT/NAME."
        ) from None
    if config.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_URL must point to PostgreSQL (postgres://...); "
            "leave it unset for the embedded SQLite database."
        )
    return dict(config)


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
EMBEDDED_DATABASE = not env_str("DATABASE_URL")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: lock a username+address pair after repeated failures, and an address
# after as many failures across usernames (password spraying).
AXES_FAILURE_LIMIT = env_int("SERVICEGATE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
# Each app keeps its German catalogue in its own locale/ folder.
USE_I18N = True
TIME_ZONE = env_str("SERVICEGATE_TIME_ZONE", "Europe/Berlin")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
# Uploads larger than 2.5 MB are spooled here while they arrive (not in /tmp): a server
# killed mid-upload leaves them in the data directory, and `servicegate serve`, `demo`
# and `worker` delete those older than SERVICEGATE_UPLOAD_TEMP_MAX_MINUTES when they start.
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp" / "uploads")
SERVICEGATE_UPLOAD_TEMP_MAX_MINUTES = env_int("SERVICEGATE_UPLOAD_TEMP_MAX_MINUTES", 60)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "servicegate@localhost")


def _tasks() -> dict[str, dict[str, object]]:
    backend = env_str("SERVICEGATE_TASKS", "database")
    if backend == "database":
        return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if backend == "redis":
        return {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    if backend == "immediate":
        return {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    raise ImproperlyConfigured(
        f"SERVICEGATE_TASKS must be database, redis or immediate, not {backend!r}."
    )


TASKS = _tasks()

# The measured attainment of promises, read by the promise and product pages and the
# promise API without the promises app importing measurement (which imports promises):
# a function ``(promise ids) -> {id: attainment}``.
SERVICEGATE_PROMISE_ATTAINMENT = "servicegate.measurement.selectors.promise_attainment"
# Whether a decision area is delegated to a user (team lead): ``(user, area) -> bool``.
SERVICEGATE_DELEGATION = "servicegate.team.selectors.decides_by_delegation"
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}


def _caches() -> dict[str, dict[str, object]]:
    """The cache of computed figures (``measurement.figures``, the staffing estimate).

    ``memory`` (default): each server process keeps its own, nothing to run beside it;
    with 4 processes a figure is computed up to 4 times per change. ``redis``: shared by
    every process on every machine (``REDIS_URL``). The cached dashboard figures stay
    correct with either: they are keyed on a generation kept in the database.
    """
    backend = env_str("SERVICEGATE_CACHE", "memory")
    if backend == "memory":
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "servicegate",
            }
        }
    if backend == "redis":
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": "servicegate",
            }
        }
    raise ImproperlyConfigured(f"SERVICEGATE_CACHE must be memory or redis, not {backend!r}.")


CACHES = _caches()

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not (DEBUG or DEMO):
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer probes the health checks over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health"]

# Content-Security-Policy: scripts and styles only from Servicegate itself. The four
# ``onchange="this.form.submit()"`` handlers are allowed by their hash; inline styles
# (style attributes, htmx's indicator style, the charts' SVG) are allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [
            "'self'",
            "'unsafe-hashes'",
            "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='",  # this.form.submit()
        ],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}


def _logging() -> dict[str, object]:
    log_format = env_str("SERVICEGATE_LOG_FORMAT", "text")
    if log_format not in {"text", "json"}:
        raise ImproperlyConfigured(
            f"SERVICEGATE_LOG_FORMAT must be text or json, not {log_format!r}."
        )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "servicegate.core.logging.RequestIdFilter"}},
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": "servicegate.core.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["console"], "level": env_str("SERVICEGATE_LOG_LEVEL", "WARNING")},
    }


# SERVICEGATE_LOG_FORMAT=json writes one JSON object per line, with the request's id.
LOGGING = _logging()

# Cross-area hooks (dotted paths, loaded with import_string): the areas that derive state
# from tickets are told which tickets a write changed, in the write's transaction.
SERVICEGATE_TICKETS_CHANGED = [
    "servicegate.measurement.services.clocks_follow",
    "servicegate.team.board_services.cards_follow",
]
# Listeners told which improvement actions changed stage (the team board's cards follow).
SERVICEGATE_ACTIONS_CHANGED = ["servicegate.team.board_services.action_cards_follow"]
# Tasks the worker enqueues every minute (every worker does; the tasks are idempotent).
SERVICEGATE_PERIODIC_TASKS = [
    "servicegate.measurement.notifications.breach_warnings_task",
    "servicegate.improvement.breaches.breach_findings_task",
    "servicegate.core.tasks.uploads_prune_task",
]
# A breach finding is raised when one cause of a promise reaches this many breaches in a
# month; one run raises at most SERVICEGATE_BREACH_FINDINGS_PER_RUN of them.
SERVICEGATE_BREACH_FINDING_THRESHOLD = env_int("SERVICEGATE_BREACH_FINDING_THRESHOLD", 5)
SERVICEGATE_BREACH_FINDINGS_PER_RUN = env_int("SERVICEGATE_BREACH_FINDINGS_PER_RUN", 20)
# Items of the personal inbox: functions (user) -> list of items.
SERVICEGATE_INBOX_SOURCES = [
    "servicegate.promises.inbox.promise_items",
    "servicegate.measurement.notifications.inbox_items",
    "servicegate.improvement.inbox.action_items",
    "servicegate.improvement.inbox.g4_recommendation_items",
    "servicegate.maintenance.inbox.condition_alarm_items",
    "servicegate.scheduling.inbox.schedule_items",
    "servicegate.team.inbox.team_items",
    "servicegate.portal.inbox.offer_request_items",
]

# The customer portal: a feedback score at or below this raises a KVP finding; the largest
# attachment a customer may upload; where preventive offers for a customer come from (a
# function ``(customer) -> offers``, loaded only if its module exists).
SERVICEGATE_PORTAL_LOW_SCORE = env_int("SERVICEGATE_PORTAL_LOW_SCORE", 2)
SERVICEGATE_PORTAL_MAX_ATTACHMENT_BYTES = env_int(
    "SERVICEGATE_PORTAL_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024
)
SERVICEGATE_PORTAL_OFFERS = "servicegate.maintenance.offers.offers_for_customer"
# Where measurement and the scorecard read CSAT per customer, product or promise id.
SERVICEGATE_CSAT = "servicegate.portal.selectors.csat_by_key"
# Hands-on minutes of a reactive ticket by kind, for the capacity plan when the history holds
# too few tickets with an "in progress" status to measure them.
SERVICEGATE_WORK_MINUTES = {
    "incident": env_int("SERVICEGATE_WORK_MINUTES_INCIDENT", 120),
    "request": env_int("SERVICEGATE_WORK_MINUTES_REQUEST", 60),
}
# What a preventive product's visits add to the capacity plan for some customers (the G1
# evidence of a promise shows it): ``(product id, customer ids) -> load | None``.
SERVICEGATE_PREVENTIVE_LOAD = "servicegate.maintenance.offers.preventive_load"
# Sections other areas add to the staff ticket page: functions (ticket, user) -> Panel | None.
SERVICEGATE_TICKET_SECTIONS = ["servicegate.portal.staff.ticket_section"]

# Bounded imports: dates outside EARLIEST_YEAR … now + FUTURE_YEARS are row errors; a file
# may not decompress to more than MAX_BYTES, have a line longer than MAX_LINE_BYTES or a
# field longer than MAX_FIELD_CHARS, more than MAX_ROWS rows or MAX_ROWS_PER_TICKET rows
# of one ticket (real ServiceNow exports stay far below each of them).
SERVICEGATE_IMPORT_EARLIEST_YEAR = env_int("SERVICEGATE_IMPORT_EARLIEST_YEAR", 1970)
SERVICEGATE_IMPORT_FUTURE_YEARS = env_int("SERVICEGATE_IMPORT_FUTURE_YEARS", 10)
SERVICEGATE_IMPORT_MAX_BYTES = env_int("SERVICEGATE_IMPORT_MAX_BYTES", 2 * 1024**3)
SERVICEGATE_IMPORT_MAX_LINE_BYTES = env_int("SERVICEGATE_IMPORT_MAX_LINE_BYTES", 1024**2)
SERVICEGATE_IMPORT_MAX_FIELD_CHARS = env_int("SERVICEGATE_IMPORT_MAX_FIELD_CHARS", 128 * 1024)
SERVICEGATE_IMPORT_MAX_ROWS = env_int("SERVICEGATE_IMPORT_MAX_ROWS", 20_000_000)
SERVICEGATE_IMPORT_MAX_ROWS_PER_TICKET = env_int("SERVICEGATE_IMPORT_MAX_ROWS_PER_TICKET", 10_000)

# Background workers write a heartbeat every SERVICEGATE_HEARTBEAT_SECONDS; one not seen
# for SERVICEGATE_WORKER_DEAD_AFTER seconds is dead and the jobs it was running fail.
SERVICEGATE_HEARTBEAT_SECONDS = env_int("SERVICEGATE_HEARTBEAT_SECONDS", 10)
SERVICEGATE_WORKER_DEAD_AFTER = env_int("SERVICEGATE_WORKER_DEAD_AFTER", 60)
# The health check reports "degraded" when the oldest queued job waited longer (seconds).
SERVICEGATE_QUEUE_AGE_LIMIT = env_int("SERVICEGATE_QUEUE_AGE_LIMIT", 300)
# Request bodies (uploads) larger than this many MB are refused with 413; uploaded import
# files are deleted this many days after their import finished.
SERVICEGATE_MAX_UPLOAD_MB = env_int("SERVICEGATE_MAX_UPLOAD_MB", 50)
SERVICEGATE_UPLOAD_RETENTION_DAYS = env_int("SERVICEGATE_UPLOAD_RETENTION_DAYS", 30)
# The largest file the import page accepts (bigger ones: `servicegate import` on the server).
SERVICEGATE_UPLOAD_MAX_BYTES = env_int("SERVICEGATE_UPLOAD_MAX_BYTES", 512 * 1024**2)
