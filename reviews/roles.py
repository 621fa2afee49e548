"""The roles of docs/architecture.md "People", as Django groups (created by migrations 0002_groups_and_audit_guard and
0016_executive_group)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REQUESTER = "Requester", _("Requester")
    SECURITY = "Security", _("Security")
    LEGAL = "Legal", _("Legal")
    AUDITOR = "Auditor", _("Auditor")
    # A CMO-level reader of the portfolio at a glance: figures across all vendors, no review's file.
    EXECUTIVE = "Executive", _("Executive")


READ_ALL_ROLES = {Role.SECURITY, Role.LEGAL, Role.AUDITOR}
PORTFOLIO_ROLES = READ_ALL_ROLES | {Role.EXECUTIVE}


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
