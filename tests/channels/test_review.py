"""An own channel goes through the same gate as a vendor: its questionnaire, its evidence, its security stage,
Legal's sign-off, the approved list, renewal and lapse; each channel of the brand with its own review."""

from datetime import timedelta

import pytest

from reviews.errors import WorkflowError
from reviews.models import Answer, EvidenceKind, ReviewState, StageKind
from reviews.questionnaire.answers import answers_save
from reviews.submission import missing_content, required_evidence_kinds
from tests import builders
from tests.builders import own_channel, stage_of
from vendors.models import VendorStatus
from vendors.selectors import approved_vendors
from vendors.services import vendors_lapse_expired

pytestmark = pytest.mark.django_db


def test_a_channel_review_uses_the_channel_questionnaire_and_asks_no_credit_code(requester):
    review = builders.start_review(requester, vendor=own_channel("douyin"))
    assert review.template.subject == "own_channel"
    assert not Answer.objects.filter(review=review).exists()  # no A1 filled from a credit code
    vendor_review = builders.start_review(requester)
    assert vendor_review.template.subject == "vendor"


def test_each_channel_of_the_brand_has_its_own_review(requester):
    reviews = [
        builders.start_review(requester, vendor=own_channel(kind)) for kind in builders.CHANNEL_DEFAULTS
    ]
    assert len({r.vendor_id for r in reviews}) == 5
    assert all(r.state == ReviewState.DRAFT or r.is_open for r in reviews)
    with pytest.raises(WorkflowError, match="already under way"):
        builders.start_review(requester, vendor=reviews[0].vendor)


def test_the_data_source_stage_asks_for_the_privacy_policy_consent_texts_and_sdk_list(requester):
    review = builders.start_review(requester, vendor=own_channel("app"))
    builders.fill_questionnaire(review, requester, overrides={"S1": ("listed", ""), "K2": ("no", "")})
    kinds = required_evidence_kinds(review)
    assert kinds[:3] == [EvidenceKind.PRIVACY_POLICY, EvidenceKind.CONSENT_TEXT, EvidenceKind.SDK_LIST]
    assert EvidenceKind.PROCESSING_AGREEMENT not in kinds


def test_the_security_stage_of_an_app_asks_for_its_mlps_filing(requester, legal, security):
    review = builders.start_review(requester, vendor=own_channel("app"))
    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE):
        builders.pass_stage(review, kind, requester, legal=legal, security=security)
    missing = [detail.message for detail in missing_content(stage_of(review, StageKind.SECURITY))]
    assert any("MLPS" in line for line in missing)
    assert not any("account-security" in line for line in missing)  # given with U2


def test_a_social_account_needs_no_certificate_but_its_account_security(requester, legal, security):
    review = builders.start_review(requester, vendor=own_channel("douyin"))
    answers_save(review=review, actor=requester, answers=builders.answers_for(review))
    workflow_missing = missing_content(stage_of(review, StageKind.SECURITY))
    assert [detail.message for detail in workflow_missing] == [
        "Upload the account-security evidence: the administrators and the two-factor login setting."
    ]
    # The detail names the document, so that the page links it to where it is uploaded.
    assert workflow_missing[0].evidence_kind == EvidenceKind.ACCOUNT_SECURITY


def test_five_channels_through_the_gate_to_the_approved_list_then_lapse(requester, legal, security):
    entries = [own_channel(kind) for kind in builders.CHANNEL_DEFAULTS]
    for entry in entries:
        review = builders.approved_review(requester, legal=legal, security=security, vendor=entry)
        assert review.state == ReviewState.APPROVED
        entry.refresh_from_db()
        assert entry.status == VendorStatus.APPROVED and entry.approval_reference == review.sign_off.number
        assert entry.approved_scope
    assert set(approved_vendors().values_list("pk", flat=True)) >= {e.pk for e in entries}
    later = entries[0].approved_until
    assert vendors_lapse_expired(today=later + timedelta(days=1)) == 5
    entries[0].refresh_from_db()
    assert entries[0].status == VendorStatus.SUSPENDED


def test_the_dossier_of_a_channel_speaks_of_the_channel(requester, legal, security):
    from django.utils import translation

    from reviews.dossier.render import dossier_html

    entry = own_channel("mini_program", business_owner=requester)
    review = builders.approved_review(requester, legal=legal, security=security, vendor=entry)
    with translation.override("zh-hans"):
        html = dossier_html(review)
    assert "Own-channel approval dossier" in html and "Channel profile" in html
    assert "沪ICP备12345678号-3X" in html and "wang.fang@example.com" in html
    assert "Unified Social Credit Code" not in html
    assert "v1 · 品牌自有渠道个人信息合规审核问卷" in html
    for code in ("N1", "U2", "S1"):
        assert f">{code}<" in html or f"{code} " in html
