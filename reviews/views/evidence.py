from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from vendors import cert_rules
from vendors.files import ACCEPT_ATTR
from vendors.models import Certification
from vendors.services import VendorError

from .. import evidence as evidence_services
from ..errors import WorkflowError
from ..forms import CertificateForm, EvidenceUploadForm
from ..models import Evidence, EvidenceKind, StageCertification, StageKind
from ..questionnaire.scoring import questionnaire_reading
from ..reopening import may_change, reopened
from ..review_view import CertificateEntry, Reader, evidence_items, returned_decision
from ..selectors import contact_contributions, files_of, review_files
from ..submission import certificate_problems, data_source_needs
from .common import flash_refusal, load_review, stage_in, stage_url, store_files, upload_messages
from .review import pop_submit_error


def data_source_slots(
    stage,
    needs,
    forms_by_kind,
    contributions,
    *,
    stage_files: list[Evidence],
    reader: Reader = Reader.REQUESTER,
):
    """One upload slot per required evidence kind, plus one for any other document, from the stage's files
    (reviews.selectors.files_of). Files of earlier rounds stay listed and counted, frozen (I6,
    reviews.reopening); after a return only the slots Legal reopened take files. Each file says whether it
    came through a vendor contact's link."""
    evidence = evidence_items(stage_files, contributions, reader=reader)
    required = needs.required
    kinds = [*required, EvidenceKind.OTHER] if EvidenceKind.OTHER not in required else list(required)
    opened = reopened(stage)
    slots = []
    for kind in kinds:
        files = [i for i in evidence if i.evidence.kind == kind and i.evidence.question_id is None]
        current = [i for i in files if i.evidence.withdrawn_at is None]
        slots.append(
            {
                "kind": kind,
                "label": EvidenceKind(kind).label,
                "required": kind in required,
                "current": current,
                "older": [i for i in files if i.evidence.withdrawn_at is not None],
                "may_change": may_change(stage, kind, opened=opened),
                "reopened": opened is not None and kind in opened,
                # A required document already given with a questionnaire answer fills its slot.
                "from_answers": [e for e in needs.given_with_answers if e.kind == kind]
                if kind in required
                else [],
                "form": forms_by_kind.get(kind) or EvidenceUploadForm(initial={"kind": kind}),
            }
        )
    return slots


def data_source_upload(request, stage, *, actor, allowed, back: str, refused=flash_refusal):
    """An upload to one slot of the data-source stage. Returns (response, forms_by_kind): a redirect when
    done, or no response and the bound form, to show again with the files it refused."""
    form = EvidenceUploadForm(request.POST, request.FILES, allowed_kinds=allowed)
    kind = request.POST.get("kind", "")
    if not form.is_valid() and "kind" in form.errors:
        messages.error(request, str(form.errors["kind"][0]))
        return redirect(back), {}
    if form.is_valid():
        try:
            stored = store_files(
                request,
                form,
                "files",
                form.cleaned_data["files"],
                stage=stage,
                actor=actor,
                kind=kind,
                note=form.cleaned_data["note"],
            )
        except WorkflowError as error:
            return refused(request, error, back), {}
        if stored:
            messages.success(
                request, ngettext("%(n)d file added.", "%(n)d files added.", stored) % {"n": stored}
            )
        if not form.errors:
            return redirect(f"{back}#kind-{kind}"), {}
    return None, {kind: form}


@login_required
def data_source(request, pk):
    """Data-source legality evidence: the kinds required by the vendor's role and answers, each with an
    upload slot taking several files."""
    review, access, stages = load_review(request, pk)
    stage = stage_in(stages, StageKind.DATA_SOURCE)
    forms_by_kind = {}
    if request.method == "POST":
        response, forms_by_kind = data_source_upload(
            request,
            stage,
            actor=request.user,
            allowed={*data_source_needs(review).required, EvidenceKind.OTHER},
            back=stage_url(review, StageKind.DATA_SOURCE),
        )
        if response is not None:
            return response
    # The review's files, read once (after an upload, with what it kept): the questions with a file, the
    # documents given with the answers, this stage's files and the questionnaire's.
    files = review_files(review)
    needs = data_source_needs(review, reading=questionnaire_reading(review, evidence=files), evidence=files)
    questionnaire = stage_in(stages, StageKind.QUESTIONNAIRE)
    return render(
        request,
        "reviews/data_source.html",
        {
            "review": review,
            "access": access,
            "stage": stage,
            "returned": returned_decision(stages, stage.kind),
            "stages": stages,
            "slots": data_source_slots(
                stage, needs, forms_by_kind, contact_contributions(review), stage_files=files_of(files, stage)
            ),
            "editable": access.can_edit and stage.is_editable,
            "accept": ACCEPT_ATTR,
            "submit_error": pop_submit_error(request, StageKind.DATA_SOURCE),
            "question_evidence": [
                e
                for e in files_of(files, questionnaire)
                if e.round == questionnaire.round and e.withdrawn_at is None
            ],
        },
    )


# D4's choices that name a kind of certificate (questionnaire v1 uses CertificationKind's values).
D4_KINDS = ("iso27001", "iso27701", "soc2_type2", "csa_star", "ccrc")


# The questions whose files are certificates: D3 (the MLPS filing certificate and assessment report) and D4.
CERTIFICATE_QUESTIONS = ("D3", "D4")
# D3's answer says which MLPS paper was given and at what level; "level 3 or higher" starts at level 3.
D3_MLPS = {
    "l2_filed": ("mlps_filing", "mlps_l2"),
    "l3_filed": ("mlps_report", "mlps_l3"),
    "l3_stale": ("mlps_report", "mlps_l3"),
}
# The D4 choice that names its edition (ISO/IEC 27001:2022).
D4_EDITIONS = {"iso27001": "iso27001_2022"}


def certificate_files_given(review, stage) -> list[Evidence]:
    """Certificate files given with answers D3 and D4 that no certificate record of the security stage holds
    yet: each is offered as a record to complete (number, issuer, dates), not a second upload."""
    held = set(stage.certifications.filter(withdrawn_at__isnull=True).values_list("sha256", flat=True))
    return [
        e
        for e in Evidence.objects.filter(
            review=review, question__code__in=CERTIFICATE_QUESTIONS, withdrawn_at__isnull=True
        )
        .select_related("question")
        .order_by("question__code", "pk")
        if e.sha256 not in held
    ]


def _kind_from_d4(review) -> str:
    answer = review.answers.filter(question__code="D4").first()
    chosen = answer.value if answer is not None and isinstance(answer.value, list) else []
    return next((kind for kind in D4_KINDS if kind in chosen), "")


def certificate_initial(review, evidence: Evidence) -> dict:
    """What the answers already say of a file given with D3 or D4: its kind and its edition or level."""
    if evidence.question is not None and evidence.question.code == "D3":
        answer = review.answers.filter(question__code="D3").first()
        level = answer.value if answer is not None and isinstance(answer.value, str) else ""
        kind, edition = D3_MLPS.get(level, ("mlps_filing", ""))
        return {"kind": kind, "edition": edition}
    kind = _kind_from_d4(review)
    return {"kind": kind, "edition": D4_EDITIONS.get(kind, "")}


@login_required
def security(request, pk):
    """Security certification: certificate records, each with its file, checked for dates."""
    review, access, stages = load_review(request, pk)
    stage = stage_in(stages, StageKind.SECURITY)
    form = CertificateForm()
    given = certificate_files_given(review, stage)
    bound_given = {}
    if request.method == "POST":
        source = next((e for e in given if str(e.pk) == request.POST.get("from_evidence")), None)
        if source is not None:
            form = bound_given[source.pk] = CertificateForm(
                request.POST, file_given=True, prefix=f"d4-{source.pk}"
            )
        else:
            form = CertificateForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                cert = evidence_services.certificate_add(
                    stage=stage,
                    actor=request.user,
                    upload=form.cleaned_data.get("file"),
                    from_evidence=source,
                    **form.service_fields(),
                )
            except ValidationError as error:
                form.add_error("file", upload_messages(error))
            except (
                VendorError
            ) as error:  # a void certificate (vendors.cert_rules), checked again by the service
                form.add_error(None, str(error))
            except WorkflowError as error:
                messages.error(request, error.message)
                return redirect("security", pk=review.pk)
            else:
                messages.success(request, _("Certificate %(cert)s added.") % {"cert": cert})
                if form.expiry_warning:
                    messages.warning(request, form.expiry_warning)
                return redirect(stage_url(review, StageKind.SECURITY) + "#certificates")
    today = timezone.localdate()
    # Every certificate ever put forward, the current round's first; only those are checked.
    links = sorted(
        StageCertification.objects.filter(stage=stage).select_related("certification__uploaded_by"),
        key=lambda link: (not link.is_current, -link.certification.uploaded_at.timestamp()),
    )
    certificates = []
    for link in links:
        cert = link.certification
        lapse = cert_rules.lapse(cert)
        certificates.append(
            CertificateEntry(
                certification=cert,
                link=link,
                problems=certificate_problems(cert, today=today) if link.is_current else [],
                lapse=lapse,
                days_left=(lapse.date - today).days if lapse else None,
            )
        )
    from django.conf import settings

    return render(
        request,
        "reviews/security.html",
        {
            "review": review,
            "access": access,
            "stage": stage,
            "returned": returned_decision(stages, stage.kind),
            "stages": stages,
            "form": form if not bound_given else CertificateForm(),
            "given": [
                (
                    e,
                    bound_given.get(e.pk)
                    or CertificateForm(
                        file_given=True, prefix=f"d4-{e.pk}", initial=certificate_initial(review, e)
                    ),
                )
                for e in given
            ],
            "certificates": certificates,
            "editable": access.can_edit and stage.is_editable,
            "warning_days": settings.VETTED_CERT_EXPIRY_WARNING_DAYS,
            "submit_error": pop_submit_error(request, StageKind.SECURITY),
        },
    )


@login_required
@require_POST
def evidence_withdraw(request, pk, evidence_id):
    review, _access, _stages = load_review(request, pk)
    evidence = get_object_or_404(
        Evidence.objects.select_related("stage__review", "question__section"), pk=evidence_id, review=review
    )
    try:
        evidence_services.evidence_withdraw(evidence=evidence, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("“%(name)s” was withdrawn. It stays on record.") % {"name": evidence.original_name}
        )
    if evidence.question_id and evidence.question is not None:
        return redirect("questionnaire_section", pk=review.pk, section=evidence.question.section.code)
    return redirect(stage_url(review, evidence.stage.kind))


@login_required
@require_POST
def certificate_withdraw(request, pk, cert_id):
    review, _access, stages = load_review(request, pk)
    stage = stage_in(stages, StageKind.SECURITY)
    cert = get_object_or_404(Certification, pk=cert_id, stages=stage)
    try:
        evidence_services.certificate_withdraw(stage=stage, certification=cert, actor=request.user)
    except (WorkflowError, VendorError) as error:
        messages.error(request, getattr(error, "message", None) or str(error))
    else:
        if cert.frozen:
            messages.success(
                request,
                _(
                    "Certificate %(cert)s was set aside for this round. It stays on record "
                    "with the earlier round."
                )
                % {"cert": cert},
            )
        else:
            messages.success(request, _("Certificate %(cert)s was withdrawn.") % {"cert": cert})
    return redirect(stage_url(review, StageKind.SECURITY) + "#certificates")
