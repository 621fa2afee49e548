"""The Executive group (管理层): a CMO-level reader of the portfolio at a glance. It holds no model
permission: the portfolio's figures are shown by portfolio, and reviews.access decides who sees them."""

from django.db import migrations

from reviews.grants import EXECUTIVE_GROUP, permissions_grant


def create_group(apps, schema_editor):
    permissions_grant(apps, EXECUTIVE_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0015_api_key"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_group, migrations.RunPython.noop),
    ]
