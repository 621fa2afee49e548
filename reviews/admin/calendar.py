"""The working-day calendar's days in the admin: Legal enters the public holidays and make-up working days
(调休) of a year's notice that the `chinesecalendar` package does not carry yet (reviews.working_days), and
corrects one when a notice changes. Each entry, change and removal is audited; the reviewers and the
auditor read the table."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews.audit import audit_record
from reviews.models import CalendarDay, CalendarDayKind
from reviews.roles import Role, has_role, reads_all
from reviews.working_days import working_calendar


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["day", "kind", "name"]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        day, kind = cleaned.get("day"), cleaned.get("kind")
        if day and kind and self.instance.pk is None:
            # A new entry that changes nothing is a slip (a Saturday entered as a holiday, say): say so.
            working = working_calendar().is_working_day(day)
            if kind == CalendarDayKind.WORKDAY and working:
                self.add_error(
                    "kind", _("%(day)s already counts as a working day.") % {"day": day.isoformat()}
                )
            if kind == CalendarDayKind.HOLIDAY and not working:
                self.add_error("kind", _("%(day)s already counts as a day off.") % {"day": day.isoformat()})
        return cleaned


def _audit(action: str, day: CalendarDay, actor) -> None:
    audit_record(
        action=action,
        obj=day,
        actor=actor,
        data={"day": day.day.isoformat(), "kind": day.kind, "name": day.name},
    )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
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
