"""E-mailing the vendor contact their link: sent after commit to the address the requester gave, with the
requester as the address for replies; not sent for a link revoked in the meantime."""

import re
import smtplib
from unittest import mock
from urllib.parse import urlsplit

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.test import Client
from django.urls import reverse

from reviews.contact.services import contact_link_create, contact_link_revoke
from reviews.errors import WorkflowError
from reviews.models import AuditEvent
from reviews.notifications.mail import contact_invitation_deliver
from reviews.notifications.tasks import NotificationRefused, contact_invitation_send
from tests import builders

pytestmark = pytest.mark.django_db

SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture
def review(requester):
    return builders.start_review(requester)


def _invite(review, requester, django_capture_on_commit_callbacks, **fields):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return contact_link_create(
            review=review, actor=requester, name="张三", email="zhang@vendor.example.com", send=True, **fields
        )


def test_the_contact_gets_their_link_with_the_requester_to_reply_to(
    review, requester, django_capture_on_commit_callbacks
):
    _link, token = _invite(review, requester, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.reply_to) == (["zhang@vendor.example.com"], [requester.email])
    assert message.subject == (
        f"请完成我方对{review.vendor.display_name}的供应商审查 / "
        f"Please complete our vendor review for {review.vendor.display_name}"
    )
    assert review.number in message.body and "please do not forward it" in message.body
    url = re.search(r"https?://\S+/contact/\S+/", message.body).group(0)
    assert url.endswith(f"/contact/{token}/")
    assert Client().get(urlsplit(url).path).status_code == 200
    assert AuditEvent.objects.get(action="contact_link.created").data["emailed"] is True


def test_the_invitation_never_says_replies_are_not_read_when_they_go_to_the_requester(
    review, requester, django_capture_on_commit_callbacks
):
    _invite(review, requester, django_capture_on_commit_callbacks)

    body = mail.outbox[0].body

    assert "Reply to this e-mail: your reply goes to" in body
    assert "not read" not in body and "不会被阅读" not in body and "无人阅读" not in body


def test_an_invitation_from_a_requester_without_an_address_says_whom_to_ask(
    review, requester, django_capture_on_commit_callbacks
):
    requester.email = ""
    requester.save(update_fields=["email"])

    _invite(review, requester, django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    assert not message.reply_to
    assert "Reply to this e-mail" not in message.body and "replies to it are not read" in message.body


def test_no_mail_unless_asked(review, requester, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        contact_link_create(review=review, actor=requester, name="张三", email="zhang@vendor.example.com")

    assert mail.outbox == []


def test_a_link_revoked_before_the_mail_goes_out_is_not_sent(review, requester):
    link, token = contact_link_create(
        review=review, actor=requester, name="张三", email="zhang@vendor.example.com"
    )
    contact_link_revoke(link=link, actor=requester)
    mail.outbox.clear()

    assert contact_invitation_deliver(link_id=link.pk, token=token) is False
    assert mail.outbox == []


def test_the_task_retries_when_the_mail_server_fails_and_not_when_it_refuses(review, requester):
    link, token = contact_link_create(
        review=review, actor=requester, name="张三", email="zhang@vendor.example.com"
    )

    with mock.patch(SEND, side_effect=smtplib.SMTPServerDisconnected("closed")), pytest.raises(Retry):
        contact_invitation_send.apply(args=[link.pk, token])
    refusal = smtplib.SMTPRecipientsRefused({"zhang@vendor.example.com": (550, b"5.1.1 no such mailbox")})
    with mock.patch(SEND, side_effect=refusal) as send, pytest.raises(NotificationRefused):
        contact_invitation_send.apply(args=[link.pk, token])
    assert send.call_count == 1


def test_the_panel_sends_the_link_when_the_box_is_ticked(
    client, review, requester, django_capture_on_commit_callbacks
):
    client.force_login(requester)
    data = {"name": "李四", "email": "li@vendor.example.com", "days": "7", "send": "on"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contact_link_create", args=[review.pk]), data)

    assert 'id="link-emailed"' in response.content.decode()
    assert [m.to for m in mail.outbox] == [["li@vendor.example.com"]]


def test_the_panel_offers_to_send_the_link_by_default(client, review, requester):
    client.force_login(requester)

    page = client.get(reverse("review_detail", args=[review.pk])).content.decode()

    assert re.search(
        r'<input class="form-check-input" type="checkbox" name="send" id="id_send" checked>', page
    )


def test_the_same_invitation_sent_twice_creates_one_link(review, requester):
    contact_link_create(
        review=review,
        actor=requester,
        name="张三",
        email="zhang@vendor.example.com",
        request_key="form-key-1",
    )

    with pytest.raises(WorkflowError) as refused:
        contact_link_create(
            review=review,
            actor=requester,
            name="张三",
            email="zhang@vendor.example.com",
            request_key="form-key-1",
        )

    assert refused.value.code == "duplicate"
    assert review.contact_links.count() == 1
    contact_link_create(
        review=review, actor=requester, name="李四", email="li@vendor.example.com", request_key="form-key-2"
    )
    assert review.contact_links.count() == 2


def test_a_refreshed_link_page_does_not_create_a_second_link(client, review, requester):
    client.force_login(requester)
    panel = client.get(reverse("review_detail", args=[review.pk])).content.decode()
    key = re.search(r'name="request_key" value="([^"]+)"', panel).group(1)
    data = {"name": "李四", "email": "li@vendor.example.com", "days": "7", "request_key": key}

    first = client.post(reverse("contact_link_create", args=[review.pk]), data)
    again = client.post(reverse("contact_link_create", args=[review.pk]), data, follow=True)

    assert first.status_code == 200 and "contact-link-url" in first.content.decode()
    assert "This invitation was already sent and its link created" in again.content.decode()
    assert review.contact_links.count() == 1
