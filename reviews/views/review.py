from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vendors.scope import Scope

from .. import workflow
from ..contact.forms import ContactLinkForm
from ..errors import Detail, WorkflowError
from ..forms import ReasonForm
from ..models import SignOff, StageKind
from ..questionnaire.scoring import evaluate_review
from ..questionnaire.tiering import tier_context
from ..selectors import contact_links_of
from .common import STAGE_URL, load_review, stage_in, stage_url


@login_required
def review_detail(request, pk):
    review, access, stages = load_review(request, pk)
    return review_page(request, review, access, stages)


def review_page(request, review, access, stages, *, contact_form=None):
    """The review page; `contact_form` is the vendor-contact invitation shown again with its errors."""
    sign_off = SignOff.objects.filter(review=review).select_related("signed_by").first()
    vendor = review.vendor
    # An open review of a vendor still on the approved list renews that approval (reviews.notifications.renewals).
    renews = review.is_open and vendor.is_approved_on(timezone.localdate())
    return render(
        request,
        "reviews/review.html",
        {
            "review": review,
            "access": access,
            "stages": stages,
            "sign_off": sign_off,
            "renews": renews,
            **_approval_scope(sign_off, vendor),
            "stage_urls": {s.kind: stage_url(review, s.kind) for s in stages},
            "withdraw_form": ReasonForm(),
            "contact_links": contact_links_of(review),
            "contact_form": contact_form or ContactLinkForm(),
            "tier": tier_context(evaluate_review(review)),
        },
    )


def _approval_scope(sign_off, vendor) -> dict:
    """What the approval of this review covers, as Legal signed (or confirmed) it, and whether the approval in
    force has been extended since (the vendor page then shows what it covers now)."""
    if sign_off is None:
        return {"scope": None}
    signed = Scope.from_json(sign_off.scope)
    return {
        "scope": signed.labels(),
        "scope_extended": vendor.approval_reference == sign_off.number and vendor.scope != signed,
    }


@login_required
@require_POST
def review_withdraw(request, pk):
    review, _access, _stages = load_review(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        workflow.review_withdraw(review=review, actor=request.user, reason=reason)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Request %(number)s was withdrawn. It is kept on record.") % {"number": review.number}
        )
    return redirect("review_detail", pk=review.pk)


def missing_links(review, kind, details: list[Detail]) -> list[tuple[str, str]]:
    """Each missing item with the link where the requester can fix it, from what the item is about (its
    question or its kind of document)."""
    if kind == StageKind.QUESTIONNAIRE:
        sections = {q.code: q.section.code for q in evaluate_review(review).visible}
        out = []
        for detail in details:
            section = sections.get(detail.question)
            url = (
                reverse("questionnaire_section", args=[review.pk, section]) + f"#q-{detail.question}"
                if section
                else reverse("questionnaire", args=[review.pk])
            )
            out.append((detail.message, url))
        return out
    base = stage_url(review, kind)
    if kind == StageKind.DATA_SOURCE:
        return [
            (detail.message, base + (f"#kind-{detail.evidence_kind}" if detail.evidence_kind else ""))
            for detail in details
        ]
    return [(detail.message, base + "#certificates") for detail in details]


@login_required
@require_POST
def stage_submit(request, pk, kind):
    """Submit a stage for review. When something is missing, the stage page is shown again with exactly
    what (WorkflowError.details), each item linked to where it is fixed."""
    review, _access, stages = load_review(request, pk)
    if kind not in STAGE_URL or kind == StageKind.SIGN_OFF:
        return redirect("review_detail", pk=review.pk)
    stage = stage_in(stages, kind)
    try:
        workflow.stage_submit(stage=stage, actor=request.user)
    except WorkflowError as error:
        request.session["vetted_submit_error"] = {
            "stage": kind,
            "message": error.message,
            "details": missing_links(review, kind, error.details),
        }
        return redirect(stage_url(review, kind) + ("#submit" if kind != StageKind.QUESTIONNAIRE else ""))
    messages.success(
        request,
        _("“%(stage)s” was submitted. %(role)s reviews it now; you will see the decision here.")
        % {"stage": stage.get_kind_display(), "role": _role_label(kind)},
    )
    return redirect("review_detail", pk=review.pk)


def _role_label(kind) -> str:
    from ..access import DECIDING_ROLE

    return str(DECIDING_ROLE[kind].label)


def pop_submit_error(request, kind):
    error = request.session.get("vetted_submit_error")
    if error and error.get("stage") == kind:
        del request.session["vetted_submit_error"]
        return error
    return None
