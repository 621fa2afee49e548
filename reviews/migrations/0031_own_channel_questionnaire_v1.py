"""Publish the own-channel questionnaire v1 (docs/domain.md "Own channels") from the plain data in
reviews/questionnaire/template_channel_v1.py."""

from django.db import migrations


def create_own_channel_questionnaire_v1(apps, schema_editor):
    from reviews.questionnaire import template_channel_v1
    from reviews.questionnaire.publish import publish_template

    publish_template(apps, template_channel_v1)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0030_questionnaire_subjects"),
    ]
    operations = [
        migrations.RunPython(create_own_channel_questionnaire_v1, migrations.RunPython.noop),
    ]
