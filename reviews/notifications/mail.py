"""The notification e-mails themselves: subject and plain-text body in Chinese and English, with an absolute
link to the page where the recipient acts. reviews.tasks.notification_send calls notification_deliver with
ids only; the rows are read again here, so a message says what is true when it is sent.

Each message goes to one recipient (nobody sees who else was told). The recipient is checked again at
sending: a user deactivated, left without an address, or no longer allowed to read the review since the
event is skipped without a word."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from vendors.people import person_name

from ..access import can_read_review, contact_link_opens
from ..bilingual import Bi, bi
from ..models import AuditEvent, ContactLink, Decision, Dossier, Review, SignOff, Stage, StageKind
from ..roles import Role
from ..working_days import working_days_between
from .notify import Event, reachable_users, review_of
from .reminders import working_days_text

if TYPE_CHECKING:
    from vendors.models import Vendor

    from ..audit import ChainReport

logger = logging.getLogger(__name__)

# gettext_noop marks them for makemessages; bi() translates them both ways.
LABELS = {
    "vendor": gettext_noop("Vendor"),
    "uscc": gettext_noop("Unified Social Credit Code"),
    "review_number": gettext_noop("Review number"),
    "stage": gettext_noop("Stage"),
    "submitted_by": gettext_noop("Submitted by"),
    "decided_by": gettext_noop("Decided by"),
    "signed_by": gettext_noop("Signed by"),
    "requested_by": gettext_noop("Dossier requested by"),
    "time": gettext_noop("Time"),
    "comment": gettext_noop("Comment"),
    "reason": gettext_noop("Reason"),
    "statement": gettext_noop("Statement"),
    "conditions": gettext_noop("Conditions"),
    "valid_until": gettext_noop("Valid until"),
    "error": gettext_noop("Error"),
    "attempts": gettext_noop("Attempts"),
    "decide_here": gettext_noop("Decide here"),
    "open_review": gettext_noop("Open your review"),
    "regenerate_here": gettext_noop("Regenerate the dossier here"),
    "open_vendor": gettext_noop("Open the vendor page"),
    "open_file": gettext_noop("Open the review"),
    "withdrawn_by": gettext_noop("Withdrawn by"),
    "suspended_by": gettext_noop("Suspended by"),
    "days_left": gettext_noop("Time left"),
    "catch_up_due": gettext_noop("Catch-up review due"),
    "opened_by": gettext_noop("Opened by"),
    "corrected_by": gettext_noop("Corrected by"),
    "system": gettext_noop("the system"),
    "footer": gettext_noop("Sent automatically by Vetted; replies are not read."),
}


@dataclass(frozen=True)
class Message:
    """What one event tells: the template of its body; its subject and first lines (placeholders:
    %(number)s the review number, %(stage)s the stage, %(date)s the validity); the page where the
    recipient acts, and how the link to it is labelled."""

    template: str
    subject: str
    lead: str
    page: str
    link_label: str


# Reviewers act on the review page of their desk, the requester on their review, Legal regenerates a dossier
# on the review's dossier page.
MESSAGES = {
    Event.STAGE_SUBMITTED: Message(
        "email/stage_submitted.txt",
        gettext_noop("Waiting for your decision: %(number)s, %(stage)s"),
        gettext_noop("The stage “%(stage)s” of review %(number)s was submitted and waits for your decision."),
        "admin:reviews_review_change",
        "decide_here",
    ),
    Event.STAGE_PASSED: Message(
        "email/stage_passed.txt",
        gettext_noop("Stage passed: %(number)s, %(stage)s"),
        gettext_noop("The stage “%(stage)s” of your review %(number)s passed; the next stage is open."),
        "review_detail",
        "open_review",
    ),
    Event.STAGE_RETURNED: Message(
        "email/stage_returned.txt",
        gettext_noop("Returned to you: %(number)s, %(stage)s"),
        gettext_noop(
            "The stage “%(stage)s” of your review %(number)s was returned to you. Make the changes "
            "the reviewer asks for below, then submit the stage again."
        ),
        "review_detail",
        "open_review",
    ),
    Event.STAGE_FAILED: Message(
        "email/stage_failed.txt",
        gettext_noop("Review rejected: %(number)s, %(stage)s failed"),
        gettext_noop(
            "The stage “%(stage)s” of your review %(number)s failed, so the review is rejected and "
            "the vendor may not be used. The reason is below."
        ),
        "review_detail",
        "open_review",
    ),
    Event.REVIEW_APPROVED: Message(
        "email/review_approved.txt",
        gettext_noop("Review approved: %(number)s"),
        gettext_noop(
            "Legal signed off your review %(number)s: the vendor is on the approved list until %(date)s."
        ),
        "review_detail",
        "open_review",
    ),
    Event.REVIEW_WITHDRAWN: Message(
        "email/review_withdrawn.txt",
        gettext_noop("Request withdrawn: %(number)s"),
        gettext_noop(
            "The requester withdrew review %(number)s of %(vendor)s. The stage that waited for your "
            "decision is closed: nothing more is needed from you."
        ),
        "admin:reviews_review_change",
        "open_file",
    ),
    Event.APPROVAL_EXPIRING: Message(
        "email/approval_expiring.txt",
        gettext_noop("Approval ends on %(date)s: %(vendor)s"),
        gettext_noop(
            "The approval of %(vendor)s (review %(number)s) ends on %(date)s. To keep using the "
            "vendor without a gap, request a renewal review now from the vendor page: it goes "
            "through the four stages again while the current approval runs."
        ),
        "vendor_detail",
        "open_vendor",
    ),
    Event.VENDOR_SUSPENDED: Message(
        "email/vendor_suspended.txt",
        gettext_noop("Vendor suspended: %(vendor)s"),
        gettext_noop(
            "%(vendor)s is no longer on the approved list: stop giving it personal data now. The "
            "reason is below; a new review is needed to use it again."
        ),
        "vendor_detail",
        "open_vendor",
    ),
    Event.CATCH_UP_OPENED: Message(
        "email/catch_up.txt",
        gettext_noop("Catch-up review to answer by %(date)s: %(vendor)s"),
        gettext_noop(
            "Your team uses %(vendor)s, which has not been vetted. Legal opened its catch-up review "
            "(补齐审核) %(number)s and assigned it to you as its business owner: answer the four "
            "stages by %(date)s. Until the review is approved the platform is not on the approved "
            "list."
        ),
        "review_detail",
        "open_review",
    ),
    Event.CATCH_UP_REMINDER: Message(
        "email/catch_up.txt",
        gettext_noop("Reminder: catch-up review %(number)s due %(date)s"),
        gettext_noop(
            "The catch-up review (补齐审核) %(number)s of %(vendor)s, a platform in use and not "
            "vetted, is due on %(date)s. After that day the platform is flagged overdue."
        ),
        "review_detail",
        "open_review",
    ),
    Event.CATCH_UP_OVERDUE: Message(
        "email/catch_up.txt",
        gettext_noop("Overdue: catch-up review %(number)s was due %(date)s"),
        gettext_noop(
            "The catch-up review (补齐审核) %(number)s of %(vendor)s, a platform in use and not "
            "vetted, was due on %(date)s and is not approved: the platform is now flagged overdue. "
            "Finish the review with Legal now, or stop using the platform."
        ),
        "review_detail",
        "open_review",
    ),
    Event.VENDOR_STOP_USING: Message(
        "email/vendor_stop_using.txt",
        gettext_noop("Stop using %(vendor)s"),
        gettext_noop(
            "The review %(number)s of %(vendor)s, a platform already in use, was rejected: stop "
            "giving it personal data and end its use. The reason is below."
        ),
        "vendor_detail",
        "open_vendor",
    ),
    Event.RETURNED_AFTER_CORRECTION: Message(
        "email/returned_after_correction.txt",
        gettext_noop("Returned after an identity correction: %(number)s, %(vendor)s"),
        gettext_noop(
            "Legal corrected the credit code or legal name of %(vendor)s while review %(number)s was "
            "under way. The decisions taken so far were about the identity as it was, so every "
            "decided stage is back with the requester: check the answers and documents against the "
            "corrected identity and submit the stages again, in order."
        ),
        "review_detail",
        "open_review",
    ),
    Event.DOSSIER_FAILED: Message(
        "email/dossier_failed.txt",
        gettext_noop("Dossier failed: %(number)s"),
        gettext_noop(
            "The approval dossier of review %(number)s could not be generated. Check the error "
            "below, then regenerate it from the dossier page."
        ),
        "dossier_list",
        "regenerate_here",
    ),
}


@dataclass
class Facts:
    """What a message reports, read again from the rows when it is sent."""

    review: Review
    stage: Stage | None
    actor: object  # the user who acted; None for the system
    at: datetime | None
    note: str = ""  # the comment, reason, statement or error
    # LABELS key -> value, shown after the standard lines
    extra: dict[str, object] = field(default_factory=dict)


def _vendor_of(event: AuditEvent) -> Vendor:
    """The vendor of an event that is recorded with one (a suspension, a stop); an event without one is a
    fault in the data, raised as such."""
    if event.vendor is None:
        raise ValueError(f"audit event #{event.pk} ({event.action}) names no vendor")
    return event.vendor


def _submitted(pk: int) -> Facts:
    stage = Stage.objects.select_related("review__vendor", "submitted_by").get(pk=pk)
    # The sign-off has no submitter: it reaches Legal's desk by itself when the stage before it passes.
    return Facts(
        review=stage.review, stage=stage, actor=stage.submitted_by, at=stage.submitted_at or stage.opened_at
    )


def _decided(pk: int) -> Facts:
    decision = Decision.objects.select_related("stage__review__vendor", "decided_by").get(pk=pk)
    return Facts(
        review=decision.stage.review,
        stage=decision.stage,
        actor=decision.decided_by,
        at=decision.decided_at,
        note=decision.comment,
    )


def _signed(pk: int) -> Facts:
    sign_off = SignOff.objects.select_related("review__vendor", "signed_by").get(pk=pk)
    stage = Stage.objects.get(review=sign_off.review, kind=StageKind.SIGN_OFF)
    return Facts(
        review=sign_off.review,
        stage=stage,
        actor=sign_off.signed_by,
        at=sign_off.signed_at,
        note=sign_off.statement,
        extra={"conditions": sign_off.conditions, "valid_until": sign_off.valid_until.isoformat()},
    )


def _withdrawn(pk: int) -> Facts:
    event = AuditEvent.objects.select_related("review__vendor", "actor").get(pk=pk)
    return Facts(
        review=review_of(event), stage=None, actor=event.actor, at=event.at, note=event.data.get("reason", "")
    )


def _working_days_left(due) -> str:
    """The China working days left until `due` ("7 个工作日 / 7 working days"); nothing once it has passed."""
    today = timezone.localdate()
    if due is None or due < today:
        return ""
    return working_days_text(working_days_between(today, due)).inline


def _expiring(pk: int) -> Facts:
    sign_off = SignOff.objects.select_related("review__vendor", "signed_by").get(pk=pk)
    vendor = sign_off.review.vendor
    if vendor.approved_until is None:
        raise ValueError(f"approval #{pk} ends soon, but {vendor.display_name} has no approval end date")
    return Facts(
        review=sign_off.review,
        stage=None,
        actor=sign_off.signed_by,
        at=sign_off.signed_at,
        extra={
            "valid_until": vendor.approved_until.isoformat(),
            "days_left": _working_days_left(vendor.approved_until),
        },
    )


def _suspended(pk: int) -> Facts:
    event = AuditEvent.objects.select_related("vendor", "actor").get(pk=pk)
    vendor = _vendor_of(event)
    sign_off = SignOff.objects.select_related("review__vendor").get(
        review__vendor=vendor, number=vendor.approval_reference
    )
    return Facts(
        review=sign_off.review, stage=None, actor=event.actor, at=event.at, note=event.data.get("reason", "")
    )


def _dossier(pk: int) -> Facts:
    dossier = Dossier.objects.select_related("review__vendor", "requested_by").get(pk=pk)
    return Facts(
        review=dossier.review,
        stage=None,
        actor=dossier.requested_by,
        at=dossier.created_at,
        note=dossier.error,
        extra={"attempts": dossier.attempts},
    )


def _catch_up(pk: int) -> Facts:
    event = AuditEvent.objects.select_related("review__vendor").get(pk=pk)
    review = review_of(event)
    opened = (
        AuditEvent.objects.select_related("actor")
        .filter(review=review, action="review.catch_up_opened")
        .order_by("pk")
        .first()
    )
    due = review.vendor.catch_up_due
    return Facts(
        review=review,
        stage=None,
        actor=opened.actor if opened else None,
        at=opened.at if opened else review.created_at,
        extra={
            "catch_up_due": due.isoformat() if due else "",
            "days_left": _working_days_left(due),
        },
    )


def _stop_using(pk: int) -> Facts:
    event = AuditEvent.objects.select_related("vendor", "actor").get(pk=pk)
    review = _vendor_of(event).reviews.select_related("vendor").order_by("-created_at", "-pk").first()
    if review is None:
        raise ValueError(f"audit event #{pk} ({event.action}): the vendor has no review to stop using it by")
    return Facts(review=review, stage=None, actor=event.actor, at=event.at, note=event.data.get("reason", ""))


def _returned_after_correction(pk: int) -> Facts:
    event = AuditEvent.objects.select_related("review__vendor", "actor").get(pk=pk)
    return Facts(
        review=review_of(event), stage=None, actor=event.actor, at=event.at, note=event.data.get("reason", "")
    )


FACTS = {
    Event.STAGE_SUBMITTED: _submitted,
    Event.STAGE_PASSED: _decided,
    Event.STAGE_RETURNED: _decided,
    Event.STAGE_FAILED: _decided,
    Event.REVIEW_APPROVED: _signed,
    Event.DOSSIER_FAILED: _dossier,
    Event.REVIEW_WITHDRAWN: _withdrawn,
    Event.APPROVAL_EXPIRING: _expiring,
    Event.VENDOR_SUSPENDED: _suspended,
    Event.CATCH_UP_OPENED: _catch_up,
    Event.CATCH_UP_REMINDER: _catch_up,
    Event.CATCH_UP_OVERDUE: _catch_up,
    Event.VENDOR_STOP_USING: _stop_using,
    Event.RETURNED_AFTER_CORRECTION: _returned_after_correction,
}


def _person(user) -> Bi:
    if user is None:
        return bi(LABELS["system"])
    text = person_name(user)
    return Bi(text, text)


def notification_render(event: str, facts: Facts) -> tuple[str, str]:
    """(subject, body) of one event's message; the same for every recipient."""
    message = MESSAGES[Event(event)]
    # The stage's label is lazy: bi() translates it inside the message, in each language.
    stage = StageKind(facts.stage.kind).label if facts.stage is not None else ""
    date = facts.extra.get("valid_until") or facts.extra.get("catch_up_due", "")
    params = {
        "number": facts.review.number,
        "stage": stage,
        "date": date,
        "vendor": facts.review.vendor.display_name,
    }
    labels = {key: bi(text) for key, text in LABELS.items()}
    body = render_to_string(
        message.template,
        {
            "lead": bi(message.lead, **params),
            "labels": labels,
            "review": facts.review,
            "vendor": facts.review.vendor,
            "stage": bi(stage) if stage else None,
            "actor": _person(facts.actor),
            "at": f"{timezone.localtime(facts.at):%Y-%m-%d %H:%M} ({settings.TIME_ZONE})" if facts.at else "",
            "note": facts.note,
            "extra": [(labels[key], value) for key, value in facts.extra.items() if value not in ("", None)],
            "link": settings.SITE_URL
            + reverse(
                message.page,
                args=[facts.review.vendor_id if message.page == "vendor_detail" else facts.review.pk],
            ),
            "link_label": labels[message.link_label],
        },
    )
    # A header must stay on one line whatever a name holds.
    subject = " ".join(bi(message.subject, **params).inline.split())
    return subject, body


def notification_deliver(*, event: str, object_id: int, recipient_id: int) -> bool:
    """Send one event's message to one recipient; False when the recipient is skipped.

    Errors of the mail server or the network (smtplib.SMTPException, OSError) are raised for the task to
    retry; anything else is a fault in the code or the data and is raised as it is."""
    recipient = reachable_users().filter(pk=recipient_id).first()
    if recipient is None:
        logger.info(
            "notification %s %s: user %s is inactive, has no address or is gone; skipped",
            event,
            object_id,
            recipient_id,
        )
        return False
    facts = FACTS[Event(event)](object_id)
    if not can_read_review(recipient, facts.review):
        logger.info(
            "notification %s %s: user %s may no longer read review %s; skipped",
            event,
            object_id,
            recipient_id,
            facts.review.number,
        )
        return False
    subject, body = notification_render(event, facts)
    EmailMessage(subject, body, to=[recipient.email]).send()
    return True


INVITATION = {
    "subject": gettext_noop("Please complete our vendor review for %(vendor)s"),
    "lead": gettext_noop(
        "%(requester)s asks you to answer our personal-information due-diligence "
        "questionnaire for %(vendor)s and to upload the documents it asks for, through the "
        "personal link below. No account is needed."
    ),
    "how": gettext_noop(
        "The link is personal: please do not forward it. You can save drafts and come back "
        "until it expires; what you save is recorded under your name."
    ),
    # The invitation is the one mail with a reader outside the company: its replies go to the requester
    # (reply-to), so it never says that replies are not read.
    "reply": gettext_noop(
        "Questions? Reply to this e-mail: your reply goes to %(requester)s, who asked for this review."
    ),
    "reply_unreachable": gettext_noop(
        "Questions? Ask %(requester)s, who asked for this review; this message "
        "was sent automatically and replies to it are not read."
    ),
    "asked_by": gettext_noop("Asked by"),
    "link_valid_until": gettext_noop("The link works until"),
    "open_link": gettext_noop("Open the link"),
}


def contact_invitation_deliver(*, link_id: int, token: str) -> bool:
    """E-mail a vendor contact their link (reviews.notifications.contact_invited); False when the link was
    revoked, expired or its review closed before the message went out."""
    link = ContactLink.objects.select_related("review__vendor", "created_by").get(pk=link_id)
    if not contact_link_opens(link, link.review):
        logger.info("contact invitation for link #%s: the link no longer opens its review; not sent", link_id)
        return False
    requester, vendor = link.created_by, link.review.vendor
    params = {"requester": person_name(requester), "vendor": vendor.display_name}
    labels = {key: bi(text) for key, text in {**LABELS, **INVITATION}.items()}
    body = render_to_string(
        "email/contact_invitation.txt",
        {
            "lead": bi(INVITATION["lead"], **params),
            "labels": labels,
            "vendor": vendor,
            "review": link.review,
            "requester": f"{params['requester']} <{requester.email}>"
            if requester.email
            else params["requester"],
            "until": f"{timezone.localtime(link.expires_at):%Y-%m-%d %H:%M} ({settings.TIME_ZONE})",
            "link": settings.SITE_URL + reverse("contact_home", args=[token]),
            "reply": bi(INVITATION["reply" if requester.email else "reply_unreachable"], **params),
        },
    )
    subject = " ".join(bi(INVITATION["subject"], **params).inline.split())
    EmailMessage(
        subject, body, to=[link.contact_email], reply_to=[requester.email] if requester.email else None
    ).send()
    return True


ALARM = {
    "subject": gettext_noop("Audit log broken at event #%(event)s"),
    "lead": gettext_noop(
        "The check of the audit log's hash chain failed: event #%(event)s %(reason)s. "
        "Someone may have changed or removed a record outside the application. Keep the "
        "database as it is and investigate; python manage.py verify_audit repeats the "
        "check."
    ),
    "checked": gettext_noop("Events verified before it"),
}
# The checkpoints written outside the database (reviews.audit_checkpoints) no longer verify themselves.
CHECKPOINT_ALARM = {
    "subject": gettext_noop("Audit checkpoint file edited"),
    "lead": gettext_noop(
        "The check of the audit log's checkpoints failed: a line of the checkpoint file was "
        "edited, removed or reordered. Restore the file from its backup and run python "
        "manage.py verify_audit again; until then the log's tail cannot be vouched for."
    ),
}
# The checkpoint store is missing, empty, or holds fewer checkpoints than the chain announced.
ANCHOR_ALARM = {
    "subject": gettext_noop("Audit checkpoints missing or cut back"),
    "lead": gettext_noop(
        "The check of the audit log found its checkpoint store missing, empty or shorter than "
        "the log says it was: whoever removed checkpoints could also remove the end of the log "
        "unseen. Restore the store from its backup and run python manage.py verify_audit "
        "again; until then the log's tail cannot be vouched for."
    ),
}
# How the chain broke (reviews.audit.ChainReport.kind), in the message's words.
BREAKS = {
    "link": gettext_lazy("does not link to the event before it"),
    "content": gettext_lazy("does not match its hash"),
    "downgrade": gettext_lazy("is unkeyed although keyed events precede it (the chain was rewritten)"),
    "truncated": gettext_lazy(
        "is missing although a checkpoint recorded it (the end of the log was removed)"
    ),
    "diverged": gettext_lazy("differs from the event a checkpoint recorded"),
}


def audit_alarm_deliver(report: ChainReport) -> int:
    """Mail a broken audit chain (reviews.audit.ChainReport) to Legal and the administrators, one message
    each; returns how many went out."""
    if report.kind in ("checkpoint", "anchor"):
        alarm = CHECKPOINT_ALARM if report.kind == "checkpoint" else ANCHOR_ALARM
        body = "\n".join(
            [*bi(alarm["lead"]).lines, "", report.reason, "", "--", *bi(LABELS["footer"]).lines, ""]
        )
        subject = " ".join(bi(alarm["subject"]).inline.split())
    else:
        params = {"event": report.broken_at, "reason": BREAKS[report.kind]}  # translated with the message
        body = "\n".join(
            [
                *bi(ALARM["lead"], **params).lines,
                "",
                f"{bi(ALARM['checked']).inline}: {report.checked}",
                "",
                "--",
                *bi(LABELS["footer"]).lines,
                "",
            ]
        )
        subject = " ".join(bi(ALARM["subject"], **params).inline.split())
    recipients = list(
        reachable_users().filter(Q(groups__name=Role.LEGAL) | Q(is_superuser=True)).distinct().order_by("pk")
    )
    for user in recipients:
        EmailMessage(subject, body, to=[user.email]).send()
    return len(recipients)
