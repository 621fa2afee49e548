"""The demo's own channels: several states of the same gate, made through the services, seeded once."""

import pytest

from reviews.channel_demo import CHANNEL_SCENARIOS, LIVE_CHANNEL, seed_channels
from reviews.models import ReviewState, StageKind, StageState
from vendors.models import Vendor, VendorCategory, VendorStatus

pytestmark = pytest.mark.django_db


def test_the_demo_channels_stand_where_their_scenario_says(settings):
    done = seed_channels("vetted-demo-2026")
    assert all(created for _scenario, created in done)
    entries = {v.name_zh: v for v in Vendor.objects.filter(category=VendorCategory.OWN_CHANNEL)}
    assert len(entries) == len(CHANNEL_SCENARIOS) + 1
    by_key = {s.key: entries[s.name_zh] for s in CHANNEL_SCENARIOS}
    assert by_key["approved"].status == VendorStatus.APPROVED and by_key["approved"].uscc == ""
    waiting = by_key["waiting_security"].reviews.get()
    assert (
        waiting.current_stage_kind == StageKind.SECURITY
        and waiting.current_stage_state == StageState.SUBMITTED
    )
    assert by_key["waiting_legal"].reviews.get().current_stage_kind == StageKind.QUESTIONNAIRE
    assert by_key["red_flag"].reviews.get().red_flag_count == 1
    assert by_key["draft"].reviews.get().state == ReviewState.DRAFT
    live = entries[LIVE_CHANNEL.name_zh]
    assert live.status == VendorStatus.IN_USE and live.reviews.get().catch_up
    assert all(created is False for _scenario, created in seed_channels("vetted-demo-2026"))
    assert Vendor.objects.filter(category=VendorCategory.OWN_CHANNEL).count() == len(entries)
