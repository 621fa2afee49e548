"""activities.extensions: asking to widen an approved vendor's scope, Security's and Legal's decisions, the
withdrawal; every guard, every transition audited, the mails queued."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from activities.extensions import (
    extension_decide_refusal,
    extension_legal_decide,
    extension_request,
    extension_security_decide,
    extension_withdraw,
)
from activities.models import ExtensionFile, ExtensionStatus, ScopeExtension
from activities.services import ActivityError
from reviews.models import AuditEvent, EvidenceKind
from tests.factories import VendorFactory, make_user, pdf_upload
from vendors import services as vendor_services
from vendors.models import Vendor, VendorStatus
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope

from .conftest import EDM_SCOPE
from .extension_helpers import ask, documents, good_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def requester_legal(db):
    """A Legal member who also asks for extensions: the segregation-of-duties case (I4)."""
    return make_user("cmo_legal", "Requester", "Legal", is_staff=True)


@pytest.fixture
def requester_security(db):
    return make_user("cmo_security", "Requester", "Security", is_staff=True)


SMS = Scope.build(channels=[Channel.SMS])
SENSITIVE = Scope.build(data_categories=[DataCategory.SENSITIVE])
ANALYTICS = Scope.build(purposes=[Purpose.ANALYTICS])


def actions(extension) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="scopeextension", object_id=str(extension.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file() and "extensions" in p.parts]


def refused(call) -> ActivityError:
    with pytest.raises(ActivityError) as error:
        call()
    return error.value


def nothing_kept():
    assert not ScopeExtension.objects.exists()
    assert not ExtensionFile.objects.exists()
    assert not AuditEvent.objects.filter(action="extension.requested").exists()
    assert stored_files() == []


# -- asking -------------------------------------------------------------------------------------------------


def test_sms_for_an_edm_sender_waits_for_legal_with_its_documents(
    cmo, edm_vendor, django_capture_on_commit_callbacks, legal
):
    with django_capture_on_commit_callbacks(execute=True):
        extension = ask(edm_vendor, cmo, Scope.build(channels=[Channel.EDM, Channel.SMS]))

    assert extension.number == f"EXT-{timezone.now():%Y}-00001"
    assert extension.status == ExtensionStatus.AWAITING_LEGAL and not extension.needs_security
    # Only what the approval does not cover is asked for.
    assert Scope.from_json(extension.additions) == SMS
    assert set(extension.answers) == {"A3", "C1", "C2", "C4"}
    assert extension.approval_reference == edm_vendor.approval_reference
    files = {f.kind: f for f in extension.files.all()}
    assert set(files) == {EvidenceKind.TELECOM_LICENCE, EvidenceKind.MARKETING_SAMPLES}
    assert all(len(f.sha256) == 64 and f.size > 0 and f.uploaded_by == cmo for f in files.values())
    assert len(stored_files()) == 2
    event = AuditEvent.objects.get(action="extension.requested")
    assert event.vendor == edm_vendor and event.actor == cmo
    assert event.data["needs"] == ["commercial_messages"] and event.data["security"] is False
    assert event.data["files"] == {kind: f.sha256 for kind, f in files.items()}
    assert [m.to for m in mail.outbox] == [[legal.email]]
    assert extension.number in mail.outbox[0].subject


def test_numbers_follow_each_other(cmo, edm_vendor):
    first = ask(edm_vendor, cmo, ANALYTICS)
    second = ask(edm_vendor, cmo, Scope.build(purposes=[Purpose.ABM]))

    assert second.number == first.number[:-5] + "00002"


def test_sensitive_data_waits_for_security_first_and_security_is_told(
    cmo, edm_vendor, security, legal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        extension = ask(edm_vendor, cmo, SENSITIVE)

    assert extension.status == ExtensionStatus.AWAITING_SECURITY and extension.needs_security
    assert set(extension.answers) == {"B5", "D6"}
    assert [m.to for m in mail.outbox] == [[security.email]]


def test_a_new_purpose_alone_needs_no_document_and_no_answer(cmo, edm_vendor):
    extension = extension_request(
        vendor=edm_vendor, requester=cmo, additions=ANALYTICS, reason="会员数据分析 / member analytics"
    )

    assert extension.status == ExtensionStatus.AWAITING_LEGAL
    assert extension.answers == {} and not extension.files.exists()


def test_only_requesters_ask(legal, edm_vendor):
    error = refused(lambda: ask(edm_vendor, legal, ANALYTICS))

    assert error.code == "forbidden"
    nothing_kept()


def test_a_reason_is_required(cmo, edm_vendor):
    error = refused(lambda: ask(edm_vendor, cmo, ANALYTICS, reason="  "))

    assert error.field == "reason"


def test_a_vendor_never_approved_has_no_scope_to_extend(cmo):
    error = refused(lambda: ask(VendorFactory(), cmo, ANALYTICS))

    assert error.code == "state"
    assert "needs a review" in error.message


def test_a_lapsed_approval_cannot_be_extended(cmo, edm_vendor):
    Vendor.objects.filter(pk=edm_vendor.pk).update(approved_until=timezone.localdate() - timedelta(days=1))
    edm_vendor.refresh_from_db()

    error = refused(lambda: ask(edm_vendor, cmo, ANALYTICS))

    assert error.code == "state"
    assert "lapsed on" in error.message and str(edm_vendor.approved_until) in error.message
    nothing_kept()


def test_what_the_approval_covers_already_is_refused(cmo, edm_vendor):
    error = refused(lambda: ask(edm_vendor, cmo, EDM_SCOPE))

    assert error.field == "additions"
    assert "already covers" in error.message
    nothing_kept()


def test_missing_answers_are_named(cmo, edm_vendor):
    answers = good_answers(SMS)
    del answers["C1"], answers["C4"]

    error = refused(
        lambda: extension_request(
            vendor=edm_vendor,
            requester=cmo,
            additions=SMS,
            reason="短信",
            answers=answers,
            files=documents(SMS),
        )
    )

    assert error.field == "answers"
    assert "C1, C4" in error.message
    nothing_kept()


def test_a_question_asking_for_details_is_not_answered_without_them(cmo, edm_vendor):
    kol = Scope.build(channels=[Channel.KOL])

    error = refused(lambda: ask(edm_vendor, cmo, kol, C5={"value": "yes", "detail": ""}))

    assert error.field == "answers" and "C5" in error.message


@pytest.mark.parametrize(
    "code, answer, says",
    [
        ("A3", {"value": "maybe", "detail": ""}, "A3: answer yes or no."),
        ("C4", {"value": "next week", "detail": ""}, "C4: choose one of the offered answers."),
        ("C1", "yes", "C1: the answer could not be read."),
    ],
)
def test_an_answer_must_fit_its_question(cmo, edm_vendor, code, answer, says):
    error = refused(lambda: ask(edm_vendor, cmo, SMS, **{code: answer}))

    assert error.field == "answers"
    assert says in error.message
    nothing_kept()


def test_several_choices_must_all_be_offered_ones(cmo, edm_vendor):
    error = refused(
        lambda: ask(edm_vendor, cmo, SENSITIVE, D6={"value": ["encryption", "prayer"], "detail": ""})
    )

    assert "D6: choose among the offered answers." in error.message


def test_a_text_question_is_answered_in_its_details(cmo, edm_vendor):
    more = Scope.build(ceiling=Ceiling.GT_10M)

    extension = ask(edm_vendor, cmo, more)

    assert extension.answers["A6"] == {"value": None, "detail": good_answers(more)["A6"]["detail"]}
    assert extension.status == ExtensionStatus.AWAITING_SECURITY


def test_missing_documents_are_named(cmo, edm_vendor):
    files = documents(SMS)
    del files[EvidenceKind.MARKETING_SAMPLES]

    error = refused(
        lambda: extension_request(
            vendor=edm_vendor,
            requester=cmo,
            additions=SMS,
            reason="短信",
            answers=good_answers(SMS),
            files=files,
        )
    )

    assert error.field == "files"
    assert str(EvidenceKind.MARKETING_SAMPLES.label) in error.message
    nothing_kept()


def test_a_bad_file_is_refused_naming_its_document_and_nothing_is_stored(cmo, edm_vendor):
    files = documents(SMS)
    files[EvidenceKind.MARKETING_SAMPLES] = SimpleUploadedFile("samples.pdf", b"MZ\x90\x00 a program")

    error = refused(
        lambda: extension_request(
            vendor=edm_vendor,
            requester=cmo,
            additions=SMS,
            reason="短信",
            answers=good_answers(SMS),
            files=files,
        )
    )

    assert error.field == "files"
    assert str(EvidenceKind.MARKETING_SAMPLES.label) in error.message
    assert "Programs and scripts are not accepted." in error.message
    # The good licence was not stored either.
    nothing_kept()


def test_a_red_flag_answer_refuses_the_request_naming_the_question_and_article(cmo, edm_vendor):
    error = refused(lambda: ask(edm_vendor, cmo, SMS, C1={"value": "no", "detail": ""}))

    assert error.code == "red_flag" and error.field == "answers"
    assert "C1" in error.message and "Ad Law Art. 43" in error.message
    assert "blocks this extension" in error.message
    nothing_kept()


def test_a_red_flag_counts_in_a_question_the_approved_answers_had_hidden(cmo, edm_vendor):
    """B4 (separate consent for data provided to the brand) was hidden for a vendor vetted as a processor;
    a vendor-supplied audience asks it, and "no" blocks."""
    from reviews.questionnaire.scoring import evaluate_review

    approved = evaluate_review(edm_vendor.reviews.get())
    assert "B4" not in {q.code for q in approved.visible}
    vendor_supplied = Scope.build(audience_sources=[AudienceSource.VENDOR_SUPPLIED])

    error = refused(lambda: ask(edm_vendor, cmo, vendor_supplied, B4={"value": "no", "detail": ""}))

    assert error.code == "red_flag"
    assert "B4 (PIPL Art. 23; NDSMR Art. 21, 22)" in error.message
    nothing_kept()


def test_a_red_flag_rule_reads_the_approved_answers_it_depends_on(cmo, edm_vendor):
    """B2's red flag (a bought list) fires with the approved review's B1, identifiable data."""
    from reviews.models import Answer

    Answer.objects.filter(review__vendor=edm_vendor, question__code="B1").update(value="identifiable")
    vendor_supplied = Scope.build(audience_sources=[AudienceSource.VENDOR_SUPPLIED])

    error = refused(
        lambda: ask(edm_vendor, cmo, vendor_supplied, B2={"value": "bought", "detail": "某数据商"})
    )

    assert "B2" in error.message and "PIPL Art. 10" in error.message


# -- Security -------------------------------------------------------------------------------------------------


def test_security_passes_to_legal_and_legal_is_told(
    cmo, edm_vendor, security, legal, django_capture_on_commit_callbacks
):
    extension = ask(edm_vendor, cmo, SENSITIVE)

    with django_capture_on_commit_callbacks(execute=True):
        done = extension_security_decide(extension=extension, actor=security, approve=True, comment="")

    assert done.status == ExtensionStatus.AWAITING_LEGAL
    assert done.security_decided_by == security and done.security_decided_at is not None
    assert actions(done) == ["extension.requested", "extension.security_passed"]
    assert [m.to for m in mail.outbox] == [[legal.email]]
    assert Vendor.objects.get(pk=edm_vendor.pk).scope == edm_vendor.scope


def test_security_refuses_with_a_comment_and_the_requester_is_told(
    cmo, edm_vendor, security, django_capture_on_commit_callbacks
):
    extension = ask(edm_vendor, cmo, SENSITIVE)
    error = refused(
        lambda: extension_security_decide(extension=extension, actor=security, approve=False, comment="")
    )
    assert error.field == "comment"

    with django_capture_on_commit_callbacks(execute=True):
        done = extension_security_decide(
            extension=extension,
            actor=security,
            approve=False,
            comment="敏感信息未加密存储 / not encrypted at rest",
        )

    assert done.status == ExtensionStatus.REFUSED
    assert done.security_comment.startswith("敏感信息")
    assert actions(done) == [
        "extension.requested",
        "extension.decision_refused",
        "extension.security_refused",
    ]
    assert [m.to for m in mail.outbox] == [[cmo.email]]


def test_legal_cannot_decide_what_waits_for_security(cmo, edm_vendor, legal):
    extension = ask(edm_vendor, cmo, SENSITIVE)

    error = refused(
        lambda: extension_legal_decide(extension=extension, actor=legal, approve=True, comment="可以")
    )

    assert error.code == "state"
    assert ScopeExtension.objects.get(pk=extension.pk).status == ExtensionStatus.AWAITING_SECURITY
    assert extension_decide_refusal(legal, extension) == "Only Security decides this step."


def test_nobody_decides_their_own_request(requester_security, edm_vendor):
    extension = ask(edm_vendor, requester_security, SENSITIVE)

    error = refused(
        lambda: extension_security_decide(
            extension=extension, actor=requester_security, approve=True, comment=""
        )
    )

    assert error.code == "forbidden" and "segregation of duties" in error.message
    assert extension_decide_refusal(requester_security, extension) == error.message
    refusal = AuditEvent.objects.get(action="extension.decision_refused")
    assert refusal.data["code"] == "forbidden" and refusal.actor == requester_security


def test_a_role_granted_an_hour_ago_does_not_decide_yet(cmo, edm_vendor):
    newcomer = make_user("new_security", "Security", granted_days_ago=0, is_staff=True)
    extension = ask(edm_vendor, cmo, SENSITIVE)

    error = refused(
        lambda: extension_security_decide(extension=extension, actor=newcomer, approve=True, comment="")
    )

    assert error.code == "forbidden" and "A new role decides only after" in error.message


# -- Legal ------------------------------------------------------------------------------------------------------


def test_legal_approves_and_the_scope_grows_by_what_was_asked(
    cmo, edm_vendor, legal, django_capture_on_commit_callbacks
):
    extension = ask(edm_vendor, cmo, SMS)

    with django_capture_on_commit_callbacks(execute=True):
        done = extension_legal_decide(
            extension=extension, actor=legal, approve=True, comment="同意短信渠道 / SMS granted"
        )

    assert done.status == ExtensionStatus.APPROVED and done.decided_by == legal
    vendor = Vendor.objects.get(pk=edm_vendor.pk)
    assert vendor.scope == edm_vendor.scope.widened_by(SMS)
    assert vendor.scope_confirmed
    event = AuditEvent.objects.get(action="extension.approved")
    assert event.data["granted"] == SMS.as_json() and event.data["partial"] is False
    assert [m.to for m in mail.outbox] == [[cmo.email]]


def test_a_partial_grant_widens_the_scope_by_exactly_what_was_granted(cmo, edm_vendor, legal):
    asked = Scope.build(purposes=[Purpose.ANALYTICS], channels=[Channel.SMS])
    extension = ask(edm_vendor, cmo, asked)

    done = extension_legal_decide(
        extension=extension,
        actor=legal,
        approve=True,
        granted=ANALYTICS,
        comment="仅同意数据分析，短信不予扩展 / analytics only",
    )

    vendor = Vendor.objects.get(pk=edm_vendor.pk)
    assert vendor.scope == edm_vendor.scope.widened_by(ANALYTICS)
    assert Channel.SMS not in vendor.scope.channels
    assert Scope.from_json(done.additions) == ANALYTICS
    event = AuditEvent.objects.get(action="extension.approved")
    assert event.data["asked"] == asked.as_json()
    assert event.data["granted"] == ANALYTICS.as_json()
    assert event.data["partial"] is True


def test_legal_grants_nothing_that_was_not_asked(cmo, edm_vendor, legal):
    extension = ask(edm_vendor, cmo, ANALYTICS)

    error = refused(
        lambda: extension_legal_decide(
            extension=extension,
            actor=legal,
            approve=True,
            granted=Scope.build(purposes=[Purpose.ANALYTICS, Purpose.ABM]),
            comment="同意",
        )
    )

    assert error.field == "granted"
    assert str(Purpose.ABM.label) in error.message
    assert Vendor.objects.get(pk=edm_vendor.pk).scope == edm_vendor.scope
    assert ScopeExtension.objects.get(pk=extension.pk).status == ExtensionStatus.AWAITING_LEGAL


def test_granting_nothing_is_no_approval(cmo, edm_vendor, legal):
    extension = ask(edm_vendor, cmo, ANALYTICS)

    error = refused(
        lambda: extension_legal_decide(
            extension=extension, actor=legal, approve=True, granted=Scope(), comment="同意"
        )
    )

    assert error.field == "granted" and "or refuse" in error.message


def test_legal_refuses_with_a_reason(cmo, edm_vendor, legal, django_capture_on_commit_callbacks):
    extension = ask(edm_vendor, cmo, SMS)
    assert (
        refused(
            lambda: extension_legal_decide(extension=extension, actor=legal, approve=False, comment=" ")
        ).field
        == "comment"
    )

    with django_capture_on_commit_callbacks(execute=True):
        done = extension_legal_decide(
            extension=extension,
            actor=legal,
            approve=False,
            comment="短信需另行审核 / SMS needs a review of its own",
        )

    assert done.status == ExtensionStatus.REFUSED
    assert Vendor.objects.get(pk=edm_vendor.pk).scope == edm_vendor.scope
    assert actions(done) == ["extension.requested", "extension.decision_refused", "extension.refused"]
    assert [m.to for m in mail.outbox] == [[cmo.email]]


def test_legal_cannot_decide_their_own_request(requester_legal, edm_vendor):
    extension = ask(edm_vendor, requester_legal, SMS)

    error = refused(
        lambda: extension_legal_decide(
            extension=extension, actor=requester_legal, approve=True, comment="自批"
        )
    )

    assert error.code == "forbidden"
    assert ScopeExtension.objects.get(pk=extension.pk).status == ExtensionStatus.AWAITING_LEGAL


def test_a_late_decision_is_told_who_decided_first(cmo, edm_vendor, legal, other_legal):
    extension = ask(edm_vendor, cmo, SMS)
    late = ScopeExtension.objects.get(pk=extension.pk)
    extension_legal_decide(extension=extension, actor=legal, approve=False, comment="不予扩展")

    error = refused(
        lambda: extension_legal_decide(extension=late, actor=other_legal, approve=True, comment="同意")
    )

    assert error.code == "already_decided"
    assert error.message.startswith("legal already decided this extension at")
    assert "was not recorded" in error.message
    assert Vendor.objects.get(pk=edm_vendor.pk).scope == edm_vendor.scope


def test_a_replaced_approval_cannot_be_widened(cmo, edm_vendor, legal):
    extension = ask(edm_vendor, cmo, SMS)
    Vendor.objects.filter(pk=edm_vendor.pk).update(approval_reference="VET-2099-00009")

    error = refused(
        lambda: extension_legal_decide(extension=extension, actor=legal, approve=True, comment="同意")
    )

    assert error.code == "approval_gone"
    assert "has been replaced by VET-2099-00009" in error.message
    assert extension.approval_reference in error.message
    assert Vendor.objects.get(pk=edm_vendor.pk).scope == edm_vendor.scope
    assert ScopeExtension.objects.get(pk=extension.pk).status == ExtensionStatus.AWAITING_LEGAL
    assert AuditEvent.objects.filter(action="extension.decision_refused", data__code="approval_gone").exists()


def test_a_lapsed_approval_cannot_be_widened(cmo, edm_vendor, legal):
    extension = ask(edm_vendor, cmo, SMS)
    Vendor.objects.filter(pk=edm_vendor.pk).update(approved_until=timezone.localdate() - timedelta(days=1))

    error = refused(
        lambda: extension_legal_decide(extension=extension, actor=legal, approve=True, comment="同意")
    )

    assert error.code == "approval_gone" and "lapsed on" in error.message
    assert Vendor.objects.get(pk=edm_vendor.pk).scope == edm_vendor.scope


def test_a_suspended_vendor_is_not_widened_but_the_extension_can_be_refused(cmo, edm_vendor, legal):
    extension = ask(edm_vendor, cmo, SMS)
    vendor_services.vendor_suspend(vendor=edm_vendor, actor=legal, reason="证照过期 / licence lapsed")

    error = refused(
        lambda: extension_legal_decide(extension=extension, actor=legal, approve=True, comment="同意")
    )
    assert error.code == "approval_gone"
    assert str(VendorStatus.SUSPENDED.label) in error.message

    done = extension_legal_decide(extension=extension, actor=legal, approve=False, comment="供应商已暂停")
    assert done.status == ExtensionStatus.REFUSED


# -- withdrawal, the whole trail, the record ------------------------------------------------------------------


def test_the_requester_withdraws_an_open_extension_and_nobody_decides_it_after(
    cmo, other_requester, edm_vendor, legal
):
    extension = ask(edm_vendor, cmo, SMS)
    assert refused(lambda: extension_withdraw(extension=extension, actor=other_requester)).code == "forbidden"

    done = extension_withdraw(extension=extension, actor=cmo)

    assert done.status == ExtensionStatus.WITHDRAWN
    error = refused(
        lambda: extension_legal_decide(extension=extension, actor=legal, approve=True, comment="同意")
    )
    assert error.code == "state" and "withdrew" in error.message
    assert refused(lambda: extension_withdraw(extension=done, actor=cmo)).code == "state"
    assert actions(done) == ["extension.requested", "extension.withdrawn", "extension.decision_refused"]


def test_every_transition_is_audited_in_order_with_its_actor(cmo, edm_vendor, security, legal):
    extension = ask(
        edm_vendor, cmo, Scope.build(channels=[Channel.SMS], data_categories=[DataCategory.LOCATION])
    )
    extension_security_decide(extension=extension, actor=security, approve=True, comment="措施充分")
    extension_legal_decide(extension=extension, actor=legal, approve=True, comment="同意")

    events = AuditEvent.objects.filter(object_type="scopeextension", object_id=str(extension.pk)).order_by(
        "pk"
    )

    assert [(e.action, e.actor) for e in events] == [
        ("extension.requested", cmo),
        ("extension.security_passed", security),
        ("extension.approved", legal),
    ]
    assert all(e.vendor_id == edm_vendor.pk and e.data["number"] == extension.number for e in events)


def test_an_extension_and_its_documents_are_kept_and_frozen(cmo, edm_vendor):
    extension = ask(edm_vendor, cmo, SMS)
    document = extension.files.first()

    with pytest.raises(ProtectedError), transaction.atomic():
        document.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        ExtensionFile.objects.all().delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        ScopeExtension.objects.filter(pk=extension.pk).delete()
    document.sha256 = "0" * 64
    with pytest.raises(ProtectedError), transaction.atomic():
        document.save()
    replaced = ExtensionFile.objects.get(pk=document.pk)
    replaced.file = "extensions/elsewhere.pdf"
    with pytest.raises(ProtectedError), transaction.atomic():
        replaced.save()
    assert ExtensionFile.objects.get(pk=document.pk).sha256 != "0" * 64


def test_a_second_upload_of_the_same_kind_is_not_taken(cmo, edm_vendor):
    """One document per kind: whatever else is sent is not stored."""
    files = {**documents(SMS), EvidenceKind.OTHER: pdf_upload("extra.pdf")}

    extension = extension_request(
        vendor=edm_vendor, requester=cmo, additions=SMS, reason="短信", answers=good_answers(SMS), files=files
    )

    assert sorted(extension.files.values_list("kind", flat=True)) == sorted(documents(SMS))
    assert len(stored_files()) == 2


def test_a_scope_waiting_for_legals_confirmation_is_not_extended(cmo, legal, edm_vendor):
    from activities.extensions import extension_request
    from activities.services import ActivityError
    from reviews.approval_scope import demo_mark_scope_derived
    from reviews.models import SignOff
    from vendors.scope import Channel

    demo_mark_scope_derived(sign_off=SignOff.objects.get(number=edm_vendor.approval_reference))
    edm_vendor.refresh_from_db()
    assert edm_vendor.scope_confirmed is False

    with pytest.raises(ActivityError) as refused:
        extension_request(
            vendor=edm_vendor,
            requester=cmo,
            additions=Scope.build(channels=[Channel.WECHAT]),
            reason="企业微信社群",
        )
    assert refused.value.code == "state" and "confirm" in refused.value.message
