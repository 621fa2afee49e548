"""Groups for the four roles, and a PostgreSQL trigger that refuses UPDATE and DELETE on the audit log, so
that even raw SQL through the application's connection cannot rewrite history (I5)."""

from django.db import migrations

from reviews.grants import ROLE_GROUPS, permissions_grant

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION reviews_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'reviews_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reviews_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON reviews_auditevent
    FOR EACH ROW EXECUTE FUNCTION reviews_auditevent_append_only();
CREATE TRIGGER reviews_auditevent_no_truncate
    BEFORE TRUNCATE ON reviews_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION reviews_auditevent_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS reviews_auditevent_no_truncate ON reviews_auditevent;
DROP TRIGGER IF EXISTS reviews_auditevent_no_update_delete ON reviews_auditevent;
DROP FUNCTION IF EXISTS reviews_auditevent_append_only();
"""


def create_groups(apps, schema_editor):
    permissions_grant(apps, ROLE_GROUPS)


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(TRIGGER_SQL)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("vendors", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
