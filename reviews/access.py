"""Object-level access, in one place. Every view, download and admin queryset asks here."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from .models import ContactLink, Review, Stage, StageKind, StageState
from .roles import PORTFOLIO_ROLES, Role, reads_all, roles_of

# Which role decides which stage (docs/architecture.md "People").
DECIDING_ROLE: dict[str, Role] = {
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
    return (
        link.review_id == review.pk
        and review.is_open
        and ContactLink.objects.live().filter(pk=link.pk).exists()
    )


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


def link_of(actor) -> ContactLink | None:
    """The vendor contact's link an actor acts through, for the `contact_link` columns; None for an account."""
    return actor if isinstance(actor, ContactLink) else None


def _superuser_refusal(user) -> str | None:
    """A superuser administers accounts and can make himself anything: whatever groups he holds, he decides
    nothing (docs/architecture.md "People")."""
    from django.utils.translation import gettext as _

    if getattr(user, "is_superuser", False):
        return _(
            "You are a superuser: a superuser administers accounts and decides nothing, whatever groups he "
            "holds (segregation of duties). Ask a member of the role without administrator rights."
        )
    return None


def decide_refusal(user, stage: Stage) -> str | None:
    """Why `user` may not decide `stage`, or None when they may (I4). Without a query, for the pages: the
    waits of decider_refusal are checked by the services."""
    from django.utils.translation import gettext as _

    if not getattr(user, "is_authenticated", False):
        return _("Sign in first.")
    if stage.review.requester_id == user.pk:
        return _("You requested this review, so you cannot decide its stages (segregation of duties).")
    superuser = _superuser_refusal(user)
    if superuser is not None:
        return superuser
    role = DECIDING_ROLE[stage.kind]
    if role not in roles_of(user):
        return _("Only %(role)s decides the stage “%(stage)s”.") % {
            "role": role.label,
            "stage": stage.get_kind_display(),
        }
    return None


@dataclass(frozen=True)
class Refusal:
    message: str
    code: str  # "forbidden", "password_reset", "role_too_recent" or "account_changed"


def _moment(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def decider_check(user, role: Role) -> Refusal | None:
    """The one rule of who may decide with `role` (I4), for every decision: a stage, the sign-off, an activity,
    a step of a scope extension. Each caller first checks what is its own (the request is not the decider's,
    the stage's role); this checks what holds for all of them, in this order:

    - a superuser decides nothing, whatever groups he holds: he could have made himself anyone;
    - the role itself;
    - a password set by someone else (an administrator, a command) holds every decision until its owner sets
      their own: whoever set it could sign in as them;
    - a role granted, or its permissions changed, less than VETTED_ROLE_GRANT_WAIT_HOURS ago;
    - any other change that affects the account (its e-mail address, its superuser, staff or active flag)
      less than VETTED_ROLE_GRANT_WAIT_HOURS ago.

    Each of those changes is audited and mailed to Legal and the superusers (reviews.role_changes); the wait
    gives them the time to object before the change can decide anything."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from .models import AccountChange, DeciderHold, RoleGrant

    if not getattr(user, "is_authenticated", False):
        return Refusal(_("Sign in first."), "forbidden")
    superuser = _superuser_refusal(user)
    if superuser is not None:
        return Refusal(superuser, "forbidden")
    if role not in roles_of(user):
        return Refusal(_("Only %(role)s decides this.") % {"role": role.label}, "forbidden")
    hours = settings.VETTED_ROLE_GRANT_WAIT_HOURS
    wait = timedelta(hours=hours)
    holds = {hold.change: hold.since for hold in DeciderHold.objects.filter(user=user)}
    if AccountChange.PASSWORD_SET in holds:
        return Refusal(
            _(
                "Your password was set by someone else at %(since)s. Change it yourself (Change "
                "password) before you decide anything: until then, whoever set it could be acting "
                "as you."
            )
            % {"since": _moment(holds[AccountChange.PASSWORD_SET])},
            "password_reset",
        )
    cutoff = timezone.now() - wait
    grant = RoleGrant.objects.filter(user=user, role=role, granted_at__gt=cutoff).first()
    if grant is not None:
        return Refusal(
            _(
                "You were given the role %(role)s at %(granted)s. A new role decides only after "
                "%(hours)s hours, from %(from)s, so that nobody gives themselves a role and decides at "
                "once."
            )
            % {
                "role": role.label,
                "hours": hours,
                "granted": _moment(grant.granted_at),
                "from": _moment(grant.granted_at + wait),
            },
            "role_too_recent",
        )
    recent = sorted((since, change) for change, since in holds.items() if since > cutoff)
    if recent:
        since, change = recent[-1]
        return Refusal(
            _(
                "Your account was changed at %(since)s (%(change)s). A changed account decides only "
                "after %(hours)s hours, from %(from)s, so that Legal and the administrators can object "
                "first."
            )
            % {
                "since": _moment(since),
                "change": AccountChange(change).label,
                "hours": hours,
                "from": _moment(since + wait),
            },
            "account_changed",
        )
    return None


def decider_refusal(user, role: Role) -> str | None:
    """Why `user` may not decide with `role` now (decider_check), or None when they may."""
    refusal = decider_check(user, role)
    return refusal.message if refusal is not None else None


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
    qs = (
        queryset if queryset is not None else Review.objects.select_related("vendor", "requester", "template")
    )
    review = qs.filter(pk=pk).first()
    if review is None or not can_read_review(user, review):
        raise Http404("No such review.")
    return review, ReviewAccess(user=user, review=review)
