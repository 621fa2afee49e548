"""manage.py seed_demo: demo people, one vendor in every state, approvals with their scopes, marketing
activities in every outcome and scope extensions at every step, built through the services."""

import io
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from activities.demo import ACTIVITIES, EXTENSIONS
from activities.models import (
    Activity,
    ActivityStatus,
    ExtensionFile,
    ExtensionStatus,
    Outcome,
    ScopeExtension,
)
from reviews import workflow
from reviews.audit import audit_verify
from reviews.audit_checkpoints import audit_checkpoint
from reviews.channel_demo import CHANNEL_SCENARIOS
from reviews.demo import EDM_ONLY_SCOPE, PLATFORMS_IN_USE, RETURN_COMMENT, SCENARIOS, pdf_document, png_image
from reviews.errors import WorkflowError
from reviews.models import (
    AuditEvent,
    Decision,
    Dossier,
    Evidence,
    Review,
    ReviewState,
    StageKind,
    StageState,
)
from vendors.cert_rules import add_months
from vendors.models import Certification, InventoryImport, Vendor, VendorStatus
from vendors.scope import AudienceSource, Channel, Scope
from vendors.selectors import approved_vendors

pytestmark = pytest.mark.django_db

PASSWORD = "vetted-demo-2026"


def seed_demo(password=PASSWORD) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--password", password, stdout=out)
    return out.getvalue()


@dataclass(frozen=True)
class Demo:
    media: Path  # where the demo's files are
    mail: list  # what seeding sent


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo seeded once for the module, as `make run` seeds it (what a commit runs is run: the dossiers are
    rendered), inside a transaction rolled back at the end (the pattern of Django's TestCase.setUpTestData, as
    in tests/reviews/test_workflow_matrix.py). Each test runs in its own savepoint within it, so what one test
    changes is undone before the next: one seeding for the module instead of one per test."""
    media = tmp_path_factory.mktemp("demo") / "private"
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PRIVATE_MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            mail.outbox = []
            with TestCase.captureOnCommitCallbacks(execute=True):
                seed_demo()
            yield Demo(media=media, mail=list(mail.outbox))
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def seeded(demo, settings):
    settings.DEBUG = True
    settings.PRIVATE_MEDIA_ROOT = demo.media  # the files the seeding stored, not the test's own empty folder
    return {s.key: Review.objects.get(vendor__uscc=s.uscc) for s in SCENARIOS}


def stage_states(review):
    return [s.state for s in review.stages.order_by("order")]


def test_seed_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    people, vendors = get_user_model().objects.count(), Vendor.objects.count()

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        seed_demo()
    assert (get_user_model().objects.count(), Vendor.objects.count()) == (people, vendors)


DEMO_PEOPLE = {  # username: (groups, is_staff, is_superuser)
    "cmo": (["Executive", "Requester"], False, False),
    "cmo2": (["Requester"], False, False),
    "security": (["Security"], True, False),
    "legal": (["Legal"], True, False),
    "auditor": (["Auditor"], True, False),
    "admin": ([], True, True),
}


def test_seed_demo_creates_the_demo_people_with_the_password(seeded):
    for username, (groups, is_staff, is_superuser) in DEMO_PEOPLE.items():
        user = get_user_model().objects.get(username=username)
        assert sorted(user.groups.values_list("name", flat=True)) == groups, username
        assert (user.is_staff, user.is_superuser) == (is_staff, is_superuser), username
        assert user.check_password(PASSWORD), username


def test_seed_demo_covers_every_state_of_the_workflow(seeded):
    P, O, S, R, F, L = (
        StageState.PASSED,
        StageState.OPEN,
        StageState.SUBMITTED,
        StageState.RETURNED,
        StageState.FAILED,
        StageState.LOCKED,
    )
    expected = {
        "approved": (ReviewState.APPROVED, [P, P, P, P]),
        "ending": (ReviewState.APPROVED, [P, P, P, P]),
        "cross_border": (ReviewState.APPROVED, [P, P, P, P]),
        "edm_sender": (ReviewState.APPROVED, [P, P, P, P]),
        "abm_data": (ReviewState.APPROVED, [P, P, P, P]),
        "kol_agency": (ReviewState.APPROVED, [P, P, P, P]),
        "resubmitted": (ReviewState.IN_PROGRESS, [S, L, L, L]),
        "returned": (ReviewState.IN_PROGRESS, [P, R, L, L]),
        "rejected": (ReviewState.REJECTED, [F, L, L, L]),
        "red_flag": (ReviewState.IN_PROGRESS, [S, L, L, L]),
        "waiting_legal": (ReviewState.IN_PROGRESS, [S, L, L, L]),
        "waiting_security": (ReviewState.IN_PROGRESS, [P, P, S, L]),
        "waiting_sign_off": (ReviewState.IN_PROGRESS, [P, P, P, S]),
        "draft": (ReviewState.DRAFT, [O, L, L, L]),
    }

    assert {key: (review.state, stage_states(review)) for key, review in seeded.items()} == expected
    assert {s.vendor.name_zh[:2] for s in seeded.values()} >= {"上海", "杭州", "深圳", "北京", "成都"}


def test_each_demo_review_shows_its_situation(seeded):
    approved, ending = seeded["approved"], seeded["ending"]
    # The KOL agency was approved, then suspended (activities.demo): it is off the list.
    # The approved own channel of the demo (reviews.channel_demo) is on the list too; the vendors here.
    assert sorted(approved_vendors().exclude(category="own_channel"), key=lambda v: v.pk) == [
        seeded[key].vendor for key in ("approved", "ending", "cross_border", "edm_sender", "abm_data")
    ]
    ending.vendor.refresh_from_db()
    assert ending.vendor.approved_until == timezone.localdate() + timedelta(
        days=21
    )  # inside the renewal window
    assert approved.sign_off.signed_by.username == "legal" and approved.sign_off.conditions
    assert Dossier.objects.filter(review=approved, requested_by__username="legal").exists()
    assert AuditEvent.objects.filter(review=approved, action="dossier.requested").exists()

    returned = seeded["returned"].stages.get(kind=StageKind.DATA_SOURCE)
    decision = Decision.objects.get(stage=returned)
    assert (decision.outcome, decision.comment, decision.decided_by.username) == (
        "returned",
        RETURN_COMMENT,
        "legal",
    )
    assert returned.round == 2

    rejected = seeded["rejected"].vendor
    assert rejected.status == VendorStatus.REJECTED
    assert "Advertising Law Art. 43" in rejected.status_reason

    draft = seeded["draft"]
    assert 0 < draft.answers.count() < 10
    assert draft.answers.filter(question__code="A1", detail=draft.vendor.uscc).exists()


def test_the_cross_border_saas_vendor_is_high_and_approved_for_12_months_with_the_pipia(seeded):
    review = seeded["cross_border"]
    review.vendor.refresh_from_db()

    assert review.risk_score < 15  # the answers alone would say Low ...
    assert review.risk_tier == review.vendor.risk_tier == "high"  # ... the cross-border floor says High
    assert review.sign_off.valid_until == add_months(timezone.localdate(review.sign_off.signed_at), 12)
    data_source = review.stages.get(kind=StageKind.DATA_SOURCE)
    given = set(Evidence.objects.filter(review=review, frozen=True).values_list("kind", flat=True))
    assert {"pipia", "cross_border", "compliance_audit"} <= given
    assert data_source.state == StageState.PASSED


def test_the_returned_then_resubmitted_review_keeps_its_files(seeded):
    review = seeded["resubmitted"]
    stage = review.stages.get(kind=StageKind.QUESTIONNAIRE)
    decision = Decision.objects.get(stage=stage)

    assert (stage.round, stage.state, decision.reopened) == (2, StageState.SUBMITTED, ["D5"])
    assert not Evidence.objects.filter(stage=stage, round=2).exists()  # nothing uploaded again
    assert Evidence.objects.filter(stage=stage, round=1, frozen=True).count() > 5
    assert review.red_flag_count == 0
    assert "可用区 H" in review.answers.get(question__code="D5").detail


def test_the_red_flagged_questionnaire_cannot_pass(seeded):
    review = seeded["red_flag"]
    legal = get_user_model().objects.get(username="legal")

    assert review.red_flag_count >= 1
    assert seeded["waiting_legal"].red_flag_count == 0
    with pytest.raises(WorkflowError) as refused:
        workflow.stage_pass(stage=review.stages.get(kind=StageKind.QUESTIONNAIRE), actor=legal)
    assert refused.value.code == "red_flag"


def test_demo_files_are_real_pdfs_and_pngs_and_certificates_are_recorded(seeded):
    evidence = list(Evidence.objects.all()) + list(ExtensionFile.objects.all())
    kinds = {e.content_type for e in evidence}

    assert kinds == {"application/pdf", "image/png"}
    assert ExtensionFile.objects.exists()
    private = storages["private"]  # where the services stored them
    for item in evidence:
        with private.open(item.file.name) as fh:
            data = fh.read()
        if item.content_type == "application/pdf":
            assert len(PdfReader(io.BytesIO(data)).pages) == 1
        else:
            assert Image.open(io.BytesIO(data)).size == (160, 90)
    assert len({e.sha256 for e in evidence}) == len(evidence)
    assert Certification.objects.filter(vendor=seeded["approved"].vendor, frozen=True).exists()
    assert Certification.objects.filter(vendor=seeded["waiting_security"].vendor, kind="mlps_filing").exists()


def test_a_second_run_creates_nothing_and_resets_the_passwords(seeded):
    models = (
        get_user_model(),
        Vendor,
        Review,
        Evidence,
        AuditEvent,
        Certification,
        Dossier,
        Activity,
        ScopeExtension,
        ExtensionFile,
    )
    counts = [model.objects.count() for model in models]

    output = seed_demo(password="another-password-2026")

    assert [model.objects.count() for model in models] == counts
    channels = len(CHANNEL_SCENARIOS) + 1  # and the live one under catch-up review
    assert output.count("already there") == len(SCENARIOS) + channels + len(ACTIVITIES) + len(EXTENSIONS)
    for username in DEMO_PEOPLE:
        user = get_user_model().objects.get(username=username)
        assert user.check_password("another-password-2026")
        assert not user.check_password(PASSWORD)
    audit_checkpoint(reason="test")  # the decisions' own are written on commit, which a test never reaches
    report = audit_verify()
    assert report.ok and report.checked == AuditEvent.objects.count()


def test_the_platforms_in_use_come_in_through_the_inventory_import_and_one_is_under_catch_up_review(seeded):
    # The demo's live own channel is in use too (reviews.channel_demo): the platforms here are the vendors.
    in_use = Vendor.objects.filter(status=VendorStatus.IN_USE).exclude(category="own_channel")
    assert sorted(in_use.values_list("name_zh", flat=True)) == sorted(p[0] for p in PLATFORMS_IN_USE)
    assert not approved_vendors().filter(pk__in=in_use).exists()
    imported = InventoryImport.objects.get()
    assert imported.confirmed_by.username == "legal" and imported.created_count == len(PLATFORMS_IN_USE)
    catch_up = Review.objects.exclude(vendor__category="own_channel").get(catch_up=True)
    assert catch_up.vendor.name_zh == PLATFORMS_IN_USE[0][0] and catch_up.requester.username == "cmo"
    assert catch_up.vendor.catch_up_due == timezone.localdate() + timedelta(days=90)
    assert {v.business_owner.username for v in in_use} == {p[3] for p in PLATFORMS_IN_USE}


def test_pdf_document_is_readable_text():
    reader = PdfReader(io.BytesIO(pdf_document("PIPIA report (v2)", ["Review VR-2026-00001", "a \\ b"])))

    assert "PIPIA report (v2)" in reader.pages[0].extract_text()


def test_png_image_has_the_requested_size():
    assert Image.open(io.BytesIO(png_image(40, 20))).size == (40, 20)


def test_seeding_mails_nobody(demo, seeded):
    # The module's seeding ran what its commits would run (the dossiers, the notices) and sent nothing.
    assert Dossier.objects.exists()
    assert demo.mail == []


# ----------------------------------------------------------------------------------------------------------
# The use side (activities.demo): scopes, activities, extensions. Seeding takes a while, so each test checks
# several things of one seeded demo.


def activity(name: str) -> Activity:
    return Activity.objects.get(name=name)


def rules(activity_: Activity) -> set[str]:
    return {finding["rule"] for finding in activity_.findings}


def test_the_approvals_carry_the_scopes_legal_signed_and_one_is_left_unconfirmed(seeded):
    from reviews.scope_proposal import scope_proposed

    review = seeded["ending"]
    review.vendor.refresh_from_db()

    assert not review.sign_off.scope_confirmed and not review.vendor.scope_confirmed
    assert review.sign_off.scope == review.vendor.approved_scope == scope_proposed(review).as_json()
    event = AuditEvent.objects.get(action="scope.derived")
    assert event.review == review and event.data["demo"] is True and event.actor is None
    others = [seeded[key] for key in ("approved", "cross_border", "edm_sender", "abm_data", "kol_agency")]
    assert all(review.sign_off.scope_confirmed for review in others)

    # The example: the SMS/EDM sender approved for EDM to opted-in members only.
    review = seeded["edm_sender"]
    review.vendor.refresh_from_db()

    assert review.sign_off.scope == EDM_ONLY_SCOPE.as_json() and review.sign_off.scope_confirmed
    scope = review.vendor.scope
    assert scope.channels == (Channel.EDM,) and scope.audience_sources == (AudienceSource.OWN_CONSENTED,)
    assert "仅限EDM渠道" in scope.other_conditions and "不得用于短信" in scope.other_conditions
    assert "不得使用外部购买或交换的名单" in scope.other_conditions
    assert "no_external_lists" in scope.conditions and "opted_in_only" in scope.conditions


def test_the_activities_cover_every_outcome_each_with_its_story(seeded):
    got = {a.name: (a.owner.username, a.outcome, a.status) for a in Activity.objects.select_related("owner")}

    assert got == {
        "小程序新品场景化推荐（匿名行为）": ("cmo2", Outcome.GO, ActivityStatus.CLEARED),
        "会员生日EDM": ("cmo", Outcome.CONDITIONS, ActivityStatus.AWAITING_ACK),
        "企业微信社群春节福利": ("cmo", Outcome.CONDITIONS, ActivityStatus.AWAITING_ACK),
        "ABM 重点客户春季推广": ("cmo", Outcome.CONDITIONS, ActivityStatus.CLEARED),
        "亲子会员暑期夏令营招募": ("cmo2", Outcome.NEEDS_LEGAL, ActivityStatus.AWAITING_LEGAL),
        "孕婴会员专属关怀计划": ("cmo", Outcome.NEEDS_LEGAL, ActivityStatus.CLEARED),
        "高消费会员差异化定价": ("cmo2", Outcome.NEEDS_LEGAL, ActivityStatus.REFUSED),
        "重点客户短信拉新（外购号码包）": ("cmo", Outcome.NO_GO, ActivityStatus.BLOCKED),
        "618 小红书新品种草": ("cmo2", Outcome.CONDITIONS, ActivityStatus.CLEARED),
    }
    assert rules(activity("小程序新品场景化推荐（匿名行为）")) == set()
    assert {"commercial_messages", "email_subject_marked", "scope_other_conditions"} <= rules(
        activity("会员生日EDM")
    )
    assert "scope_unconfirmed" in rules(activity("企业微信社群春节福利"))
    abm = activity("ABM 重点客户春季推广")
    assert abm.acknowledged_by.username == "cmo" and "vendor_audience_proof" in rules(abm)
    assert "minors" in rules(activity("亲子会员暑期夏令营招募"))
    approved = activity("孕婴会员专属关怀计划")
    assert "sensitive_data" in rules(approved) and approved.decided_by.username == "legal"
    assert approved.decision_reason and approved.acknowledged_at is not None
    refused = activity("高消费会员差异化定价")
    assert "price_difference_justified" in rules(refused) and "第二十四条" in refused.decision_reason
    no_go = activity("重点客户短信拉新（外购号码包）")
    assert {"purchased_list", "channel_outside_scope"} <= rules(no_go)

    # The KOL agency was suspended after its activity was cleared: the activity is flagged.
    kol = seeded["kol_agency"].vendor
    kol.refresh_from_db()
    flagged = Activity.objects.filter(flagged_at__isnull=False).get()

    assert kol.status == VendorStatus.SUSPENDED
    assert flagged.name == "618 小红书新品种草" and list(flagged.vendors.all()) == [kol]
    assert kol.name_zh in flagged.flag_reason
    assert AuditEvent.objects.filter(action="activity.flagged", object_id=str(flagged.pk)).exists()


def test_the_scope_extensions_wait_at_each_step_and_one_widened_the_scope(seeded):
    got = {(e.vendor.uscc, e.status) for e in ScopeExtension.objects.select_related("vendor")}

    assert got == {
        (seeded["approved"].vendor.uscc, ExtensionStatus.AWAITING_SECURITY),
        (seeded["edm_sender"].vendor.uscc, ExtensionStatus.AWAITING_LEGAL),
        (seeded["abm_data"].vendor.uscc, ExtensionStatus.APPROVED),
        (seeded["cross_border"].vendor.uscc, ExtensionStatus.REFUSED),
    }
    abm = seeded["abm_data"].vendor
    abm.refresh_from_db()
    assert AudienceSource.LOOKALIKE in abm.scope.audience_sources  # widened by the approved extension
    sms = ScopeExtension.objects.get(status=ExtensionStatus.AWAITING_LEGAL)
    assert Scope.from_json(sms.additions).channels == (Channel.SMS,)
    assert set(sms.files.values_list("kind", flat=True)) == {"telecom_licence", "marketing_samples"}
    refused = ScopeExtension.objects.get(status=ExtensionStatus.REFUSED)
    assert refused.security_decided_by.username == "security" and refused.decided_by.username == "legal"
    edm = seeded["edm_sender"].vendor
    edm.refresh_from_db()
    assert Channel.SMS not in edm.scope.channels  # waiting: not granted yet
