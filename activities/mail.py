"""The e-mails about activities and scope extensions, in Chinese and English (reviews.bilingual), read again
from the rows when sent; a recipient who may no longer read the object is skipped."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext_noop

from reviews.bilingual import bi
from reviews.notifications.notify import reachable_users

from .access import can_read_activity, can_read_extension
from .models import Activity, ScopeExtension
from .notify import Event

logger = logging.getLogger(__name__)

SUBJECTS = {
    Event.NEEDS_LEGAL: gettext_noop("Activity waits for Legal: %(reference)s %(name)s"),
    Event.DECIDED: gettext_noop("Activity decided: %(reference)s %(name)s is %(status)s"),
    Event.FLAGGED: gettext_noop("Check your activity %(reference)s: a vendor may no longer be used"),
    Event.EXTENSION_SUBMITTED: gettext_noop("Scope extension to review: %(reference)s for %(name)s"),
    Event.EXTENSION_DECIDED: gettext_noop("Scope extension decided: %(reference)s is %(status)s"),
}
LEADS = {
    Event.NEEDS_LEGAL: gettext_noop(
        "The pre-check of the marketing activity %(reference)s “%(name)s” needs "
        "Legal's decision before it may start."
    ),
    Event.DECIDED: gettext_noop(
        "Legal decided your marketing activity %(reference)s “%(name)s”: %(status)s. The reason is below."
    ),
    Event.FLAGGED: gettext_noop(
        "Your marketing activity %(reference)s “%(name)s” uses a vendor that may no "
        "longer be used. Stop giving it personal data; the reason is below."
    ),
    Event.EXTENSION_SUBMITTED: gettext_noop(
        "%(reference)s asks to widen the approved scope of %(name)s. Only what it adds needs your decision."
    ),
    Event.EXTENSION_DECIDED: gettext_noop(
        "Your scope extension %(reference)s for %(name)s was decided: %(status)s. The comment is below."
    ),
}
OPEN = gettext_noop("Open it")
FOOTER = gettext_noop("This message was sent automatically by Vetted; replies to it are not read.")


def _facts(event: Event, object_id: int):
    if event in (Event.EXTENSION_SUBMITTED, Event.EXTENSION_DECIDED):
        extension = ScopeExtension.objects.select_related("vendor").get(pk=object_id)
        params = {
            "reference": extension.number,
            "name": extension.vendor.name_zh,
            "status": extension.get_status_display(),
        }
        note = extension.decision_comment or extension.security_comment or extension.reason
        return extension, params, note, reverse("activities:extension", args=[extension.pk])
    activity = Activity.objects.get(pk=object_id)
    params = {"reference": activity.reference, "name": activity.name, "status": activity.get_status_display()}
    note = activity.flag_reason if event == Event.FLAGGED else activity.decision_reason
    return activity, params, note, reverse("activities:detail", args=[activity.pk])


def activity_mail_render(event: str, object_id: int) -> tuple[str, str]:
    event = Event(event)
    _obj, params, note, path = _facts(event, object_id)
    # The status label is lazy: translated inside each language by bi().
    subject = bi(SUBJECTS[event], **params)
    lead = bi(LEADS[event], **params)
    lines = [*lead.lines, ""]
    if note:
        lines += [note, ""]
    lines += [bi(OPEN).inline + ":", settings.SITE_URL + path, "", "--", *bi(FOOTER).lines]
    return " ".join(subject.inline.split()), "\n".join(lines) + "\n"


def activity_mail_deliver(*, event: str, object_id: int, recipient_id: int) -> bool:
    recipient = reachable_users().filter(pk=recipient_id).first()
    if recipient is None:
        logger.info("activity mail %s %s: user %s unreachable; skipped", event, object_id, recipient_id)
        return False
    obj = _facts(Event(event), object_id)[0]
    readable = can_read_extension if isinstance(obj, ScopeExtension) else can_read_activity
    if not readable(recipient, obj):
        logger.info("activity mail %s %s: user %s may not read it; skipped", event, object_id, recipient_id)
        return False
    subject, body = activity_mail_render(event, object_id)
    EmailMessage(subject, body, to=[recipient.email]).send()
    return True
