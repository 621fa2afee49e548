"""Publish questionnaire v1 (docs/domain.md "The questionnaire") from the plain data in reviews/questionnaire/template_v1.py."""

from django.db import migrations

from reviews.questionnaire.template_v1 import template_v1_publish


def create_questionnaire_v1(apps, schema_editor):
    template_v1_publish(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_groups_and_audit_guard"),
    ]
    operations = [
        migrations.RunPython(create_questionnaire_v1, migrations.RunPython.noop),
    ]
