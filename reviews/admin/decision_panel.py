"""What the decision panel beside a review shows the reviewer of the stage waiting: the findings to weigh
(red flags, unanswered questions, missing documents, certificate problems, why the tier) and what a return
may name (reviews.reopening)."""

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length

from reviews.models import EvidenceKind, Stage, StageKind
from reviews.questionnaire.scoring import RiskResult

from .review_evidence import CertificateRow, Requirement

if TYPE_CHECKING:
    from .review_file import AnswerRow, ReviewFile


@dataclass(frozen=True)
class Reason:
    """Why the tier is what it is: one answer's effect on the score, with the article it rests on."""

    text: str
    article: str
    effect: str


def tier_reasons(result: RiskResult | None) -> list[Any]:
    """The scoring result's reasons (each with .text, .article, .effect), or, from a result that does not
    give them, its red flags and risks read as reasons."""
    if result is None:
        return []
    reasons = getattr(result, "reasons", None)
    if reasons is not None:
        return list(reasons)
    return [Reason(f.message, f.legal_basis, f.effect) for f in [*result.red_flags, *result.risks]]


@dataclass(frozen=True)
class Findings:
    """What the reviewer of `stage` must weigh, shown beside the decision buttons."""

    stage: Stage
    red_flags: list["AnswerRow"]
    unanswered: list[Any]
    missing: list[Requirement]
    certificate_problems: list[CertificateRow]
    reasons: list[Any]


def stage_findings(file: "ReviewFile", stage: Stage) -> Findings:
    """Red flags and unanswered questions for the questionnaire, documents still missing for the data-source
    stage, expired or expiring certificates for the security stage; all of them for the sign-off."""
    kind = stage.kind
    every = kind == StageKind.SIGN_OFF
    return Findings(
        stage=stage,
        red_flags=file.red_flag_rows if kind == StageKind.QUESTIONNAIRE or every else [],
        unanswered=list(file.risk.missing) if file.risk and kind == StageKind.QUESTIONNAIRE else [],
        missing=[r for r in file.requirements if not r.met] if kind == StageKind.DATA_SOURCE or every else [],
        certificate_problems=[
            r for r in file.certificates if r.set_aside_in is None and r.expiry in ("expired", "expiring")
        ]
        if kind == StageKind.SECURITY or every
        else [],
        reasons=tier_reasons(file.risk),
    )


REOPEN_LABEL_LENGTH = 90


def _shortened(text: str, length: int = REOPEN_LABEL_LENGTH) -> str:
    """What |truncatechars:90 writes (Django's Truncator), without its walk over every character: a label no
    longer than that comes back whole (NFC-normalised, as it does), a longer ASCII one (English: no combining
    characters, each counts) is cut where the walk would cut it."""
    if len(text) <= length:
        return unicodedata.normalize("NFC", text)
    if text.isascii():
        return add_truncation_text(text[: calculate_truncate_chars_length(length, None)])
    return Truncator(text).chars(length)


def reopen_choices(file: "ReviewFile", stage: Stage) -> list[tuple[str, str, bool]]:
    """What Legal may name in a return (reviews.reopening): the questionnaire's visible questions, flagged
    ones pre-ticked, or the data-source stage's documents, missing ones pre-ticked. Each label is shortened
    to 90 characters for the page."""
    if stage.kind == StageKind.QUESTIONNAIRE:
        return [
            (row.question.code, _shortened(f"{row.question.code} {row.question.text}"), bool(row.flags))
            for row in file.answers
        ]
    if stage.kind == StageKind.DATA_SOURCE:
        return [(item.kind, _shortened(str(item.label)), not item.met) for item in file.requirements] + [
            (EvidenceKind.OTHER.value, _shortened(str(EvidenceKind.OTHER.label)), False)
        ]
    return []
