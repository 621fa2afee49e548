"""What the two records say, as frozen view models: the compliance confirmation of a decided activity
(`activity_record`) and the addendum of an approved scope extension (`extension_addendum`).

Every label and every coded value (purpose, channel, finding, ...) is given in Chinese and English at once
(reviews.bilingual.Bi); free text (names, reasons, comments) is printed as it was typed. Each record also
carries `recorded`: the facts as stored, as canonical JSON, whose SHA-256 the footer prints and which is
embedded in the PDF, so that an auditor can recompute the digest from the file alone. It holds the codes and
times as stored, never labels or the time of issue, so the same facts give the same digest whenever and in
whichever language the record is issued."""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reviews.bilingual import EN, ZH, Bi, bi
from reviews.dossier.attachments import DossierFile, files_to_embed
from reviews.dossier.render import answer_labels
from reviews.models import EvidenceKind, Question, QuestionnaireTemplate, SignOff
from vendors.models import Vendor, VendorStatus
from vendors.people import person_name
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, OwnChannelKind, Purpose, Scope

from ..extension_rules import EXTENSION_RULE_LABELS, EXTENSION_RULES, extension_needs
from ..models import Activity, ActivityStatus, ExtensionStatus, Outcome, ScopeExtension
from ..precheck import finding_views, no_findings_text
from ..rules import Finding
from .labels import LABELS

# A record is issued once there is something to confirm: the activity may start, or it may not.
DECIDED_STATES = (ActivityStatus.CLEARED, ActivityStatus.REFUSED, ActivityStatus.BLOCKED)
RECORD_FORMAT = "vetted-activity-record/1"
ADDENDUM_FORMAT = "vetted-extension-addendum/1"


class RecordNotAvailable(Exception):
    """The activity is not decided, or the extension not approved: there is nothing to confirm yet."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    label: Bi
    value: Bi


@dataclass(frozen=True)
class Step:
    """An acknowledgement or a decision: who, when, what and why."""

    outcome: Bi | None
    by: str
    at: str
    text: str = ""
    code: str = ""  # approved | refused | passed, for the page's colour (the words say it too)


@dataclass(frozen=True)
class Recorded:
    """The facts as stored (canonical JSON), embedded in the PDF under `name`; `sha256` is in its footer."""

    name: str
    data: bytes
    sha256: str

    def as_file(self, *, record_id: int) -> DossierFile:
        """The JSON as a file of the PDF's manifest, so that verify_dossier checks it with the others."""
        return DossierFile(name=self.name, original_name=self.name, role="record", record_id=record_id,
                           kind="record", size=len(self.data), sha256=self.sha256, embedded=True,
                           stored_sha256=self.sha256, data=self.data)


@dataclass(frozen=True)
class VendorRow:
    name_zh: str
    name_en: str
    uscc: str
    approval: Bi  # its reference and end, or "no approval in force"
    scope: tuple[Row, ...]
    scope_confirmed: bool


@dataclass(frozen=True)
class FindingRow:
    outcome: str
    outcome_label: Bi
    text: Bi
    article: Bi
    remedy: Bi


@dataclass(frozen=True)
class ActivityRecord:
    reference: str
    name: str
    owner: str
    runs: str
    plan: tuple[Row, ...]  # purpose, channels, own channels, audience source, data, volume
    traits: tuple[Row, ...]  # profiling, price differences, minors, cross-border: yes or no
    notes: tuple[Row, ...]  # the owner's own words
    vendors: tuple[VendorRow, ...]
    outcome: str
    outcome_label: Bi
    status: str
    status_label: Bi
    checked_at: str
    findings: tuple[FindingRow, ...]
    no_findings: Bi
    flag: str  # why a vendor it uses may no longer be used, when it was flagged
    flagged_at: str
    acknowledgement: Step | None
    decision: Step | None
    issued_at: str
    recorded: Recorded
    filename: str


@dataclass(frozen=True)
class RuleRow:
    label: Bi
    article: str
    security: bool


@dataclass(frozen=True)
class AnswerRow:
    code: str
    question: Bi
    answer: tuple[Bi, ...]
    detail: str


@dataclass(frozen=True)
class DocumentRow:
    name: str
    kind: Bi
    size: int
    sha256: str
    by: str
    at: str
    file: DossierFile


@dataclass(frozen=True)
class Addendum:
    number: str
    dossier: str
    vendor_zh: str
    vendor_en: str
    uscc: str
    requester: str
    requested_at: str
    reason: str
    adds: tuple[Row, ...]
    rules: tuple[RuleRow, ...]
    answers: tuple[AnswerRow, ...]
    documents: tuple[DocumentRow, ...]
    security: Step | None  # None: Security did not have to look
    legal: Step
    scope_after: tuple[Row, ...]
    files: tuple[DossierFile, ...]  # embedded: the documents, then the recorded facts
    issued_at: str
    recorded: Recorded
    filename: str


# --- helpers --------------------------------------------------------------------------------------------------

def _t(key: str, **params) -> Bi:
    return bi(LABELS[key], **params)


def _both(make: Callable[[], str]) -> Bi:
    """What `make` says under Chinese, then under English."""
    with translation.override(ZH):
        zh = make()
    with translation.override(EN):
        en = make()
    return Bi(zh, en)


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _person(user) -> str:
    return person_name(user) if user is not None else "—"


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def _utc(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment else None


def _joined(zh: list[str], en: list[str]) -> Bi:
    """Labels listed as each language lists them; "None" when there are none."""
    return Bi("、".join(zh), ", ".join(en)) if en else _t("none")


def _labels_of(choices, codes: Iterable[str]) -> Bi:
    labels = [bi(choices(code).label) for code in codes if code in choices.values]
    return _joined([label.zh for label in labels], [label.en for label in labels])


def _yes_no(value: bool) -> Bi:
    return _t("yes" if value else "no")


def _text(value: str) -> Bi:
    return Bi(value, value)


def scope_rows(scope: Scope, *, all_rows: bool = True) -> tuple[Row, ...]:
    """A scope as Scope.labels() reads it, in both languages, one row per dimension; `all_rows=False` leaves
    out what it does not name (an addition)."""
    with translation.override(ZH):
        zh = scope.labels()
    with translation.override(EN):
        en = scope.labels()
    result = [Row(_t(key), _joined(getattr(zh, name), getattr(en, name)))
              for key, name in (("scope_purposes", "purposes"), ("scope_channels", "channels"),
                                ("scope_data", "data_categories"), ("scope_audiences", "audience_sources"))
              if getattr(en, name) or all_rows]
    if scope.cross_border or all_rows:
        result.append(Row(_t("scope_cross_border"), _yes_no(scope.cross_border)))
    if scope.ceiling:
        result.append(Row(_t("scope_ceiling"), Bi(zh.ceiling, en.ceiling)))
    if scope.conditions:
        result.append(Row(_t("scope_conditions"), _joined(zh.conditions, en.conditions)))
    if scope.other_conditions:
        result.append(Row(_t("scope_other"), _text(scope.other_conditions)))
    return tuple(result)


def _recorded(name: str, facts: dict) -> Recorded:
    data = json.dumps(facts, ensure_ascii=False, sort_keys=True, indent=1).encode()
    return Recorded(name=name, data=data, sha256=hashlib.sha256(data).hexdigest())


# --- the activity record --------------------------------------------------------------------------------------

def _vendor_row(vendor: Vendor) -> VendorRow:
    if vendor.approval_reference:
        until = vendor.approved_until.isoformat() if vendor.approved_until else ""
        validity = _t("validity")
        status = bi(VendorStatus(vendor.status).label)
        approval = Bi(f"{vendor.approval_reference} · {validity.zh} {until} · {status.zh}",
                      f"{vendor.approval_reference} · {validity.en} {until} · {status.en}")
    else:
        approval = _t("no_approval")
    return VendorRow(name_zh=vendor.name_zh, name_en=vendor.name_en, uscc=vendor.uscc, approval=approval,
                     scope=scope_rows(vendor.scope), scope_confirmed=vendor.scope_confirmed)


def _findings(activity: Activity, vendors: list[Vendor]) -> tuple[FindingRow, ...]:
    findings = [Finding.from_json(item) for item in activity.findings]
    with translation.override(ZH):
        zh = finding_views(findings, vendors=vendors)
    with translation.override(EN):
        en = finding_views(findings, vendors=vendors)
    return tuple(
        FindingRow(outcome=e.outcome, outcome_label=Bi(z.outcome_label, e.outcome_label), text=Bi(z.text, e.text),
                   article=Bi(z.article, e.article), remedy=Bi(z.remedy, e.remedy))
        for z, e in zip(zh, en, strict=True)
    )


def _plan(activity: Activity) -> tuple[Row, ...]:
    return (
        Row(_t("purpose"), bi(Purpose(activity.purpose).label)),
        Row(_t("channels"), _labels_of(Channel, activity.channels)),
        Row(_t("own_channels"), _labels_of(OwnChannelKind, activity.own_channels)),
        Row(_t("audience_source"), bi(AudienceSource(activity.audience_source).label)),
        Row(_t("data_categories"), _labels_of(DataCategory, activity.data_categories)),
        Row(_t("volume"), bi(Ceiling(activity.volume).label)),
    )


def _traits(activity: Activity) -> tuple[Row, ...]:
    return (
        Row(_t("profiling"), _yes_no(activity.profiling)),
        Row(_t("pricing"), _yes_no(activity.personalised_pricing)),
        Row(_t("minors"), _yes_no(activity.minors)),
        Row(_t("cross_border"), _yes_no(activity.cross_border)),
    )


def _notes(activity: Activity) -> tuple[Row, ...]:
    """What the owner wrote in their own words: the audience, the justification of a price difference."""
    notes = []
    if activity.audience:
        notes.append(Row(_t("audience"), _text(activity.audience)))
    if activity.personalised_pricing and activity.pricing_justification:
        notes.append(Row(_t("justification"), _text(activity.pricing_justification)))
    return tuple(notes)


def _activity_facts(activity: Activity, vendors: list[Vendor]) -> dict:
    """What the activity holds, as stored: the source of the record's digest."""
    return {
        "format": RECORD_FORMAT,
        "reference": activity.reference, "name": activity.name, "owner": activity.owner.get_username(),
        "starts_on": activity.starts_on.isoformat(), "ends_on": activity.ends_on.isoformat(),
        "purpose": activity.purpose, "channels": list(activity.channels),
        "own_channels": list(activity.own_channels), "vendors": sorted(v.uscc for v in vendors),
        "audience_source": activity.audience_source, "audience": activity.audience,
        "data_categories": list(activity.data_categories), "volume": activity.volume,
        "profiling": activity.profiling, "personalised_pricing": activity.personalised_pricing,
        "pricing_justification": activity.pricing_justification, "minors": activity.minors,
        "cross_border": activity.cross_border, "outcome": activity.outcome, "findings": activity.findings,
        "status": activity.status, "checked_at": _utc(activity.checked_at),
        "acknowledged_by": _username(activity.acknowledged_by),
        "acknowledged_at": _utc(activity.acknowledged_at),
        "decided_by": _username(activity.decided_by),
        "decided_at": _utc(activity.decided_at), "decision_reason": activity.decision_reason,
        "flagged_at": _utc(activity.flagged_at), "flag_reason": activity.flag_reason,
    }


def activity_record(activity: Activity, *, issued_at: dt.datetime) -> ActivityRecord:
    """The compliance confirmation of a decided activity (cleared, refused or no-go); RecordNotAvailable
    otherwise."""
    activity = (Activity.objects.select_related("owner", "acknowledged_by", "decided_by")
                .prefetch_related("vendors").get(pk=activity.pk))
    if activity.status not in DECIDED_STATES:
        raise RecordNotAvailable(
            _("The compliance record is issued once the activity is decided (cleared to start, refused or "
              "no-go); it is %(status)s.") % {"status": activity.get_status_display()})
    vendors = sorted(activity.vendors.all(), key=lambda v: (v.name_zh, v.pk))
    acknowledgement = decision = None
    if activity.acknowledged_by_id:
        acknowledgement = Step(outcome=None, by=_person(activity.acknowledged_by),
                               at=_local(activity.acknowledged_at))
    if activity.decided_by_id:
        code = "refused" if activity.status == ActivityStatus.REFUSED else "approved"
        decision = Step(outcome=_t(code), by=_person(activity.decided_by), at=_local(activity.decided_at),
                        text=activity.decision_reason, code=code)
    return ActivityRecord(
        reference=activity.reference, name=activity.name, owner=_person(activity.owner),
        runs=f"{activity.starts_on.isoformat()} – {activity.ends_on.isoformat()}",
        plan=_plan(activity), traits=_traits(activity), notes=_notes(activity), vendors=tuple(_vendor_row(v) for v in vendors),
        outcome=activity.outcome, outcome_label=bi(Outcome(activity.outcome).label),
        status=activity.status, status_label=bi(ActivityStatus(activity.status).label),
        checked_at=_local(activity.checked_at), findings=_findings(activity, vendors),
        no_findings=_both(no_findings_text), flag=activity.flag_reason, flagged_at=_local(activity.flagged_at),
        acknowledgement=acknowledgement, decision=decision, issued_at=_local(issued_at),
        recorded=_recorded(f"{activity.reference}-record.json", _activity_facts(activity, vendors)),
        filename=f"{activity.reference}-record.pdf",
    )


# --- the extension addendum -----------------------------------------------------------------------------------

def scope_after(extension: ScopeExtension) -> Scope:
    """The scope in force right after `extension`: the approval's signed scope widened by every extension of
    that approval approved up to it (later ones, and another approval's, do not count)."""
    signed = SignOff.objects.filter(number=extension.approval_reference).values_list("scope", flat=True).first()
    scope = Scope.from_json(signed)
    earlier = (ScopeExtension.objects.filter(approval_reference=extension.approval_reference,
                                             status=ExtensionStatus.APPROVED)
               .filter(Q(decided_at__lt=extension.decided_at) | Q(decided_at=extension.decided_at,
                                                                  pk__lte=extension.pk))
               .order_by("decided_at", "pk").values_list("additions", flat=True))
    for additions in earlier:
        scope = scope.widened_by(Scope.from_json(additions))
    return scope


def _questions(extension: ScopeExtension) -> dict[str, Question]:
    """The questions of the questionnaire the approval was vetted with (the active one if it is gone)."""
    template = (SignOff.objects.filter(number=extension.approval_reference)
                .values_list("review__template_id", flat=True).first()
                or QuestionnaireTemplate.objects.filter(is_active=True).values_list("pk", flat=True).first())
    return {q.code: q for q in Question.objects.filter(section__template_id=template, code__in=extension.answers)}


def _answer_rows(extension: ScopeExtension) -> tuple[AnswerRow, ...]:
    questions = _questions(extension)
    rows = []
    for code, given in extension.answers.items():
        question = questions.get(code)
        value, detail = (given or {}).get("value"), (given or {}).get("detail", "")
        if question is None:  # a question no longer in any template: the stored value, as stored
            rows.append(AnswerRow(code, _text(code), (_text(str(value)),) if value else (), detail))
        else:
            rows.append(AnswerRow(code, Bi(question.text_zh, question.text_en),
                                  tuple(answer_labels(question, value)), detail))
    return tuple(rows)


def _extension_facts(extension: ScopeExtension, after: Scope) -> dict:
    return {
        "format": ADDENDUM_FORMAT,
        "number": extension.number, "approval_reference": extension.approval_reference,
        "vendor": extension.vendor.uscc, "requester": _username(extension.requester),
        "requested_at": _utc(extension.created_at), "reason": extension.reason,
        "additions": extension.additions, "answers": extension.answers,
        "needs_security": extension.needs_security,
        "files": [{"kind": f.kind, "name": f.original_name, "size": f.size, "sha256": f.sha256,
                   "uploaded_by": _username(f.uploaded_by), "uploaded_at": _utc(f.uploaded_at)}
                  for f in extension.files.all()],
        "security_decided_by": _username(extension.security_decided_by),
        "security_decided_at": _utc(extension.security_decided_at),
        "security_comment": extension.security_comment,
        "decided_by": _username(extension.decided_by), "decided_at": _utc(extension.decided_at),
        "decision_comment": extension.decision_comment, "status": extension.status,
        "scope_after": after.as_json(),
    }


def extension_addendum(extension: ScopeExtension, *, issued_at: dt.datetime) -> Addendum:
    """The addendum of an approved extension to its approval's dossier; RecordNotAvailable otherwise."""
    extension = (ScopeExtension.objects
                 .select_related("vendor", "requester", "security_decided_by", "decided_by")
                 .prefetch_related("files__uploaded_by").get(pk=extension.pk))
    if extension.status != ExtensionStatus.APPROVED:
        raise RecordNotAvailable(
            _("The addendum is issued once Legal approves the extension; it is %(status)s.")
            % {"status": extension.get_status_display()})
    additions = Scope.from_json(extension.additions)
    needs = set(extension_needs(additions).rules)
    uploads = list(extension.files.all())
    kinds = {value: bi(label) for value, label in EvidenceKind.choices}
    files = files_to_embed([("extension_document", f, f"document-{f.pk}-") for f in uploads],
                           kind_labels={("extension_document", k): label for k, label in kinds.items()})
    after = scope_after(extension)
    recorded = _recorded(f"{extension.number}-addendum.json", _extension_facts(extension, after))
    vendor = extension.vendor
    security = None
    if extension.needs_security or extension.security_decided_by_id:
        security = Step(outcome=_t("passed"), by=_person(extension.security_decided_by),
                        at=_local(extension.security_decided_at), text=extension.security_comment, code="passed")
    return Addendum(
        number=extension.number, dossier=extension.approval_reference, vendor_zh=vendor.name_zh,
        vendor_en=vendor.name_en, uscc=vendor.uscc, requester=_person(extension.requester),
        requested_at=_local(extension.created_at), reason=extension.reason,
        adds=scope_rows(additions, all_rows=False),
        rules=tuple(RuleRow(bi(EXTENSION_RULE_LABELS[rule.code]), rule.article, rule.security)
                    for rule in EXTENSION_RULES if rule.code in needs),
        answers=_answer_rows(extension),
        documents=tuple(DocumentRow(name=f.original_name, kind=kinds.get(f.kind, _text(f.kind)), size=f.size,
                                    sha256=f.sha256, by=_person(f.uploaded_by), at=_local(f.uploaded_at),
                                    file=file)
                        for f, file in zip(uploads, files, strict=True)),
        security=security,
        legal=Step(outcome=_t("approved"), by=_person(extension.decided_by), at=_local(extension.decided_at),
                   text=extension.decision_comment, code="approved"),
        scope_after=scope_rows(after), files=(*files, recorded.as_file(record_id=extension.pk)),
        issued_at=_local(issued_at), recorded=recorded, filename=f"{extension.number}-addendum.pdf",
    )
