"""The permissions of the role groups, granted by migrations, in one place: the grant loop (permissions_grant,
and permissions_revoke to undo one) and the tables the migrations grant, each named for what it gives.

Each table is what one migration granted when it ran (the migration says which), so a table is never edited:
a change to a role's permissions is a new table and a new migration. The tests restore every table after a
transactional test's flush (REFERENCE_GRANTS), the activities' own with them (activities.grants)."""

# {group name: [(app_label, model, codename), ...]}
Grants = dict[str, list[tuple[str, str, str]]]

# What each reader of every review holds (Security, Legal, the Auditor): the reviews and their record, read-only.
_READS_EVERY_REVIEW = [
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
]
_READS_QUESTIONNAIRES = [
    ("reviews", "questionnairetemplate", "view_questionnairetemplate"),
    ("reviews", "question", "view_question"),
]

# reviews 0002: the four roles of the vetting (docs/architecture.md "People").
ROLE_GROUPS: Grants = {
    "Requester": [("reviews", "review", "request_review"), ("reviews", "review", "view_review")],
    "Security": [("reviews", "review", "decide_security_stage"), *_READS_EVERY_REVIEW],
    "Legal": [
        ("reviews", "review", "decide_legal_stages"),
        ("reviews", "review", "sign_off_review"),
        ("vendors", "vendor", "change_vendor"),
        *_READS_EVERY_REVIEW,
        *_READS_QUESTIONNAIRES,
    ],
    "Auditor": [*_READS_EVERY_REVIEW, *_READS_QUESTIONNAIRES],
}

# reviews 0005: readers of every review see who was let in through a link, in the reviewers' desk (read-only).
CONTACT_LINK_READERS: Grants = {
    role: [("reviews", "contactlink", "view_contactlink")] for role in ("Security", "Legal", "Auditor")
}

# reviews 0007: Legal reads the failed sign-ins and unlocks locked users and addresses in the admin (django-axes
# records; reviews/admin/throttle.py audits each unlock). Deleting an attempt record is what unlocks.
LEGAL_UNLOCKS_SIGN_INS: Grants = {
    "Legal": [
        ("axes", "accessattempt", "view_accessattempt"),
        ("axes", "accessattempt", "delete_accessattempt"),
        ("axes", "accesslog", "view_accesslog"),
        ("axes", "accessfailurelog", "view_accessfailurelog"),
    ],
}

# reviews 0015: Legal creates and revokes the marketing systems' keys; the Auditor reads who holds one and when
# it was used.
API_KEY_KEEPERS: Grants = {
    "Legal": [("reviews", "apikey", "add_apikey"), ("reviews", "apikey", "view_apikey")],
    "Auditor": [("reviews", "apikey", "view_apikey")],
}

# reviews 0016: the Executive group (管理层), a CMO-level reader of the portfolio at a glance. It holds no model
# permission: the portfolio's figures are shown by portfolio, and reviews.access decides who sees them.
EXECUTIVE_GROUP: Grants = {"Executive": []}

REFERENCE_GRANTS: tuple[Grants, ...] = (
    ROLE_GROUPS,
    CONTACT_LINK_READERS,
    LEGAL_UNLOCKS_SIGN_INS,
    API_KEY_KEEPERS,
    EXECUTIVE_GROUP,
)


def _permission(permission_model, app_label: str, model: str, codename: str):
    return permission_model.objects.get(
        content_type__app_label=app_label, content_type__model=model, codename=codename
    )


def permissions_grant(apps, grants: Grants) -> None:
    """Grant `grants` with the models of `apps` (a migration's historical models, or django.apps.apps),
    creating the groups and the permissions first: a fresh database has no permission until post_migrate,
    which runs only after every migration."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # create_permissions skips an app without a models module, which the historical apps never have.
        kept = getattr(app_config, "models_module", None)
        app_config.models_module = kept or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = kept
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in grants.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*(_permission(Permission, *perm) for perm in perms))


def permissions_revoke(apps, grants: Grants) -> None:
    """Take `grants` back from the groups that hold them (a migration's reverse); the groups stay."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in grants.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*(_permission(Permission, *perm) for perm in perms))
