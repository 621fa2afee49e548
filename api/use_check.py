"""The use check: may this vendor be used for this purpose, through these channels, with this data, on this
audience? (docs/domain.md "Use"; PIPL Art. 6, 21: a vendor is used only within the purpose and method Legal
approved.) The answer is activities.precheck.use_check, shown as activities.precheck.finding_views shows it
on the pages, split into the conditions to keep and the refusals with their articles.

`allowed` is true only when the outcome is go or go with conditions: a use that needs Legal is not allowed
until Legal decided it on a registered activity (looked up with api.activity)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from activities.models import Outcome
from activities.precheck import FindingView, finding_views, use_check
from activities.rules import Use, VendorCheck
from vendors.models import Vendor, VendorStatus
from vendors.selectors import vendor_is_usable

from .selectors import ScopeAnswer, scope_answer

ALLOWING = (Outcome.GO, Outcome.CONDITIONS)


class UseStatus(models.TextChoices):
    """The vendor's status as the use check reads it: an approval past its end is "lapsed" from the next day,
    whether or not the hourly sweep (vendors.services.vendors_lapse_expired) has suspended it yet."""

    APPROVED = VendorStatus.APPROVED.value, VendorStatus.APPROVED.label
    LAPSED = "lapsed", _("Approval lapsed")
    SUSPENDED = VendorStatus.SUSPENDED.value, VendorStatus.SUSPENDED.label
    IN_USE = VendorStatus.IN_USE.value, VendorStatus.IN_USE.label
    REJECTED = VendorStatus.REJECTED.value, VendorStatus.REJECTED.label
    CANDIDATE = VendorStatus.CANDIDATE.value, VendorStatus.CANDIDATE.label


@dataclass(frozen=True)
class RuleAnswer:
    """One finding: the rule's code, what it says, its article and what to do, in the request's language."""

    code: str
    outcome: str
    text: str
    article: str
    remedy: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class UseAsked:
    """The use as understood, after validation: what the answer is about."""

    purpose: str
    channels: tuple[str, ...]
    data: tuple[str, ...]
    audience: str
    cross_border: bool
    volume: str | None


@dataclass(frozen=True)
class UseAnswer:
    uscc: str
    name: str
    status: str
    status_label: str
    allowed: bool
    outcome: str
    outcome_label: str
    approved_until: date | None
    approval_reference: str | None
    scope: ScopeAnswer | None
    scope_confirmed: bool | None
    conditions: tuple[RuleAnswer, ...]
    refusals: tuple[RuleAnswer, ...]
    asked: UseAsked
    checked_on: date


def _rule_answer(view: FindingView, values: tuple[str, ...]) -> RuleAnswer:
    return RuleAnswer(
        code=view.rule,
        outcome=view.outcome,
        text=view.text,
        article=view.article,
        remedy=view.remedy,
        values=values,
    )


def use_status(check: VendorCheck) -> UseStatus:
    return UseStatus.LAPSED if check.lapsed else UseStatus(check.vendor.status)


def use_answer(vendor: Vendor, use: Use, *, today: date) -> UseAnswer:
    check = use_check(vendor, use, today=today)
    views = finding_views(check.findings, vendors=[vendor])
    rules = [_rule_answer(view, finding.values) for view, finding in zip(views, check.findings, strict=False)]
    vendor_check = VendorCheck(vendor, today)
    status = use_status(vendor_check)
    # The approval's particulars only while it is in force, as the vendor endpoints give them.
    live = vendor_is_usable(vendor, today=today)
    return UseAnswer(
        uscc=vendor.uscc,
        name=vendor.display_name,
        status=status.value,
        status_label=str(status.label),
        allowed=check.outcome in ALLOWING,
        outcome=check.outcome,
        outcome_label=str(Outcome(check.outcome).label),
        approved_until=vendor.approved_until if live else None,
        approval_reference=vendor.approval_reference if live else None,
        scope=scope_answer(vendor_check.scope) if live else None,
        scope_confirmed=vendor.scope_confirmed if live else None,
        conditions=tuple(rule for rule in rules if rule.outcome == Outcome.CONDITIONS),
        refusals=tuple(rule for rule in rules if rule.outcome != Outcome.CONDITIONS),
        asked=UseAsked(
            purpose=use.purpose,
            channels=use.channels,
            data=use.data_categories,
            audience=use.audience_source,
            cross_border=use.cross_border,
            volume=use.volume or None,
        ),
        checked_on=today,
    )


def use_check_answer(*, uscc: str, use: Use, today: date) -> UseAnswer | None:
    """The answer for the vendor with this (normalised) credit code, or None when no vendor has it. One query:
    the vendor row holds its status, its approval and the scope in force."""
    vendor = Vendor.objects.filter(uscc=uscc).first()
    if vendor is None:
        return None
    return use_answer(vendor, use, today=today)
