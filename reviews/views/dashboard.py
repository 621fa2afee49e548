from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from ..models import StageState
from ..notifications.renewals import approvals_ending
from ..roles import Role, reads_all, roles_of
from ..selectors import (
    decorate_stages,
    latest_decision,
    reviews_for_dashboard,
    reviews_for_reader,
    stages_needing_action,
    waiting_since,
)
from .common import with_urls

PAGE_SIZE = 25


@login_required
def dashboard(request):
    """What needs my action first, then my requests with their progress. Reviewers and auditors also get
    a short list of open reviews and the way to their desk in the admin."""
    user = request.user
    roles = roles_of(user)
    context = {"is_requester": Role.REQUESTER in roles, "reads_all": reads_all(user)}
    if context["is_requester"]:
        requests_page = Paginator(reviews_for_dashboard(user), PAGE_SIZE).get_page(request.GET.get("page"))
        for review in requests_page:
            review.stage_list = with_urls(decorate_stages(review, user=user), review)
            review.current = next((s for s in review.stage_list if s.state != StageState.PASSED), None)
        action = list(stages_needing_action(user))
        for stage in action:
            stage.latest_decision = latest_decision(stage)
            stage.since = waiting_since(stage)
        with_urls(action, None)
        context.update(requests_page=requests_page, action_stages=action,
                       approvals_ending=list(approvals_ending(today=timezone.localdate(), requester=user)))
    if context["reads_all"]:
        readable = reviews_for_reader(user)
        for review in readable:
            review.stage_list = with_urls(decorate_stages(review, user=user), review)
            review.current = next((s for s in review.stage_list if s.state != StageState.PASSED), None)
        context["readable_reviews"] = readable
    return render(request, "reviews/dashboard.html", context)
