"""The message that tells Legal of a role change (reviews.role_changes), in Chinese and English."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from ..bilingual import Bi, bi
from ..models import AuditEvent
from ..roles import Role
from .mail import LABELS
from .notify import reachable_users

# What happened to the target, by audit action; %(role)s is the role's name.
CHANGES = {
    "role.granted": gettext_noop("was given the role %(role)s"),
    "role.revoked": gettext_noop("was removed from the role %(role)s"),
    "user.superuser_granted": gettext_noop("was made a superuser"),
    "user.superuser_revoked": gettext_noop("is no longer a superuser"),
    "user.staff_granted": gettext_noop("was given access to the admin (staff)"),
    "user.staff_revoked": gettext_noop("no longer has access to the admin (staff)"),
    "user.deactivated": gettext_noop("was deactivated"),
    "user.reactivated": gettext_noop("was reactivated"),
}
ROLE_MAIL = {
    "subject": gettext_noop("Role change: %(target)s %(change)s"),
    "lead": gettext_noop("%(actor)s changed an account at %(time)s: %(target)s %(change)s. Before: %(old)s. "
                         "After: %(new)s."),
    "check": gettext_noop("If nobody agreed this change, undo it and find out who made it: a role given to "
                          "oneself can decide stages only after %(hours)s hours."),
    "system": gettext_lazy("the system (a command or a scheduled task)"),
    "none": gettext_lazy("no role"),
}


class _Roles:
    """Role names, translated when printed (bilingual.bi prints each value under each language)."""

    def __init__(self, names: list[str]):
        self.names = names

    def __str__(self):
        return ", ".join(str(Role(name).label) for name in self.names) or str(ROLE_MAIL["none"])


def _value(event: AuditEvent, key: str):
    value = event.data.get(key)
    return _Roles(value) if isinstance(value, list) else ("✓" if value else "✗")


def _both(message: str, params: dict) -> Bi:
    """bi() where some values are already bilingual: each language takes its own."""
    return Bi(bi(message, **{k: v.zh if isinstance(v, Bi) else v for k, v in params.items()}).zh,
              bi(message, **{k: v.en if isinstance(v, Bi) else v for k, v in params.items()}).en)


def role_change_deliver(*, event_id: int) -> int:
    """Mail one role change to every reachable member of Legal; returns how many went out."""
    event = AuditEvent.objects.select_related("actor").get(pk=event_id)
    role = event.data.get("role")
    params = {
        "actor": event.actor.get_username() if event.actor else ROLE_MAIL["system"],
        "target": event.data.get("target", ""),
        "time": f"{timezone.localtime(event.at):%Y-%m-%d %H:%M} ({settings.TIME_ZONE})",
        "old": _value(event, "old"), "new": _value(event, "new"),
        "hours": settings.VETTED_ROLE_GRANT_WAIT_HOURS,
    }
    params["change"] = bi(CHANGES[event.action], role=Role(role).label if role else "")
    lead, check = _both(ROLE_MAIL["lead"], params), bi(ROLE_MAIL["check"], **params)
    body = "\n".join([lead.zh, check.zh, "", lead.en, check.en, "", "--", *bi(LABELS["footer"]).lines, ""])
    # A header must stay on one line whatever a name holds.
    subject = " ".join(_both(ROLE_MAIL["subject"], params).inline.split())
    recipients = list(reachable_users().filter(groups__name=Role.LEGAL).order_by("pk"))
    for user in recipients:
        EmailMessage(subject, body, to=[user.email]).send()
    return len(recipients)
