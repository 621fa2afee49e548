"""Personas and approved vendors with known scopes, for the activities' tests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.services import activity_plan
from tests import builders
from tests.factories import VendorFactory, make_user
from vendors.models import VendorCategory, VendorStatus
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition


@pytest.fixture
def cmo(db):
    return make_user("cmo", "Requester")


@pytest.fixture
def legal(db):
    return make_user("legal", "Legal", is_staff=True)


@pytest.fixture
def security(db):
    return make_user("security", "Security", is_staff=True)


# The example: an SMS/EDM sender approved for EDM to opted-in members, no bought lists.
EDM_SCOPE = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.EDM],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.FROM_100K_TO_1M,
    conditions=[
        ScopeCondition.OPTED_IN_ONLY,
        ScopeCondition.UNSUBSCRIBE_EVERY_MESSAGE,
        ScopeCondition.NO_EXTERNAL_LISTS,
    ],
    other_conditions="仅限EDM渠道，不得用于短信",
)


@pytest.fixture
def edm_vendor(cmo, legal, security):
    """An approved SMS/EDM sender whose approval covers EDM to opted-in members only."""
    from reviews import workflow

    vendor = VendorFactory(category=VendorCategory.SMS_EDM, name_zh="云信科技有限公司")
    review = builders.review_ready_for_sign_off(cmo, legal=legal, security=security, vendor=vendor)
    workflow.review_sign_off(
        review=review, actor=legal, password=builders.PASSWORD, statement="准予入库", scope=EDM_SCOPE
    )
    vendor.refresh_from_db()
    return vendor


def plan(**overrides):
    today = timezone.localdate()
    fields = {
        "name": "会员春季EDM",
        "starts_on": today,
        "ends_on": today,
        "purpose": Purpose.MEMBER_MARKETING,
        "channels": [Channel.EDM],
        "vendors": [],
        "audience_source": AudienceSource.OWN_CONSENTED,
        "data_categories": [DataCategory.CONTACT],
        "volume": Ceiling.LT_100K,
    }
    fields.update(overrides)
    return activity_plan(**fields)


def built_vendor(*, scope: Scope, **fields):
    """An approved vendor with `scope`, not saved: the rules and the pre-check read only its fields."""
    values = {
        "name_zh": "云信科技有限公司",
        "status": VendorStatus.APPROVED,
        "approved_until": timezone.localdate() + timedelta(days=200),
        "approval_reference": "VD-2026-00001",
        "approved_scope": scope.as_json(),
        "scope_confirmed": True,
        "status_reason": "",
    }
    values.update(fields)
    return VendorFactory.build(**values)
