"""Marketing activities and scope extensions for the portfolio's tests, made through the services as users
make them: an approved SMS/EDM sender with a known scope, activities in each status, extensions waiting."""

from datetime import timedelta

from django.utils import timezone

from activities.extensions import extension_request
from activities.services import activity_acknowledge, activity_decide, activity_plan, activity_register
from tests.factories import VendorFactory
from tests.vendors.helpers import CleanAdmission
from vendors.models import VendorCategory
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope
from vendors.services import vendor_admit

SCOPE = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.EDM],
    data_categories=[DataCategory.CONTACT, DataCategory.SENSITIVE],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.LT_100K,
)


def scoped_vendor(*, legal):
    vendor = VendorFactory(category=VendorCategory.SMS_EDM)
    return vendor_admit(
        vendor=vendor,
        admission=CleanAdmission(vendor.pk),
        valid_until=timezone.localdate() + timedelta(days=365),
        reference=f"VD-TEST-{vendor.pk:05d}",
        risk_tier="low",
        actor=legal,
        scope=SCOPE,
    )


def register(owner, vendor, **overrides):
    today = timezone.localdate()
    fields = {
        "name": "会员EDM",
        "starts_on": today,
        "ends_on": today + timedelta(days=30),
        "purpose": Purpose.MEMBER_MARKETING,
        "channels": [Channel.EDM],
        "vendors": [vendor],
        "audience_source": AudienceSource.OWN_CONSENTED,
        "data_categories": [DataCategory.CONTACT],
        "volume": Ceiling.LT_100K,
        **overrides,
    }
    return activity_register(owner=owner, plan=activity_plan(**fields))


def awaiting_ack(owner, vendor):
    return register(owner, vendor)


def awaiting_legal(owner, vendor):
    return register(owner, vendor, data_categories=[DataCategory.SENSITIVE])


def cleared(owner, vendor):
    return activity_acknowledge(activity=register(owner, vendor), actor=owner)


def blocked(owner, vendor):
    return register(owner, vendor, audience_source=AudienceSource.PURCHASED)


def refused(owner, vendor, *, legal):
    return activity_decide(
        activity=awaiting_legal(owner, vendor), actor=legal, approve=False, reason="不必要"
    )


def extension_for_legal(owner, vendor):
    """A new purpose: Legal alone decides it."""
    return extension_request(
        vendor=vendor, requester=owner, additions=Scope.build(purposes=[Purpose.ABM]), reason="ABM项目"
    )


def extension_for_security(owner, vendor):
    """A higher ceiling: Security looks first (PIPL Art. 52, 54)."""
    from tests.activities.extension_helpers import good_answers

    additions = Scope.build(ceiling=Ceiling.FROM_1M_TO_10M)
    return extension_request(
        vendor=vendor, requester=owner, additions=additions, reason="双十一", answers=good_answers(additions)
    )
