"""Locked sign-ins in the admin: Legal reads the failed attempts and unlocks (reviews/throttle.py audits it).

django-axes registers its own admin for the attempts; it is replaced here so that every way of removing an
attempt (the unlock action, the delete action, the delete page) goes through the audited unlock."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews import throttle

admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AuditedAccessAttemptAdmin(AccessAttemptAdmin):
    actions = ["unlock", *AccessAttemptAdmin.actions]

    @admin.action(description=gettext_lazy("Unlock the selected user names and addresses"),
                  permissions=["delete"])
    def unlock(self, request, queryset):
        count = throttle.login_unlock(attempts=queryset, actor=request.user)
        messages.success(request, _("Unlocked %(count)d record(s); they can sign in again at once.")
                         % {"count": count})

    def delete_model(self, request, obj):
        throttle.login_unlock(attempts=[obj], actor=request.user)

    def delete_queryset(self, request, queryset):
        throttle.login_unlock(attempts=queryset, actor=request.user)
