"""What the API tells a marketing system about a vendor. `usable` is the rule of the approved list (I1),
the same one /vendors/api/approved/ answers with (vendors.selectors.vendor_is_usable): approved, and the
approval not past its end. Conditions, the scope and the reference belong to a live approval, so they are
given only while the vendor is usable."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from reviews.models import SignOff
from vendors.models import OwnChannel, Vendor, VendorCategory, VendorStatus
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition
from vendors.selectors import vendor_is_usable


@dataclass(frozen=True)
class Coded:
    """A code of the scope's vocabulary (vendors.scope) with its label in the language of the request."""

    code: str
    label: str


@dataclass(frozen=True)
class ScopeAnswer:
    """What an approval covers, as codes a machine compares and labels a person reads (docs/domain.md "Use")."""

    purposes: tuple[Coded, ...]
    channels: tuple[Coded, ...]
    data_categories: tuple[Coded, ...]
    audience_sources: tuple[Coded, ...]
    cross_border: bool
    ceiling: Coded | None
    conditions: tuple[Coded, ...]
    other_conditions: str


def _coded(codes, choices) -> tuple[Coded, ...]:
    return tuple(Coded(code, str(choices(code).label)) for code in codes)


def scope_answer(scope: Scope) -> ScopeAnswer:
    return ScopeAnswer(
        purposes=_coded(scope.purposes, Purpose),
        channels=_coded(scope.channels, Channel),
        data_categories=_coded(scope.data_categories, DataCategory),
        audience_sources=_coded(scope.audience_sources, AudienceSource),
        cross_border=scope.cross_border,
        ceiling=Coded(scope.ceiling, str(Ceiling(scope.ceiling).label)) if scope.ceiling else None,
        conditions=_coded(scope.conditions, ScopeCondition),
        other_conditions=scope.other_conditions,
    )


@dataclass(frozen=True)
class VendorAnswer:
    uscc: str
    name: str
    name_zh: str
    name_en: str
    category: str
    status: str
    status_label: str
    usable: bool
    approved_until: date | None
    tier: str | None
    conditions: str | None
    scope: ScopeAnswer | None
    scope_confirmed: bool | None
    approval_reference: str | None
    stop_using: bool
    catch_up_due: date | None


def vendors_for_api() -> QuerySet[Vendor]:
    """Every known vendor with the conditions of the sign-off its approval rests on, in one query."""
    sign_off = SignOff.objects.filter(number=OuterRef("approval_reference"))
    # Vendors only: an own channel is the one entry without a credit code (vendor_credit_code_unless_channel),
    # so "a code" selects the vendors and lets the list be read in code order from the codes' partial unique
    # index (vendor_uscc_unique), instead of sorting every vendor.
    return (
        Vendor.objects.exclude(uscc="")
        .annotate(approval_conditions=Subquery(sign_off.values("conditions")[:1]))
        .order_by("uscc")
    )


def vendor_answer(vendor: Vendor, *, today: date | None = None) -> VendorAnswer:
    today = today or timezone.localdate()
    usable = vendor_is_usable(vendor, today=today)
    return VendorAnswer(
        uscc=vendor.uscc,
        name=vendor.display_name,
        name_zh=vendor.name_zh,
        name_en=vendor.name_en,
        category=vendor.category,
        status=vendor.status,
        status_label=str(vendor.get_status_display()),
        usable=usable,
        approved_until=vendor.approved_until if usable else None,
        tier=vendor.risk_tier or None,
        conditions=(getattr(vendor, "approval_conditions", None) or "") if usable else None,
        scope=scope_answer(vendor.scope) if usable else None,
        scope_confirmed=vendor.scope_confirmed if usable else None,
        approval_reference=vendor.approval_reference if usable else None,
        stop_using=vendor.stop_using,
        catch_up_due=vendor.catch_up_due if vendor.status == VendorStatus.IN_USE else None,
    )


@dataclass(frozen=True)
class ChannelAnswer(VendorAnswer):
    """What the API tells of one of the brand's own channels: a vendor's answer without a credit code, with
    the channel's reference, kind and identifiers (docs/architecture.md "Own channels")."""

    reference: str
    kind: str
    kind_label: str
    operator: str
    icp_filing: str
    app_store_ids: list


def channels_for_api() -> QuerySet[Vendor]:
    """Every own channel with the conditions of its sign-off and its channel row, in one query."""
    sign_off = SignOff.objects.filter(number=OuterRef("approval_reference"))
    return (
        Vendor.objects.filter(category=VendorCategory.OWN_CHANNEL)
        .select_related("channel", "channel__operator_vendor")
        .annotate(approval_conditions=Subquery(sign_off.values("conditions")[:1]))
        .order_by("pk")
    )


def channel_by_reference(reference: str) -> Vendor | None:
    pk = OwnChannel.pk_of_reference(reference)
    return None if pk is None else channels_for_api().filter(pk=pk).first()


def channel_answer(entry: Vendor, *, today: date | None = None) -> ChannelAnswer:
    base = vendor_answer(entry, today=today)
    channel = entry.channel
    return ChannelAnswer(
        **{f.name: getattr(base, f.name) for f in fields(VendorAnswer)},
        reference=channel.reference,
        kind=channel.kind,
        kind_label=str(channel.get_kind_display()),
        operator=channel.operator_label,
        icp_filing=channel.icp_filing,
        app_store_ids=[line for line in channel.app_store_ids.splitlines() if line],
    )
