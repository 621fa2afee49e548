"""Applying the rules: the pre-check of an activity, the use check of the API, and findings as people read
them (activities.rules holds the rules themselves)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from vendors.models import Vendor
from vendors.scope import VOCABULARY, Ceiling

from .models import OUTCOME_ORDER, Outcome
from .rules import RULES, Finding, Plan, Use, VendorCheck, activity_findings, scope_findings


def worst(findings: Iterable[Finding]) -> str:
    outcome = Outcome.GO
    for finding in findings:
        if OUTCOME_ORDER.index(finding.outcome) > OUTCOME_ORDER.index(outcome):
            outcome = Outcome(finding.outcome)
    return outcome


@dataclass(frozen=True)
class Check:
    outcome: str
    findings: tuple[Finding, ...]

    @property
    def suggest_scenario(self) -> bool:
        """A personal-data route refused: scenario marketing on anonymous behaviour is the compliant default
        (PIPL Art. 73(4)), suggested with the refusal."""
        return self.outcome == Outcome.NO_GO

    @property
    def extension_vendors(self) -> tuple[str, ...]:
        """The credit codes of approved vendors used beyond their scope: an extension is the way forward."""
        codes = []
        for finding in self.findings:
            outside = finding.rule.endswith("_outside_scope") or finding.rule == "volume_over_ceiling"
            if outside and finding.vendor not in codes:
                codes.append(finding.vendor)
        return tuple(codes)


def activity_precheck(use: Use, vendors: Iterable[Vendor], *, today: date) -> Check:
    checks = tuple(VendorCheck(vendor, today) for vendor in vendors)
    findings: list[Finding] = []
    for check in checks:
        findings.extend(scope_findings(check, use, cross_border=False))
    findings.extend(activity_findings(Plan(use, tuple(c for c in checks if c.approved))))
    return Check(worst(findings), tuple(findings))


# The activity rules a use check leaves out, each with why. Every other activity rule applies to a single use
# too (a bought list, consent for messages, ads marked, sensitive data, minors...), so that a rule added to
# ACTIVITY_RULES reaches the API's answer without anyone remembering to add it here.
ACTIVITY_ONLY_RULES = {
    # For one vendor, a transfer outside its scope is already refused by the scope rule
    # cross_border_outside_scope; the activity's "needs Legal" would only repeat it, less strictly.
    "cross_border_needs_legal",
}


def use_activity_findings(check: VendorCheck, use: Use) -> list[Finding]:
    """The activity rules that concern a single use of one vendor (docs/domain.md "Use"): what the law asks
    of the use whatever the scope, e.g. never a bought list (PIPL Art. 10), whatever the vendor's approval."""
    plan = Plan(use, (check,) if check.approved else ())
    return [finding for finding in activity_findings(plan) if finding.rule not in ACTIVITY_ONLY_RULES]


def use_check(vendor: Vendor, use: Use, *, today: date) -> Check:
    """May `vendor` be used for `use`? The API's question before each send: the scope rules of the vendor's
    approval, then the activity rules that concern a single use. A rule that needs Legal makes the answer
    "needs Legal": Legal decides activities, not single sends, so such a use goes through a registered
    activity."""
    check = VendorCheck(vendor, today)
    findings = scope_findings(check, use) + use_activity_findings(check, use)
    return Check(worst(findings), tuple(findings))


@dataclass(frozen=True)
class FindingView:
    """A finding as a page, the PDF or the API shows it, in the active language."""

    rule: str
    outcome: str
    outcome_label: str
    text: str
    article: str
    remedy: str
    vendor: str

    @property
    def is_refusal(self) -> bool:
        return self.outcome in (Outcome.NO_GO, Outcome.NEEDS_LEGAL)


def _labels(dimension: str, values) -> str:
    if dimension == "ceiling":
        return "、".join(str(Ceiling(v).label) for v in values if v in Ceiling.values)
    choices = VOCABULARY.get(dimension)
    if choices is None:
        return ", ".join(values)
    sep = "、" if translation.get_language() and translation.get_language().startswith("zh") else ", "
    return sep.join(str(choices(v).label) for v in values if v in choices.values)


def finding_view(finding: Finding, *, vendors: dict[str, Vendor]) -> FindingView:
    rule = RULES[finding.rule]
    vendor = vendors.get(finding.vendor)
    scope = vendor.scope if vendor is not None else None
    params = {
        "vendor": vendor.name_zh if vendor is not None else finding.vendor,
        "values": _labels(rule.dimension, finding.values),
        "status": vendor.get_status_display() if vendor is not None else "",
        "reason": (vendor.status_reason or "") if vendor is not None else "",
        "until": vendor.approved_until.isoformat() if vendor is not None and vendor.approved_until else "",
        "ceiling": str(Ceiling(scope.ceiling).label) if scope is not None and scope.ceiling else "",
        "text": scope.other_conditions if scope is not None else "",
    }
    zh = (translation.get_language() or "").startswith("zh")
    return FindingView(
        rule=rule.code,
        outcome=finding.outcome,
        outcome_label=str(Outcome(finding.outcome).label),
        text=str(rule.text) % params,
        article=rule.article_zh if zh else rule.article,
        remedy=str(rule.remedy),
        vendor=finding.vendor,
    )


def finding_views(findings: Iterable[Finding], *, vendors: Iterable[Vendor]) -> list[FindingView]:
    by_code = {vendor.uscc: vendor for vendor in vendors}
    return [finding_view(finding, vendors=by_code) for finding in findings]


def no_findings_text() -> str:
    return _("No rule applies: the activity may go ahead as planned.")
