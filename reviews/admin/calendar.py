"""The working-day calendar's days in the admin: Legal enters the public holidays and make-up working days
(调休) of a year's notice that the `chinesecalendar` package does not carry yet (reviews.working_days), and
corrects one when a notice changes. Each entry, change and removal is audited; the reviewers and the
auditor read the table."""

from django.contrib import admin
from django.db import transaction
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy

from reviews.audit import audit_record
from reviews.models import CalendarDay
from reviews.roles import Role, has_role, reads_all


def _audit(action: str, day: CalendarDay, actor) -> None:
    audit_record(
        action=action,
        obj=day,
        actor=actor,
        data={"day": day.day.isoformat(), "kind": day.kind, "name": day.name},
    )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "weekday", "kind", "name", "added_by", "added_at"]
    list_filter = ["kind"]
    date_hierarchy = "day"
    search_fields = ["name"]
    list_select_related = ["added_by"]
    fields = ["day", "kind", "name"]

    def has_module_permission(self, request):
        return reads_all(request.user)

    def has_view_permission(self, request, obj=None):
        return reads_all(request.user)

    def has_add_permission(self, request):
        return has_role(request.user, Role.LEGAL)

    def has_change_permission(self, request, obj=None):
        return has_role(request.user, Role.LEGAL)

    def has_delete_permission(self, request, obj=None):
        return has_role(request.user, Role.LEGAL)

    @admin.display(description=gettext_lazy("weekday"))
    def weekday(self, obj):
        return WEEKDAYS[obj.day.weekday()]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
        _audit("calendar.day_changed" if change else "calendar.day_added", obj, request.user)

    @transaction.atomic
    def delete_model(self, request, obj):
        _audit("calendar.day_removed", obj, request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for day in queryset:
            self.delete_model(request, day)
