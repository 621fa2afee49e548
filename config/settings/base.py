"""Settings shared by every environment. Values come from the environment (django-environ), parsed strictly:
a malformed value stops start-up with ImproperlyConfigured instead of running on a wrong guess."""

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.str(name, default=str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="1" if default else "0").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_site_url(name: str, default: str) -> str:
    """The address users reach the site at, as scheme and host (and port), without a trailing slash. Links in
    e-mails are built on it, so a typo stops start-up instead of mailing links that lead nowhere."""
    raw = env.str(name, default=default).strip()
    try:
        URLValidator(schemes=["http", "https"])(raw)
    except ValidationError:
        raise ImproperlyConfigured(
            f"{name} must be an http or https address such as https://vetted.example.com, got {raw!r}"
        ) from None
    parts = urlsplit(raw)
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        raise ImproperlyConfigured(
            f"{name} must be the site's address only (scheme, host and port, no path), got {raw!r}"
        )
    return raw.rstrip("/")


def env_rate(name: str, default: str) -> str:
    """A rate as Django REST framework reads it: calls per second, minute, hour or day ("120/min")."""
    raw = env.str(name, default=default).strip()
    count, _sep, period = raw.partition("/")
    if not count.isdigit() or int(count) < 1 or period[:1] not in {"s", "m", "h", "d"}:
        raise ImproperlyConfigured(
            f"{name} must be a number of calls per s, min, hour or day, such as 120/min, got {raw!r}"
        )
    return raw


def env_url(name: str, default: str) -> str:
    """An optional http(s) address: empty, or a URL that parses (a typo would fail only at the first use)."""
    raw = env.str(name, default=default).strip()
    if raw:
        try:
            URLValidator(schemes=["http", "https"])(raw)
        except ValidationError:
            raise ImproperlyConfigured(f"{name} must be an http or https address, got {raw!r}") from None
    return raw


def env_urls(name: str, default: str) -> str:
    """One or more http(s) addresses separated by spaces or commas; each must parse. Kept as the string."""
    raw = env.str(name, default=default).strip()
    for part in raw.replace(",", " ").split():
        try:
            URLValidator(schemes=["http", "https"])(part)
        except ValidationError:
            raise ImproperlyConfigured(f"{name} must be http or https addresses, got {part!r}") from None
    return raw


def env_networks(name: str, default: str) -> list[str]:
    """Addresses or networks (10.0.0.0/8), comma-separated; each must parse."""
    import ipaddress

    raw = env.str(name, default=default)
    networks = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            networks.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks such as 10.0.0.0/8, got {part!r}"
            ) from None
    return networks


DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="")
# Keys the audit log's hash chain (HMAC-SHA256, reviews/models/audit.py) and its checkpoints. Separate from
# SECRET_KEY, which signs sessions and links and may be rotated; this one must stay the same for the life of
# the log, and whoever holds it can rewrite history undetected, so it is kept outside the database and its
# backups. The fixed default serves development and tests only: production.py refuses it.
DEV_AUDIT_KEY = "vetted-dev-audit-key-not-secret-5f1c9a7e"
VETTED_AUDIT_KEY = env.str("VETTED_AUDIT_KEY", default=DEV_AUDIT_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "reviews.apps.VettedAdminConfig",  # django.contrib.admin opening on the desk
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "config.apps.SiteConfig",
    "csp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "vendors",
    "reviews",
    "activities",
    "portfolio.apps.PortfolioConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads request.POST: refused file names become form errors (vendors/upload_names.py).
    "vendors.upload_names.UploadNameMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "reviews.middleware.RequestActorMiddleware",
    "config.sessions.SessionRefreshMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A write that waited too long for a lock (the audit chain's, SQLite's) answers 503 "busy, try again".
    "reviews.middleware.BusyMiddleware",
    # A password set by someone else is changed by its owner before anything else (reviews/middleware.py).
    "reviews.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # No copy of a signed-in page or an API answer is kept by browsers or proxies.
    "config.cache_control.NoStoreMiddleware",
    # Remembers the browsers a user signed in with (reviews/throttle.py): failures elsewhere never lock them.
    "reviews.throttle.TrustedBrowserMiddleware",
    # Last, as django-axes requires: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reviews.context_processors.roles",
            ],
        },
    },
]

# Embedded default: SQLite next to the code. DATABASE_URL (postgres://...) switches to the real stack.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'vetted.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A small team on the embedded default (docs/operations.md "The embedded default"): WAL lets readers go on
    # while one writer writes; every transaction takes the write lock when it begins (IMMEDIATE), so two
    # writers queue for it instead of one failing at once with "database is locked" when its read turns into
    # a write; and a writer waits up to VETTED_SQLITE_BUSY_SECONDS for the lock. synchronous=NORMAL is safe
    # under WAL (a power cut may lose the last commits, never corrupt the file).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=env_int("VETTED_SQLITE_BUSY_SECONDS", 20, minimum=1),
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
    # The approved list's covering indexes (INCLUDE columns) serve PostgreSQL; SQLite builds them without the
    # included columns, which is all the embedded default needs, so its warning would only be noise at start-up.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, and a statement run a few times on a connection prepared there: its
    # plan is kept, not made again for every request (a list page's queries are the same each time). Needs
    # a connection that lives on (CONN_MAX_AGE) to pay off; VETTED_DB_PREPARE_THRESHOLD=off turns it off
    # (a transaction-mode pooler in between, which cannot keep prepared statements).
    _prepare = env.str("VETTED_DB_PREPARE_THRESHOLD", "5")
    if _prepare.lower() not in ("off", "none", ""):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=int(_prepare)
        )
# Keep a database connection between requests (seconds), checked before reuse, instead of connecting for
# every request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("VETTED_DB_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: a locked-out user or address is refused before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (reviews/throttle.py, through django-axes' backend and middleware) on /accounts/login/ and
# /admin/login/: a user name is locked for the cool-off after AXES_FAILURE_LIMIT failures from one address (the
# pair; a browser the user signed in with before counts apart), and only that pair is reset by a good sign-in.
# Failures for one name from many addresses, or from one address for many names, slow further attempts down
# (VETTED_LOGIN_SLOWDOWN_AFTER) instead of locking anyone out. The password typed again in a session (the
# sign-off, the password change) has its own count. Counts are in the cache, incremented atomically; locks are
# AccessAttempt rows that Legal lifts in the admin (both audited).
AXES_HANDLER = "reviews.throttle.SignInThrottle"
AXES_FAILURE_LIMIT = env_int("VETTED_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("VETTED_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# django-axes' own reset deleted every failure from the address of a good sign-in, whatever the name.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
# The backend marks a refused attempt so that AxesMiddleware answers with the lockout page.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "reviews.throttle.lockout_response"
VETTED_LOGIN_SLOWDOWN_AFTER = env_int("VETTED_LOGIN_SLOWDOWN_AFTER", 10, minimum=1)
# Where a locked-out user is sent (an address or a phone extension of Legal), shown on the lockout page.
VETTED_LEGAL_CONTACT = env.str("VETTED_LEGAL_CONTACT", default="")
# The address counted is REMOTE_ADDR, unless the operator says how many proxies of theirs stand in front
# (each appends to X-Forwarded-For) and the connection comes from one of VETTED_TRUSTED_PROXY_ADDRESSES; from
# any other peer the header is ignored. The entries a client writes itself are never trusted.
AXES_CLIENT_IP_CALLABLE = "reviews.throttle.client_address"
VETTED_TRUSTED_PROXIES = env_int("VETTED_TRUSTED_PROXIES", 0)
VETTED_TRUSTED_PROXY_ADDRESSES = env_networks("VETTED_TRUSTED_PROXY_ADDRESSES", "127.0.0.1,::1")

# Reviewer sessions end after this many hours without a request, and when the browser closes: a desk left
# open in an empty office does not stay signed in to sign-offs.
SESSION_COOKIE_AGE = env_int("VETTED_SESSION_IDLE_HOURS", 8, minimum=1) * 3600
# Sliding expiry without a write per request: config/sessions.py saves a signed-in session again once its last
# refresh is this old (SESSION_SAVE_EVERY_REQUEST would write on every page view).
SESSION_SAVE_EVERY_REQUEST = False
VETTED_SESSION_REFRESH_SECONDS = env_int("VETTED_SESSION_REFRESH_SECONDS", 60, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("VETTED_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Content-Security-Policy (django-csp) on every page: scripts only from our own static files (no inline
# script, no eval), nothing embeds the site, no plugins, no <base> rewriting. Styles come from static files
# too: neither our templates nor the Django admin use inline style attributes or <style> blocks.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded evidence, certificates and dossiers are private: they live outside any served URL and are
# streamed only through views that check the reader may see the review.
# Where: a directory of this host (PRIVATE_MEDIA_ROOT, the default), or with VETTED_STORAGE=s3 a private bucket
# of an S3-compatible object store that every app host shares (docs/operations.md "File storage": Aliyun OSS,
# Tencent COS, Huawei OBS, MinIO, each by endpoint and addressing style). Every file goes through
# vendors.storage.private_storage(); none ever gets a URL.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
VETTED_STORAGE = env.str("VETTED_STORAGE", default="local").strip().lower()


def s3_storage_options() -> dict[str, Any]:
    """The private bucket's settings, from VETTED_S3_*; each missing one named."""
    missing = [
        name
        for name in (
            "VETTED_S3_ENDPOINT_URL",
            "VETTED_S3_BUCKET",
            "VETTED_S3_ACCESS_KEY",
            "VETTED_S3_SECRET_KEY",
        )
        if not env.str(name, default="")
    ]
    if missing:
        raise ImproperlyConfigured(
            f"VETTED_STORAGE is s3 but {', '.join(missing)} not set (docs/operations.md)."
        )
    style = env.str("VETTED_S3_ADDRESSING_STYLE", default="virtual").strip().lower()
    if style not in ("virtual", "path"):
        raise ImproperlyConfigured(f"VETTED_S3_ADDRESSING_STYLE must be virtual or path, got {style!r}")
    from botocore.config import Config

    return {
        "endpoint_url": env_url("VETTED_S3_ENDPOINT_URL", ""),
        "bucket_name": env.str("VETTED_S3_BUCKET"),
        "region_name": env.str("VETTED_S3_REGION", default="") or None,
        "access_key": env.str("VETTED_S3_ACCESS_KEY"),
        "secret_key": env.str("VETTED_S3_SECRET_KEY"),
        "location": env.str("VETTED_S3_PREFIX", default="").strip("/"),
        "addressing_style": style,
        "signature_version": "s3v4",
        # Checksums only where the API requires them: several S3-compatible services refuse the CRC headers
        # that newer AWS SDKs add to every upload by default.
        "client_config": Config(
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            connect_timeout=5,
            read_timeout=60,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    }


# A storage's entry: its BACKEND and the OPTIONS given to it (values of every kind: names, keys, a client config).
_private_storage: dict[str, Any]
if VETTED_STORAGE == "local":
    _private_storage = {"BACKEND": "vendors.storage.PrivateStorage"}
elif VETTED_STORAGE == "s3":
    _private_storage = {"BACKEND": "vendors.storage.PrivateObjectStorage", "OPTIONS": s3_storage_options()}
else:
    raise ImproperlyConfigured(f"VETTED_STORAGE must be local or s3, got {VETTED_STORAGE!r}")
STORAGES: dict[str, dict[str, Any]] = {
    "default": _private_storage,
    "private": _private_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The audit checkpoints (reviews/audit_checkpoints.py, docs/operations.md "The checkpoint store"): "file", an
# append-only file in PRIVATE_MEDIA_ROOT (the embedded default, one host), or "objects", one object per
# checkpoint that every host reads and writes: in the private storage, or in a bucket of its own
# (VETTED_CHECKPOINT_S3_BUCKET, same endpoint; its own keys in VETTED_CHECKPOINT_S3_ACCESS_KEY/_SECRET_KEY), so
# that whoever holds the files' keys cannot also rewrite the checkpoints.
VETTED_CHECKPOINT_STORE = env.str("VETTED_CHECKPOINT_STORE", default="file").strip().lower()
if VETTED_CHECKPOINT_STORE not in ("file", "objects"):
    raise ImproperlyConfigured(
        f"VETTED_CHECKPOINT_STORE must be file or objects, got {VETTED_CHECKPOINT_STORE!r}"
    )
if env.str("VETTED_CHECKPOINT_S3_BUCKET", default=""):
    if VETTED_STORAGE != "s3":
        raise ImproperlyConfigured(
            "VETTED_CHECKPOINT_S3_BUCKET needs VETTED_STORAGE=s3 (its endpoint and region)."
        )
    STORAGES["checkpoints"] = {
        "BACKEND": "vendors.storage.PrivateObjectStorage",
        "OPTIONS": {
            **_private_storage["OPTIONS"],
            "bucket_name": env.str("VETTED_CHECKPOINT_S3_BUCKET"),
            "location": "",
            "access_key": env.str("VETTED_CHECKPOINT_S3_ACCESS_KEY", default="")
            or _private_storage["OPTIONS"]["access_key"],
            "secret_key": env.str("VETTED_CHECKPOINT_S3_SECRET_KEY", default="")
            or _private_storage["OPTIONS"]["secret_key"],
        },
    }
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 25, minimum=1) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "vendors.upload_names.FileNameCheckHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Vetted <vetted@localhost>")
# Seconds to wait for the mail server; without it a hung server holds a worker (or, in-process, a request).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
# Where the links in notification e-mails point (reviews/notifications/mail.py). production.py requires it.
SITE_URL = env_site_url("SITE_URL", "http://127.0.0.1:8000")

# Celery: Redis from REDIS_URL is the broker on the real stack; without it tasks run in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Without a broker (the embedded default) the web process runs queued work itself, in this many background
# threads (reviews/queue.py): a sign-off answers at once and its dossier renders behind it.
VETTED_TASKS_IN_THREADS = env_bool("VETTED_TASKS_IN_THREADS", not REDIS_URL)
VETTED_TASK_THREADS = env_int("VETTED_TASK_THREADS", 2, minimum=1)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TIMEZONE = TIME_ZONE
# Exactly one beat (config/beat.py): a second one refuses to start while the first holds its lock in Redis,
# renewed every third of VETTED_BEAT_LOCK_SECONDS; beat wakes at least that often (30 s at most) to check it.
CELERY_BEAT_SCHEDULER = "config.beat:SingleBeatScheduler"
VETTED_BEAT_LOCK_SECONDS = env_int("VETTED_BEAT_LOCK_SECONDS", 90, minimum=6)
CELERY_BEAT_MAX_LOOP_INTERVAL = min(30, VETTED_BEAT_LOCK_SECONDS // 3)
CELERY_BEAT_SCHEDULE = {
    "vendors-lapse-approvals": {
        "task": "vendors.tasks.vendors_lapse_expired",
        "schedule": timedelta(hours=1),
    },
    # Hourly as well: the reminders are recorded, so each goes out once however often this runs.
    "reviews-remind-expiring-approvals": {
        "task": "reviews.tasks.approvals_remind_expiring",
        "schedule": timedelta(hours=1),
    },
    # Recorded like the renewal reminders: each catch-up reminder goes out once.
    "reviews-remind-catch-up-reviews": {
        "task": "reviews.tasks.catch_up_remind",
        "schedule": timedelta(hours=1),
    },
    # Anchors the audit log outside the database (reviews.audit.audit_checkpoint): hourly, so a truncated
    # tail loses at most an hour of unanchored events; each sign-off writes one as well.
    "reviews-checkpoint-audit-chain": {
        "task": "reviews.tasks.audit_checkpoint_write",
        "schedule": timedelta(hours=1),
    },
    "reviews-check-audit-chain": {
        "task": "reviews.tasks.audit_chain_check",
        "schedule": timedelta(days=1),
    },
    # The month's portfolio figures (portfolio.snapshots): rewritten each run, so the row holds them as the
    # month closes; one row per month however often it runs.
    "portfolio-snapshot-month": {
        "task": "portfolio.tasks.portfolio_snapshot_take",
        "schedule": timedelta(hours=6),
    },
    # A dossier signed while no TSA answered gets its timestamp once one does (reviews/dossier/archive.py).
    "reviews-dossier-timestamp-pending": {
        "task": "reviews.dossier.tasks.dossiers_timestamp_pending",
        "schedule": timedelta(hours=1),
    },
    # Monthly: the document timestamps (PAdES B-LTA) that keep the dossiers provable (docs/operations.md).
    "reviews-dossier-archive": {
        "task": "reviews.dossier.tasks.dossiers_archive_run",
        "schedule": timedelta(days=30),
    },
}

# Workflow rules, kept here so operators can see them in one place.
VETTED_SIGN_OFF_DEFAULT_MONTHS = env_int("VETTED_SIGN_OFF_DEFAULT_MONTHS", 12, minimum=1)
VETTED_CERT_EXPIRY_WARNING_DAYS = env_int("VETTED_CERT_EXPIRY_WARNING_DAYS", 30, minimum=0)
# The longest approval each risk tier allows (reviews.risk): the riskier the vendor, the sooner it is looked
# at again. A High-tier vendor also needs a PIPIA (PIPL Art. 55-56) and a compliance audit within 2 years.
VETTED_APPROVAL_MONTHS_HIGH = env_int("VETTED_APPROVAL_MONTHS_HIGH", 12, minimum=1)
VETTED_APPROVAL_MONTHS_MEDIUM = env_int("VETTED_APPROVAL_MONTHS_MEDIUM", 24, minimum=1)
VETTED_APPROVAL_MONTHS_LOW = env_int("VETTED_APPROVAL_MONTHS_LOW", 36, minimum=1)
# How many working days (China's, with its holidays and make-up days: reviews/working_days.py) a submitted
# stage may wait for its decision before the desk shows it overdue: VETTED_STAGE_OVERDUE_DAYS for every stage,
# or per stage with VETTED_STAGE_OVERDUE_DAYS_<KIND> (QUESTIONNAIRE, DATA_SOURCE, SECURITY, SIGN_OFF).
VETTED_STAGE_OVERDUE_DAYS = env_int("VETTED_STAGE_OVERDUE_DAYS", 5, minimum=1)
VETTED_STAGE_TARGET_DAYS = {
    kind: env_int(f"VETTED_STAGE_OVERDUE_DAYS_{kind.upper()}", VETTED_STAGE_OVERDUE_DAYS, minimum=1)
    for kind in ("questionnaire", "data_source", "security", "sign_off")
}
# A renewal review may start this many (calendar) days before an approval ends, so that the vendor can stay on
# the approved list without a gap.
VETTED_RENEWAL_WINDOW_DAYS = env_int("VETTED_RENEWAL_WINDOW_DAYS", 60, minimum=1)
# The inventory of platforms already in use (vendors/inventory): the most rows one file may hold, and the days
# Legal gives by default for a catch-up review (补齐审核).
VETTED_INVENTORY_MAX_ROWS = env_int("VETTED_INVENTORY_MAX_ROWS", 10000, minimum=1)
VETTED_CATCH_UP_DAYS = env_int("VETTED_CATCH_UP_DAYS", 90, minimum=1)
# The reminders, in China's working days before the date they are about (reviews/notifications/reminders.py,
# with the holidays and make-up days of reviews/working_days.py), so that a date just after the Spring
# Festival or National Day is reminded of before the holiday: the requester and Legal before an approval ends
# ("renewal"), the business owner before a catch-up review's deadline ("catch_up"). Each is sent once.
VETTED_REMINDER_WORKING_DAYS = {"renewal": (20, 5), "catch_up": (10, 3)}

# The cache: Redis when REDIS_URL is set, so that every process counts the API's rate limits together;
# memory of the one process otherwise (the embedded default).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "vetted",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# The marketing systems' API (api/): JSON only, a key per system, a rate per key.
VETTED_API_RATE = env_rate("VETTED_API_RATE", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.KeyHasScope"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vetted API",
    "DESCRIPTION": "May a marketing system send personal data to this vendor, for this use? And where does a "
    "marketing activity stand? Read-only; a key from Legal.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One named enum per vocabulary: several fields share a name ("status", "code") over different choices.
    "ENUM_NAME_OVERRIDES": {
        "VendorStatusEnum": "vendors.models.VendorStatus",
        "UseStatusEnum": "api.use_check.UseStatus",
        "ActivityStatusEnum": "activities.models.ActivityStatus",
        "OutcomeEnum": "activities.models.Outcome",
        "PurposeEnum": "vendors.scope.Purpose",
        "ChannelEnum": "vendors.scope.Channel",
        "DataCategoryEnum": "vendors.scope.DataCategory",
        "AudienceSourceEnum": "vendors.scope.AudienceSource",
        "CeilingEnum": "vendors.scope.Ceiling",
        "ScopeConditionEnum": "vendors.scope.ScopeCondition",
        "OwnChannelKindEnum": "vendors.scope.OwnChannelKind",
    },
    # Swagger UI from drf-spectacular-sidecar, served from our own static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    # Without deep links: Swagger UI then writes each operation's summary as one button, not a link inside a
    # button (a control nested in a control, which screen readers cannot reach).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Someone given a deciding role (Legal, Security) waits this long before deciding a stage or signing off, so
# that a role granted to oneself cannot be used at once and Legal, mailed about it, can object (I4).
VETTED_ROLE_GRANT_WAIT_HOURS = env_int("VETTED_ROLE_GRANT_WAIT_HOURS", 24)

# The longest an audited change waits for the audit chain's lock (reviews/audit.py) on PostgreSQL before the
# user is told the site is busy and to try again (503); a slow transaction never stalls every other write.
VETTED_AUDIT_LOCK_TIMEOUT_SECONDS = env_int("VETTED_AUDIT_LOCK_TIMEOUT_SECONDS", 5, minimum=1)

# The approval dossier's signature and embedded files (reviews/dossier/signing.py, README "The dossier").
# A PKCS#12 archive, or a PEM (or DER) key and certificate, opened with the passphrase; a CA's intermediate
# certificates may come in VETTED_SIGNING_CHAIN (PEM). Production requires a readable key (production.py).
VETTED_SIGNING_PKCS12 = env.str("VETTED_SIGNING_PKCS12", default="")
VETTED_SIGNING_KEY = env.str("VETTED_SIGNING_KEY", default="")
VETTED_SIGNING_CERT = env.str("VETTED_SIGNING_CERT", default="")
VETTED_SIGNING_CHAIN = env.str("VETTED_SIGNING_CHAIN", default="")
VETTED_SIGNING_PASSPHRASE = env.str("VETTED_SIGNING_PASSPHRASE", default="")
VETTED_SIGNING_REQUIRED = False
# The place the dossier's signature names (e.g. "Shanghai"); empty leaves it out. Never a URL.
VETTED_SIGNING_LOCATION = env.str("VETTED_SIGNING_LOCATION", default="")
# RFC 3161 time-stamping authorities, tried in order (separated by spaces or commas); unset, signing needs no
# network (PAdES B-B instead of B-LT). VETTED_TSA_TRUST: a PEM file of the TSAs' root certificates, so that
# their validation data is embedded. Document timestamps for archiving every VETTED_DOSSIER_ARCHIVE_DAYS.
VETTED_TSA_URL = env_urls("VETTED_TSA_URL", "")
VETTED_TSA_TIMEOUT = env_int("VETTED_TSA_TIMEOUT", 10, minimum=1)
VETTED_TSA_TRUST = env.str("VETTED_TSA_TRUST", default="")
VETTED_DOSSIER_ARCHIVE_DAYS = env_int("VETTED_DOSSIER_ARCHIVE_DAYS", 365, minimum=30)
# Files larger than this are listed in the dossier with their hash instead of embedded; so are the files
# past the total, which keeps a dossier small enough to mail and to open.
VETTED_DOSSIER_ATTACHMENT_MAX_MB = env_int("VETTED_DOSSIER_ATTACHMENT_MAX_MB", 20)
VETTED_DOSSIER_ATTACHMENTS_TOTAL_MAX_MB = env_int("VETTED_DOSSIER_ATTACHMENTS_TOTAL_MAX_MB", 200)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pyHanko logs a traceback for every untrusted certificate path; verify_dossier reports it plainly.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
        "axes": {"level": "WARNING"},  # every sign-in is logged at INFO; the lockouts are in the audit log
    },
}

SITE_TITLE = _("Vetted")
