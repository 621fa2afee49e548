"""The vendor contact's pages, reached without an account through their link (/contact/<token>/).

Every page resolves the token first (reviews.contact.services.contact_link_resolve). An unknown, expired or revoked
link, and one whose review is closed, all get the same page with 404: nothing tells which it was. The
contact acts as the link: answers and files go through the requester's services, which check the link
again under their lock, so a revocation stops a save already under way. The contact sees their review's
questions, files and returned comments, never scores, flags, other reviews, downloads or the audit trail."""

from functools import wraps

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from vendors.files import ACCEPT_ATTR

from ..errors import ContactLinkInvalid
from ..models import Evidence, EvidenceKind, StageKind
from ..questionnaire.scoring import questionnaire_reading
from ..review_view import Reader, returned_decision, stage_views
from ..selectors import contact_contributions, files_of, review_files, stages_with_decisions
from ..submission import data_source_needs
from ..views.common import flash_refusal, stage_in
from ..views.evidence import data_source_slots, data_source_upload
from ..views.questionnaire import SectionStep, StepUrls, questionnaire_progress, section_page
from .services import contact_link_resolve

# The token is in the URL: no search engine may keep it, and no other site may learn it from a Referer.
PRIVATE_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "private, no-store",
}


def _invalid(request):
    return render(request, "reviews/contact/invalid.html", status=404)


def _switch_language(request):
    """?lang=en: remember the language in the cookie Django's set_language uses, then show the page again."""
    language = request.GET.get("lang")
    if language not in dict(settings.LANGUAGES):
        return None
    response = redirect(request.path)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def contact_page(view):
    """Resolve the token into its link, or answer with the one neutral page; send the private headers.

    Exempt from the CSRF check, on purpose: with no Referer the browser sends "Origin: null" with every form,
    which the check refuses. Nothing is lost: a forged request needs the token in its URL, and whoever has
    the token can post anyway; the pages act on no cookie, session or account that a third site could
    borrow."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        response = _switch_language(request)
        if response is None:
            try:
                link = contact_link_resolve(token=token)
            except ContactLinkInvalid:
                response = _invalid(request)
            else:
                prefetch_related_objects([link.review], stages_with_decisions())
                stages = stage_views(link.review, user=None)
                response = view(request, link, token, stages, *args, **kwargs)
        for header, value in PRIVATE_HEADERS.items():
            response[header] = value
        return response

    return wrapper


def _refused(request, error, url):
    """A save refused because the link no longer opens the review (revoked or expired meanwhile, the
    request closed) gets the neutral page; any other refusal (the stage was submitted) is said."""
    if error.code == "forbidden":
        return _invalid(request)
    return flash_refusal(request, error, url)


def _urls(token) -> StepUrls:
    return StepUrls(
        overview=reverse("contact_home", args=[token]),
        section=lambda code: reverse("contact_section", args=[token, code]),
    )


def _context(link, token, stages, **extra) -> dict:
    return {"contact_link": link, "token": token, "review": link.review, "stages": stages, **extra}


@contact_page
def contact_home(request, link, token, stages):
    """Where the contact starts: who asks, until when, and the two stages they fill in."""
    review = link.review
    urls = _urls(token)
    # The review's files, read once: which questions have a file, the files given with the answers that
    # count for the data-source stage, and the documents uploaded to it (current: not withdrawn).
    evidence = list(Evidence.objects.filter(review=review).select_related("stage", "question"))
    reading = questionnaire_reading(review, evidence=evidence)
    result = reading[1]
    data_source = stage_in(stages, StageKind.DATA_SOURCE)
    needs = data_source_needs(review, reading=reading, evidence=evidence)
    provided = {
        item.kind
        for item in evidence
        if item.stage_id == data_source.pk and item.withdrawn_at is None and item.question_id is None
    }
    provided |= {item.kind for item in needs.given_with_answers}
    return render(
        request,
        "reviews/contact/home.html",
        _context(
            link,
            token,
            stages,
            result=result,
            # The visible questions are the only ones a section's progress counts, in their order.
            progress=questionnaire_progress(review, result, urls, questions=result.visible, show_flags=False),
            overview_url=urls.overview,
            questionnaire=stage_in(stages, StageKind.QUESTIONNAIRE),
            data_source=data_source,
            questionnaire_returned=returned_decision(stages, StageKind.QUESTIONNAIRE),
            data_source_returned=returned_decision(stages, StageKind.DATA_SOURCE),
            required_count=len(needs.required),
            provided_count=sum(kind in provided for kind in needs.required),
        ),
    )


@contact_page
def contact_section(request, link, token, stages, section):
    stage = stage_in(stages, StageKind.QUESTIONNAIRE)
    return section_page(
        request,
        SectionStep.load(link.review, stage, section),
        actor=link,
        editable=stage.is_editable,
        urls=_urls(token),
        template="reviews/contact/section.html",
        refused=_refused,
        show_flags=False,
        reader=Reader.CONTACT,
        context=_context(link, token, stages, returned=returned_decision(stages, StageKind.QUESTIONNAIRE)),
    )


@contact_page
def contact_data_source(request, link, token, stages):
    review = link.review
    stage = stage_in(stages, StageKind.DATA_SOURCE)
    forms_by_kind = {}
    back = reverse("contact_data_source", args=[token])
    if request.method == "POST":
        response, forms_by_kind = data_source_upload(
            request,
            stage,
            actor=link,
            back=back,
            refused=_refused,
            allowed={*data_source_needs(review).required, EvidenceKind.OTHER},
        )
        if response is not None:
            return response
    # The review's files, read once (after an upload, with what it kept), as the requester's page reads them.
    files = review_files(review)
    needs = data_source_needs(review, reading=questionnaire_reading(review, evidence=files), evidence=files)
    return render(
        request,
        "reviews/contact/data_source.html",
        _context(
            link,
            token,
            stages,
            stage=stage,
            returned=returned_decision(stages, StageKind.DATA_SOURCE),
            editable=stage.is_editable,
            accept=ACCEPT_ATTR,
            upload_url=back,
            slots=data_source_slots(
                stage,
                needs,
                forms_by_kind,
                contact_contributions(review, known=[link]),
                stage_files=files_of(files, stage),
                reader=Reader.CONTACT,
            ),
        ),
    )
