"""Decider holds (reviews.models.DeciderHold: an account changed by someone else decides nothing for a while,
a password set by someone else until its owner sets their own), and the role groups fixed: on PostgreSQL a
trigger refuses renaming or deleting a role group, whoever asks, the app's own role included (it owns no
table, so it cannot drop or disable the trigger: docs/operations.md "Database roles"). reviews.role_changes
refuses the same in Python on every database."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The roles as they are named when this migration runs (reviews.roles.Role).
ROLES = ("Requester", "Security", "Legal", "Auditor", "Executive")

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION reviews_role_group_fixed() RETURNS trigger AS $$
BEGIN
    IF OLD.name IN (%(roles)s) AND (TG_OP = 'DELETE' OR NEW.name IS DISTINCT FROM OLD.name) THEN
        RAISE EXCEPTION 'the role group % is fixed: % refused', OLD.name, TG_OP;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.name IN (%(roles)s) AND NEW.name IS DISTINCT FROM OLD.name THEN
        RAISE EXCEPTION 'no group may be renamed to the role %', NEW.name;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reviews_role_group_fixed
    BEFORE UPDATE OR DELETE ON auth_group
    FOR EACH ROW EXECUTE FUNCTION reviews_role_group_fixed();
""".replace("%(roles)s", ", ".join(f"'{name}'" for name in ROLES))
DROP_SQL = """
DROP TRIGGER IF EXISTS reviews_role_group_fixed ON auth_group;
DROP FUNCTION IF EXISTS reviews_role_group_fixed();
"""


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
        ("reviews", "0021_approval_scope"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DeciderHold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "change",
                    models.CharField(
                        choices=[
                            ("password_set", "password set by someone else"),
                            ("email", "e-mail address changed"),
                            ("flags", "superuser, staff or active flag changed"),
                        ],
                        max_length=16,
                        verbose_name="change",
                    ),
                ),
                ("since", models.DateTimeField(default=django.utils.timezone.now, verbose_name="since")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "decider hold",
                "verbose_name_plural": "decider holds",
                "constraints": [
                    models.UniqueConstraint(fields=("user", "change"), name="decider_hold_once_per_change")
                ],
            },
        ),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
