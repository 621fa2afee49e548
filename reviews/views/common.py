"""Helpers shared by the review views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from vendors.links import object_url

from ..access import review_for_user
from ..evidence import evidence_add
from ..models import StageKind
from ..selectors import decorate_stages, review_for_page

# The page where the requester works on each stage.
STAGE_URL = {
    StageKind.QUESTIONNAIRE: "questionnaire",
    StageKind.DATA_SOURCE: "data_source",
    StageKind.SECURITY: "security",
    StageKind.SIGN_OFF: "review_detail",
}


def with_urls(stages, review):
    """Give each stage the URL of its page, for the templates."""
    for stage in stages:
        stage.url = stage_url(review or stage.review, stage.kind)
    return stages


def load_review(request, pk):
    """The review if the user may read it (404 otherwise: a stranger does not learn it exists), with its
    stages decorated for the templates."""
    review, access = review_for_user(request.user, pk, queryset=review_for_page(pk))
    stages = with_urls(decorate_stages(review, user=request.user), review)
    return review, access, stages


def stage_in(stages, kind):
    return next(stage for stage in stages if stage.kind == kind)


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
