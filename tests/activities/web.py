"""Helpers for the tests of the requester's activity pages: what the registration form posts, activities and
extensions made through the services as users make them."""

from datetime import timedelta

from django.utils import timezone

from activities.extensions import extension_request
from activities.services import activity_register
from tests.factories import pdf_upload
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope

from .conftest import plan


def form_data(*vendors, **overrides) -> dict:
    """The registration form as a requester fills it: member marketing by EDM to opted-in members."""
    today = timezone.localdate()
    data = {
        "name": "会员春季上新EDM",
        "starts_on": (today + timedelta(days=7)).isoformat(),
        "ends_on": (today + timedelta(days=37)).isoformat(),
        "purpose": Purpose.MEMBER_MARKETING,
        "channels": [Channel.EDM],
        "vendors": "\n".join(v.uscc for v in vendors),
        "audience_source": AudienceSource.OWN_CONSENTED,
        "audience": "近12个月有购买且同意接收营销信息的会员",
        "data_categories": [DataCategory.CONTACT],
        "volume": Ceiling.LT_100K,
    }
    data.update(overrides)
    return data


def abm_outside_scope(owner, vendor):
    """The issue's story, first half: ABM through a vendor approved for member marketing only: no-go."""
    return activity_register(
        owner=owner, plan=plan(name="重点客户ABM精准营销", purpose=Purpose.ABM, vendors=[vendor])
    )


def edm_in_scope(owner, vendor):
    """The second half: EDM to opted-in members within the scope: go with conditions."""
    return activity_register(owner=owner, plan=plan(vendors=[vendor]))


def sms_extension(requester, vendor):
    """An extension adding SMS (commercial messages: four questions, two documents, Legal alone)."""
    answers = {
        "A3": {"value": "yes", "detail": "持有增值电信业务经营许可证"},
        "C1": {"value": "yes"},
        "C2": {"value": "yes"},
        "C4": {"value": "realtime"},
    }
    files = {"telecom_licence": pdf_upload("电信许可证.pdf"), "marketing_samples": pdf_upload("samples.pdf")}
    return extension_request(
        vendor=vendor,
        requester=requester,
        additions=Scope.build(channels=[Channel.SMS]),
        reason="会员生日关怀短信",
        answers=answers,
        files=files,
    )


def copies(activity, count: int, *, start: int = 1, **fields) -> list:
    """`count` more activities like `activity` (a list's volume), numbered after it, newest last. Written
    directly: what a list shows of them is what the service wrote for the first."""
    from datetime import timedelta as _td

    from activities.models import Activity

    rows = []
    for i in range(start, start + count):
        row = Activity(
            owner=activity.owner,
            reference=f"{activity.reference}-{i:03d}",
            name=f"{activity.name} {i}",
            starts_on=activity.starts_on,
            ends_on=activity.ends_on,
            purpose=activity.purpose,
            channels=activity.channels,
            audience_source=activity.audience_source,
            data_categories=activity.data_categories,
            volume=activity.volume,
            outcome=activity.outcome,
            findings=activity.findings,
            status=activity.status,
            created_at=activity.created_at + _td(seconds=i),
        )
        for name, value in fields.items():
            setattr(row, name, value)
        rows.append(row)
    return Activity.objects.bulk_create(rows)
