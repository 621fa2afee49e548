"""Rendering the approval dossier: the context of one approved review, as HTML, then as PDF (WeasyPrint).

The dossier is read years later without the application (docs/architecture.md "The dossier"), so it carries everything
itself, in Chinese and English: each label is rendered in both languages (gettext under zh-hans and en), the
questionnaire's own bilingual texts are printed as stored, and every file is listed with its SHA-256. The
files of the approved round are embedded (reviews/dossier/attachments.py) and the PDF is signed with the
organisation's key (reviews/dossier/signing.py).

`dossier_render(review)` returns (filename, bytes) with the signature and the number of embedded files;
reviews/dossier/services.py stores them, the `dossier` command writes them to a file. Nothing here writes to
the database.
"""

import datetime as dt
import gc
import re
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from vendors import cert_rules
from vendors.citations import citation_zh
from vendors.models import Certification, OwnChannel, Vendor
from vendors.people import person_name
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition

from ..audit_sentences import ACCOUNT_ACTIONS, audit_sentence, contact_label
from ..bilingual import EN, ZH, Bi, bi
from ..models import (
    AnswerType,
    AuditEvent,
    Decision,
    Evidence,
    Question,
    Review,
    ReviewState,
    SignOff,
    Stage,
    StageCertification,
    StageKind,
)
from ..questionnaire import tiering
from ..questionnaire.scoring import evaluate, review_answer_states
from ..review_view import EvidenceItem, Reader, evidence_items
from ..selectors import ContactContributions, contact_contributions
from . import signing, trail
from .attachments import LABELS as FILE_LABELS
from .attachments import MANIFEST_NAME, DossierFile, dossier_files, dossier_manifest, pdf_attachments
from .labels import CHANNEL_LABELS, LABELS

TEMPLATE = "dossier/dossier.html"


class DossierNotAvailable(Exception):
    """The review has no legal sign-off, so there is no approval to document."""


class ChineseCatalogueMissing(ImproperlyConfigured):
    """The compiled Chinese messages are not installed: a dossier rendered now would be English only."""


def chinese_catalogue_required() -> None:
    """Refuse to render a dossier in one language: the dossier must read in Chinese (docs/architecture.md
    "The dossier"), and without the compiled catalogue (locale/*/LC_MESSAGES/django.mo, not in git) gettext
    silently returns the English."""
    probe = LABELS["title"]
    with translation.override(ZH):
        if translation.gettext(probe) == probe:
            raise ChineseCatalogueMissing(
                "The Chinese translations are not compiled, so the dossier would be in English only: run "
                "`manage.py compilemessages` (the Makefile and the Docker image do) and generate it again."
            )


def _labels(*, own_channel: bool = False) -> dict[str, Bi]:
    labels = {**LABELS, **CHANNEL_LABELS} if own_channel else LABELS
    return {key: bi(message) for key, message in labels.items()}


def _channel_facts(vendor: Vendor) -> dict | None:
    """What the dossier of an own channel states instead of a credit code (docs/architecture.md "Own channels")."""
    if not vendor.is_own_channel:
        return None
    channel = vendor.channel
    return {
        "kind": _choice(OwnChannel, "kind", channel.kind),
        "operator": channel.operator_label,
        "icp_filing": channel.icp_filing,
        "app_store_ids": channel.app_store_ids,
        "administrators": [f"{person.name} <{person.email}>" for person in channel.administrators.all()],
        "business_owner": _person(vendor.business_owner) if vendor.business_owner_id else "",
    }


def _choice(model, field_name: str, value) -> Bi:
    """The label of a model field's choice, in both languages."""
    label = dict(model._meta.get_field(field_name).flatchoices).get(value)
    return bi(label) if label is not None else Bi(str(value), str(value))


def _local(moment: dt.datetime | None, *, offset: bool = False) -> str:
    """Local time; tables leave the UTC offset out (the cover names the zone once)."""
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S %z" if offset else "%Y-%m-%d %H:%M:%S")


def _person(user) -> str:
    if user is None:
        return "—"  # no account: the system, or a vendor contact through a signed link
    return person_name(user)


@dataclass
class QuestionRow:
    question: Question
    shown: bool
    answer: list[Bi] = field(default_factory=list)  # one entry per chosen value
    detail: str = ""
    files: list[str] = field(default_factory=list)
    flags: list[tuple[str, Bi, Bi]] = field(default_factory=list)  # (effect, message, legal basis)
    answered_by: str = ""  # set when the vendor's contact gave the answer, through their link

    @property
    def basis(self) -> Bi:
        return _citation(self.question.legal_basis)


def answer_labels(question: Question, value) -> list[Bi]:
    """An answer's chosen values as the question labels them, in both languages (the dossier, and the
    answers an extension gives again in its addendum, activities.records)."""
    if value is None or value == "" or value == []:
        return []
    values = value if isinstance(value, list) else [value]
    if question.answer_type == AnswerType.YES_NO:
        return [bi(LABELS[v]) if v in ("yes", "no") else Bi(str(v), str(v)) for v in values]
    by_value = {c["value"]: c for c in question.choices}
    return [Bi(by_value[v]["zh"], by_value[v]["en"]) if v in by_value else Bi(str(v), str(v)) for v in values]


def _questionnaire(review: Review, evidence: list[Evidence], contributions: ContactContributions):
    """Every question of the review's template with its answer and flags, in both languages."""
    questions = list(
        Question.objects.filter(section__template_id=review.template_id)
        .select_related("section")
        .order_by("section__order", "order")
    )
    states = review_answer_states(review)
    category = review.vendor.questionnaire_category
    request = tiering.Facts(traits=frozenset(review.data_traits or ()), volume=review.expected_volume)
    with translation.override(ZH):
        result_zh = evaluate(questions, states, category=category, request=request)
    with translation.override(EN):
        result = evaluate(questions, states, category=category, request=request)
    visible = {q.code for q in result.visible}
    files: dict[int, list[str]] = {}
    for item in evidence:
        if item.question_id is not None and item.withdrawn_at is None:
            files.setdefault(item.question_id, []).append(f"{item.original_name} (v{item.version})")
    # Flags are listed in the same order under both languages; pair them up.
    flags_by_code: dict[str, list] = {}
    for zh_flag, en_flag in zip(result_zh.flags, result.flags, strict=True):
        flags_by_code.setdefault(en_flag.code, []).append(
            (en_flag.effect, Bi(zh_flag.message, en_flag.message), _citation(en_flag.legal_basis))
        )
    sections: list[tuple[Any, list[QuestionRow]]] = []
    for question in questions:
        if not sections or sections[-1][0].pk != question.section_id:
            sections.append((question.section, []))
        state = states.get(question.code)
        row = QuestionRow(question=question, shown=question.code in visible)
        if row.shown and state is not None:
            row.answer = answer_labels(question, state.value)
            row.detail = state.detail
        if row.shown:
            row.files = files.get(question.pk, [])
            row.flags = flags_by_code.get(question.code, [])
            link = contributions.answers.get(question.code)
            row.answered_by = _contact(link) if link is not None else ""
        sections[-1][1].append(row)
    return result, result_zh, sections


def _citation(text: str) -> Bi:
    """A legal basis cited in each language (vendors.citations): the Chinese names the law and article."""
    return Bi(citation_zh(text), text)


def _tier_reasons(result_zh, result) -> list[tuple[Bi, Bi, Bi]]:
    """Why the tier (questionnaire.tiering): (fact, article, effect) in both languages. Flag messages were
    chosen per language when evaluated; the floor rules' texts are translated here."""
    rows = []
    for zh, en in zip(result_zh.reasons, result.reasons, strict=True):
        text = Bi(zh.text, en.text) if isinstance(en.text, str) else bi(en.text)
        effect = _choice(Review, "risk_tier", en.effect) if en.is_floor else Bi(en.effect, en.effect)
        rows.append((text, _citation(en.article), effect))
    return rows


def _certificate_title(cert) -> Bi:
    """The kind with its edition or level (an ISO/IEC 27001:2013 certificate is void after 2025-10-31)."""
    kind = _choice(Certification, "kind", cert.kind)
    if cert.edition:
        edition = _choice(Certification, "edition", cert.edition)
        return Bi(f"{kind.zh} · {edition.zh}", f"{kind.en} · {edition.en}")
    if cert.period_start and cert.period_end:
        period = f"{cert.period_start:%Y-%m-%d} – {cert.period_end:%Y-%m-%d}"
        return Bi(f"{kind.zh} · {period}", f"{kind.en} · {period}")
    return kind


def _valid_on(cert, day) -> bool:
    found = cert_rules.lapse(cert)
    return found is None or found.date >= day


@dataclass
class EvidenceRow:
    item: Evidence
    status: str  # current | superseded | withdrawn
    status_label: Bi
    kind: Bi
    stage: Bi
    uploaded_by: str
    uploaded_at: str
    file: DossierFile | None = None  # the copy inside the dossier (files of the approved round only)


@dataclass
class CertificateRow:
    cert: Certification
    kind: Bi  # with its edition or level
    valid: bool  # at sign-off, under the rules of docs/domain.md "Certificates"
    dropped: Bi | None  # why it no longer counts, or None when the approval rests on it
    file: DossierFile | None = None


def _evidence_rows(
    items: list[EvidenceItem],
    labels: dict[str, Bi],
    asked: set[int] | None = None,
) -> list[EvidenceRow]:
    """The evidence as listed in the dossier (the review's files as every page reads them,
    reviews.review_view.EvidenceItem, served from nowhere: the dossier embeds them); `asked`: the ids of the
    questions the answers still ask, so that a file given for a question no longer asked is listed as such,
    not as current, and not embedded."""
    kinds = {value: bi(label) for value, label in Evidence._meta.get_field("kind").flatchoices}
    stages = {value: bi(label) for value, label in Stage._meta.get_field("kind").flatchoices}
    rows = []
    for entry in items:
        item = entry.evidence
        if item.withdrawn_at is not None:
            status = "withdrawn"
        elif item.round != item.stage.round:
            status = "superseded"  # uploaded in an earlier round of a returned stage (I6)
        elif asked is not None and item.question_id is not None and item.question_id not in asked:
            status = "not_asked"  # the answers changed and no longer ask the question it was given for
        else:
            status = "current"
        rows.append(
            EvidenceRow(
                item,
                status,
                labels[status],
                kinds.get(item.kind, Bi(item.kind, item.kind)),
                stages[item.stage.kind],
                _contact(entry.via_contact) if entry.via_contact is not None else _person(item.uploaded_by),
                _local(item.uploaded_at),
            )
        )
    return rows


def _contact(link) -> str:
    """The vendor contact who gave an answer or a file, in both languages on one line."""
    return Bi(*(_contact_in(language, link.audit_label) for language in (ZH, EN))).inline


def _contact_in(language: str, label: str) -> str:
    with translation.override(language):
        return contact_label(label)


def _certificate_status(link: StageCertification, labels: dict[str, Bi]) -> Bi | None:
    """None for a certificate the approval rests on; otherwise why it no longer counts."""
    if link.certification.withdrawn_at is not None:
        return labels["withdrawn"]
    if link.dropped_in_round is not None:
        label = labels["set_aside"]
        return Bi(label.zh % {"round": link.dropped_in_round}, label.en % {"round": link.dropped_in_round})
    return None


def _scope_rows(sign_off: SignOff, labels: dict[str, Bi]) -> list[tuple[Bi, list[Bi]]]:
    """What the approval covers, as Legal signed it, each dimension a row of values in both languages."""
    scope = Scope.from_json(sign_off.scope)
    if scope.is_empty:
        return []

    def each(choices, values) -> list[Bi]:
        return [bi(choices(value).label) for value in values]

    other = [Bi(scope.other_conditions, scope.other_conditions)] if scope.other_conditions else []
    conditions = each(ScopeCondition, scope.conditions) + other
    return [
        (labels["scope_purposes"], each(Purpose, scope.purposes) or [Bi("—", "—")]),
        (labels["scope_channels"], each(Channel, scope.channels) or [Bi("—", "—")]),
        (
            labels["scope_data"],
            each(DataCategory, scope.data_categories) or [labels["scope_no_personal_data"]],
        ),
        (labels["scope_audiences"], each(AudienceSource, scope.audience_sources) or [Bi("—", "—")]),
        (
            labels["scope_cross_border"],
            [labels["scope_covered" if scope.cross_border else "scope_not_covered"]],
        ),
        (labels["scope_ceiling"], [bi(Ceiling(scope.ceiling).label)] if scope.ceiling else [Bi("—", "—")]),
        (labels["scope_conditions"], conditions or [labels["scope_none"]]),
    ]


def _audit_events(review: Review) -> list[AuditEvent]:
    """The review's events and its vendor's own events (certificates, status) since the review began."""
    return list(
        AuditEvent.objects.filter(
            Q(review=review) | Q(review__isnull=True, vendor_id=review.vendor_id, at__gte=review.created_at)
        )
        .select_related("actor", "vendor", "review")
        .order_by("pk")
    )


@dataclass
class EventRow:
    event: AuditEvent
    at: str
    sentence: Bi  # what happened, in both languages, hashes in full (reviews/audit_sentences.py)
    prev_hash: str  # printed only where the chain continues from an event not listed here
    printed: Bi | None = None  # the trail of section 9: the sentence as the application shows it

    @property
    def short_hash(self) -> str:
        return self.event.hash[: trail.SHORT]

    @property
    def short_prev_hash(self) -> str:
        return self.prev_hash[: trail.SHORT]


def _sentence_in(language: str, event: AuditEvent, *, full_hashes: bool = True) -> str:
    with translation.override(language):
        return audit_sentence(event, full_hashes=full_hashes)


def _event_rows(events: list[AuditEvent], *, printed: bool = False) -> list[EventRow]:
    """`printed`: also the sentences with short hashes, for the trail of section 9, whose full text is
    embedded (reviews/dossier/trail.py)."""
    rows, last_hash = [], None
    for event in events:
        sentence = Bi(*(_sentence_in(language, event) for language in (ZH, EN)))
        row = EventRow(
            event, _local(event.at), sentence, "" if event.prev_hash == last_hash else event.prev_hash
        )
        if printed:
            row.printed = Bi(*(_sentence_in(language, event, full_hashes=False) for language in (ZH, EN)))
        rows.append(row)
        last_hash = event.hash
    return rows


def _trail(context: dict, generated_at: dt.datetime) -> bytes:
    """The embedded audit trail: the events of section 9 in full (reviews/dossier/trail.py)."""
    return trail.trail_bytes(
        [trail.event_entry(row.event, zh=row.sentence.zh, en=row.sentence.en) for row in context["events"]],
        about={"review": context["review"].number, "sign_off": context["sign_off"].number},
        generated_at=generated_at,
        broken=context["broken_events"],
    )


# How far back the dossier lists the role changes of each decider (docs/architecture.md "People").
ROLE_HISTORY = dt.timedelta(days=365)


def _decider_role_changes(stages: list[Stage], sign_off: SignOff) -> list[EventRow]:
    """Every change that affected who may decide (reviews.role_changes) made to one of the review's deciders
    in the year before their decisions, and every change of a role group's name or permissions in the year
    before the first decision: an auditor sees whether anyone was given a role, a password or an address
    shortly before deciding."""
    times: dict[int, list[dt.datetime]] = {sign_off.signed_by_id: [sign_off.signed_at]}
    for stage in stages:
        for decision in stage.decisions.all():
            times.setdefault(decision.decided_by_id, []).append(decision.decided_at)
    about = Q()
    for user_id, moments in times.items():
        about |= Q(
            object_type="user",
            object_id=str(user_id),
            at__gt=min(moments) - ROLE_HISTORY,
            at__lte=max(moments),
        )
    first = min(moment for moments in times.values() for moment in moments)
    about |= Q(object_type="group", at__gt=first - ROLE_HISTORY, at__lte=sign_off.signed_at)
    events = (
        AuditEvent.objects.filter(about, action__in=ACCOUNT_ACTIONS)
        .select_related("actor", "vendor", "review")
        .order_by("pk")
    )
    return _event_rows(list(events))


def dossier_context(review: Review, *, generated_at: dt.datetime | None = None, dossier=None) -> dict:
    review = Review.objects.select_related("vendor", "requester", "template").get(pk=review.pk)
    sign_off = SignOff.objects.select_related("signed_by").filter(review=review).first()
    if sign_off is None or review.state != ReviewState.APPROVED:
        raise DossierNotAvailable(f"Review {review.number} has no legal sign-off: there is no dossier.")
    generated_at = generated_at or timezone.now()
    stages = list(
        Stage.objects.filter(review=review)
        .order_by("order")
        .select_related("submitted_by")
        .prefetch_related(
            Prefetch(
                "decisions", queryset=Decision.objects.select_related("decided_by").order_by("round", "pk")
            ),
            Prefetch(
                "certificate_links",
                queryset=StageCertification.objects.select_related("certification__uploaded_by").order_by(
                    "certification__kind", "pk"
                ),
            ),
        )
    )
    stage_by_pk = {s.pk: s for s in stages}
    evidence = list(
        Evidence.objects.filter(review=review)
        .select_related("uploaded_by", "question")
        .order_by("stage__order", "kind", "version", "pk")
    )
    for item in evidence:
        item.stage = stage_by_pk[item.stage_id]  # no query per row
    contributions = contact_contributions(review)
    result, result_zh, sections = _questionnaire(review, evidence, contributions)
    security = next(s for s in stages if s.kind == StageKind.SECURITY)
    sign_off_day = timezone.localdate(sign_off.signed_at)
    labels = _labels(own_channel=review.vendor.is_own_channel)
    asked = {row.question.pk for _section, rows in sections for row in rows if row.shown}
    evidence_rows = _evidence_rows(
        evidence_items(evidence, contributions, reader=Reader.DOSSIER), labels, asked
    )
    certificates = [
        CertificateRow(
            link.certification,
            _certificate_title(link.certification),
            _valid_on(link.certification, sign_off_day),
            _certificate_status(link, labels),
        )
        for link in security.certificate_links.all()
    ]
    files = dossier_files(
        evidence=[row.item for row in evidence_rows if row.status == "current"],
        certificates=[row.cert for row in certificates if row.dropped is None],
        kind_labels={
            **{("evidence", v): bi(label) for v, label in Evidence._meta.get_field("kind").flatchoices},
            **{
                ("certificate", v): bi(label)
                for v, label in Certification._meta.get_field("kind").flatchoices
            },
        },
    )
    # Each file inside the dossier is marked on its own row of sections 4 and 5: one list, not two.
    by_record = {(f.role, f.record_id): f for f in files}
    for row in evidence_rows:
        row.file = by_record.get(("evidence", row.item.pk)) if row.status == "current" else None
    for cert_row in certificates:
        cert_row.file = by_record.get(("certificate", cert_row.cert.pk)) if cert_row.dropped is None else None
    events = _audit_events(review)
    broken = [event.pk for event in events if event.compute_hash() != event.hash]
    vendor = review.vendor
    context = {
        "t": labels,
        "review": review,
        "vendor": vendor,
        "channel": _channel_facts(vendor),
        "sign_off": sign_off,
        "dossier": dossier,
        "generated_at": _local(generated_at, offset=True),
        "signed_at": _local(sign_off.signed_at, offset=True),
        "time_zone": _zone_note(labels["time_zone"], generated_at),
        "decision": bi(ReviewState.APPROVED.label),
        "requester": _person(review.requester),
        "approver": _person(sign_off.signed_by),
        "risk_tier": _choice(Review, "risk_tier", review.risk_tier),
        "tier_reasons": _tier_reasons(result_zh, result),
        "category": _choice(Vendor, "category", vendor.category),
        "volume": _choice(Review, "expected_volume", review.expected_volume),
        "result": result,
        "red_flags": [
            Bi(zh.message, en.message) for zh, en in zip(result_zh.red_flags, result.red_flags, strict=True)
        ],
        "red_flag_codes": [f.code for f in result.red_flags],
        "risks": [
            (en.code, en.points, Bi(zh.message, en.message))
            for zh, en in zip(result_zh.risks, result.risks, strict=True)
        ],
        "sections": sections,
        "evidence": evidence_rows,
        "files": files,
        "signer": "",
        "certificates": certificates,
        "stages": [
            {
                "stage": stage,
                "kind": _choice(Stage, "kind", stage.kind),
                "state": _choice(Stage, "state", stage.state),
                "submitted_by": _person(stage.submitted_by) if stage.submitted_by_id else "",
                "submitted_at": _local(stage.submitted_at),
                "decisions": [
                    {
                        "decision": d,
                        "outcome": _choice(Decision, "outcome", d.outcome),
                        "by": _person(d.decided_by),
                        "at": _local(d.decided_at),
                    }
                    for d in stage.decisions.all()
                ],
            }
            for stage in stages
        ],
        "scope_rows": _scope_rows(sign_off, labels),
        "events": _event_rows(events, printed=True),
        "decider_role_changes": _decider_role_changes(stages, sign_off),
        "broken_events": broken,
        "header": f"{sign_off.number} · {vendor.name_zh}",
    }
    # The trail of section 9 in full, embedded beside it: the page prints its SHA-256 (reviews/dossier/trail.py).
    context["audit_trail_file"] = _trail(context, generated_at)
    context["audit_trail"] = trail.manifest_entry(context["audit_trail_file"], len(context["events"]))
    return context


def _zone_note(label: Bi, moment: dt.datetime) -> Bi:
    local = timezone.localtime(moment)
    offset = local.strftime("%z")
    zone = f"{timezone.get_current_timezone_name()} (UTC{offset[:3]}:{offset[3:]})"
    return Bi(label.zh % {"zone": zone}, label.en % {"zone": zone})


def _html(context: dict) -> str:
    # Written into CSS strings in the stylesheet by the css_string filter (reviews/templatetags/css_strings.py).
    context["generated_line"] = f"{context['t']['generated_at'].inline}: {context['generated_at']}"
    context["page_label"] = context["t"]["page"].inline + " "
    if context["signer"]:
        note = context["t"]["signed_note"]
        context["signed_note"] = Bi(
            note.zh % {"signer": context["signer"]}, note.en % {"signer": context["signer"]}
        )
    files = context["files"]
    summary = context["t"]["files_summary"]
    numbers = {"embedded": sum(f.embedded for f in files), "total": len(files)}
    context["files_summary"] = Bi(summary.zh % numbers, summary.en % numbers)
    context["files_left_out"] = [f for f in files if not f.embedded]
    context["event_legend"] = bi(LABELS["event_actor"], name=trail.NAME)
    context["audit_trail_note"] = bi(
        LABELS["audit_trail_note"],
        name=trail.NAME,
        events=context["audit_trail"]["events"],
        chars=trail.SHORT,
    )
    context["manifest_note"] = Bi(
        *(
            text % {"manifest": MANIFEST_NAME}
            for text in (context["t"]["attachments_note"].zh, context["t"]["attachments_note"].en)
        )
    )
    return control_characters_shown(render_to_string(TEMPLATE, context))


# C0 controls other than tab and line feed, DEL, C1 controls and the Unicode line separators.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def control_characters_shown(html: str) -> str:
    """Text stored before control characters were refused (vendors.text) may still hold them. In the HTML they
    have no business (the templates hold none), and the renderer draws them with a fallback font that spoils
    the PDF's text layer; so each is printed as its code point, [U+000C], in the dossier's own font, for the
    auditor to see that it was there. The stylesheet's strings are hex-escaped already (css_string)."""
    return _CONTROL.sub(lambda m: f"[U+{ord(m.group()):04X}]", html)


def dossier_html(review: Review, *, generated_at: dt.datetime | None = None, dossier=None) -> str:
    return _html(dossier_context(review, generated_at=generated_at, dossier=dossier))


def dossier_filename(review: Review, dossier=None) -> str:
    number = SignOff.objects.filter(review=review).values_list("number", flat=True).first() or review.number
    if dossier is not None and dossier.pk:
        return f"{number}-dossier-{dossier.pk}.pdf"
    return f"{number}-dossier.pdf"


class RenderedDossier(tuple):
    """(filename, PDF bytes), which it unpacks to, with the signature and the number of embedded files."""

    signature: signing.SignatureInfo
    embedded: int

    def __new__(cls, filename: str, pdf: bytes, *, signature: signing.SignatureInfo, embedded: int):
        rendered = super().__new__(cls, (filename, pdf))
        rendered.signature, rendered.embedded = signature, embedded
        return rendered


def _seal(context: dict, creds, config: signing.SigningConfig) -> dict | None:
    """The visible seal on the cover: who signs, when, the certificate's fingerprint, how to verify."""
    if creds is None:
        return None
    t = context["t"]
    tsa = urlsplit(config.tsa_url).hostname or config.tsa_url
    stamp = bi(FILE_LABELS["seal_timestamped"], tsa=tsa) if config.tsa_urls else t["seal_no_timestamp"]
    fingerprint = creds.fingerprint.upper()
    return {
        "signer": creds.subject,
        "time": context["generated_at"],
        "fingerprint": " ".join(fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4)),
        "timestamp": stamp,
    }


def _copy_note(context: dict, review: Review) -> Bi:
    from ..models import Dossier, DossierStatus

    latest = (
        Dossier.objects.filter(review=review, status=DossierStatus.READY, signed=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    latest_text = bi(FILE_LABELS["copy_latest"], pk=latest.pk, sha256=latest.sha256) if latest else Bi("", "")
    note = context["t"]["copy_note"]
    return Bi(
        note.zh % {"time": context["generated_at"], "latest": latest_text.zh},
        note.en % {"time": context["generated_at"], "latest": latest_text.en},
    )


def streams_compressed_once(document, pdf) -> None:
    """A WeasyPrint finisher (run before the file is written): compress each stream of the PDF once.

    pydyf (0.13) compresses a stream every time its bytes are asked for, at zlib's slowest level, and asks
    twice for every stream of a file with an identifier, which PDF/A requires (the MD5 of every object's
    bytes): a fifth of the time spent writing a dossier's PDF went to compressing its fonts, pages and files
    twice (bench/dossier.py --profile). Here each stream is compressed once, at zlib's default level (the
    file is about 1% larger), and handed back to pydyf as its compressed bytes with their filter, which
    pydyf writes as they are: the same objects, the same content once decompressed."""
    import pydyf

    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress:
            raw = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)  # as pydyf.Stream.data joins it
            obj.stream, obj.compress = [zlib.compress(raw, 6)], False
            obj.extra["Filter"] = "/FlateDecode"


@contextmanager
def _cycle_collection_paused():
    """Python's cycle collector paused while WeasyPrint lays out and writes the dossier. The layout builds some
    hundred thousand boxes and styles that live until the document is written; the collector, run after every
    few hundred allocations, would walk them again and again to find nothing to free (a fifth to a third of a
    render). What the render leaves in cycles is collected once, right after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()


def dossier_render(
    review: Review, *, generated_at: dt.datetime | None = None, dossier=None, copy: bool = False
) -> RenderedDossier:
    """Render, embed the files and sign the dossier of an approved review. Raises DossierNotAvailable, and
    SigningKeyError when signing is required (production) and the key cannot be used.

    `copy`: an unsigned copy for reading (`manage.py dossier`), marked as such on its cover and naming the
    signed dossier kept in the application; the signed dossier is made only by the services."""
    from weasyprint import HTML, URLFetcher  # imported here: it loads Pango, which most processes never need

    chinese_catalogue_required()
    creds = None if copy else signing.credentials()  # first: a production key problem fails before any work
    generated_at = generated_at or timezone.now()
    context = dossier_context(review, generated_at=generated_at, dossier=dossier)
    context["signer"] = creds.subject if creds else ""
    context["copy"] = _copy_note(context, review) if copy else None
    context["seal"] = _seal(context, creds, signing.signing_config())
    html = _html(context)
    files = context["files"]
    manifest = dossier_manifest(
        files,
        review=context["review"],
        sign_off=context["sign_off"],
        dossier=dossier,
        generated_at=generated_at,
        audit_trail=context["audit_trail"],
    )
    # The dossier embeds nothing from outside (fonts come from the system): no protocol is allowed, file://
    # included, so that no text typed into the application could make the renderer read a file or a URL.
    no_fetching = URLFetcher(allowed_protocols=())
    # PDF/A-3b: the archival profile that allows embedded files of any type (ISO 19005-3).
    with _cycle_collection_paused():
        pdf = HTML(string=html, base_url=None, url_fetcher=no_fetching).write_pdf(
            pdf_variant="pdf/a-3b",
            attachments=pdf_attachments(
                files, manifest, no_fetching, audit_trail=context["audit_trail_file"]
            ),
            finisher=streams_compressed_once,
        )
    embedded = sum(f.embedded for f in files)
    signature = signing.UNSIGNED
    if creds is not None:
        number, title = context["sign_off"].number, context["t"]["title"]
        pdf, signature = signing.pdf_sign(
            pdf,
            creds=creds,  # signed at VETTED_SIGNING_LOCATION (signing.SigningConfig.location), never a URL
            reason=f"{title.en} {number} / {title.zh} {number}",
        )
    return RenderedDossier(dossier_filename(review, dossier), pdf, signature=signature, embedded=embedded)
