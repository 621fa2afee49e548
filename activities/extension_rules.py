"""What a scope extension must show: for each kind of addition, the questions answered again, the documents
uploaded, and whether Security reviews too, with the article behind it (docs/domain.md "Use").

A scope grows without a full renewal, but not without review: a new channel, audience, data category, a
transfer abroad or a higher volume each reopen exactly the questions and documents of the vetting that
covered it (PIPL Art. 14: a change of purpose, method or data types needs a fresh basis). Security looks
again only where the data or the exposure grows (more sensitive data, data abroad, more individuals). One
row per addition; tests/activities/test_extension_rules.py goes row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from reviews.models import EvidenceKind
from vendors.scope import MESSAGE_CHANNELS, AudienceSource, DataCategory, Purpose, Scope

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class ExtensionRule:
    code: str
    article: str
    questions: tuple[str, ...]
    documents: tuple[str, ...]
    security: bool
    applies: Callable[[Scope], bool]
    # What the rule is about and why it asks what it asks, for the reviewers' page and the addendum.
    title: StrOrPromise = ""
    why: StrOrPromise = ""


EXTENSION_RULES: tuple[ExtensionRule, ...] = (
    ExtensionRule(
        "new_purpose",
        "PIPL Art. 6, 14",
        (),
        (),
        False,
        lambda a: bool(a.purposes),
        title=_("A new purpose"),
        why=_(
            "A purpose the approval did not name needs a basis of its own: Legal checks it against "
            "the notice and consent the vendor relies on."
        ),
    ),
    ExtensionRule(
        "commercial_messages",
        "Advertising Law Art. 43",
        ("A3", "C1", "C2", "C4"),
        (EvidenceKind.TELECOM_LICENCE, EvidenceKind.MARKETING_SAMPLES),
        False,
        lambda a: bool(MESSAGE_CHANNELS & set(a.channels)),
        title=_("Commercial messages (SMS, e-mail, calls)"),
        why=_(
            "Marketing messages go only to people who consented or asked, name the sender and "
            "offer a way to refuse; the sender needs a telecom licence."
        ),
    ),
    ExtensionRule(
        "other_channel",
        "PIPL Art. 6, 14",
        ("C5",),
        (),
        False,
        lambda a: bool(set(a.channels) - MESSAGE_CHANNELS),
        title=_("Another channel"),
        why=_(
            "A channel the approval did not name: the privacy policy must tell people who "
            "receives their data through it."
        ),
    ),
    ExtensionRule(
        "vendor_supplied_audience",
        "PIPL Art. 23; DSL Art. 33; GB/T 35273 5.4",
        ("B2", "B3", "B4"),
        (EvidenceKind.UPSTREAM_AGREEMENT, EvidenceKind.SEPARATE_CONSENT),
        False,
        lambda a: AudienceSource.VENDOR_SUPPLIED in a.audience_sources,
        title=_("An audience supplied by the vendor"),
        why=_(
            "Personal information the vendor provides needs proof of its source and the "
            "individuals' separate consent naming the brand."
        ),
    ),
    ExtensionRule(
        "profiling",
        "PIPL Art. 24, 55",
        ("E1", "E2", "E3"),
        (EvidenceKind.PIPIA,),
        False,
        lambda a: AudienceSource.LOOKALIKE in a.audience_sources or Purpose.RETARGETING in a.purposes,
        title=_("Profiling, lookalike audiences or retargeting"),
        why=_(
            "Targeting on profiles is automated decision-making: transparent, with an option not "
            "based on personal traits, and assessed beforehand (PIPIA)."
        ),
    ),
    ExtensionRule(
        "sensitive_data",
        "PIPL Art. 28-30, 55",
        ("B5",),
        (EvidenceKind.SEPARATE_CONSENT, EvidenceKind.PIPIA),
        True,
        lambda a: DataCategory.SENSITIVE in a.data_categories,
        title=_("Sensitive personal information"),
        why=_(
            "Sensitive personal information needs a specific purpose, strict necessity, separate "
            "consent and a PIPIA; Security checks its protection."
        ),
    ),
    ExtensionRule(
        "minors",
        "PIPL Art. 31",
        (),
        (EvidenceKind.CONSENT_TEXT, EvidenceKind.PIPIA),
        True,
        lambda a: DataCategory.MINORS in a.data_categories,
        title=_("Data of children under 14"),
        why=_("Children's data needs a guardian's consent and a PIPIA; Security checks its protection."),
    ),
    # Any new category of data is more data in the vendor's hands: Security checks the measures (D6).
    ExtensionRule(
        "new_data",
        "PIPL Art. 6, 51",
        ("D6",),
        (),
        True,
        lambda a: bool(a.data_categories),
        title=_("A new category of data"),
        why=_("More data in the vendor's hands: Security checks the security measures again."),
    ),
    ExtensionRule(
        "cross_border",
        "PIPL Art. 38-39",
        ("F1", "F2", "F3"),
        (EvidenceKind.CROSS_BORDER,),
        True,
        lambda a: a.cross_border,
        title=_("Data leaving China"),
        why=_(
            "A transfer abroad needs a legal route and the individuals' separate consent; Security "
            "checks the exposure."
        ),
    ),
    ExtensionRule(
        "higher_volume",
        "PIPL Art. 52, 54",
        ("A5", "A6", "D9"),
        (),
        True,
        lambda a: bool(a.ceiling),
        title=_("More individuals"),
        why=_(
            "A higher ceiling brings the duties of large handlers (a protection officer from 1 "
            "million individuals, regular compliance audits); Security checks the exposure."
        ),
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in EXTENSION_RULES}


@dataclass(frozen=True)
class ExtensionNeeds:
    rules: tuple[str, ...]
    questions: tuple[str, ...]
    documents: tuple[str, ...]
    security: bool


def extension_needs(additions: Scope) -> ExtensionNeeds:
    rules, questions, documents, security = [], [], [], False
    for rule in EXTENSION_RULES:
        if rule.applies(additions):
            rules.append(rule.code)
            questions += [q for q in rule.questions if q not in questions]
            documents += [d for d in rule.documents if d not in documents]
            security = security or rule.security
    return ExtensionNeeds(tuple(rules), tuple(questions), tuple(documents), security)


# What each rule is about, as people read it (the addendum of an approved extension, the extension's pages).
EXTENSION_RULE_LABELS = {
    "new_purpose": _("A new purpose"),
    "commercial_messages": _("Commercial messages (SMS, e-mail, calls)"),
    "other_channel": _("Another channel"),
    "vendor_supplied_audience": _("An audience supplied by the vendor"),
    "profiling": _("Profiling, lookalike audiences or retargeting"),
    "sensitive_data": _("Sensitive personal information"),
    "minors": _("Data of children under 14"),
    "new_data": _("A new category of data"),
    "cross_border": _("Data leaving China"),
    "higher_volume": _("More individuals than the ceiling"),
}
