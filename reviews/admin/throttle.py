"""Sign-in locks in the admin: Legal reads who is locked, from where and until when, and lifts a lock
(reviews/throttle.py audits it).

django-axes registers its own admin for its AccessAttempt table, which holds the locks (reviews/throttle.py
"Locks"); it is replaced here so that every way of removing one (the unlock action, the delete action, the
delete page) goes through the audited unlock, and so that the list shows only the locks in force."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews import throttle

admin.site.unregister(AccessAttempt)

# django-axes names its tables and columns in English only ("Access attempts", "IP Address"); the admin shows
# them in the reader's language, under what they are to a reviewer: sign-in locks and sign-in records.
apps.get_app_config("axes").verbose_name = gettext_lazy("Sign-in security")
for model, (one, many) in {
    AccessAttempt: (gettext_lazy("sign-in lock"), gettext_lazy("sign-in locks")),
    AccessFailureLog: (gettext_lazy("failed sign-in"), gettext_lazy("failed sign-ins")),
    AccessLog: (gettext_lazy("sign-in record"), gettext_lazy("sign-in records")),
}.items():
    model._meta.verbose_name, model._meta.verbose_name_plural = one, many
    for name, label in {
        "user_agent": gettext_lazy("browser"),
        "ip_address": gettext_lazy("IP address"),
        "username": gettext_lazy("user name"),
        "http_accept": gettext_lazy("accepted content types"),
        "path_info": gettext_lazy("page"),
        "attempt_time": gettext_lazy("time of the attempt"),
        "get_data": gettext_lazy("query of the request"),
        "post_data": gettext_lazy("form data sent"),
        "failures_since_start": gettext_lazy("failed sign-ins"),
        "locked_out": gettext_lazy("locked out"),
        "logout_time": gettext_lazy("signed out at"),
        "session_hash": gettext_lazy("session (hashed)"),
    }.items():
        if any(field.name == name for field in model._meta.get_fields()):
            model._meta.get_field(name).verbose_name = label

SCOPES = {
    throttle.SIGN_IN: gettext_lazy("sign-in from this address"),
    throttle.BROWSER: gettext_lazy("sign-in from a browser the user signed in with before"),
    throttle.SESSION: gettext_lazy("password typed again in a session (sign-off, password change)"),
}


@admin.register(AccessAttempt)
class AuditedAccessAttemptAdmin(AccessAttemptAdmin):
    actions = ["unlock"]
    list_display = [
        "username",
        "lock",
        "ip_address",
        "path_info",
        "attempt_time",
        "until",
        "failures_since_start",
    ]
    list_filter = ["path_info"]
    readonly_fields = [*list_display, "user_agent"]
    fieldsets = ((None, {"fields": tuple(readonly_fields)}),)

    def get_queryset(self, request):
        # Only the locks in force: a lock over is no longer anyone's concern (its story is in the audit log).
        return (
            super().get_queryset(request).filter(attempt_time__gt=timezone.now() - settings.AXES_COOLOFF_TIME)
        )

    @admin.display(description=gettext_lazy("locked"))
    def lock(self, obj):
        return SCOPES.get(obj.get_data, obj.get_data)

    @admin.display(description=gettext_lazy("until"))
    def until(self, obj):
        return timezone.localtime(obj.attempt_time + settings.AXES_COOLOFF_TIME).strftime("%Y-%m-%d %H:%M")

    @admin.action(
        description=gettext_lazy("Unlock the selected user names and addresses"), permissions=["delete"]
    )
    def unlock(self, request, queryset):
        count = throttle.login_unlock(attempts=queryset, actor=request.user)
        messages.success(
            request, _("Unlocked %(count)d record(s); they can sign in again at once.") % {"count": count}
        )

    def delete_model(self, request, obj):
        throttle.login_unlock(attempts=[obj], actor=request.user)

    def delete_queryset(self, request, queryset):
        throttle.login_unlock(attempts=queryset, actor=request.user)
