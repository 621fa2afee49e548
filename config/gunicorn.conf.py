"""gunicorn, as `make serve` and production run it: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be set from the environment (GUNICORN_*), so that one file serves a laptop trial and a
server. Strict parsing as in config/settings: a malformed number stops start-up naming the variable."""

import multiprocessing
import os


def _int(name: str, default: int, *, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise SystemExit(f"{name} must be at least {minimum}, got {value}")
    return value


# Loopback by default: a reverse proxy (or a load balancer) in front terminates TLS and forwards here.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: Django's views and the ORM are synchronous; one request per process at a time, so the
# number of workers is the number of requests served at once. 2 x cores, at least 4 (GUNICORN_WORKERS).
workers = _int("GUNICORN_WORKERS", max(4, 2 * multiprocessing.cpu_count()))
worker_class = "sync"
# A request still running after this is killed and its worker replaced: the longest page (the CSV export of
# the whole approved list) takes well under a second; dossiers render in Celery, never in a request.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (with jitter, so they do not all restart at once) to bound slow leaks.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000, minimum=0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200, minimum=0)
# Load Django once in the master and fork: workers start fast and share the code's memory. Database
# connections are opened per request (CONN_MAX_AGE 0), never in the master, so nothing is shared by mistake.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") not in ("0", "false", "no", "off")
# Request bodies are bounded by Django (DATA_UPLOAD_MAX_MEMORY_SIZE, UPLOAD_MAX_MB); headers here.
limit_request_line = 8190
limit_request_fields = 100

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client (as the proxy forwarded it), time, request line without the query string (search terms and tokens
# stay out of the log), status, bytes, duration in microseconds, user agent.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(D)sus "%(a)s"'
# Trust X-Forwarded-* only from the proxy on this machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "vetted"
# gunicorn's control socket (gunicornc) defaults to one path per user account, so two servers on one machine
# would take each other's: off unless GUNICORN_CONTROL_SOCKET names a path of this server's own.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


def pre_fork(server, worker):
    # Whatever the preloaded application opened stays in the master: a database connection inherited by two
    # workers would interleave their queries on one socket.
    from django.db import connections

    connections.close_all()
