"""Groups for the four roles, and a PostgreSQL trigger that refuses UPDATE and DELETE on the audit log, so
that even raw SQL through the application's connection cannot rewrite history (I5)."""

from django.db import migrations

GROUP_PERMISSIONS = {
    "Requester": [("reviews", "review", "request_review"), ("reviews", "review", "view_review")],
    "Security": [
        ("reviews", "review", "decide_security_stage"),
        ("reviews", "review", "read_all_reviews"),
        ("reviews", "review", "view_review"),
        ("reviews", "stage", "view_stage"),
        ("reviews", "evidence", "view_evidence"),
        ("reviews", "decision", "view_decision"),
        ("reviews", "auditevent", "view_auditevent"),
        ("vendors", "vendor", "view_vendor"),
        ("vendors", "certification", "view_certification"),
        ("reviews", "dossier", "view_dossier"),
        ("reviews", "answer", "view_answer"),
        ("reviews", "signoff", "view_signoff"),
    ],
    "Legal": [
        ("reviews", "review", "decide_legal_stages"),
        ("reviews", "review", "sign_off_review"),
        ("reviews", "review", "read_all_reviews"),
        ("reviews", "review", "view_review"),
        ("reviews", "stage", "view_stage"),
        ("reviews", "evidence", "view_evidence"),
        ("reviews", "decision", "view_decision"),
        ("reviews", "signoff", "view_signoff"),
        ("reviews", "auditevent", "view_auditevent"),
        ("reviews", "answer", "view_answer"),
        ("reviews", "dossier", "view_dossier"),
        ("vendors", "vendor", "view_vendor"),
        ("vendors", "vendor", "change_vendor"),
        ("vendors", "certification", "view_certification"),
        ("reviews", "questionnairetemplate", "view_questionnairetemplate"),
        ("reviews", "question", "view_question"),
    ],
    "Auditor": [
        ("reviews", "review", "read_all_reviews"),
        ("reviews", "review", "view_review"),
        ("reviews", "stage", "view_stage"),
        ("reviews", "evidence", "view_evidence"),
        ("reviews", "decision", "view_decision"),
        ("reviews", "signoff", "view_signoff"),
        ("reviews", "auditevent", "view_auditevent"),
        ("reviews", "answer", "view_answer"),
        ("reviews", "dossier", "view_dossier"),
        ("vendors", "vendor", "view_vendor"),
        ("vendors", "certification", "view_certification"),
        ("reviews", "questionnairetemplate", "view_questionnairetemplate"),
        ("reviews", "question", "view_question"),
    ],
}

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
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, codename in perms:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, content_type__model=model, codename=codename
                )
            )


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
