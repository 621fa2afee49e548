"""What each role may see of activities and scope extensions in the admin (decisions go through
activities.services, which check the role themselves)."""

from django.db import migrations

VIEW = [
    ("activities", "activity", "view_activity"),
    ("activities", "scopeextension", "view_scopeextension"),
    ("activities", "extensionfile", "view_extensionfile"),
]
GRANTS = {
    "Legal": VIEW
    + [("activities", "activity", "decide_activity"), ("activities", "scopeextension", "decide_extension")],
    "Security": VIEW + [("activities", "scopeextension", "decide_extension")],
    "Auditor": VIEW,
}


def grant(apps, schema_editor):
    from reviews.grants import permissions_grant

    permissions_grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_initial"),
        ("reviews", "0021_approval_scope"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
