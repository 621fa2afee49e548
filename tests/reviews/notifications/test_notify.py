"""Notification e-mails: who is told of each event, after commit, one message per recipient, in Chinese and
English, with a link to the page where the recipient acts; retried only when the mail server fails."""

import smtplib
from unittest import mock
from urllib.parse import urlsplit

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core import mail
from django.utils import timezone

from reviews import workflow
from reviews.dossier.services import dossier_fail
from reviews.errors import WorkflowError
from reviews.models import Dossier, StageKind
from reviews.notifications.notify import Event
from reviews.notifications.tasks import NOTIFICATION_MAX_RETRIES, NotificationRefused, notification_send
from tests import builders
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

Q, DS, SEC = StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY
SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture
def legal_requester(db):
    """A Legal member who also requests vendors: the segregation-of-duties case (I4)."""
    return make_user("legal_cmo", "Requester", "Legal", is_staff=True)


@pytest.fixture
def reviewers(legal, other_legal, security, auditor):
    """Everyone who reads all reviews, so that a test shows who among them is told."""
    return {"legal": legal, "other_legal": other_legal, "security": security, "auditor": auditor}


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run `action` as a committed transaction would, and return who was mailed (sorted addresses)."""

    def run(action):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return sorted(address for message in mail.outbox for address in message.to)

    return run


def addresses(*users) -> list[str]:
    return sorted(user.email for user in users)


def only_message():
    assert len(mail.outbox) == 1, [m.to for m in mail.outbox]
    return mail.outbox[0]


def link_in(message) -> str:
    return next(line for line in message.body.splitlines() if line.startswith(settings.SITE_URL))


# -- recipients ------------------------------------------------------------------------------------------


def test_it_tells_legal_when_the_questionnaire_is_submitted(requester, reviewers, sent):
    review = builders.start_review(requester)

    to = sent(lambda: builders.submit_stage(review, Q, requester))

    assert to == addresses(reviewers["legal"], reviewers["other_legal"])


def test_it_tells_security_when_the_security_stage_is_submitted(requester, reviewers, sent):
    review = builders.start_review(requester)
    for kind in (Q, DS):
        builders.pass_stage(review, kind, requester, legal=reviewers["legal"], security=reviewers["security"])

    to = sent(lambda: builders.submit_stage(review, SEC, requester))

    assert to == addresses(reviewers["security"])


def test_it_tells_the_requester_and_legal_when_the_last_stage_passes_and_the_sign_off_waits(
    requester, reviewers, sent
):
    review = builders.start_review(requester)
    for kind in (Q, DS):
        builders.pass_stage(review, kind, requester, legal=reviewers["legal"], security=reviewers["security"])
    builders.submit_stage(review, SEC, requester)

    to = sent(lambda: workflow.stage_pass(stage=builders.stage_of(review, SEC), actor=reviewers["security"]))

    assert to == addresses(requester, reviewers["legal"], reviewers["other_legal"])
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert "Stage passed" in subjects[requester.email]
    assert "Waiting for your decision" in subjects[reviewers["legal"].email]
    assert "Legal sign-off" in subjects[reviewers["legal"].email]


def test_it_never_tells_the_requester_to_decide_their_own_request(legal_requester, legal, sent):
    review = builders.start_review(legal_requester)

    to = sent(lambda: builders.submit_stage(review, Q, legal_requester))

    assert to == addresses(legal)


@pytest.mark.parametrize(
    "decide, subject",
    [
        (lambda stage, legal: workflow.stage_pass(stage=stage, actor=legal, comment="ok"), "Stage passed"),
        (
            lambda stage, legal: workflow.stage_return(
                stage=stage, actor=legal, comment="补充材料 / add the PIPIA"
            ),
            "Returned to you",
        ),
        (
            lambda stage, legal: workflow.stage_fail(
                stage=stage, actor=legal, reason="数据来源不合法 / unlawful source"
            ),
            "Review rejected",
        ),
    ],
    ids=["passed", "returned", "failed"],
)
def test_it_tells_only_the_requester_when_a_stage_is_decided(requester, reviewers, sent, decide, subject):
    review = builders.start_review(requester)
    stage = builders.submit_stage(review, Q, requester)

    to = sent(lambda: decide(stage, reviewers["legal"]))

    assert to == addresses(requester)
    assert subject in only_message().subject


def test_a_failed_stage_tells_the_requester_once_that_the_review_is_rejected(requester, legal, sent):
    review = builders.start_review(requester)
    stage = builders.submit_stage(review, Q, requester)

    sent(
        lambda: workflow.stage_fail(stage=stage, actor=legal, reason="数据来源不合法 / unlawful data source")
    )

    message = only_message()
    assert message.subject == (
        f"审查单已被拒绝：{review.number}，尽职调查问卷未通过 / "
        f"Review rejected: {review.number}, Due-diligence questionnaire failed"
    )
    assert "数据来源不合法 / unlawful data source" in message.body
    assert "理由 / Reason:" in message.body


def test_it_tells_the_requester_when_legal_signs_off(requester, reviewers, sent):
    review = builders.review_ready_for_sign_off(
        requester, legal=reviewers["legal"], security=reviewers["security"]
    )

    to = sent(
        lambda: workflow.review_sign_off(
            review=review,
            actor=reviewers["legal"],
            password=PASSWORD,
            statement="准予入库 / approved",
            conditions="季度抽样 / quarterly",
        )
    )

    assert to == addresses(requester)
    message = only_message()
    assert message.subject == f"审查单已批准：{review.number} / Review approved: {review.number}"
    assert "准予入库 / approved" in message.body and "季度抽样 / quarterly" in message.body


def test_it_tells_legal_when_the_dossier_fails_so_they_can_regenerate(requester, reviewers, sent, client):
    review = builders.approved_review(requester, legal=reviewers["legal"], security=reviewers["security"])
    dossier = Dossier.objects.get(review=review)

    to = sent(lambda: dossier_fail(dossier_id=dossier.pk, error=ValueError("template variable missing")))

    assert to == addresses(reviewers["legal"], reviewers["other_legal"])
    message = mail.outbox[0]
    assert "ValueError: template variable missing" in message.body
    client.force_login(reviewers["legal"])
    page = client.get(urlsplit(link_in(message)).path)
    assert page.status_code == 200
    assert "Regenerate the dossier" in page.content.decode()


def test_a_dossier_already_failed_is_not_announced_again(requester, legal, security, sent):
    review = builders.approved_review(requester, legal=legal, security=security)
    dossier = Dossier.objects.get(review=review)
    dossier_fail(dossier_id=dossier.pk, error="disk full")

    assert sent(lambda: dossier_fail(dossier_id=dossier.pk, error="disk full")) == []


# -- nothing sent ----------------------------------------------------------------------------------------


def test_a_refused_transition_sends_nothing(requester, legal, security, sent):
    review = builders.start_review(requester)
    stage = builders.stage_of(review, Q)

    def refused():
        with pytest.raises(WorkflowError):
            workflow.stage_submit(stage=stage, actor=requester)  # nothing answered yet
        builders.submit_stage(review, Q, requester)
        for attempt in (
            lambda: workflow.stage_pass(stage=stage, actor=security),  # not Security's stage
            lambda: workflow.stage_pass(stage=stage, actor=requester),  # own request (I4)
            lambda: workflow.stage_return(stage=stage, actor=legal, comment=""),
        ):
            with pytest.raises(WorkflowError):
                attempt()

    assert sent(refused) == addresses(legal)  # only the submission itself


def test_a_decision_refused_inside_the_transaction_sends_nothing(requester, legal, other_legal, sent):
    review = builders.start_review(requester)
    stage = builders.submit_stage(review, Q, requester)
    workflow.stage_pass(stage=stage, actor=legal)

    def second():
        with pytest.raises(WorkflowError, match="already decided"):
            workflow.stage_pass(stage=stage, actor=other_legal)

    assert sent(second) == []


def test_a_rolled_back_transition_sends_nothing(requester, legal, sent):
    from django.db import transaction

    review = builders.start_review(requester)
    builders.fill_questionnaire(review, requester)

    def rolled_back():
        with pytest.raises(RuntimeError), transaction.atomic():
            workflow.stage_submit(stage=builders.stage_of(review, Q), actor=requester)
            raise RuntimeError("the caller's transaction fails after the service")

    assert sent(rolled_back) == []


def test_users_without_an_address_or_inactive_are_skipped(requester, legal, sent):
    make_user("legal_no_mail", "Legal", is_staff=True, email="")
    make_user("legal_gone", "Legal", is_staff=True, is_active=False)
    review = builders.start_review(requester)

    assert sent(lambda: builders.submit_stage(review, Q, requester)) == addresses(legal)


def test_a_recipient_deactivated_before_sending_is_skipped(requester, legal):
    review = builders.start_review(requester)
    stage = builders.submit_stage(review, Q, requester)
    legal.is_active = False
    legal.save(update_fields=["is_active"])

    notification_send.apply(args=[Event.STAGE_SUBMITTED, stage.pk, legal.pk])

    assert mail.outbox == []


def test_each_recipient_gets_a_message_of_their_own(requester, legal, other_legal, sent):
    review = builders.start_review(requester)

    sent(lambda: builders.submit_stage(review, Q, requester))

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert len(message.to) == 1 and message.cc == [] and message.bcc == []
        assert message.from_email == settings.DEFAULT_FROM_EMAIL


# -- content ---------------------------------------------------------------------------------------------


def test_a_returned_stage_says_it_all_in_both_languages(requester, legal, sent):
    legal.first_name, legal.last_name = "Lei", "Li"
    legal.save(update_fields=["first_name", "last_name"])
    review = builders.start_review(requester)
    stage = builders.submit_stage(review, Q, requester)

    comment = "请补充 PIPIA 报告 / add the PIPIA report"

    sent(lambda: workflow.stage_return(stage=stage, actor=legal, comment=comment))

    message = only_message()
    assert message.subject == (
        f"已退回给您：{review.number}，尽职调查问卷 / "
        f"Returned to you: {review.number}, Due-diligence questionnaire"
    )
    body = message.body
    vendor = review.vendor
    for text in (
        f"您的审查单 {review.number} 的“尽职调查问卷”阶段已退回给您。",
        f"The stage “Due-diligence questionnaire” of your review {review.number} was returned to you.",
        f"供应商 / Vendor: {vendor.name_zh} / {vendor.name_en}",
        f"统一社会信用代码 / Unified Social Credit Code: {vendor.uscc}",
        f"审查单编号 / Review number: {review.number}",
        "阶段 / Stage: 尽职调查问卷 / Due-diligence questionnaire",
        "审核人 / Decided by: Lei Li",  # named as everywhere (vendors.people), no username
        f"意见 / Comment:\n{comment}",
    ):
        assert text in body
    decided_at = timezone.localtime(stage.decisions.get().decided_at)
    assert f"时间 / Time: {decided_at:%Y-%m-%d %H:%M} ({settings.TIME_ZONE})" in body


def test_a_vendor_name_is_written_as_it_is_not_html_escaped(requester, legal, sent):
    review = builders.start_review(requester)
    review.vendor.name_en = "Ads & Data <Shanghai>"
    review.vendor.save(update_fields=["name_en"])

    sent(lambda: builders.submit_stage(review, Q, requester))

    assert "Ads & Data <Shanghai>" in only_message().body


def test_the_reviewers_link_opens_the_review_page_of_the_desk(requester, security, legal, sent, client):
    review = builders.start_review(requester)
    for kind in (Q, DS):
        builders.pass_stage(review, kind, requester, legal=legal, security=security)

    sent(lambda: builders.submit_stage(review, SEC, requester))

    link = link_in(only_message())
    assert link == f"{settings.SITE_URL}/admin/reviews/review/{review.pk}/change/"
    client.force_login(security)
    assert client.get(urlsplit(link).path).status_code == 200


def test_the_requesters_link_opens_their_review(requester, legal, sent, client):
    review = builders.start_review(requester)
    stage = builders.submit_stage(review, Q, requester)

    sent(lambda: workflow.stage_return(stage=stage, actor=legal, comment="补充 / add"))

    link = link_in(only_message())
    assert link == f"{settings.SITE_URL}/reviews/{review.pk}/"
    client.force_login(requester)
    assert client.get(urlsplit(link).path).status_code == 200


def test_links_follow_the_site_url(requester, legal, sent, settings):
    settings.SITE_URL = "https://vetted.example.com"
    review = builders.start_review(requester)

    sent(lambda: builders.submit_stage(review, Q, requester))

    assert f"https://vetted.example.com/admin/reviews/review/{review.pk}/change/" in only_message().body


# -- the task --------------------------------------------------------------------------------------------


@pytest.fixture
def submitted(requester, legal):
    review = builders.start_review(requester)
    return builders.submit_stage(review, Q, requester)


def test_the_task_retries_when_the_mail_server_fails(submitted, legal):
    with (
        mock.patch(SEND, side_effect=smtplib.SMTPServerDisconnected("Connection unexpectedly closed")),
        pytest.raises(Retry),
    ):
        notification_send.apply(args=[Event.STAGE_SUBMITTED, submitted.pk, legal.pk])


def test_the_task_retries_when_the_network_fails(submitted, legal):
    with (
        mock.patch(SEND, side_effect=ConnectionRefusedError(111, "Connection refused")),
        pytest.raises(Retry),
    ):
        notification_send.apply(args=[Event.STAGE_SUBMITTED, submitted.pk, legal.pk])


def test_the_task_retries_a_temporary_refusal(submitted, legal):
    with (
        mock.patch(SEND, side_effect=smtplib.SMTPDataError(451, b"4.3.0 try again later")),
        pytest.raises(Retry),
    ):
        notification_send.apply(args=[Event.STAGE_SUBMITTED, submitted.pk, legal.pk])


@pytest.mark.parametrize(
    "refusal",
    [
        smtplib.SMTPRecipientsRefused({"legal@example.com": (550, b"5.1.1 no such mailbox")}),
        smtplib.SMTPSenderRefused(553, b"5.7.1 sender not allowed", "vetted@localhost"),
        smtplib.SMTPDataError(554, b"5.7.1 message rejected"),
    ],
)
def test_the_task_does_not_retry_a_permanent_refusal(submitted, legal, refusal):
    with mock.patch(SEND, side_effect=refusal) as send, pytest.raises(NotificationRefused):
        notification_send.apply(args=[Event.STAGE_SUBMITTED, submitted.pk, legal.pk])

    assert send.call_count == 1


def test_the_task_does_not_retry_a_programming_error(submitted, legal):
    with (
        mock.patch(SEND, side_effect=TypeError("send_messages() got an unexpected argument")) as send,
        pytest.raises(TypeError),
    ):
        notification_send.apply(args=[Event.STAGE_SUBMITTED, submitted.pk, legal.pk])

    assert send.call_count == 1


def test_the_task_does_not_retry_an_unknown_event(submitted, legal):
    with pytest.raises(ValueError):
        notification_send.apply(args=["stage_teleported", submitted.pk, legal.pk])


def test_the_task_acknowledges_late_and_backs_off():
    assert notification_send.acks_late is True
    assert notification_send.max_retries == NOTIFICATION_MAX_RETRIES
    assert notification_send.retry_backoff and notification_send.retry_jitter
    assert set(notification_send.autoretry_for) == {smtplib.SMTPException, ConnectionError, OSError}


# -- a withdrawn request -------------------------------------------------------------------------------------


def test_it_tells_the_deciders_with_a_stage_waiting_when_the_request_is_withdrawn(sent, requester, reviewers):
    review = builders.start_review(requester)
    builders.submit_stage(review, Q, requester)

    to = sent(
        lambda: workflow.review_withdraw(review=review, actor=requester, reason="预算取消 / budget cut")
    )

    assert to == addresses(reviewers["legal"], reviewers["other_legal"])
    message = mail.outbox[0]
    assert message.subject.endswith(f"Request withdrawn: {review.number}")
    assert "budget cut" in message.body and "nothing more is needed from you" in message.body


def test_withdrawing_a_draft_tells_nobody(sent, requester, reviewers):
    review = builders.start_review(requester)

    assert sent(lambda: workflow.review_withdraw(review=review, actor=requester)) == []
