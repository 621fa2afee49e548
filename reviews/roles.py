"""The four roles of DESIGN.md, as Django groups (created by migration 0003_groups)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REQUESTER = "Requester", _("Requester")
    SECURITY = "Security", _("Security")
    LEGAL = "Legal", _("Legal")
    AUDITOR = "Auditor", _("Auditor")


READ_ALL_ROLES = {Role.SECURITY, Role.LEGAL, Role.AUDITOR}


def roles_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_vetted_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._vetted_roles = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role in roles_of(user)


def reads_all(user) -> bool:
    return bool(roles_of(user) & READ_ALL_ROLES)
