"""The PostgreSQL server the benchmarks make their throwaway databases on: its address, the address of one of
its databases, and statements run outside any database (CREATE and DROP DATABASE)."""

import os
from urllib.parse import urlsplit, urlunsplit

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def server_url(variable: str = "DATABASE_URL") -> str:
    """The server named by the environment `variable` (its database part is ignored), or the local one."""
    return os.environ.get(variable, DEFAULT_SERVER)


def database_url(database: str, *, variable: str = "DATABASE_URL") -> str:
    parts = urlsplit(server_url(variable))
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def admin_sql(sql: str, params=None, *, variable: str = "DATABASE_URL"):
    """Run `sql` on the server's maintenance database, in autocommit; returns the first row, if any."""
    import psycopg

    with psycopg.connect(database_url("postgres", variable=variable), autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchone() if cursor.description else None
