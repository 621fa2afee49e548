"""Legal reads the failed sign-ins and unlocks locked users and addresses in the admin (django-axes records;
reviews/admin/throttle.py audits each unlock). Deleting an attempt record is what unlocks."""

from django.db import migrations

GROUP_PERMISSIONS = {
    "Legal": [
        ("axes", "accessattempt", "view_accessattempt"),
        ("axes", "accessattempt", "delete_accessattempt"),
        ("axes", "accesslog", "view_accesslog"),
        ("axes", "accessfailurelog", "view_accessfailurelog"),
    ],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    axes = apps.get_app_config("axes")
    axes.models_module = True
    create_permissions(axes, verbosity=0, apps=apps)
    axes.models_module = None
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


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUP_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label__in=[p[0] for p in perms], codename__in=[p[2] for p in perms]
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0006_contact_link_request_key"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
