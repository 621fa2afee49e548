"""Filters of the review queue. "Waiting on me" is the reviewer's default view (issue 4, point 1)."""

from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reviews.desk import kinds_decided_by, overdue_since
from reviews.models import StageKind, StageState
from reviews.selectors import OPEN_STATES


def waiting_on(user, queryset: QuerySet) -> QuerySet:
    """Open reviews whose submitted stage is one `user`'s roles decide, excluding their own requests (I4).
    Only the current stage can be in state submitted, so this is "the current stage waits for me", read from
    the columns the review keeps (reviews.current_stage)."""
    return queryset.filter(
        state__in=OPEN_STATES,
        current_stage_state=StageState.SUBMITTED,
        current_stage_kind__in=kinds_decided_by(user),
    ).exclude(requester_id=user.pk)


def overdue(queryset: QuerySet, *, now=None) -> QuerySet:
    """Open reviews whose current stage has waited for a decision more working days than its target."""
    today = timezone.localdate(now) if now else timezone.localdate()
    return queryset.filter(overdue_since(today), state__in=OPEN_STATES)


class WaitingOnMeFilter(admin.SimpleListFilter):
    """Defaults to "waiting on me" for Legal and Security, unless they search; "everything" shows the rest."""

    title = _("waiting on")
    parameter_name = "waiting"
    ME, DECISION, EVERYTHING = "me", "decision", "all"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.user = request.user
        decides = bool(kinds_decided_by(request.user))
        self.default = self.ME if decides and not request.GET.get("q") else self.EVERYTHING

    def lookups(self, request, model_admin):
        return [
            (self.ME, _("Waiting on me")),
            (self.DECISION, _("Waiting for a decision")),
            (self.EVERYTHING, _("Everything")),
        ]

    def value(self):
        value = super().value()
        return value if value in (self.ME, self.DECISION, self.EVERYTHING) else self.default

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == self.ME:
            return waiting_on(request.user, queryset)
        if self.value() == self.DECISION:
            # Any stage waiting for a decision: the auditor's "see all" from the desk.
            return queryset.filter(state__in=OPEN_STATES, current_stage_state=StageState.SUBMITTED)
        return queryset


class CurrentStageFilter(admin.SimpleListFilter):
    title = _("current stage")
    parameter_name = "stage"

    def lookups(self, request, model_admin):
        return StageKind.choices

    def queryset(self, request, queryset):
        if self.value() in StageKind.values:
            return queryset.filter(current_stage_kind=self.value())
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        days = settings.VETTED_STAGE_OVERDUE_DAYS
        label = ngettext("Waiting more than %(n)d working day", "Waiting more than %(n)d working days", days)
        return [("yes", label % {"n": days})]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return overdue(queryset)
        return queryset
