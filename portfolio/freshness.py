"""The version of the data the portfolio's figures read, so that each figure is computed once per change of
that data instead of once per request (docs/domain.md "How current the figures are").

The figures read the vendors, the reviews and their stages, the marketing activities and their scope
extensions, and the monthly snapshots (`WATCHED`). Every statement that writes one of those tables, whatever
wrote it (a model's save or delete, a queryset's update or delete, bulk_create, bulk_update, a migration, raw
SQL through Django's connection, a test's flush), is seen by a wrapper that every database connection runs
its statements through (installed when the connection opens, from PortfolioConfig.ready). Once the
transaction that wrote it commits, the version is replaced by a new random one (`transaction.on_commit`; at
once in autocommit), so the next request computes the figures again, and every request after it reads them
from the cache under the new version until the next write.

The version lives in the cache (Redis on the real stack, so every process sees the same one), keyed by the
database it describes. It is random, never a counter: a version lost from the cache is replaced by a new one,
never by an old one whose figures might still be cached.

While a connection's own transaction has written a watched table and not committed yet, its figures are
computed without the cache and not kept (`writes_pending`): they may include what a rollback will undo."""

import re
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created

# Statements that write a table: the table follows the verb. TRUNCATE may name several.
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)
_TRUNCATE = re.compile(r"\s*TRUNCATE\b", re.IGNORECASE)

VERSION_KEY = "portfolio:data-version:{database}"


def watched_tables() -> frozenset[str]:
    """The tables the portfolio's figures read."""
    from activities.models import Activity, ScopeExtension
    from reviews.models import Review, Stage
    from vendors.models import Vendor

    from .models import PortfolioSnapshot

    models = (Vendor, Review, Stage, Activity, ScopeExtension, PortfolioSnapshot)
    return frozenset(model._meta.db_table for model in models)


_watched: set[str] = set()  # filled by connect(), once the apps are loaded


def _database(connection) -> str:
    settings = connection.settings_dict
    return f"{settings.get('HOST') or ''}:{settings.get('PORT') or ''}/{settings['NAME']}"


def _version_key(connection) -> str:
    return VERSION_KEY.format(database=_database(connection))


def data_version(using: str = DEFAULT_DB_ALIAS) -> str:
    """The version of the watched data of the database `using`, as this moment's committed state has it."""
    key = _version_key(connections[using])
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    return version


class _Bump:
    """A new version for one database: run once a transaction that wrote a watched table commits."""

    def __init__(self, connection):
        self.key = _version_key(connection)

    def __call__(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, timeout=None)


def writes_pending(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the connection's open transaction has written a watched table (its new version waits for the
    commit; a rollback forgets it, as it forgets every callback of what it undoes)."""
    connection = connections[using]
    return connection.in_atomic_block and any(
        isinstance(func, _Bump) for _ids, func, *_ in connection.run_on_commit
    )


def _writes_watched(sql: str) -> bool:
    if sql[:6].upper() == "SELECT":
        return False
    found = _WRITE.match(sql)
    if found is not None:
        return found.group(1).rsplit(".", 1)[-1] in _watched
    if _TRUNCATE.match(sql):
        return any(f'"{table}"' in sql or f" {table}" in sql for table in _watched)
    return False


def _watch(execute, sql, params, many, context):
    """The connection's wrapper: run the statement, then, if it wrote a watched table, have the version
    replaced once it is committed (after the statement, so that the new version never comes before the
    data it stands for)."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and _writes_watched(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:
            _Bump(connection)()  # autocommit (or a transaction managed by hand): the write stands now
        elif not writes_pending(connection.alias):
            transaction.on_commit(_Bump(connection), using=connection.alias, robust=True)
    return result


def _install(sender, connection, **kwargs) -> None:
    # First in the list, so that a caller's own `execute_wrapper()` block, which pops the last, stays intact.
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def connect() -> None:
    """Watch every connection, opened now or later (PortfolioConfig.ready)."""
    _watched.update(watched_tables())
    connection_created.connect(_install, dispatch_uid="portfolio-freshness")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)
