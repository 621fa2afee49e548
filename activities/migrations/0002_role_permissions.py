"""What each role may see of activities and scope extensions in the admin (decisions go through
activities.services, which check the role themselves)."""

from django.db import migrations

from activities.grants import ACTIVITY_READERS_AND_DECIDERS
from reviews.grants import permissions_grant


def grant(apps, schema_editor):
    permissions_grant(apps, ACTIVITY_READERS_AND_DECIDERS)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_initial"),
        ("reviews", "0021_approval_scope"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
