"""Group permissions granted by migrations, in one place: each migration that adds a role's permissions
names them ({group: [(app_label, model, codename), ...]}) and calls permissions_grant from a RunPython."""


def permissions_grant(apps, grants: dict) -> None:
    """Grant `grants` with the historical models of `apps`, creating the permissions first: a fresh database
    has none until post_migrate, which runs only after every migration."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in grants.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, model, codename in perms:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, content_type__model=model, codename=codename
                )
            )
