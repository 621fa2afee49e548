"""The requester's marketing activities: the list, the registration form and its pre-check, the activity's
page, and the owner's actions on it (acknowledge the conditions, revise, withdraw). Each view reads through
activities.access and activities.selectors and writes through activities.services, turning an ActivityError
into a form error or a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reviews.roles import reads_all

from .. import services
from ..access import activity_for_user, can_register_activity
from ..forms import ActivityForm
from ..models import ActivityStatus
from ..precheck import no_findings_text
from ..selectors import activities_for_list, activity_page, activity_row, vendor_matches
from ..services import REVISABLE, ActivityError, activity_plan
from .outcome import step_told

PAGE_SIZE = 25


@login_required
def activity_list(request):
    """The user's activities (every activity for a reader of all reviews), newest first, 25 a page."""
    status = request.GET.get("status", "")
    status = status if status in ActivityStatus.values else ""
    page = Paginator(activities_for_list(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "activities/activity_list.html",
        {
            "page": page,
            "rows": [activity_row(activity) for activity in page.object_list],
            "status": status,
            "statuses": ActivityStatus.choices,
            "query": f"status={status}" if status else "",
            "reads_all": reads_all(request.user),
            "can_register": can_register_activity(request.user),
        },
    )


def _form_error(form, error: ActivityError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def activity_new(request):
    """Register a planned activity; it is pre-checked at once and its page says the outcome."""
    if not can_register_activity(request.user):
        return render(request, "activities/activity_form.html", {"forbidden": True}, status=403)
    if request.method != "POST":
        form = ActivityForm(initial=ActivityForm.initial_from_query(request.GET))
        return render(request, "activities/activity_form.html", {"form": form})
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            activity = services.activity_register(
                owner=request.user, plan=activity_plan(**form.plan_fields())
            )
        except ActivityError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Activity %(reference)s registered and pre-checked.") % {"reference": activity.reference},
            )
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form})


@login_required
def activity_edit(request, pk):
    """The owner revises an activity that is not cleared yet; it is pre-checked again."""
    activity = activity_for_user(request.user, pk)
    if activity.owner_id != request.user.pk:
        raise PermissionDenied("Only the activity's owner changes it.")
    if activity.status not in REVISABLE:
        messages.error(
            request,
            _("The activity is %(status)s and can no longer be changed.")
            % {"status": activity.get_status_display()},
        )
        return redirect("activities:detail", pk=activity.pk)
    if request.method != "POST":
        form = ActivityForm(initial=ActivityForm.initial_of(activity))
        return render(request, "activities/activity_form.html", {"form": form, "activity": activity})
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            activity = services.activity_revise(
                activity=activity, actor=request.user, plan=activity_plan(**form.plan_fields())
            )
        except ActivityError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Activity %(reference)s changed and pre-checked again.")
                % {"reference": activity.reference},
            )
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@login_required
def activity_detail(request, pk):
    activity = activity_for_user(request.user, pk)
    return render(
        request,
        "activities/activity_detail.html",
        {"page": activity_page(activity, user=request.user), "no_findings": no_findings_text()},
    )


@login_required
@require_POST
def activity_acknowledge(request, pk):
    activity = activity_for_user(request.user, pk)
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick “I have read and will meet these conditions” to acknowledge them."))
        return redirect("activities:detail", pk=activity.pk)
    step_told(
        request,
        lambda: services.activity_acknowledge(activity=activity, actor=request.user),
        _("Conditions acknowledged: %(reference)s is cleared to start.") % {"reference": activity.reference},
    )
    return redirect("activities:detail", pk=activity.pk)


@login_required
@require_POST
def activity_withdraw(request, pk):
    activity = activity_for_user(request.user, pk)
    step_told(
        request,
        lambda: services.activity_withdraw(activity=activity, actor=request.user),
        _("Activity %(reference)s withdrawn.") % {"reference": activity.reference},
    )
    return redirect("activities:detail", pk=activity.pk)


@require_GET
def vendor_lookup(request):
    """GET /activities/vendors/?q=... -> {"vendors": [...]}: at most 10 vendors of the register whose name
    contains the term or whose credit code starts with it, for the form's autocomplete. Signed-in users only;
    an anonymous caller gets 401 rather than a redirect (it is called by script)."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in first.")}, status=401)
    return JsonResponse({"vendors": [match.as_json() for match in vendor_matches(request.GET.get("q", ""))]})
