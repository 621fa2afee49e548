"""Every change that affects who may decide is audited, told to Legal and the superusers, and waits (I4:
segregation of duties holds only while roles are honest; docs/architecture.md "People").

What is watched, from any side and any entry point (the admin's user and group pages, a command, a shell):

- giving or taking one of the roles (the Django groups of reviews.roles.Role), from either side of the
  membership (a user's groups or a group's users, clear included): `role.granted`, `role.revoked`, and a
  RoleGrant whose wait reviews.access.decider_check reads;
- the permissions of a role group: `role.permissions_changed`; every member's grant of that role starts its
  wait again;
- the roles are fixed groups: renaming or deleting one is refused (RoleGroupFixed here, and on PostgreSQL a
  trigger of migration 0023), so no other group can take a role's name; any other group's rename is audited
  (`group.renamed`);
- the superuser, staff and active flags (`user.superuser_granted` ...), the e-mail address the notices go
  to (`user.email_changed`), and a password set by someone else than its owner (`user.password_set`): each
  holds the account's decisions (reviews.models.DeciderHold), the password until its owner sets their own
  (`user.password_renewed`), the others for the waiting period.

Each event names the actor, the target, and the old and new value, and is mailed once, in both languages, to
Legal and the superusers (reviews.notifications.role_mail). The actor comes from the request
(reviews.middleware); outside a request it is the system."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .middleware import PASSWORD_CHANGE_REQUIRED, current_actor
from .models import AccountChange, DeciderHold, RoleGrant
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
# The columns of a user read before a save, when the save may change one of them.
WATCHED = (*FLAGS, "email", "password")

_provisioning: ContextVar[bool] = ContextVar("vetted_provisioning", default=False)


@contextmanager
def provisioning():
    """Set up accounts and reference data that are no change to anyone's standing: the demo's people
    (reviews.demo), whose passwords and addresses are set again on every seeding, and the role groups
    recreated after a test's flush. Inside, roles and flags are still audited, but a password, an e-mail
    address or a role group's permissions are not, and nothing holds a decision. Only code can enter it: no
    page, command option or setting does."""
    token = _provisioning.set(True)
    try:
        yield
    finally:
        _provisioning.reset(token)


class RoleGroupFixed(PermissionDenied):
    """A role group cannot be renamed or deleted: who decides is bound to its name (reviews.roles)."""


def _roles(user_pk: int) -> list[str]:
    return sorted(set(Group.objects.filter(user=user_pk).values_list("name", flat=True)) & ROLES)


def _record(action: str, obj, data: dict, *, target: str) -> None:
    event = audit_record(action=action, actor=current_actor(), obj=obj, data={"target": target, **data})
    notify.role_changed(event)


def _hold(user, change: str) -> None:
    if _provisioning.get():
        return
    DeciderHold.objects.update_or_create(user=user, change=change, defaults={"since": timezone.now()})


# -- roles -------------------------------------------------------------------------------------------------


def _role_changed(user, role: str, granted: bool) -> None:
    new = _roles(user.pk)
    old = sorted(set(new) - {role}) if granted else sorted({*new, role})
    if granted:
        RoleGrant.objects.update_or_create(user=user, role=role, defaults={"granted_at": timezone.now()})
    else:
        RoleGrant.objects.filter(user=user, role=role).delete()
    _record(
        "role.granted" if granted else "role.revoked",
        user,
        {"role": role, "old": old, "new": new},
        target=user.get_username(),
    )


def _members(instance, reverse: bool, pk_set) -> list[tuple]:
    """(user, role name) pairs a membership change touches, restricted to the roles."""
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
        current = (
            set(instance.user_set.values_list("pk", flat=True))
            if reverse
            else set(instance.groups.values_list("pk", flat=True))
        )
        instance._vetted_leaving = _members(instance, reverse, current & set(pk_set) if pk_set else current)
    elif action in ("post_remove", "post_clear"):
        for user, role in getattr(instance, "_vetted_leaving", []):
            _role_changed(user, role, granted=False)
        instance._vetted_leaving = []
    elif action == "post_add":
        for user, role in _members(instance, reverse, pk_set):
            _role_changed(user, role, granted=True)


# -- the role groups: fixed names, audited permissions ------------------------------------------------------


def _permission_names(group_pk: int) -> list[str]:
    return sorted(
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(group=group_pk).values_list(
            "content_type__app_label", "codename"
        )
    )


def _role_groups(instance, reverse: bool, pk_set) -> list:
    """The role groups a permission change touches: the group itself, or (from the permission's side) the
    role groups among pk_set."""
    if not reverse:
        return [instance] if instance.name in ROLES else []
    return list(Group.objects.filter(pk__in=pk_set or (), name__in=ROLES))


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="reviews-role-permissions")
def audit_role_permissions(sender, instance, action, reverse, model, pk_set, **kwargs):
    if _provisioning.get():
        return
    if action in ("pre_add", "pre_remove", "pre_clear"):
        if action == "pre_clear" and reverse:  # permission.group_set.clear(): every group holding it
            pk_set = set(instance.group_set.values_list("pk", flat=True))
        instance._vetted_role_permissions = {
            group.pk: (group, _permission_names(group.pk))
            for group in _role_groups(instance, reverse, pk_set)
        }
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    now = timezone.now()
    for group, old in getattr(instance, "_vetted_role_permissions", {}).values():
        new = _permission_names(group.pk)
        if new == old:
            continue
        # The role changed: every member's decisions with it wait again (reviews.access.decider_check).
        members = list(User.objects.filter(groups=group))
        for user in members:
            RoleGrant.objects.update_or_create(user=user, role=group.name, defaults={"granted_at": now})
        _record(
            "role.permissions_changed",
            group,
            {
                "role": group.name,
                "old": old,
                "new": new,
                "members": sorted(u.get_username() for u in members),
            },
            target=group.name,
        )
    instance._vetted_role_permissions = {}


@receiver(pre_save, sender=Group, dispatch_uid="reviews-role-groups-fixed")
def refuse_role_rename(sender, instance, **kwargs):
    old = Group.objects.filter(pk=instance.pk).values_list("name", flat=True).first() if instance.pk else None
    instance._vetted_old_name = old
    if old is None or old == instance.name:
        return
    if old in ROLES or instance.name in ROLES:
        raise RoleGroupFixed(
            _(
                "The group “%(old)s” cannot be renamed “%(new)s”: the roles are fixed groups, "
                "and who decides is bound to their names."
            )
            % {"old": old, "new": instance.name}
        )


@receiver(post_save, sender=Group, dispatch_uid="reviews-group-renamed")
def audit_group_rename(sender, instance, created, **kwargs):
    old = getattr(instance, "_vetted_old_name", None)
    instance._vetted_old_name = None
    if not created and old is not None and old != instance.name:
        _record("group.renamed", instance, {"old": old, "new": instance.name}, target=old)


@receiver(pre_delete, sender=Group, dispatch_uid="reviews-role-groups-kept")
def refuse_role_delete(sender, instance, **kwargs):
    if instance.name in ROLES:
        raise RoleGroupFixed(
            _("The group “%(name)s” cannot be deleted: it is one of the roles.") % {"name": instance.name}
        )


# -- the account: flags, e-mail address, password ------------------------------------------------------------


@receiver(pre_save, sender=User, dispatch_uid="reviews-user-flags-before")
def remember_account(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not set(update_fields) & set(WATCHED):
        instance._vetted_account = None  # a login's last_login: nothing watched can change, no query
        return
    old = User.objects.filter(pk=instance.pk).values(*WATCHED).first() if instance.pk else None
    # A new account: its flags are audited against the defaults; its e-mail address and password are its first.
    instance._vetted_account = old or {
        "is_superuser": False,
        "is_staff": False,
        "is_active": True,
        "email": instance.email,
        "password": instance.password,
        "new": True,
    }
    # set_password() keeps the clear text until the save; a login that only rehashes the same password does
    # not (AbstractBaseUser.check_password), and is no change.
    instance._vetted_password_set = getattr(instance, "_password", None) is not None


def _password_changed(instance, old: dict) -> None:
    if old["password"] == instance.password or not getattr(instance, "_vetted_password_set", False):
        return
    actor = current_actor()
    if actor is not None and actor.pk == instance.pk:
        # Its owner set it: a password set by someone else no longer holds the account.
        if DeciderHold.objects.filter(user=instance, change=AccountChange.PASSWORD_SET).delete()[0]:
            audit_record(
                action="user.password_renewed",
                actor=actor,
                obj=instance,
                data={"target": instance.get_username(), "old": True, "new": False},
            )
        return
    _hold(instance, AccountChange.PASSWORD_SET)
    # Before and after: whether a change of password is required. The password itself is never recorded.
    _record("user.password_set", instance, {"old": False, "new": True}, target=instance.get_username())


@receiver(post_save, sender=User, dispatch_uid="reviews-user-flags-after")
def audit_account(sender, instance, created, **kwargs):
    old = getattr(instance, "_vetted_account", None)
    instance._vetted_account = None
    if old is None:
        return
    changed_flag = False
    for flag, (turned_on, turned_off) in FLAGS.items():
        new = getattr(instance, flag)
        if new != old[flag]:
            changed_flag = True
            _record(
                turned_on if new else turned_off,
                instance,
                {"flag": flag, "old": old[flag], "new": new},
                target=instance.get_username(),
            )
    if created or old.get("new") or _provisioning.get():
        return
    if changed_flag:
        _hold(instance, AccountChange.FLAGS)
    if old["email"] != instance.email:
        _hold(instance, AccountChange.EMAIL)
        _record(
            "user.email_changed",
            instance,
            {"old": old["email"], "new": instance.email},
            target=instance.get_username(),
        )
    _password_changed(instance, old)


@receiver(user_logged_in, dispatch_uid="reviews-password-change-required")
def require_password_change(sender, request, user, **kwargs):
    """At sign-in, a password someone else set sends its owner to change it first
    (reviews.middleware.PasswordChangeRequiredMiddleware)."""
    session = getattr(request, "session", None)
    if (
        session is not None
        and DeciderHold.objects.filter(user=user, change=AccountChange.PASSWORD_SET).exists()
    ):
        session[PASSWORD_CHANGE_REQUIRED] = True
