"""The dashboard, and a page of its own for each of its lists.

The dashboard shows the first rows of each list (reviews.selectors.DASHBOARD_ROWS) with how many there are
and a "see all" link to the list's own page, paginated; the requests table is paginated in place. So the
dashboard of a requester with a thousand requests is the page of one with ten, in as many queries."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendors.lists import first_rows

from ..notifications.renewals import approvals_ending
from ..panels import dashboard_panels
from ..review_view import review_progress, stage_view
from ..roles import Role, reads_all, roles_of
from ..selectors import (
    DASHBOARD_ROWS,
    Capped,
    catch_up_reviews_owned,
    latest_decision,
    platforms_to_stop,
    requests_count,
    reviews_for_dashboard,
    reviews_for_reader,
    reviews_needing_action,
    stages_needing_action,
)
from .common import requester_stages, stage_url

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 25  # rows on a list's own page
REQUESTS_ON_DASHBOARD = 10  # requests a page on the dashboard, under the lists that need action


def _with_progress(reviews, *, user) -> list:
    """Each review with its progress bar's stages (reviews.review_view.ReviewProgress): a page's rows."""
    return [
        review_progress(review, requester_stages(review, user=user, decisions=False)) for review in reviews
    ]


def _with_turn(reviews, *, user):
    """The stage waiting in each review, with its latest decision and since when it waits."""
    return [
        stage_view(stage, user=user, decision=latest_decision(stage), url=stage_url(stage.review, stage.kind))
        for stage in stages_needing_action(reviews)
    ]


def _requests_page(user, number) -> Page:
    """The page `number` of the user's requests, as Paginator.get_page(number) gives it, in one query where
    the page has rows: its rows with the number of requests (reviews.selectors.requests_count), instead of a
    COUNT and then the rows. No row (no request, or a number past the last page or below the first): the
    paginator's own way, which counts and then goes to the first or last page."""
    requests = reviews_for_dashboard(user)
    paginator = Paginator(requests, REQUESTS_ON_DASHBOARD)
    try:
        wanted = int(number or 1)  # as Paginator.validate_number reads a number given as text
    except (TypeError, ValueError):
        wanted = 1
    rows = []
    if wanted >= 1:
        start = (wanted - 1) * REQUESTS_ON_DASHBOARD
        rows = list(
            requests.annotate(requests_total=requests_count(user))[start : start + REQUESTS_ON_DASHBOARD]
        )
    if not rows:
        return paginator.get_page(number)
    paginator.count = rows[0].requests_total
    return Page(rows, wanted, paginator)


def _first_rows(queryset: QuerySet, *, rows: int, wide: bool) -> Capped:
    return Capped(*first_rows(queryset, rows=rows, wide=wide))


def _stop_using(user, roles):
    # Legal sees every platform to stop; anyone else those they own as business owner.
    return platforms_to_stop() if Role.LEGAL in roles else platforms_to_stop(user)


@dataclass(frozen=True)
class DashboardList:
    title: "StrOrPromise"
    rows: Callable  # (user, roles) -> QuerySet
    decorate: Callable = lambda items, *, user: items  # (a page of rows, user) -> what the template lists
    readers_only: bool = False
    first: int = DASHBOARD_ROWS  # rows on the dashboard
    wide: bool = False  # a list over everyone's reviews, not one person's (vendors.lists.first_rows)


LISTS = {
    "action": DashboardList(
        # Only the keys: the stage waiting in each review of the page is read with its review and vendor.
        _("Needs your action"),
        lambda user, roles: reviews_needing_action(user).only("pk"),
        _with_turn,
    ),
    "catch-up": DashboardList(
        _("Catch-up reviews you own (补齐审核)"),
        lambda user, roles: catch_up_reviews_owned(user).only(
            "number", "vendor__name_zh", "vendor__catch_up_due"
        ),
    ),
    "ending": DashboardList(
        _("Approvals ending soon"),
        lambda user, roles: (
            approvals_ending(today=timezone.localdate(), requester=user)
            .select_related(None)
            .select_related("review__vendor")
            .only("number", "review__vendor__name_zh", "review__vendor__approved_until")
        ),
    ),
    "stop-using": DashboardList(_("Stop using"), _stop_using),
    "open": DashboardList(
        _("Open reviews"),
        lambda user, roles: reviews_for_reader(user),
        _with_progress,
        readers_only=True,
        first=10,
        wide=True,
    ),
}


@login_required
def dashboard(request):
    """What needs my action first, then my requests with their progress. Reviewers and auditors also get
    the open reviews that changed longest ago and the way to their desk in the admin. Every list is capped,
    with its count and a link to its own page."""
    user = request.user
    roles = roles_of(user)
    context = {
        "is_requester": Role.REQUESTER in roles,
        "reads_all": reads_all(user),
        "today": timezone.localdate(),
    }

    def first_rows(which):
        spec = LISTS[which]
        rows = _first_rows(spec.rows(user, roles), rows=spec.first, wide=spec.wide)
        rows.items = list(spec.decorate(rows.items, user=user))
        return rows

    if context["is_requester"]:
        requests_page = _requests_page(user, request.GET.get("page"))
        requests_page.object_list = _with_progress(requests_page, user=user)
        context.update(
            requests_page=requests_page,
            action_stages=first_rows("action"),
            approvals_ending=first_rows("ending"),
            catch_up_reviews=first_rows("catch-up"),
        )
    if context["is_requester"] or Role.LEGAL in roles:
        context["stop_using"] = first_rows("stop-using")
    if context["reads_all"]:
        context["readable_reviews"] = first_rows("open")
    context["panels"] = dashboard_panels(user)
    return render(request, "reviews/dashboard.html", context)


@login_required
def dashboard_list(request, which):
    """Every row of one list of the dashboard, a page at a time."""
    spec = LISTS.get(which)
    user = request.user
    if spec is None or (spec.readers_only and not reads_all(user)):
        raise Http404("No such list.")
    roles = roles_of(user)
    page = Paginator(spec.rows(user, roles), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(spec.decorate(page.object_list, user=user))
    return render(
        request,
        "reviews/dashboard_list.html",
        {
            "which": which,
            "title": spec.title,
            "page": page,
            "today": timezone.localdate(),
            "is_requester": Role.REQUESTER in roles,
        },
    )
