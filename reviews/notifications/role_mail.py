"""The message that tells Legal and the superusers of a change that affects who may decide
(reviews.role_changes), in Chinese and English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from ..bilingual import Bi, bi
from ..models import AuditEvent
from ..roles import Role
from .mail import LABELS
from .notify import reachable_users

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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
    "user.email_changed": gettext_noop("had their e-mail address changed"),
    "user.password_set": gettext_noop(
        "had their password set by someone else: it must be changed at the next "
        "sign-in, and nothing can be decided with the account until then"
    ),
    "group.renamed": gettext_noop("(a group) was renamed"),
    "role.permissions_changed": gettext_noop(
        "(a role) had its permissions changed: its members decide again only after the waiting period"
    ),
}
# gettext_noop marks the messages that bi() translates both ways; the lazy ones are values printed in them.
ROLE_MAIL: dict[str, StrOrPromise] = {
    "subject": gettext_noop("Role change: %(target)s %(change)s"),
    "lead": gettext_noop(
        "%(actor)s changed an account at %(time)s: %(target)s %(change)s. Before: %(old)s. After: %(new)s."
    ),
    "check": gettext_noop(
        "If nobody agreed this change, undo it and find out who made it: a changed account "
        "or role decides nothing for %(hours)s hours."
    ),
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
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list):
        return (
            _Roles(value)
            if event.action in ("role.granted", "role.revoked")
            else (", ".join(value) or ROLE_MAIL["none"])
        )
    return value or ROLE_MAIL["none"]


def _recipients(event: AuditEvent) -> list[str]:
    """Legal and the superusers; for a changed e-mail address also the old one, and for a password set by
    someone else the account's own, so that its owner hears of it where they read."""
    users = (
        reachable_users().filter(Q(groups__name=Role.LEGAL) | Q(is_superuser=True)).distinct().order_by("pk")
    )
    addresses = list(dict.fromkeys(users.values_list("email", flat=True)))
    extra = []
    if event.action == "user.email_changed":
        extra.append(event.data.get("old") or "")
    elif event.action == "user.password_set" and event.object_type == "user":
        extra.extend(
            get_user_model()
            .objects.filter(pk=event.object_id)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    return addresses + [address for address in extra if address and address not in addresses]


def _both(message: StrOrPromise, params: Mapping[str, object]) -> Bi:
    """bi() where some values are already bilingual: each language takes its own."""
    return Bi(
        bi(message, **{k: v.zh if isinstance(v, Bi) else v for k, v in params.items()}).zh,
        bi(message, **{k: v.en if isinstance(v, Bi) else v for k, v in params.items()}).en,
    )


def role_change_deliver(*, event_id: int) -> int:
    """Mail one change to every reachable member of Legal and superuser (and _recipients' extra address);
    returns how many went out."""
    event = AuditEvent.objects.select_related("actor").get(pk=event_id)
    role = event.data.get("role")
    params = {
        "actor": event.actor.get_username() if event.actor else ROLE_MAIL["system"],
        "target": event.data.get("target", ""),
        "time": f"{timezone.localtime(event.at):%Y-%m-%d %H:%M} ({settings.TIME_ZONE})",
        "old": _value(event, "old"),
        "new": _value(event, "new"),
        "hours": settings.VETTED_ROLE_GRANT_WAIT_HOURS,
    }
    params["change"] = bi(CHANGES[event.action], role=Role(role).label if role in Role.values else role or "")
    lead, check = _both(ROLE_MAIL["lead"], params), bi(ROLE_MAIL["check"], **params)
    body = "\n".join([lead.zh, check.zh, "", lead.en, check.en, "", "--", *bi(LABELS["footer"]).lines, ""])
    # A header must stay on one line whatever a name holds.
    subject = " ".join(_both(ROLE_MAIL["subject"], params).inline.split())
    recipients = _recipients(event)
    for address in recipients:
        EmailMessage(subject, body, to=[address]).send()
    return len(recipients)
