"""The mails about activities and scope extensions (activities.notify, activities.mail): who is told of each
event, after commit, one message each; never the person who asked, for what waits on Legal or Security (I4);
the subject and body in Chinese and English; a recipient who may no longer read the object is skipped."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.utils.translation import trans_real

from activities import mail as activity_mail
from activities.extensions import extension_legal_decide, extension_request, extension_security_decide
from activities.mail import activity_mail_deliver
from activities.notify import Event
from activities.services import activity_decide, activity_register, activity_revise
from tests.factories import make_user
from vendors.scope import DataCategory, Purpose, Scope

from .conftest import plan

pytestmark = pytest.mark.django_db

NEEDS_LEGAL = {"minors": True}


@pytest.fixture
def readers(legal, other_legal, security, auditor):
    """Everyone who reads all activities, so that a test shows who among them is told."""
    return {"legal": legal, "other_legal": other_legal, "security": security, "auditor": auditor}


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run `action` as a committed transaction would: (its result, the addresses mailed, sorted)."""

    def run(action):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result, sorted(address for message in mail.outbox for address in message.to)

    return run


def addresses(*users) -> list[str]:
    return sorted(user.email for user in users)


# -- who is told ------------------------------------------------------------------------------------------


def test_legal_is_told_of_an_activity_that_needs_its_decision(cmo, readers, sent):
    _activity, to = sent(lambda: activity_register(owner=cmo, plan=plan(**NEEDS_LEGAL)))

    assert to == addresses(readers["legal"], readers["other_legal"])
    assert all("Activity waits for Legal" in message.subject for message in mail.outbox)


def test_a_revision_that_needs_legal_tells_legal_again(cmo, readers, sent):
    activity = activity_register(owner=cmo, plan=plan())

    _activity, to = sent(lambda: activity_revise(activity=activity, actor=cmo, plan=plan(**NEEDS_LEGAL)))

    assert to == addresses(readers["legal"], readers["other_legal"])


def test_nobody_is_told_of_an_activity_that_needs_no_decision(cmo, readers, sent):
    _activity, to = sent(lambda: activity_register(owner=cmo, plan=plan()))

    assert to == []


def test_a_member_of_legal_who_registered_the_activity_is_not_asked_to_decide_it(legal, sent):
    lawyer_marketer = make_user("cmo_legal", "Requester", "Legal", is_staff=True)

    _activity, to = sent(lambda: activity_register(owner=lawyer_marketer, plan=plan(**NEEDS_LEGAL)))

    assert to == addresses(legal)


@pytest.mark.parametrize("approve", [True, False], ids=["approved", "refused"])
def test_only_the_owner_is_told_of_legals_decision_with_the_reason(cmo, readers, sent, approve):
    activity = activity_register(owner=cmo, plan=plan(**NEEDS_LEGAL))

    _activity, to = sent(
        lambda: activity_decide(
            activity=activity,
            actor=readers["legal"],
            approve=approve,
            reason="监护人同意流程 / guardian consent flow",
        )
    )

    assert to == addresses(cmo)
    (message,) = mail.outbox
    assert "Activity decided" in message.subject and activity.reference in message.subject
    assert "监护人同意流程 / guardian consent flow" in message.body


def test_security_is_told_first_of_an_extension_whose_data_grows_then_legal_then_the_requester(
    cmo, edm_vendor, readers, sent
):
    extension, to = sent(
        lambda: extension_request(
            vendor=edm_vendor,
            requester=cmo,
            additions=Scope.build(data_categories=[DataCategory.LOCATION]),
            reason="门店周边推送",
            answers={"D6": {"value": ["encryption"], "detail": ""}},
        )
    )
    assert to == addresses(readers["security"])
    assert "Scope extension to review" in mail.outbox[0].subject

    extension, to = sent(
        lambda: extension_security_decide(
            extension=extension, actor=readers["security"], approve=True, comment="加密措施充分"
        )
    )
    assert to == addresses(readers["legal"], readers["other_legal"])

    _extension, to = sent(
        lambda: extension_legal_decide(
            extension=extension, actor=readers["legal"], approve=True, comment="同意扩展"
        )
    )
    assert to == addresses(cmo)
    assert "Scope extension decided" in mail.outbox[0].subject and "同意扩展" in mail.outbox[0].body


def test_legal_is_told_of_an_extension_security_need_not_see(cmo, edm_vendor, readers, sent):
    _extension, to = sent(
        lambda: extension_request(
            vendor=edm_vendor, requester=cmo, additions=Scope.build(purposes=[Purpose.ABM]), reason="ABM 项目"
        )
    )

    assert to == addresses(readers["legal"], readers["other_legal"])


# -- in both languages ------------------------------------------------------------------------------------


@pytest.fixture
def chinese(monkeypatch):
    """The mails' Chinese, whatever the catalogue holds today: a message without a translation gets a stand-in
    that is plainly Chinese, so that the test shows each part written in both languages."""
    catalog = trans_real.translation("zh-hans")._catalog
    texts = [
        *activity_mail.SUBJECTS.values(),
        *activity_mail.LEADS.values(),
        activity_mail.OPEN,
        activity_mail.FOOTER,
    ]
    for msgid in texts:
        if msgid not in catalog:
            monkeypatch.setitem(catalog._catalogs[0], msgid, "【中文】" + msgid)
    return {msgid: catalog[msgid] for msgid in texts}


def test_the_subject_and_body_are_in_chinese_then_english(cmo, legal, chinese, sent):
    activity, _to = sent(lambda: activity_register(owner=cmo, plan=plan(**NEEDS_LEGAL)))

    (message,) = mail.outbox
    params = {"reference": activity.reference, "name": activity.name}
    subject = activity_mail.SUBJECTS[Event.NEEDS_LEGAL]
    assert message.subject == f"{chinese[subject] % params} / {subject % params}"
    lines = message.body.splitlines()
    lead = activity_mail.LEADS[Event.NEEDS_LEGAL]
    assert lines[:2] == [chinese[lead] % params, lead % params]
    assert f"{chinese[activity_mail.OPEN]} / {activity_mail.OPEN}:" in lines
    assert f"{settings.SITE_URL}/activities/{activity.pk}/" in lines
    assert lines[-2:] == [chinese[activity_mail.FOOTER], activity_mail.FOOTER]


# -- skipped ----------------------------------------------------------------------------------------------


def test_a_recipient_who_may_no_longer_read_the_activity_is_skipped(cmo, legal, sent):
    activity = activity_register(owner=cmo, plan=plan(**NEEDS_LEGAL))
    legal.groups.remove(Group.objects.get(name="Legal"))
    mail.outbox.clear()

    assert (
        activity_mail_deliver(event=Event.NEEDS_LEGAL, object_id=activity.pk, recipient_id=legal.pk) is False
    )
    assert mail.outbox == []


def test_a_requester_who_is_not_the_owner_is_never_sent_the_activity(cmo, other_requester):
    activity = activity_register(owner=cmo, plan=plan(**NEEDS_LEGAL))
    mail.outbox.clear()

    assert (
        activity_mail_deliver(event=Event.DECIDED, object_id=activity.pk, recipient_id=other_requester.pk)
        is False
    )
    assert activity_mail_deliver(event=Event.DECIDED, object_id=activity.pk, recipient_id=cmo.pk) is True
    assert [message.to for message in mail.outbox] == [[cmo.email]]


def test_an_inactive_or_addressless_recipient_is_skipped(cmo, legal):
    activity = activity_register(owner=cmo, plan=plan(**NEEDS_LEGAL))
    cmo.email = ""
    cmo.save(update_fields=["email"])
    legal.is_active = False
    legal.save(update_fields=["is_active"])
    mail.outbox.clear()

    assert activity_mail_deliver(event=Event.DECIDED, object_id=activity.pk, recipient_id=cmo.pk) is False
    assert (
        activity_mail_deliver(event=Event.NEEDS_LEGAL, object_id=activity.pk, recipient_id=legal.pk) is False
    )
    assert mail.outbox == []
