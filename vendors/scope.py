"""What an approval covers: the vocabulary of a use scope and the scope itself.

An approval admits a vendor for the purposes it was vetted for, not for any use (docs/domain.md "Use";
PIPL Art. 6: a clear purpose and the minimum scope; Art. 14: re-consent when purpose, method or data types
change; Art. 21: a processor stays within the agreed purpose and method). So Legal's sign-off records the
scope as codes from the tables below, never as free text, and every answer to "may I use this vendor for
this?" compares codes. The vocabulary lives here, at the bottom of the layers, because the register itself
shows the scope of each approved vendor (the approved list, its CSV) and every layer above reads it.

A scope is kept as JSON (`Scope.as_json`) on the sign-off and, as the approval in force (the sign-off's scope
widened by approved extensions), on the vendor: one row answers a use check."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    MEMBER_MARKETING = "member_marketing", _("Member marketing")
    ACQUISITION = "acquisition", _("Acquisition and lead generation")
    ABM = "abm", _("Account-based marketing (ABM)")
    RETARGETING = "retargeting", _("Retargeting")
    ANALYTICS = "analytics", _("Analytics and measurement")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EDM = "edm", _("E-mail (EDM)")
    CALLS = "calls", _("Outbound calls")
    WECHAT = "wechat", _("WeChat / Enterprise WeChat")
    APP_PUSH = "app_push", _("App push")
    PROGRAMMATIC = "programmatic", _("Programmatic ads")
    KOL = "kol", _("KOL / livestream")
    EVENTS = "events", _("Offline events")


# Commercial messages: only to people who consented or asked (Advertising Law Art. 43).
MESSAGE_CHANNELS = frozenset({Channel.SMS, Channel.EDM, Channel.CALLS})


class DataCategory(models.TextChoices):
    CONTACT = "contact", _("Contact details")
    DEVICE = "device", _("Device identifiers")
    PURCHASES = "purchases", _("Purchase history")
    LOCATION = "location", _("Location")
    SENSITIVE = "sensitive", _("Sensitive personal information")
    MINORS = "minors", _("Minors' data")


class AudienceSource(models.TextChoices):
    OWN_CONSENTED = "own_consented", _("Own customers or members who consented")
    VENDOR_SUPPLIED = "vendor_supplied", _("Supplied by the vendor, with proof of source")
    LOOKALIKE = "lookalike", _("Lookalike audience")
    PUBLIC_AGGREGATED = "public_aggregated", _("Public or aggregated data only")
    # Never within a scope: asked of an activity so that the pre-check can say no (PIPL Art. 10).
    PURCHASED = "purchased", _("A bought, rented or swapped list")


SCOPE_AUDIENCES = [choice for choice in AudienceSource if choice != AudienceSource.PURCHASED]


class Ceiling(models.TextChoices):
    """The most individuals a use may reach: the bands of question A5."""

    LT_100K = "lt100k", _("Fewer than 100,000 individuals")
    FROM_100K_TO_1M = "100k_1m", _("Up to 1 million individuals")
    FROM_1M_TO_10M = "1m_10m", _("Up to 10 million individuals")
    GT_10M = "gt10m", _("More than 10 million individuals")


CEILING_ORDER: list[str] = [Ceiling.LT_100K, Ceiling.FROM_100K_TO_1M, Ceiling.FROM_1M_TO_10M, Ceiling.GT_10M]


class ScopeCondition(models.TextChoices):
    """Conditions Legal attaches to an approval, each a rule the use check and the activity pre-check apply
    or repeat; free text only for the rest (Scope.other_conditions)."""

    OPTED_IN_ONLY = "opted_in_only", _("Only recipients who opted in (Advertising Law Art. 43)")
    UNSUBSCRIBE_EVERY_MESSAGE = "unsubscribe", _("An unsubscribe in every message (Advertising Law Art. 43)")
    AD_MARKED = "ad_marked", _('Ads marked "广告" or "AD" (Advertising Law Art. 14, 43)')
    NO_SENSITIVE = "no_sensitive", _("No sensitive personal information (PIPL Art. 28)")
    NO_MINORS = "no_minors", _("No data of children under 14 (PIPL Art. 31)")
    NO_EXTERNAL_LISTS = "no_external_lists", _("No bought, rented or swapped lists (PIPL Art. 10)")
    DELETE_AT_END = (
        "delete_at_end",
        _("Data returned or deleted at the end, with a certificate (PIPL Art. 21)"),
    )
    NO_TRAINING = "no_training", _("Our data not used for training or merged with others' (PIPL Art. 21)")
    OFF_SWITCH = "off_switch", _("A non-personalised option and an off switch (PIPL Art. 24)")


class OwnChannelKind(models.TextChoices):
    """The brand's own channels an activity may use (docs/domain.md "Own channels")."""

    WEBSITE = "website", _("Website")
    WECHAT_OA = "wechat_oa", _("WeChat official account")
    MINI_PROGRAM = "mini_program", _("WeChat mini program")
    APP = "app", _("App (iOS/Android)")
    DOUYIN = "douyin", _("Douyin account")
    XIAOHONGSHU = "xiaohongshu", _("Xiaohongshu account")
    WEIBO = "weibo", _("Weibo account")
    BILIBILI = "bilibili", _("Bilibili account")
    VIDEO_ACCOUNT = "video_account", _("WeChat Channels (video account)")
    OTHER = "other", _("Other own channel")


VOCABULARY: dict[str, type[models.TextChoices]] = {
    "purposes": Purpose,
    "channels": Channel,
    "data_categories": DataCategory,
    "audience_sources": AudienceSource,
    "conditions": ScopeCondition,
}


class ScopeInvalid(ValueError):
    """A scope that names a code outside its vocabulary, or an audience no approval may cover."""


@cache
def _vocabulary_order(choices: type[models.TextChoices]) -> dict[str, int]:
    """{code: its place in the vocabulary}. Read once per vocabulary: `choices.values` builds every choice with
    its label on each call, which a list of scopes (a page of the approved list) would pay per row and
    dimension."""
    return {value: index for index, value in enumerate(choices.values)}


def _codes(
    values: Iterable[str] | None, choices: type[models.TextChoices], *, dimension: str
) -> tuple[str, ...]:
    order = _vocabulary_order(choices)
    result = []
    for value in values or ():
        value = str(value)
        if value not in order:
            raise ScopeInvalid(f"{dimension}: {value!r}")
        if value not in result:
            result.append(value)
    # Kept in the vocabulary's order, so that two equal scopes have one JSON form.
    return tuple(sorted(result, key=order.__getitem__))


@dataclass(frozen=True)
class Scope:
    purposes: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    data_categories: tuple[str, ...] = ()
    audience_sources: tuple[str, ...] = ()
    cross_border: bool = False
    ceiling: str = ""
    conditions: tuple[str, ...] = ()
    other_conditions: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def build(
        cls,
        *,
        purposes=(),
        channels=(),
        data_categories=(),
        audience_sources=(),
        cross_border=False,
        ceiling="",
        conditions=(),
        other_conditions="",
    ) -> Scope:
        """A scope from codes, checked against the vocabulary (ScopeInvalid otherwise)."""
        audiences = _codes(audience_sources, AudienceSource, dimension="audience_sources")
        if AudienceSource.PURCHASED in audiences:
            raise ScopeInvalid("audience_sources: a bought list is never within a scope (PIPL Art. 10)")
        if ceiling and ceiling not in _vocabulary_order(Ceiling):
            raise ScopeInvalid(f"ceiling: {ceiling!r}")
        return cls(
            purposes=_codes(purposes, Purpose, dimension="purposes"),
            channels=_codes(channels, Channel, dimension="channels"),
            data_categories=_codes(data_categories, DataCategory, dimension="data_categories"),
            audience_sources=audiences,
            cross_border=bool(cross_border),
            ceiling=ceiling or "",
            conditions=_codes(conditions, ScopeCondition, dimension="conditions"),
            other_conditions=(other_conditions or "").strip(),
        )

    @classmethod
    def from_json(cls, data: Mapping | None) -> Scope:
        if not data:
            return cls()
        return cls.build(
            purposes=data.get("purposes", ()),
            channels=data.get("channels", ()),
            data_categories=data.get("data_categories", ()),
            audience_sources=data.get("audience_sources", ()),
            cross_border=data.get("cross_border", False),
            ceiling=data.get("ceiling", ""),
            conditions=data.get("conditions", ()),
            other_conditions=data.get("other_conditions", ""),
        )

    def as_json(self) -> dict:
        return {
            "purposes": list(self.purposes),
            "channels": list(self.channels),
            "data_categories": list(self.data_categories),
            "audience_sources": list(self.audience_sources),
            "cross_border": self.cross_border,
            "ceiling": self.ceiling,
            "conditions": list(self.conditions),
            "other_conditions": self.other_conditions,
        }

    @property
    def is_empty(self) -> bool:
        return not (self.purposes or self.channels or self.data_categories or self.audience_sources)

    def widened_by(self, other: Scope) -> Scope:
        """This scope with what an approved extension adds: more purposes, channels, data and audiences, a
        higher ceiling, cross-border when granted; the conditions of both hold."""
        ceiling = self.ceiling
        if other.ceiling and (
            not ceiling or CEILING_ORDER.index(other.ceiling) > CEILING_ORDER.index(ceiling)
        ):
            ceiling = other.ceiling
        return Scope.build(
            purposes=self.purposes + other.purposes,
            channels=self.channels + other.channels,
            data_categories=self.data_categories + other.data_categories,
            audience_sources=self.audience_sources + other.audience_sources,
            cross_border=self.cross_border or other.cross_border,
            ceiling=ceiling,
            conditions=self.conditions + other.conditions,
            other_conditions="\n".join(t for t in (self.other_conditions, other.other_conditions) if t),
        )

    def beyond(self, other: Scope) -> Scope:
        """What `other` asks for that this scope does not cover (the part an extension must review)."""
        ceiling = ""
        if (
            other.ceiling
            and self.ceiling
            and CEILING_ORDER.index(other.ceiling) > CEILING_ORDER.index(self.ceiling)
        ):
            ceiling = other.ceiling
        return Scope.build(
            purposes=[p for p in other.purposes if p not in self.purposes],
            channels=[c for c in other.channels if c not in self.channels],
            data_categories=[d for d in other.data_categories if d not in self.data_categories],
            audience_sources=[a for a in other.audience_sources if a not in self.audience_sources],
            cross_border=other.cross_border and not self.cross_border,
            ceiling=ceiling,
        )

    def labels(self) -> ScopeLabels:
        return ScopeLabels(
            purposes=[str(Purpose(v).label) for v in self.purposes],
            channels=[str(Channel(v).label) for v in self.channels],
            data_categories=[str(DataCategory(v).label) for v in self.data_categories],
            audience_sources=[str(AudienceSource(v).label) for v in self.audience_sources],
            cross_border=self.cross_border,
            ceiling=str(Ceiling(self.ceiling).label) if self.ceiling else "",
            conditions=[str(ScopeCondition(v).label) for v in self.conditions],
            other_conditions=self.other_conditions,
        )


@dataclass(frozen=True)
class ScopeLabels:
    """A scope as people read it, in the active language (pages, the CSV, the dossier)."""

    purposes: list[str]
    channels: list[str]
    data_categories: list[str]
    audience_sources: list[str]
    cross_border: bool
    ceiling: str
    conditions: list[str]
    other_conditions: str

    def summary(self) -> str:
        """One line for a list cell or a CSV column."""
        parts = [" / ".join(self.purposes), " / ".join(self.channels), " / ".join(self.data_categories)]
        return " · ".join(part for part in parts if part)
