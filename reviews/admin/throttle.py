"""Sign-in locks in the admin: Legal reads who is locked, from where and until when, and lifts a lock
(reviews/throttle.py audits it).

django-axes registers its own admin for its AccessAttempt table, which holds the locks (reviews/throttle.py
"Locks"); it is replaced here so that every way of removing one (the unlock action, the delete action, the
delete page) goes through the audited unlock, and so that the list shows only the locks in force."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews import throttle

admin.site.unregister(AccessAttempt)

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
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "lock",
                    "ip_address",
                    "path_info",
                    "attempt_time",
                    "until",
                    "failures_since_start",
                    "user_agent",
                )
            },
        ),
    )
    readonly_fields = [
        "username",
        "lock",
        "ip_address",
        "path_info",
        "attempt_time",
        "until",
        "failures_since_start",
        "user_agent",
    ]

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
