"""Legal reads the failed sign-ins and unlocks locked users and addresses in the admin (django-axes records;
reviews/admin/throttle.py audits each unlock). Deleting an attempt record is what unlocks."""

from django.db import migrations

from reviews.grants import LEGAL_UNLOCKS_SIGN_INS, permissions_grant, permissions_revoke


def grant(apps, schema_editor):
    permissions_grant(apps, LEGAL_UNLOCKS_SIGN_INS)


def revoke(apps, schema_editor):
    permissions_revoke(apps, LEGAL_UNLOCKS_SIGN_INS)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0006_contact_link_request_key"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
