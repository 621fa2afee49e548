"""manage.py seed_demo: demo people and one vendor in every state, built through the services."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from reviews import workflow
from reviews.audit import audit_verify
from reviews.audit_checkpoints import audit_checkpoint
from reviews.demo import PLATFORMS_IN_USE, RETURN_COMMENT, SCENARIOS, pdf_document, png_image
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
from vendors.selectors import approved_vendors

pytestmark = pytest.mark.django_db

PASSWORD = "vetted-demo-2026"


def seed_demo(password=PASSWORD) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--password", password, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    seed_demo()
    return {s.key: Review.objects.get(vendor__uscc=s.uscc) for s in SCENARIOS}


def stage_states(review):
    return [s.state for s in review.stages.order_by("order")]


def test_seed_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        seed_demo()
    assert not get_user_model().objects.exists()
    assert not Vendor.objects.exists()


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
    P, O, S, R, F, L = (StageState.PASSED, StageState.OPEN, StageState.SUBMITTED, StageState.RETURNED,
                        StageState.FAILED, StageState.LOCKED)
    expected = {
        "approved": (ReviewState.APPROVED, [P, P, P, P]),
        "ending": (ReviewState.APPROVED, [P, P, P, P]),
        "cross_border": (ReviewState.APPROVED, [P, P, P, P]),
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
    assert sorted(approved_vendors(), key=lambda v: v.pk) == [approved.vendor, ending.vendor,
                                                              seeded["cross_border"].vendor]
    ending.vendor.refresh_from_db()
    assert ending.vendor.approved_until == timezone.localdate() + timedelta(days=21)  # inside the renewal window
    assert approved.sign_off.signed_by.username == "legal" and approved.sign_off.conditions
    assert Dossier.objects.filter(review=approved, requested_by__username="legal").exists()
    assert AuditEvent.objects.filter(review=approved, action="dossier.requested").exists()

    returned = seeded["returned"].stages.get(kind=StageKind.DATA_SOURCE)
    decision = Decision.objects.get(stage=returned)
    assert (decision.outcome, decision.comment, decision.decided_by.username) == (
        "returned", RETURN_COMMENT, "legal")
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
    evidence = list(Evidence.objects.all())
    kinds = {e.content_type for e in evidence}

    assert kinds == {"application/pdf", "image/png"}
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
    counts = [model.objects.count() for model in (get_user_model(), Vendor, Review, Evidence, AuditEvent,
                                                  Certification, Dossier)]

    output = seed_demo(password="another-password-2026")

    assert [model.objects.count() for model in (get_user_model(), Vendor, Review, Evidence, AuditEvent,
                                                Certification, Dossier)] == counts
    assert output.count("already there") == len(SCENARIOS)
    for username in DEMO_PEOPLE:
        user = get_user_model().objects.get(username=username)
        assert user.check_password("another-password-2026")
        assert not user.check_password(PASSWORD)
    audit_checkpoint(reason="test")  # the decisions' own are written on commit, which a test never reaches
    report = audit_verify()
    assert report.ok and report.checked == AuditEvent.objects.count()


def test_the_platforms_in_use_come_in_through_the_inventory_import_and_one_is_under_catch_up_review(seeded):
    in_use = Vendor.objects.filter(status=VendorStatus.IN_USE)
    assert sorted(in_use.values_list("name_zh", flat=True)) == sorted(p[0] for p in PLATFORMS_IN_USE)
    assert not approved_vendors().filter(pk__in=in_use).exists()
    imported = InventoryImport.objects.get()
    assert imported.confirmed_by.username == "legal" and imported.created_count == len(PLATFORMS_IN_USE)
    catch_up = Review.objects.get(catch_up=True)
    assert catch_up.vendor.name_zh == PLATFORMS_IN_USE[0][0] and catch_up.requester.username == "cmo"
    assert catch_up.vendor.catch_up_due == timezone.localdate() + timedelta(days=90)
    assert {v.business_owner.username for v in in_use} == {p[3] for p in PLATFORMS_IN_USE}


def test_pdf_document_is_readable_text():
    reader = PdfReader(io.BytesIO(pdf_document("PIPIA report (v2)", ["Review VR-2026-00001", "a \\ b"])))

    assert "PIPIA report (v2)" in reader.pages[0].extract_text()


def test_png_image_has_the_requested_size():
    assert Image.open(io.BytesIO(png_image(40, 20))).size == (40, 20)


def test_seeding_mails_nobody(settings, django_capture_on_commit_callbacks):
    from django.core import mail

    settings.DEBUG = True
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", password="demo-pass-2026", stdout=io.StringIO())

    assert mail.outbox == []
