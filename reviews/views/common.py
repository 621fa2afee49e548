"""Helpers shared by the review views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from vendors.links import object_url

from ..access import review_for_user
from ..evidence import evidence_add
from ..models import StageKind
from ..review_view import StageView, stage_of, stage_views
from ..selectors import review_for_page

# The page where the requester works on each stage.
STAGE_URL = {
    StageKind.QUESTIONNAIRE: "questionnaire",
    StageKind.DATA_SOURCE: "data_source",
    StageKind.SECURITY: "security",
    StageKind.SIGN_OFF: "review_detail",
}


def stage_urls(review) -> dict[str, str]:
    """The page of each stage of `review`, by the stage's kind."""
    return {kind: stage_url(review, kind) for kind in STAGE_URL}


def requester_stages(review, *, user, decisions: bool = True) -> list[StageView]:
    """The review's stages as the requester's pages show them: whose turn, since when, and each one's page."""
    return stage_views(review, user=user, decisions=decisions, urls=stage_urls(review))


def load_review(request, pk):
    """The review if the user may read it (404 otherwise: a stranger does not learn it exists), with its
    stages as the pages show them (reviews.review_view.StageView)."""
    review, access = review_for_user(request.user, pk, queryset=review_for_page(pk))
    return review, access, requester_stages(review, user=request.user)


def stage_in(stages: list[StageView], kind):
    """The stage (the model) of `kind` among the page's stages."""
    return stage_of(stages, kind)


def stage_url(review, kind) -> str:
    return object_url(STAGE_URL[kind], review.pk)


def upload_messages(error) -> list[str]:
    """The user-facing messages of a django ValidationError raised by an upload check."""
    return list(getattr(error, "messages", None) or [str(error)])


def back_to(request, review, kind):
    return redirect(stage_url(review, kind))


def warn_if_duplicate(request, evidence, duplicate) -> None:
    """Tell the user a file they just added is identical to one already on the review."""
    if duplicate is not None:
        messages.warning(
            request,
            _("“%(name)s” is identical to “%(other)s”, already uploaded to this review.")
            % {"name": evidence.original_name, "other": duplicate.original_name},
        )


def flash_workflow_error(request, error) -> None:
    messages.error(request, error.message)
    for detail in error.details:
        messages.error(request, detail.message)


def flash_refusal(request, error, url):
    """The usual answer to a refused save: say why, back to the page."""
    messages.error(request, error.message)
    return redirect(url)


def store_files(request, form, field: str, uploads, *, stage, actor, **evidence) -> int:
    """Add each upload as evidence of `stage` (reviews.evidence.evidence_add). A refused file becomes an
    error on `field` of `form`, naming the file, and the others are still stored; an identical file already
    on the review is pointed out. Returns how many were stored; a WorkflowError is left to the caller."""
    stored = 0
    for upload in uploads:
        try:
            added, duplicate = evidence_add(stage=stage, actor=actor, upload=upload, **evidence)
        except ValidationError as error:
            for message in upload_messages(error):
                form.add_error(field, f"{upload.name}: {message}")
            continue
        stored += 1
        warn_if_duplicate(request, added, duplicate)
    return stored
