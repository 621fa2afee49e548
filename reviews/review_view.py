"""A review as its pages show it: frozen view models, built by selectors, that the templates read, rather than
display data set on model instances (docs/architecture.md "Selectors and view models"). The admin's review page and sign-off
page, the requester's pages and the dossier read the same pieces: a stage with whose turn it is, a file with who
gave it and where the reader downloads it, an audit event with its sentence in the reader's language."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext

from vendors.cert_rules import Lapse
from vendors.links import object_url
from vendors.models import Certification

from .audit_sentences import audit_sentence
from .models import AuditEvent, ContactLink, Decision, Evidence, Review, Stage, StageCertification, StageState
from .selectors import ContactContributions, latest_decisions, waiting_since, whose_turn


class _ReadsAsRecord:
    """A view model reads as the record it shows: an attribute it does not have itself is the record's (its
    field named by record_field), so that `item.original_name` and `item.download_url` read alike. Nothing
    is written to the record."""

    record_field: ClassVar[str] = ""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == self.record_field:
            raise AttributeError(name)
        return getattr(getattr(self, self.record_field), name)

    # Equal to the record it shows (a list of them compares with a list of records), and hashed alike.
    def __eq__(self, other: object) -> bool:
        mine = getattr(self, self.record_field)
        if isinstance(other, _ReadsAsRecord):
            return mine == getattr(other, other.record_field)
        return mine == other

    def __hash__(self) -> int:
        return hash(getattr(self, self.record_field))


class Reader(StrEnum):
    """Who reads a review's files, which decides where a file is downloaded from: the reviewers' admin, the
    requester's pages, a vendor contact's page (files are listed, not served) or the dossier (none: it
    embeds them)."""

    ADMIN = "admin"
    REQUESTER = "requester"
    CONTACT = "contact"
    DOSSIER = "dossier"


@dataclass(frozen=True, eq=False)
class StageView(_ReadsAsRecord):
    """A stage of a review as a page shows it: whose turn it is and since when, its newest decision and the
    page where the requester works on it."""

    stage: Stage
    turn: str
    since: datetime | None
    step_label: str  # "2. Data-source legality evidence: Submitted", the step's name in a progress bar
    latest_decision: Decision | None = None
    url: str = ""

    record_field: ClassVar[str] = "stage"


def stage_view(stage: Stage, *, user, decision: Decision | None = None, url: str = "") -> StageView:
    """`stage.review` must be loaded (whose_turn reads its requester and state)."""
    return StageView(
        stage=stage,
        turn=whose_turn(stage, user=user),
        since=waiting_since(stage),
        step_label=f"{stage.order}. {stage.get_kind_display()}: {stage.get_state_display()}",
        latest_decision=decision,
        url=url,
    )


def stage_views(review: Review, *, user, decisions: bool = True, urls: dict | None = None) -> list[StageView]:
    """The review's stages in order (prefetched), each with whose turn it is. With `decisions` (stages
    prefetched with their decisions, reviews.selectors.stages_with_decisions), each carries its newest
    decision; a return from the sign-off is shown on the security stage that reopened
    (reviews.selectors.latest_decisions)."""
    stages = sorted(review.stages.all(), key=lambda s: s.order)
    for stage in stages:
        stage.review = review  # already loaded: no query per stage
    latest = latest_decisions(stages) if decisions else {}
    urls = urls or {}
    return [
        stage_view(stage, user=user, decision=latest.get(stage.pk), url=urls.get(stage.kind, ""))
        for stage in stages
    ]


def stage_of(views: Iterable[StageView], kind: str) -> Stage:
    """The stage of `kind` among `views`."""
    return next(view.stage for view in views if view.stage.kind == kind)


@dataclass(frozen=True, eq=False)
class EvidenceItem(_ReadsAsRecord):
    """A file of a review as a page lists it: the record, the vendor contact's link it came through (if it
    did), and where the reader downloads and previews it (empty where it is not served)."""

    evidence: Evidence
    via_contact: ContactLink | None = None
    download_url: str = ""
    preview_url: str = ""
    round_label: str = ""
    preview_label: str = ""

    record_field: ClassVar[str] = "evidence"


def evidence_urls(reader: Reader, review_id: int, evidence_id: int) -> tuple[str, str]:
    """Where `reader` downloads and previews a file: the admin serves both, the requester's pages download,
    a contact's page and the dossier neither."""
    if reader == Reader.ADMIN:
        return (
            object_url("admin:reviews_review_evidence_download", review_id, evidence_id),
            object_url("admin:reviews_review_evidence_preview", review_id, evidence_id),
        )
    if reader == Reader.REQUESTER:
        return object_url("evidence_download", review_id, evidence_id), ""
    return "", ""


def evidence_items(
    evidence: Iterable[Evidence], contributions: ContactContributions, *, reader: Reader
) -> list[EvidenceItem]:
    """Each file with the link it came through and its links for `reader`. The admin's rows also carry their
    round and preview phrases, made here rather than by a tag in each row (each tag some 20 µs; a review has
    dozens of files)."""
    items = []
    for item in evidence:
        download, preview = evidence_urls(reader, item.review_id, item.pk)
        labelled = reader == Reader.ADMIN
        items.append(
            EvidenceItem(
                evidence=item,
                via_contact=contributions.evidence.get(item.pk),
                download_url=download,
                preview_url=preview,
                round_label=gettext("round %(round)s") % {"round": item.round} if labelled else "",
                preview_label=gettext("Preview %(name)s") % {"name": item.original_name} if labelled else "",
            )
        )
    return items


@dataclass(frozen=True, eq=False)
class AuditLine(_ReadsAsRecord):
    """An event of the audit trail as the review page reads it: its sentence in the reader's language, and
    the recorded data as text."""

    event: AuditEvent
    sentence: str
    recorded_label: str
    details_text: str

    record_field: ClassVar[str] = "event"


def audit_lines(events: Iterable[AuditEvent]) -> list[AuditLine]:
    """`events` with their review and vendor given (the sentences name them)."""
    return [
        AuditLine(
            event=event,
            sentence=str(audit_sentence(event)),
            recorded_label=gettext("Recorded data (event #%(n)s)") % {"n": event.pk},
            details_text=json.dumps(event.data, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder),
        )
        for event in events
    ]


def returned_decision(views: Iterable[StageView], kind: str) -> Decision | None:
    """The decision that returned the stage of `kind` to the requester, while it is returned: what
    reviews/_returned_comment.html shows."""
    view = next(view for view in views if view.stage.kind == kind)
    return view.latest_decision if view.stage.state == StageState.RETURNED else None


@dataclass(frozen=True, eq=False)
class ReviewProgress(_ReadsAsRecord):
    """A review in a list, with its stages as its progress bar reads them (reviews/_progress.html) and the
    first stage not passed."""

    review: Review
    stage_list: tuple[StageView, ...]
    current: StageView | None

    record_field: ClassVar[str] = "review"


def review_progress(review: Review, stages: Iterable[StageView]) -> ReviewProgress:
    stage_list = tuple(stages)
    current = next((view for view in stage_list if view.stage.state != StageState.PASSED), None)
    return ReviewProgress(review=review, stage_list=stage_list, current=current)


@dataclass(frozen=True, eq=False)
class CertificateEntry(_ReadsAsRecord):
    """A certificate put forward on a security stage, as the requester's security page lists it: its link to
    the stage (current round or set aside), what is wrong with it, and when it stops counting."""

    certification: Certification
    link: StageCertification
    problems: list[str]
    lapse: Lapse | None
    days_left: int | None

    record_field: ClassVar[str] = "certification"
