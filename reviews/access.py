"""Object-level access, in one place. Every view, download and admin queryset asks here."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from .models import ContactLink, Review, Stage, StageKind, StageState
from .roles import PORTFOLIO_ROLES, Role, reads_all, roles_of

# Which role decides which stage (docs/architecture.md "People").
DECIDING_ROLE = {
    StageKind.QUESTIONNAIRE: Role.LEGAL,
    StageKind.DATA_SOURCE: Role.LEGAL,
    StageKind.SECURITY: Role.SECURITY,
    StageKind.SIGN_OFF: Role.LEGAL,
}

# What a vendor contact fills in through their link (docs/architecture.md "People"). Certificates, submissions and
# withdrawals stay with the requester, who answers for the request.
CONTACT_STAGES = (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE)


def reviews_visible_to(user) -> QuerySet[Review]:
    qs = Review.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if reads_all(user):
        return qs
    return qs.filter(requester=user)


def can_see_portfolio(user) -> bool:
    """The portfolio at a glance: counts and ages across every vendor and review, for Legal, Security, the
    Auditor and the Executive. It names no review, so the Executive, who reads none, may see it."""
    return bool(roles_of(user) & PORTFOLIO_ROLES)


def can_read_review(user, review: Review) -> bool:
    return getattr(user, "is_authenticated", False) and (review.requester_id == user.pk or reads_all(user))


def can_edit_review(user, review: Review) -> bool:
    """The requester fills in their own open review; nobody else edits its content."""
    return (
        getattr(user, "is_authenticated", False)
        and review.requester_id == user.pk
        and Role.REQUESTER in roles_of(user)
        and review.is_open
    )


def contact_link_opens(link: ContactLink, review: Review) -> bool:
    """Whether `link` still opens `review`: its own review, open, and the link neither revoked nor expired.
    The link is read from the database, not from the caller's copy, so that a revocation counts from the
    moment it commits, even for a page the contact opened before."""
    return (link.review_id == review.pk and review.is_open
            and ContactLink.objects.live().filter(pk=link.pk).exists())


def can_write_stage(actor, stage: Stage) -> bool:
    """Who may write a stage's answers and documents: the requester (can_edit_review), or the vendor
    contact through a live link for this review, in the stages of CONTACT_STAGES. Services call it before
    their lock and again under it."""
    if isinstance(actor, ContactLink):
        return stage.kind in CONTACT_STAGES and contact_link_opens(actor, stage.review)
    return can_edit_review(actor, stage.review)


def account_of(actor):
    """The user account behind an actor, for the `..._by` columns: none for a vendor contact, who acts
    through a link (the audit log names them and the link)."""
    return None if isinstance(actor, ContactLink) or not getattr(actor, "pk", None) else actor


def decide_refusal(user, stage: Stage) -> str | None:
    """Why `user` may not decide `stage`, or None when they may (I4)."""
    from django.utils.translation import gettext as _

    if not getattr(user, "is_authenticated", False):
        return _("Sign in first.")
    if stage.review.requester_id == user.pk:
        return _("You requested this review, so you cannot decide its stages (segregation of duties).")
    role = DECIDING_ROLE[stage.kind]
    if role not in roles_of(user):
        return _("Only %(role)s decides the stage “%(stage)s”.") % {
            "role": role.label, "stage": stage.get_kind_display()
        }
    return None


def role_wait_refusal(user, role: Role) -> str | None:
    """Why `user` may not decide yet with `role`: a role granted less than VETTED_ROLE_GRANT_WAIT_HOURS ago.
    Whoever could give themselves Legal could otherwise sign off at once; the wait gives Legal, mailed about
    every grant (reviews.role_changes), the time to object. None when the role may decide."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from .models import RoleGrant

    wait = timedelta(hours=settings.VETTED_ROLE_GRANT_WAIT_HOURS)
    grant = RoleGrant.objects.filter(user=user, role=role, granted_at__gt=timezone.now() - wait).first()
    if grant is None:
        return None
    return (_("You were given the role %(role)s at %(granted)s. A new role decides only after %(hours)s hours, "
              "from %(from)s, so that nobody gives themselves a role and decides at once.")
            % {"role": role.label, "hours": settings.VETTED_ROLE_GRANT_WAIT_HOURS,
               "granted": timezone.localtime(grant.granted_at).strftime("%Y-%m-%d %H:%M"),
               "from": timezone.localtime(grant.granted_at + wait).strftime("%Y-%m-%d %H:%M")})


def can_decide(user, stage: Stage) -> bool:
    return decide_refusal(user, stage) is None


@dataclass(frozen=True)
class ReviewAccess:
    user: object
    review: Review

    @property
    def can_read(self) -> bool:
        return can_read_review(self.user, self.review)

    @property
    def can_edit(self) -> bool:
        return can_edit_review(self.user, self.review)

    def can_decide(self, stage: Stage) -> bool:
        return stage.state == StageState.SUBMITTED and can_decide(self.user, stage)

    @property
    def can_sign_off(self) -> bool:
        stage = self.review.stage(StageKind.SIGN_OFF)
        return self.review.is_open and self.can_decide(stage)


def review_for_user(user, pk, *, queryset: QuerySet[Review] | None = None) -> tuple[Review, ReviewAccess]:
    """The review with this pk if `user` may read it, with what they may do; 404 otherwise, so that a
    stranger cannot even learn that the review exists."""
    qs = queryset if queryset is not None else Review.objects.select_related("vendor", "requester", "template")
    review = qs.filter(pk=pk).first()
    if review is None or not can_read_review(user, review):
        raise Http404("No such review.")
    return review, ReviewAccess(user=user, review=review)
