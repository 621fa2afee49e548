from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEV_AUDIT_KEY, env, env_bool, env_int

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production refuses to start without it: set SECRET_KEY to a long random value."
    )
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set: list the host names this site answers to.")
if not env.str("SITE_URL", default=""):
    # The default (the local dev server) would send every e-mail recipient to their own machine.
    raise ImproperlyConfigured(
        "SITE_URL is not set: give the address users reach this site at, "
        "e.g. https://vetted.example.com; the links in e-mails are built on it."
    )
_audit_key = env.str("VETTED_AUDIT_KEY", default="")
if not _audit_key or _audit_key in (DEV_AUDIT_KEY, SECRET_KEY) or len(_audit_key) < 32:  # noqa: F405
    raise ImproperlyConfigured(
        "VETTED_AUDIT_KEY is not set, or is the development default, SECRET_KEY, or shorter than 32 characters. "
        "Production refuses to start without it: it keys the audit log's hash chain and its checkpoints. Set it "
        "to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(48))'), keep it outside "
        "the database and its backups, and never change it: events keyed with a lost key cannot be verified."
    )

# The process's role (docs/operations.md "Process roles"; `make serve ROLE=...` sets it): "web" (gunicorn),
# "worker" (Celery: renders and signs dossiers, sends mail), "beat" (the one scheduler), or "all" (one host
# running the three, the default).
VETTED_ROLE = env.str("VETTED_ROLE", default="all")
if VETTED_ROLE not in ("web", "worker", "beat", "all"):
    raise ImproperlyConfigured(f"VETTED_ROLE must be web, worker, beat or all, got {VETTED_ROLE!r}")
if VETTED_ROLE == "web" and not REDIS_URL:  # noqa: F405
    # Without a broker a web process would render (and sign) dossiers itself.
    raise ImproperlyConfigured(
        "VETTED_ROLE is web but REDIS_URL is not set: a web host hands dossiers and mail to the workers "
        "through Redis."
    )
# A dossier handed to an auditor must be signed (README "The approval dossier"): a process that signs (a
# worker, or a host running everything) refuses to start without a usable key (reviews/apps.py), naming the
# setting and the file, never the passphrase. Web and beat processes never sign, so the key stays off them.
VETTED_SIGNING_REQUIRED = VETTED_ROLE in ("worker", "all")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer probes over plain HTTP from inside the network; a redirect would read as a failure.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The documented deployment puts a TLS proxy in front of gunicorn on this machine (docs/operations.md
# "Deployment"), so by default one proxy is trusted, from the loopback addresses: each client is counted by its
# own address, not all of them by the proxy's. A header from any other peer is ignored (reviews/throttle.py),
# and trusting proxies without saying where they connect from stops start-up.
VETTED_TRUSTED_PROXIES = env_int("VETTED_TRUSTED_PROXIES", 1)
if VETTED_TRUSTED_PROXIES and not VETTED_TRUSTED_PROXY_ADDRESSES:  # noqa: F405
    raise ImproperlyConfigured(
        "VETTED_TRUSTED_PROXIES is set but VETTED_TRUSTED_PROXY_ADDRESSES is empty: list the addresses your "
        "proxies connect from (127.0.0.1 for a proxy on this machine), or X-Forwarded-For cannot be trusted."
    )
