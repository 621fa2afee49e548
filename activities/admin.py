"""Marketing activities in the reviewers' desk: the list for Legal, Security and the Auditor ("waiting for
Legal" first for Legal), and each activity's read-only page with the pre-check attached, the vendors' approved
scopes, the audit trail and, while it waits for Legal, the decision (docs/domain.md "Use").

As in reviews/admin/: nothing is added, changed or deleted here, superusers included (I7); a decision is a POST
to a view that calls activities.services.activity_decide, which checks who decides (I4) and keeps one decision
of two taken at once (I8). Who reads which activity is asked of activities.access; a superuser without a
reviewer's role reads none, as with reviews."""

from django import forms
from django.contrib import admin, messages
from django.db.models import F
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews.admin.readonly import KeptRecordMixin
from reviews.roles import Role, has_role
from vendors.admin_lists import RowLinksMixin
from vendors.people import person_column
from vendors.templatetags.dates import ymd, ymd_hm
from vendors.text import ControlCharactersRefused

from .access import activities_visible_to, activity_for_user
from .admin_page import activity_page
from .models import OPEN_ACTIVITY_STATES, Activity, ActivityStatus
from .services import ActivityError, activity_decide, activity_decide_refusal

LIST_COLUMNS = (
    "reference",
    "name",
    "starts_on",
    "ends_on",
    "outcome",
    "status",
    "checked_at",
    "created_at",
    "flagged_at",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


EVERYTHING = "all"


def status_shown(request) -> str:
    """The status the list shows: the one asked for, else what waits for Legal for Legal (unless searching: a
    search looks everywhere), else everything."""
    asked = request.GET.get("status")
    if asked in ActivityStatus.values or asked == EVERYTHING:
        return asked
    if has_role(request.user, Role.LEGAL) and not request.GET.get("q"):
        return ActivityStatus.AWAITING_LEGAL
    return EVERYTHING


class StatusFilter(admin.SimpleListFilter):
    """By status, "waiting for Legal" first and Legal's default; "everything" shows the rest."""

    title = gettext_lazy("status")
    parameter_name = "status"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.shown = status_shown(request)

    def lookups(self, request, model_admin):
        first = [(ActivityStatus.AWAITING_LEGAL.value, ActivityStatus.AWAITING_LEGAL.label)]
        others = [
            (value, label)
            for value, label in ActivityStatus.choices
            if value != ActivityStatus.AWAITING_LEGAL
        ]
        return [*first, *others, (EVERYTHING, _("Everything"))]

    def value(self):
        return self.shown

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() in ActivityStatus.values:
            return queryset.filter(status=self.value())
        return queryset


class FlaggedFilter(admin.SimpleListFilter):
    """Activities flagged because a vendor they use was suspended or lapsed."""

    title = gettext_lazy("flagged")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("open", _("Flagged and still open")), ("yes", _("Flagged")), ("no", _("Not flagged"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(flagged_at__isnull=False, status__in=OPEN_ACTIVITY_STATES)
        if self.value() == "yes":
            return queryset.filter(flagged_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(flagged_at__isnull=True)
        return queryset


class DecisionForm(ControlCharactersRefused, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("refuse", gettext_lazy("Refuse"))]
    )
    reason = forms.CharField(
        label=gettext_lazy("Your reason (required)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Give the reason for your decision.")},
        help_text=gettext_lazy("The owner reads it, and it stays in the activity's audit trail."),
    )


@admin.register(Activity)
class ActivityAdmin(RowLinksMixin, KeptRecordMixin, admin.ModelAdmin):
    list_display = ["reference", "name", "owner_name", "dates", "outcome", "status", "flagged"]
    list_display_links = ["reference", "name"]
    list_filter = [StatusFilter, "outcome", FlaggedFilter]
    search_fields = ["reference", "name"]
    list_select_related = ["owner"]
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 25
    page_template = "admin/activities/activity/activity.html"

    # -- list ----------------------------------------------------------------------------------------------

    def get_queryset(self, request):
        # The list's columns alone: the findings (JSON decoded row by row) and the plan's texts are the page's.
        return activities_visible_to(request.user).select_related("owner").only(*LIST_COLUMNS)

    def get_ordering(self, request):
        # What waits for Legal, longest waiting first (it waits since its last pre-check); otherwise the newest.
        if status_shown(request) == ActivityStatus.AWAITING_LEGAL:
            return [F("checked_at").asc(), "pk"]
        return ["-created_at", "-pk"]

    owner_name = person_column("owner", gettext_lazy("owner"))

    @admin.display(description=gettext_lazy("dates"), ordering="starts_on")
    def dates(self, obj):
        return f"{ymd(obj.starts_on)} – {ymd(obj.ends_on)}"

    @admin.display(description=gettext_lazy("flagged"), ordering="flagged_at")
    def flagged(self, obj):
        if obj.flagged_at is None:
            return "—"
        # Said in words, not by a colour alone.
        return format_html(
            '<strong class="vetted-overdue">{}</strong><br><small>{}</small>',
            _("Flagged"),
            ymd_hm(obj.flagged_at),
        )

    # -- the activity's page ------------------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="activities_activity_decide",
            ),
            *super().get_urls(),
        ]

    def _activity(self, request, object_id) -> Activity:
        if not self.has_view_permission(request):
            raise Http404("No such activity.")
        try:
            pk = int(object_id)
        except (TypeError, ValueError):
            raise Http404("No such activity.") from None
        return activity_for_user(request.user, pk)

    def _render(self, request, activity: Activity, *, form: DecisionForm | None = None, status: int = 200):
        page = activity_page(activity, user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Marketing activity %(reference)s") % {"reference": activity.reference},
            "subtitle": activity.name,
            "original": activity,
            "activity": activity,
            "page": page,
            "form": form or DecisionForm(),
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.page_template, context, status=status)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        activity = self._activity(request, object_id)
        if request.method == "POST":
            # The page is read-only: a tampered POST (status, outcome, owner ...) changes nothing.
            messages.error(
                request,
                _(
                    "The activity's page is read-only; nothing was changed. Legal decides "
                    "with the decision buttons."
                ),
            )
            return redirect(request.path)
        return self._render(request, activity)

    def decide_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        activity = self._activity(request, object_id)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            # A form the page would not show (not Legal's to decide, or decided meanwhile) is answered with why,
            # rather than with its errors in a panel that is not there.
            why = activity_decide_refusal(request.user, activity)
            if why is None and activity.status != ActivityStatus.AWAITING_LEGAL:
                why = _("The activity is %(status)s: there is nothing to decide.") % {
                    "status": activity.get_status_display()
                }
            if why is not None:
                messages.error(request, why)
                return redirect("admin:activities_activity_change", activity.pk)
        else:
            approve = form.cleaned_data["decision"] == "approve"
            try:
                activity = activity_decide(
                    activity=activity, actor=request.user, approve=approve, reason=form.cleaned_data["reason"]
                )
            except ActivityError as error:
                if error.field is None:
                    # Not Legal's to take, or taken already (I4, I8): said above the page, which shows who
                    # decided; there is nothing left to correct in the form.
                    messages.error(request, error.message)
                    return redirect("admin:activities_activity_change", activity.pk)
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("%(reference)s is %(status)s; its owner is told, with your reason.")
                    % {"reference": activity.reference, "status": activity.get_status_display()},
                )
                return redirect("admin:activities_activity_change", activity.pk)
        # Shown again with what was typed and what is wrong beside it.
        return self._render(request, activity, form=form, status=400)
