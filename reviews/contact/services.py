"""The vendor contact's link (docs/architecture.md "People"): created and revoked by the requester, resolved on every
page the contact opens. One function per transition, in the order of reviews.workflow: guard, lock and
change, audit, side effects on commit.

The token is shown once, to the requester who creates the link; only its hash is kept (ContactLink). The
contact then acts as the link itself: reviews.access.can_write_stage lets a live link write its review's
answers and evidence, and the audit log names the contact and the link."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import can_edit_review
from ..audit import audit_record
from ..errors import ContactLinkInvalid, WorkflowError
from ..models import ContactLink, Review
from ..models.contact import token_hash
from ..notifications import notify

DEFAULT_DAYS = 14
MAX_DAYS = 30
# Writing last_used_at on every page would be a write per click; the list needs minutes, not seconds.
LAST_USED_PRECISION = timedelta(minutes=1)


def _clean_invitation(*, name: str, email: str, days: int) -> tuple[str, str]:
    name, email = (name or "").strip(), (email or "").strip()
    if not name:
        raise WorkflowError(_("Give the contact's name."), code="invalid")
    max_length = ContactLink._meta.get_field("contact_name").max_length
    assert max_length is not None  # a CharField's, set in the model
    if len(name) > max_length:
        raise WorkflowError(_("The contact's name is too long."), code="invalid")
    try:
        validate_email(email)
    except ValidationError:
        raise WorkflowError(
            _("Enter the contact's e-mail address, e.g. name@vendor.com."), code="invalid"
        ) from None
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise WorkflowError(_("A link is valid for 1 to %(max)d days.") % {"max": MAX_DAYS}, code="invalid")
    return name, email


def contact_link_create(
    *,
    review: Review,
    actor,
    name: str,
    email: str,
    days: int = DEFAULT_DAYS,
    send: bool = False,
    request_key: str = "",
) -> tuple[ContactLink, str]:
    """A new link for the vendor's contact to answer `review`. Returns the link and its token: the token
    exists nowhere else, so the caller shows it once and forgets it. With `send`, the link is also e-mailed
    to the contact once the link is committed (the token then travels in the task's message, through the
    broker, which is inside the same trust boundary as the database). `request_key`, the invitation form's
    one-time key, makes a form sent twice create one link: the second time is refused (code "duplicate"),
    since the token of the first cannot be shown again."""
    if not can_edit_review(actor, review):
        raise WorkflowError(
            _("Only the requester of an open review can invite the vendor's contact."), code="forbidden"
        )
    name, email = _clean_invitation(name=name, email=email, days=days)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        review = Review.objects.select_for_update().select_related("vendor").get(pk=review.pk)
        if not can_edit_review(actor, review):
            raise WorkflowError(
                _("Only the requester of an open review can invite the vendor's contact."), code="forbidden"
            )
        request_key = (request_key or "")[:64]
        if request_key and ContactLink.objects.filter(review=review, request_key=request_key).exists():
            raise WorkflowError(
                _(
                    "This invitation was already sent and its link created; a link is shown only "
                    "once. If it was not copied, revoke it and create a new one."
                ),
                code="duplicate",
            )
        now = timezone.now()
        link = ContactLink.objects.create(
            request_key=request_key,
            review=review,
            contact_name=name,
            contact_email=email,
            token_hash=token_hash(token),
            created_by=actor,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        audit_record(
            action="contact_link.created",
            actor=actor,
            review=review,
            obj=link,
            data={"contact": name, "email": email, "expires_at": link.expires_at, "emailed": send},
        )
        if send:
            notify.contact_invited(link, token)
    return link, token


def contact_link_revoke(*, link: ContactLink, actor) -> ContactLink:
    """Close a link at once: from the commit on, every page and every save through it is refused."""
    with transaction.atomic():
        # The review first, as every writer does: a save through the link that is under way finishes
        # before the revocation, and any later one sees it.
        review = Review.objects.select_for_update().select_related("vendor").get(pk=link.review_id)
        link = ContactLink.objects.select_for_update().get(pk=link.pk)
        if not getattr(actor, "is_authenticated", False) or review.requester_id != actor.pk:
            raise WorkflowError(_("Only the requester can revoke a vendor contact's link."), code="forbidden")
        if link.revoked_at is not None:
            raise WorkflowError(_("This link was already revoked."), code="state")
        link.revoked_at, link.revoked_by = timezone.now(), actor
        link.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            action="contact_link.revoked",
            actor=actor,
            review=review,
            obj=link,
            data={"contact": link.contact_name, "email": link.contact_email},
        )
    return link


def contact_link_resolve(*, token: str) -> ContactLink:
    """The link a contact's token opens, with its review. An unknown, expired or revoked token, and a link
    whose review is closed, all raise the same ContactLinkInvalid: the answer must not tell someone trying
    tokens which of them once existed."""
    now = timezone.now()
    # Read live (neither revoked nor expired) in the same query: as fresh as reviews.access.contact_link_opens,
    # which would read the link again.
    link = (
        ContactLink.objects.live(now=now)
        .select_related("review", "review__vendor", "review__requester", "review__template")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if link is None or not link.review.is_open:
        raise ContactLinkInvalid(
            _(
                "This link does not open anything. It may have expired or been revoked, "
                "or the request may be closed."
            ),
            code="link_invalid",
        )
    # The time of last use, at most once a minute. The condition is the UPDATE's own, so every page runs the
    # same statements whether it writes or not (an UPDATE that matches no row writes nothing).
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_PRECISION)
    if ContactLink.objects.filter(stale, pk=link.pk).update(last_used_at=now):
        link.last_used_at = now
    return link
