"""Give the application's PostgreSQL role what it needs to serve, and nothing that reaches the audit log's
guards (docs/operations.md "Database roles").

Run as the role that owns the tables (the one migrations run as), after `migrate`:

    DATABASE_URL=$DATABASE_OWNER_URL python manage.py db_app_role vetted_app

The application connects as that role (DATABASE_URL). It reads and writes rows, but owns no table: so it can
neither drop nor disable the triggers that keep the audit log append-only and the role groups fixed (only a
table's owner or a superuser can), nor TRUNCATE; on the audit log it may only read and append."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from reviews.models import AuditEvent

# Tables whose rows the application never changes: it may read them and add to them only.
APPEND_ONLY = (AuditEvent._meta.db_table,)


class Command(BaseCommand):
    help = (
        "Grant the application's PostgreSQL role the rights it serves with (read and write rows, use "
        "sequences; on the audit log read and append only), for today's tables and those migrations create "
        "later. Run as the tables' owner. Refuses a role that is a superuser or owns a table."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The role the application connects as (the user of DATABASE_URL).")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("db_app_role is for PostgreSQL; SQLite has no roles.")
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            if found is None:
                raise CommandError(
                    f"There is no role {role}: create it first (CREATE ROLE {role} LOGIN PASSWORD ...)."
                )
            if found[0] or found[1]:
                raise CommandError(
                    f"{role} is a superuser: it could disable the audit log's trigger. The application "
                    "needs a role of its own, without SUPERUSER."
                )
            cursor.execute("SELECT current_user")
            if cursor.fetchone()[0] == role:
                raise CommandError(
                    f"{role} is the role running this command, the tables' owner: the application "
                    "must connect as another role."
                )
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tableowner = %s",
                [role],
            )
            owned = [name for (name,) in cursor.fetchall()]
            if owned:
                raise CommandError(
                    f"{role} owns tables ({', '.join(sorted(owned)[:5])}...): an owner can disable "
                    "their triggers. Give them to the migrating role (ALTER TABLE ... OWNER TO ...) "
                    "first."
                )
            who = quote(role)
            statements = [
                f"GRANT USAGE ON SCHEMA {quote('public')} TO {who}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {quote('public')} TO {who}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote('public')} TO {who}",
                # Tables and sequences that later migrations create, as the role running this one.
                (
                    f"ALTER DEFAULT PRIVILEGES IN SCHEMA {quote('public')} GRANT SELECT, INSERT, UPDATE, DELETE ON "
                    f"TABLES TO {who}"
                ),
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA {quote('public')} GRANT USAGE, SELECT ON SEQUENCES TO {who}",
                *(
                    f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {quote(table)} FROM {who}"
                    for table in APPEND_ONLY
                ),
            ]
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            self.style.SUCCESS(
                f"{role} may read and write the rows of every table, and read and append to {', '.join(APPEND_ONLY)}; "
                "it owns no table, so the triggers are out of its reach."
            )
        )
