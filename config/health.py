"""/health/ for load balancers and monitors: is this process able to serve? Unauthenticated, so it says no more
than "ok" or "failing" per check: no exception text, no host names, ports or versions (a failing check's
cause is logged on the server, where the operator reads it). 200 when every check passes, 500 otherwise;
JSON by default or with ?format=json, plain text with ?format=text or Accept: text/plain.

The checks are django-health-check's (database, file storage, the Redis broker) and one of ours, pending
migrations: a process started on code newer than its database must not take traffic. The broker is checked
only when Celery has one (REDIS_URL); without it tasks run in-process and there is nothing to reach."""

import asyncio
import dataclasses
import functools

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpResponse, JsonResponse
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

OK, FAILING = "ok", "failing"


@functools.cache
def code_migrations() -> tuple[
    frozenset[tuple[str, str]], dict[tuple[str, str], tuple[tuple[str, str], ...]]
]:
    """Every migration the code holds, and what each squashed one replaces: read from disk once per process
    (the code does not change under a running process; reading it is most of what the check cost)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes), {key: tuple(m.replaces) for key, m in loader.replacements.items()}


def pending_migrations(applied) -> list[tuple[str, str]]:
    """The code's migrations not applied to the database: a squashed one counts as applied when it is, or when
    every migration it replaces is (as Django's own loader reads it)."""
    nodes, replacements = code_migrations()
    return sorted(
        key
        for key in nodes
        if key not in applied and not (key in replacements and all(r in applied for r in replacements[key]))
    )


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Fails while migrations are not applied (or the database cannot be read to tell)."""

    def run(self):
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            applied = MigrationRecorder(connection).applied_migrations()
        finally:
            # Run in a worker thread: its connection is its own, and nothing else would close it.
            connection.close()
        if pending_migrations(applied):
            raise ServiceUnavailable("migrations pending")


@dataclasses.dataclass
class PrivateStorage(Storage):
    """Writes, reads and deletes a probe file in the configured private storage: the local directory, or the
    object store every host shares (a host that cannot reach the bucket is not healthy)."""

    alias: str = "private"

    def run(self):
        # The probe is on no record: removed without the storage's search for records naming it (a query from
        # the check's thread, which would need a database connection of its own).
        file_name = self.get_file_name()
        try:
            file_name = self.check_save(file_name, self.get_file_content())
            self.storage.delete_unrecorded(file_name)
            if self.storage.exists(file_name):
                raise ServiceUnavailable("File was not deleted")
        finally:
            self.storage.delete_unrecorded(file_name)


def _broker():
    from health_check.contrib.redis import Redis
    from redis.asyncio import Redis as RedisClient

    url = settings.CELERY_BROKER_URL
    return Redis(client_factory=lambda: RedisClient.from_url(url, socket_connect_timeout=2, socket_timeout=2))


def checks() -> dict:
    """Name shown -> check. Names are ours: the library's labels would show aliases and addresses."""
    named = {"database": Database(), "storage": PrivateStorage(), "migrations": Migrations()}
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        named["broker"] = _broker()
    return named


class Health(HealthCheckView):
    async def get(self, request, *args, **kwargs):
        named = checks()
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in named.values()))
        # The library logs each failure with its cause (logger "health_check"); the answer names none.
        statuses = {
            name: FAILING if result.error else OK for name, result in zip(named, results, strict=True)
        }
        failing = FAILING in statuses.values()
        status = 500 if failing else 200
        wants = request.GET.get("format") or (
            "text" if "text/plain" in request.headers.get("accept", "") else "json"
        )
        if wants == "text":
            body = "".join(f"{name}: {state}\n" for name, state in statuses.items())
            return HttpResponse(body, content_type="text/plain; charset=utf-8", status=status)
        return JsonResponse({"status": FAILING if failing else OK, "checks": statuses}, status=status)


health = Health.as_view()
