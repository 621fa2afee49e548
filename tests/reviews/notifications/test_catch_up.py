"""Who is told of a catch-up review (补齐审核): the business owner when it opens, before its deadline and
once it has passed (with Legal then), each reminder once; the owner and Legal when the platform must stop."""

from datetime import timedelta

import pytest
from django.core import mail

from reviews import workflow
from reviews.models import AuditEvent, StageKind
from reviews.notifications.catch_up import catch_up_remind
from reviews.working_days import working_days_before
from tests.builders import stage_of, submit_stage, today
from tests.factories import VendorFactory
from vendors.models import VendorStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(requester, legal, sent):
    vendor = VendorFactory(status=VendorStatus.IN_USE, business_owner=requester, name_zh="云触达短信")
    return sent(
        lambda: workflow.review_open_catch_up(
            vendor=vendor, requester=requester, due=today() + timedelta(days=30), actor=legal
        )
    )


def test_the_owner_is_told_when_legal_opens_it(opened, requester):
    review, recipients = opened

    assert recipients == [requester.email]
    (message,) = mail.outbox
    assert "云触达短信" in message.subject and review.number in message.body
    assert (today() + timedelta(days=30)).isoformat() in message.body
    assert f"/reviews/{review.pk}/" in message.body


def test_reminders_go_out_once_each_then_legal_hears_of_the_overdue(opened, requester, legal, sent):
    review, _ = opened
    due = today() + timedelta(days=30)

    ten, three = working_days_before(due, 10), working_days_before(due, 3)  # working days left
    assert sent(lambda: catch_up_remind(today=working_days_before(due, 11)))[1] == []  # 11 left
    assert sent(lambda: catch_up_remind(today=ten))[1] == [requester.email]
    assert sent(lambda: catch_up_remind(today=ten + timedelta(days=1)))[1] == []  # already reminded
    assert sent(lambda: catch_up_remind(today=three))[1] == [requester.email]
    assert sent(lambda: catch_up_remind(today=due))[1] == []  # due today: not overdue
    assert sent(lambda: catch_up_remind(today=due + timedelta(days=1)))[1] == sorted(
        [requester.email, legal.email]
    )
    assert sent(lambda: catch_up_remind(today=due + timedelta(days=5)))[1] == []
    assert AuditEvent.objects.filter(review=review, action="review.catch_up_reminded").count() == 3


def test_a_platform_vetted_in_time_gets_no_reminder(opened, legal, sent):
    review, _ = opened
    review.vendor.status = VendorStatus.APPROVED  # as vendor_admit leaves it; a direct write for the test
    review.vendor.approved_until, review.vendor.approval_reference = today() + timedelta(days=300), "VD-1"
    review.vendor.save()

    assert sent(lambda: catch_up_remind(today=today() + timedelta(days=29)))[1] == []


def test_the_owner_and_legal_are_told_to_stop_using_a_rejected_platform(
    opened, requester, legal, other_legal, sent
):
    review, _ = opened
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)

    _, recipients = sent(
        lambda: workflow.stage_fail(
            stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=legal, reason="B2: 购买的数据"
        )
    )

    stop = [m for m in mail.outbox if m.subject.startswith(("Stop using", "停止使用"))]
    assert sorted(a for m in stop for a in m.to) == sorted([requester.email, other_legal.email])
    assert "B2: 购买的数据" in stop[0].body
    assert requester.email in recipients  # also told of the failed stage, as for any review


def test_the_notice_after_the_deadline_says_overdue_not_the_reminder(opened, sent):
    due = today() + timedelta(days=30)
    sent(lambda: catch_up_remind(today=working_days_before(due, 2)))
    (reminder,) = mail.outbox
    mail.outbox.clear()

    sent(lambda: catch_up_remind(today=due + timedelta(days=1)))

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.subject != reminder.subject
        assert "已逾期" in message.subject and "Overdue" in message.subject
        assert "was due on" in message.body and "is due on" not in message.body
    assert "Reminder" in reminder.subject and "is due on" in reminder.body
