"""For `make serve-env` only (a local trial): create the trial's PostgreSQL database and its two roles, and
print their URLs for var/serve.env (docs/operations.md "Database roles").

    python manage.py serve_database --admin-url postgres://postgres@127.0.0.1:5432/postgres

- the owner (default vetted_owner) owns the database and every table: migrations run as it
  (DATABASE_OWNER_URL), and it grants the application its rights (manage.py db_app_role);
- the application's role (default vetted_app) logs in to serve (DATABASE_URL) and owns nothing.

The admin URL (a superuser's) is used here and nowhere else; it is not written to the file. A real deployment
creates the roles with its own tooling, the same way."""

import secrets
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql


class Command(BaseCommand):
    help = (
        "Create the local trial's PostgreSQL database, owned by a migrating role, and the application's role, "
        "which owns nothing; print DATABASE_OWNER_URL and DATABASE_URL for var/serve.env."
    )

    def add_arguments(self, parser):
        parser.add_argument("--admin-url", required=True, help="A superuser's URL, used only to create them.")
        parser.add_argument("--database", default="vetted")
        parser.add_argument("--owner", default="vetted_owner")
        parser.add_argument("--app", default="vetted_app")

    def handle(self, *args, admin_url, database, owner, app, **options):
        if owner == app:
            raise CommandError("The owner and the application's role must differ.")
        passwords = {owner: secrets.token_urlsafe(24), app: secrets.token_urlsafe(24)}
        try:
            with psycopg.connect(admin_url, autocommit=True) as connection:
                for role, password in passwords.items():
                    exists = connection.execute(
                        "SELECT 1 FROM pg_roles WHERE rolname = %s", [role]
                    ).fetchone()
                    verb = "ALTER" if exists else "CREATE"
                    connection.execute(
                        sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB PASSWORD {}").format(
                            sql.SQL(verb), sql.Identifier(role), sql.Literal(password)
                        )
                    )
                if not connection.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [database]
                ).fetchone():
                    connection.execute(
                        sql.SQL("CREATE DATABASE {} OWNER {}").format(
                            sql.Identifier(database), sql.Identifier(owner)
                        )
                    )
            # In the new database, the owner's schema: PostgreSQL 15 lets only the database's owner create there.
            with psycopg.connect(_with(admin_url, database=database), autocommit=True) as connection:
                connection.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(owner)))
                connection.execute(sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
        except psycopg.Error as error:
            raise CommandError(f"PostgreSQL refused: {error}") from None
        self.stdout.write(
            f"DATABASE_OWNER_URL={_with(admin_url, database=database, user=owner, password=passwords[owner])}"
        )
        self.stdout.write(
            f"DATABASE_URL={_with(admin_url, database=database, user=app, password=passwords[app])}"
        )


def _with(url: str, *, database: str, user: str | None = None, password: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    if user is not None:
        netloc = f"{quote(user, safe='')}:{quote(password or '', safe='')}@{netloc}"
    elif "@" in parts.netloc:
        netloc = parts.netloc
    return urlunsplit((parts.scheme, netloc, "/" + database, parts.query, parts.fragment))
