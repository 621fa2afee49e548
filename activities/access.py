"""Who may read and act on activities and scope extensions, in one place (as reviews.access for reviews):
every view, download, admin queryset and mail asks here."""

from django.db.models import QuerySet
from django.http import Http404

from reviews.roles import Role, reads_all, roles_of

from .models import Activity, ScopeExtension


def activities_visible_to(user) -> QuerySet[Activity]:
    if not getattr(user, "is_authenticated", False):
        return Activity.objects.none()
    if reads_all(user):
        return Activity.objects.all()
    return Activity.objects.filter(owner=user)


def can_read_activity(user, activity: Activity) -> bool:
    return getattr(user, "is_authenticated", False) and (activity.owner_id == user.pk or reads_all(user))


def can_register_activity(user) -> bool:
    return Role.REQUESTER in roles_of(user)


def activity_for_user(user, pk) -> Activity:
    """The activity if `user` may read it; 404 otherwise, so that a stranger cannot learn it exists."""
    activity = Activity.objects.select_related("owner", "decided_by", "acknowledged_by").filter(pk=pk).first()
    if activity is None or not can_read_activity(user, activity):
        raise Http404("No such activity.")
    return activity


def extensions_visible_to(user) -> QuerySet[ScopeExtension]:
    if not getattr(user, "is_authenticated", False):
        return ScopeExtension.objects.none()
    if reads_all(user):
        return ScopeExtension.objects.all()
    return ScopeExtension.objects.filter(requester=user)


def can_read_extension(user, extension: ScopeExtension) -> bool:
    return getattr(user, "is_authenticated", False) and (extension.requester_id == user.pk or reads_all(user))


def extension_for_user(user, pk) -> ScopeExtension:
    extension = ScopeExtension.objects.select_related("vendor", "requester").filter(pk=pk).first()
    if extension is None or not can_read_extension(user, extension):
        raise Http404("No such scope extension.")
    return extension
