"""Everything on a review's file, read in a fixed number of queries, for the review page and the sign-off
summary (issue 4, points 2 and 4): one frozen view model (ReviewFile) that the templates read. What it shows
of the documents is read in reviews.admin.review_evidence, of the record in reviews.admin.review_record, and
the decision panel's findings are made from it in reviews.admin.decision_panel."""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from reviews.models import (
    AnswerType,
    ContactLink,
    Decision,
    Dossier,
    Question,
    Review,
    SignOff,
    Stage,
    StageKind,
)
from reviews.questionnaire.scoring import RED_FLAG, Flag, RiskResult, questionnaire_reading
from reviews.questionnaire.tiering import tier_context
from reviews.review_view import AuditLine, EvidenceItem, Reader, StageView, evidence_items, stage_view
from reviews.selectors import ContactContributions, contact_contributions

from .decision_panel import _shortened as _shortened  # the labels' shortening, read by its tests here
from .review_evidence import (
    CertificateRow,
    Requirement,
    certificate_rows,
    data_source_requirements,
    review_evidence,
    security_certificate_links,
)
from .review_record import review_audit_lines, review_decisions, review_dossiers
from .review_rows import (
    PREVIEWABLE,
    answer_rows_html,
    audit_rows_html,
    decision_rows_html,
    evidence_rows_html,
    stage_rows_html,
)


@dataclass(frozen=True)
class AnswerRow:
    question: Question
    value: str
    detail: str
    flags: list[Flag] = field(default_factory=list)
    via_contact: ContactLink | None = (
        None  # the vendor contact's link, when the contact gave this answer last
    )

    # Read several times a row by the templates: worked out once (a frozen dataclass's cached_property writes
    # to the instance's __dict__, which freezing leaves alone).
    @cached_property
    def red_flags(self) -> list[Flag]:
        return [f for f in self.flags if f.effect == RED_FLAG]

    @cached_property
    def risks(self) -> list[Flag]:
        return [f for f in self.flags if f.effect != RED_FLAG]

    @cached_property
    def legal_basis(self) -> str:
        bases = [f.legal_basis for f in self.flags if f.legal_basis]
        return "; ".join(dict.fromkeys(bases)) or self.question.legal_basis

    @property
    def severity(self) -> int:
        return 0 if self.red_flags else 1 if self.risks else 2


def display_value(question: Question, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(question.choice_label(v) for v in value)
    if question.answer_type == AnswerType.YES_NO:
        return str(_("Yes")) if value == "yes" else str(_("No")) if value == "no" else str(value)
    return question.choice_label(value)


def answer_rows(
    review: Review,
    contributions: ContactContributions | None = None,
    *,
    reading: tuple[dict, RiskResult] | None = None,
) -> list[AnswerRow]:
    """Every visible question with its answer, flags and legal basis: red flags first, then risks, then the
    rest, each in questionnaire order."""
    states, result = reading or questionnaire_reading(review)
    rows = []
    for question in result.visible:
        state = states.get(question.code)
        rows.append(
            AnswerRow(
                question=question,
                value=display_value(question, state.value if state else None),
                detail=state.detail if state else "",
                flags=result.flags_for(question.code),
                via_contact=contributions.answers.get(question.code) if contributions else None,
            )
        )
    return sorted(rows, key=lambda row: row.severity)  # sorted() is stable: questionnaire order stays


@dataclass(frozen=True)
class ReviewFile:
    review: Review
    stages: tuple[StageView, ...]
    current_stage: Stage | None
    answers: tuple[AnswerRow, ...]
    evidence: tuple[EvidenceItem, ...]
    certificates: tuple[CertificateRow, ...]
    requirements: tuple[Requirement, ...]
    decisions: tuple[Decision, ...]
    sign_off: SignOff | None
    dossiers: tuple[Dossier, ...]
    audit_events: tuple[AuditLine, ...]
    result: RiskResult | None = None  # the questionnaire's reading: tier, floor and reasons
    tier: dict | None = None  # questionnaire.tiering.tier_context(result)
    risk: RiskResult | None = None

    # The rows of the long lists, written once each in Python (reviews.admin.review_rows) for the includes
    # of templates/admin/reviews/review/ to write in one piece.
    @cached_property
    def answer_rows(self) -> str:
        return answer_rows_html(self.answers)

    @cached_property
    def evidence_rows(self) -> str:
        """Without previews (the sign-off page)."""
        return evidence_rows_html(self.evidence)

    @cached_property
    def evidence_rows_previewed(self) -> str:
        """With the preview of each file the admin previews (the review page)."""
        return evidence_rows_html(self.evidence, previewable=PREVIEWABLE)

    @cached_property
    def audit_rows(self) -> str:
        return audit_rows_html(self.audit_events)

    @cached_property
    def stage_rows(self) -> str:
        return stage_rows_html(self.stages, self.current_stage)

    @cached_property
    def decision_rows(self) -> str:
        return decision_rows_html(self.decisions)

    @property
    def red_flag_rows(self) -> list[AnswerRow]:
        return [row for row in self.answers if row.red_flags]

    @property
    def flagged_rows(self) -> list[AnswerRow]:
        return [row for row in self.answers if row.flags]


def review_queryset():
    # The sign-off comes with the review (a one-to-one: None when not signed), and whether any vendor contact
    # has a link to it (most reviews: none), not in queries of their own. The questionnaire's own row is not
    # read by either page (its questions are read by template_id).
    return (
        Review.objects.select_related("vendor", "requester", "sign_off__signed_by")
        .annotate(
            has_contact_links=Exists(ContactLink.objects.filter(review=OuterRef("pk"))),
        )
        .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("order")))
    )


def _latest(decisions: list[Decision]) -> dict[int, Decision]:
    """Each stage's newest decision, by the stage's key."""
    latest: dict[int, Decision] = {}
    for decision in decisions:
        known = latest.get(decision.stage_id)
        if known is None or (decision.decided_at, decision.pk) > (known.decided_at, known.pk):
            latest[decision.stage_id] = decision
    return latest


def review_file(review: Review, *, user, with_audit: bool = True) -> ReviewFile:
    """`review` must come from review_queryset() so its stages and sign-off come with it. `user` reads the
    page (whose turn each stage is, from where they stand)."""
    stages = list(review.stages.all())
    for stage in stages:
        stage.review = review  # already loaded: no query per stage
    security = next((s for s in stages if s.kind == StageKind.SECURITY), None)
    evidence = review_evidence(review)
    decisions = review_decisions(stages)
    try:
        sign_off = review.sign_off
    except SignOff.DoesNotExist:
        sign_off = None
    dossiers = review_dossiers(review, sign_off)
    audit = review_audit_lines(review) if with_audit else []
    # Without a contact link nobody acted through one.
    contributions = (
        contact_contributions(review)
        if getattr(review, "has_contact_links", True)
        else ContactContributions()
    )
    reading = questionnaire_reading(review, evidence=evidence)
    items = evidence_items(evidence, contributions, reader=Reader.ADMIN)
    latest = _latest(decisions)
    return ReviewFile(
        review=review,
        stages=tuple(stage_view(stage, user=user, decision=latest.get(stage.pk)) for stage in stages),
        current_stage=review.current_stage(),
        answers=tuple(answer_rows(review, contributions, reading=reading)),
        evidence=tuple(items),
        requirements=tuple(
            data_source_requirements(
                review,
                items,
                next((s for s in stages if s.kind == StageKind.DATA_SOURCE), None),
                reading=reading,
            )
        ),
        certificates=tuple(
            certificate_rows(security_certificate_links(security), today=timezone.localdate())
        ),
        decisions=tuple(decisions),
        sign_off=sign_off,
        dossiers=tuple(dossiers),
        audit_events=tuple(audit),
        result=reading[1],
        tier=tier_context(reading[1]),
        risk=reading[1],
    )


class _AppListWhenRead:
    """An admin site whose get_app_list() answers a list built when first read. Both pages about one review
    hide the sidebar, the only reader of each_context's list of tables (available_apps), whose building
    checks a permission and reverses two links for every table: 1.5 ms of the review page."""

    def __init__(self, site):
        self._site = site

    def __getattr__(self, name):
        return getattr(self._site, name)

    def get_app_list(self, request, app_label=None):
        return SimpleLazyObject(lambda: self._site.get_app_list(request, app_label))


def review_page_context(model_admin, request, review, title) -> dict:
    """What every admin page about one review starts from (the review page, the sign-off page)."""
    site = model_admin.admin_site
    return {
        **type(site).each_context(_AppListWhenRead(site), request),
        "opts": model_admin.opts,
        "title": title,
        "subtitle": review.vendor.name_zh,
        "original": review,
        "review": review,
    }
