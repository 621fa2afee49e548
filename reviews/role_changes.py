"""Role changes are audited and told to Legal (I4: segregation of duties holds only while roles are honest).

Giving or taking one of the four roles (the Django groups of reviews.roles.Role), from either side of the
membership (a user's groups or a group's users, clear included), making or unmaking a superuser or staff
member, and deactivating or reactivating a user each append an audit event naming the actor, the target and
the old and new value, and mail Legal once, in both languages. The actor comes from the request
(reviews.middleware); outside a request it is the system. A grant is also kept as a RoleGrant, which the
workflow's waiting period reads (reviews.workflow)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .audit import audit_record
from .middleware import current_actor
from .models import RoleGrant
from .notifications import notify
from .roles import Role

User = get_user_model()
ROLES = frozenset(Role.values)
# Flag -> (event when it turns on, event when it turns off).
FLAGS = {
    "is_superuser": ("user.superuser_granted", "user.superuser_revoked"),
    "is_staff": ("user.staff_granted", "user.staff_revoked"),
    "is_active": ("user.reactivated", "user.deactivated"),
}


def _roles(user_pk: int) -> list[str]:
    return sorted(set(Group.objects.filter(user=user_pk).values_list("name", flat=True)) & ROLES)


def _record(action: str, user, data: dict) -> None:
    event = audit_record(action=action, actor=current_actor(), obj=user,
                         data={"target": user.get_username(), **data})
    notify.role_changed(event)


def _role_changed(user, role: str, granted: bool) -> None:
    new = _roles(user.pk)
    old = sorted(set(new) - {role}) if granted else sorted({*new, role})
    if granted:
        RoleGrant.objects.update_or_create(user=user, role=role, defaults={"granted_at": timezone.now()})
    else:
        RoleGrant.objects.filter(user=user, role=role).delete()
    _record("role.granted" if granted else "role.revoked", user, {"role": role, "old": old, "new": new})


def _members(instance, reverse: bool, pk_set) -> list[tuple]:
    """(user, role name) pairs a membership change touches, restricted to the four roles."""
    if reverse:  # group.user_set.add(...): one group, several users
        if instance.name not in ROLES:
            return []
        return [(user, instance.name) for user in User.objects.filter(pk__in=pk_set or ())]
    names = Group.objects.filter(pk__in=pk_set or (), name__in=ROLES).values_list("name", flat=True)
    return [(instance, name) for name in names]


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="reviews-role-changes")
def audit_membership(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action in ("pre_remove", "pre_clear"):
        # Only what is really there is removed: Django passes the pks asked for (remove) or none (clear).
        current = (set(instance.user_set.values_list("pk", flat=True)) if reverse
                   else set(instance.groups.values_list("pk", flat=True)))
        instance._vetted_leaving = _members(instance, reverse, current & set(pk_set) if pk_set else current)
    elif action in ("post_remove", "post_clear"):
        for user, role in getattr(instance, "_vetted_leaving", []):
            _role_changed(user, role, granted=False)
        instance._vetted_leaving = []
    elif action == "post_add":
        for user, role in _members(instance, reverse, pk_set):
            _role_changed(user, role, granted=True)


@receiver(pre_save, sender=User, dispatch_uid="reviews-user-flags-before")
def remember_flags(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not set(update_fields) & set(FLAGS):
        instance._vetted_flags = None  # a login's last_login: no flag can change, no query
        return
    old = User.objects.filter(pk=instance.pk).values(*FLAGS).first() if instance.pk else None
    instance._vetted_flags = old or {"is_superuser": False, "is_staff": False, "is_active": True}


@receiver(post_save, sender=User, dispatch_uid="reviews-user-flags-after")
def audit_flags(sender, instance, created, **kwargs):
    old = getattr(instance, "_vetted_flags", None)
    if old is None:
        return
    for flag, (turned_on, turned_off) in FLAGS.items():
        new = getattr(instance, flag)
        if new != old[flag]:
            _record(turned_on if new else turned_off, instance, {"flag": flag, "old": old[flag], "new": new})
    instance._vetted_flags = None
