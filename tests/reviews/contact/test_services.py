"""reviews.contact.services: the vendor contact's link, created and revoked by the requester, resolved on every page;
and what the link may write through reviews.answers and reviews.evidence."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from reviews import workflow
from reviews.contact.services import contact_link_create, contact_link_resolve, contact_link_revoke
from reviews.errors import ContactLinkInvalid, WorkflowError
from reviews.evidence import certificate_add, evidence_add, evidence_withdraw
from reviews.models import Answer, AuditEvent, ContactLink, Evidence, EvidenceKind, StageKind
from reviews.models.contact import token_hash
from reviews.questionnaire.answers import answers_save
from reviews.selectors import contact_contributions
from tests import builders
from tests.factories import cert_fields, pdf_upload

pytestmark = pytest.mark.django_db

Q, DS, SEC = StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY


@pytest.fixture
def review(link):
    return link.review


def test_the_requester_creates_a_link_valid_14_days_by_default(review, requester):
    before = timezone.now()

    link, token = contact_link_create(
        review=review, actor=requester, name=" 张三 ", email="zhang@example.com"
    )

    assert (link.contact_name, link.contact_email, link.created_by) == (
        "张三",
        "zhang@example.com",
        requester,
    )
    assert timedelta(days=14) <= link.expires_at - before < timedelta(days=14, minutes=1)
    assert link.status() == "active" and len(token) >= 43


def test_the_token_is_kept_only_as_its_hash(invited):
    link, token = invited

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM reviews_contactlink")
        row = cursor.fetchone()

    assert token not in [str(value) for value in row]
    assert link.token_hash == token_hash(token) != token
    assert token not in str(list(AuditEvent.objects.values_list("data", flat=True)))


@pytest.mark.parametrize("who", ["legal", "security", "auditor", "other_requester", "outsider"])
def test_only_the_review_s_requester_creates_a_link(review, who, request):
    with pytest.raises(WorkflowError, match="Only the requester"):
        contact_link_create(
            review=review, actor=request.getfixturevalue(who), name="李四", email="li@example.com"
        )
    assert not ContactLink.objects.filter(contact_name="李四").exists()


def test_a_contact_cannot_invite_another(review, link):
    with pytest.raises(WorkflowError):
        contact_link_create(review=review, actor=link, name="李四", email="li@example.com")


def test_no_link_for_a_closed_review(review, requester):
    workflow.review_withdraw(review=review, actor=requester, reason="vendor dropped")

    with pytest.raises(WorkflowError, match="open review"):
        contact_link_create(review=review, actor=requester, name="张三", email="zhang@example.com")


@pytest.mark.parametrize(("days", "allowed"), [(0, False), (1, True), (30, True), (31, False), (-3, False)])
def test_a_link_lasts_1_to_30_days(review, requester, days, allowed):
    if allowed:
        link, _ = contact_link_create(
            review=review, actor=requester, name="张三", email="zhang@example.com", days=days
        )
        assert (link.expires_at - link.created_at) == timedelta(days=days)
    else:
        with pytest.raises(WorkflowError, match="1 to 30 days"):
            contact_link_create(
                review=review, actor=requester, name="张三", email="zhang@example.com", days=days
            )


@pytest.mark.parametrize(
    ("name", "email", "message"),
    [
        ("", "zhang@example.com", "name"),
        ("张三", "zhang@", "e-mail"),
        ("张三", "", "e-mail"),
    ],
)
def test_the_contact_needs_a_name_and_a_valid_address(review, requester, name, email, message):
    with pytest.raises(WorkflowError, match=message):
        contact_link_create(review=review, actor=requester, name=name, email=email)


def test_creating_and_revoking_are_audited(review, requester, link):
    contact_link_revoke(link=link, actor=requester)

    events = list(AuditEvent.objects.filter(object_type="contactlink").values_list("action", "actor", "data"))
    assert [(action, actor) for action, actor, _ in events] == [
        ("contact_link.created", requester.pk),
        ("contact_link.revoked", requester.pk),
    ]
    assert events[0][2]["email"] == "zhang@example.com"


def test_a_live_token_resolves_to_its_link_and_marks_it_used(invited):
    link, token = invited

    resolved = contact_link_resolve(token=token)

    assert resolved == link and resolved.review.pk == link.review_id
    link.refresh_from_db()
    assert link.last_used_at is not None


def _expire(link, people):
    ContactLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def _revoke(link, people):
    contact_link_revoke(link=link, actor=people["requester"])


def _withdraw(link, people):
    workflow.review_withdraw(review=link.review, actor=people["requester"], reason="")


def _reject(link, people):
    builders.submit_stage(link.review, Q, people["requester"])
    workflow.stage_fail(stage=builders.stage_of(link.review, Q), actor=people["legal"], reason="bought data")


@pytest.mark.parametrize(
    "spoil", [_expire, _revoke, _withdraw, _reject], ids=["expired", "revoked", "withdrawn", "rejected"]
)
def test_a_dead_link_is_refused_exactly_like_an_unknown_token(invited, requester, legal, spoil):
    link, token = invited
    with pytest.raises(ContactLinkInvalid) as unknown:
        contact_link_resolve(token="x" * 43)
    spoil(link, {"requester": requester, "legal": legal})

    with pytest.raises(ContactLinkInvalid) as dead:
        contact_link_resolve(token=token)

    assert (dead.value.message, dead.value.code) == (unknown.value.message, unknown.value.code)


def test_a_contact_saves_answers_recorded_under_their_name(review, link):
    answers_save(review=review, actor=link, answers={"C1": ("yes", ""), "A4": ("no", "无 / none")})

    answer = Answer.objects.get(review=review, question__code="C1")
    assert answer.value == "yes" and answer.updated_by is None
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.actor, event.actor_label) == (
        "answers.saved",
        None,
        f"Vendor contact 张三 <zhang@example.com> (link #{link.pk})",
    )
    assert event.data["contact_link"] == link.pk and sorted(event.data["questions"]) == ["A4", "C1"]


def test_a_contact_adds_a_data_source_file(review, requester, legal, security, link):
    builders.pass_stage(review, Q, requester, legal=legal, security=security)

    evidence, _ = evidence_add(
        stage=builders.stage_of(review, DS),
        actor=link,
        kind=EvidenceKind.PIPIA,
        upload=pdf_upload("pipia.pdf", text="vendor's PIPIA"),
    )

    assert evidence.uploaded_by is None
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_id, event.actor_label) == (
        "evidence.added",
        str(evidence.pk),
        link.audit_label,
    )
    assert contact_contributions(review).evidence == {evidence.pk: link}


def test_whoever_changed_an_answer_last_is_its_author(review, requester, link):
    answers_save(review=review, actor=link, answers={"C1": ("yes", ""), "C4": ("realtime", "")})
    answers_save(review=review, actor=requester, answers={"C1": ("no", "")})

    assert contact_contributions(review).answers == {"C4": link}


def test_a_link_revoked_after_it_was_read_writes_nothing(review, requester, link):
    # The page was opened with the link live; the requester revokes it before the save.
    ContactLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now(), revoked_by=requester)

    with pytest.raises(WorkflowError) as refused:
        answers_save(review=review, actor=link, answers={"C1": ("yes", "")})
    with pytest.raises(WorkflowError):
        evidence_add(
            stage=builders.stage_of(review, Q), actor=link, kind=EvidenceKind.OTHER, upload=pdf_upload()
        )

    assert refused.value.code == "forbidden"
    assert (
        not Answer.objects.exclude(question__code__in=("A1", "A5")).exists() and not Evidence.objects.exists()
    )


def test_a_link_writes_only_its_own_review(requester, other_requester, link):
    other = builders.start_review(other_requester)

    with pytest.raises(WorkflowError):
        answers_save(review=other, actor=link, answers={"C1": ("yes", "")})
    with pytest.raises(WorkflowError):
        evidence_add(
            stage=builders.stage_of(other, Q), actor=link, kind=EvidenceKind.OTHER, upload=pdf_upload()
        )
    assert not Answer.objects.filter(review=other).exclude(question__code__in=("A1", "A5")).exists()


def test_a_contact_cannot_submit_withdraw_or_add_certificates(review, requester, link):
    builders.fill_questionnaire(review, requester)
    evidence = Evidence.objects.filter(review=review).first()

    with pytest.raises(WorkflowError, match="Only the requester can submit"):
        workflow.stage_submit(stage=builders.stage_of(review, Q), actor=link)
    with pytest.raises(WorkflowError):
        evidence_withdraw(evidence=evidence, actor=link)
    with pytest.raises(WorkflowError):
        certificate_add(
            stage=builders.stage_of(review, SEC), actor=link, upload=pdf_upload(), **cert_fields()
        )
    assert builders.stage_of(review, Q).state == "open"


def test_a_submitted_questionnaire_is_frozen_for_the_contact_too(review, requester, link):
    builders.submit_stage(review, Q, requester)

    with pytest.raises(WorkflowError) as refused:
        answers_save(review=review, actor=link, answers={"C1": ("no", "")})

    assert refused.value.code == "frozen"


def test_only_the_requester_revokes_and_only_once(review, requester, legal, link):
    with pytest.raises(WorkflowError, match="Only the requester"):
        contact_link_revoke(link=link, actor=legal)
    with pytest.raises(WorkflowError, match="Only the requester"):
        contact_link_revoke(link=link, actor=link)  # the contact, whatever the link's number

    contact_link_revoke(link=link, actor=requester)
    link.refresh_from_db()
    assert (link.revoked_by, link.status()) == (requester, "revoked")
    with pytest.raises(WorkflowError, match="already revoked"):
        contact_link_revoke(link=link, actor=requester)


def test_a_link_is_never_deleted(link):
    with pytest.raises(ProtectedError), transaction.atomic():
        link.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        ContactLink.objects.all().delete()
    assert ContactLink.objects.filter(pk=link.pk).exists()


def test_a_long_name_and_address_still_fit_the_audit_label(review, requester):
    link, _ = contact_link_create(
        review=review, actor=requester, name="长" * 100, email=f"{'a' * 60}@{'b' * 60}.example.com"
    )

    answers_save(review=review, actor=link, answers={"C1": ("yes", "")})

    label = AuditEvent.objects.latest("pk").actor_label
    assert len(label) == 150 and label.endswith(f"> (link #{link.pk})")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_save_under_way_when_the_link_is_revoked_is_refused(requester):
    # PostgreSQL row locks: the revocation holds the review's lock; the contact's save passes its first
    # check (the revocation is not committed yet), waits for the lock, and must look at the link again.
    link, _ = builders.invite_contact(builders.start_review(requester), requester)
    revoking, outcome = threading.Event(), {}

    def revoke():
        try:
            with transaction.atomic():
                contact_link_revoke(link=link, actor=requester)
                revoking.set()
                time.sleep(0.5)
        finally:
            connections.close_all()

    def save():
        revoking.wait(timeout=10)
        try:
            answers_save(review=link.review, actor=link, answers={"C1": ("yes", "")})
        except WorkflowError as error:
            outcome["error"] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=revoke), threading.Thread(target=save)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcome["error"].code == "forbidden"
    assert not Answer.objects.filter(review=link.review).exclude(question__code__in=("A1", "A5")).exists()
