"""Reads of reviews for lists and pages, with a constant number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Case, DateTimeField, F, OuterRef, Prefetch, QuerySet, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext as _

from vendors.models import Vendor, VendorStatus
from vendors.people import person_name

from .access import DECIDING_ROLE, reviews_visible_to
from .models import (
    STAGE_ORDER,
    AuditEvent,
    ContactLink,
    Decision,
    DecisionOutcome,
    Evidence,
    Review,
    ReviewState,
    Stage,
    StageKind,
    StageState,
)
from .roles import roles_of
from .working_days import working_days_between

OPEN_STATES = (ReviewState.DRAFT, ReviewState.IN_PROGRESS)


def _decisions() -> Prefetch:
    return Prefetch("decisions", queryset=Decision.objects.select_related("decided_by")
                    .order_by("-decided_at", "-pk"))


def stages_with_decisions() -> Prefetch:
    return Prefetch(
        "stages",
        queryset=Stage.objects.order_by("order").prefetch_related(_decisions()),
    )


def reviews_for_dashboard(user) -> QuerySet[Review]:
    """The user's own requests, newest first, with stages and their decisions (3 queries)."""
    return (
        reviews_visible_to(user)
        .filter(requester=user)
        .select_related("vendor", "requester")
        .prefetch_related(stages_with_decisions())
        .order_by("-created_at", "-pk")
    )


def stages_needing_action(user) -> QuerySet[Stage]:
    """Stages waiting for the requester: returned ones first (a reviewer asked for changes), then the
    longest-waiting open ones. Stages open strictly in order, so this is at most one per review."""
    return (
        Stage.objects.filter(
            review__in=reviews_visible_to(user).filter(requester=user, state__in=OPEN_STATES),
            state__in=[StageState.OPEN, StageState.RETURNED])
        .select_related("review", "review__vendor")
        .prefetch_related(_decisions())
        .order_by("-state", "opened_at", "pk")  # "returned" sorts before "open"
    )


def reviews_for_reader(user, *, limit: int = 20) -> list[Review]:
    """For reviewers and auditors on the dashboard: the open reviews they can read, oldest change first."""
    return list(
        reviews_visible_to(user)
        .filter(state__in=OPEN_STATES)
        .select_related("vendor", "requester")
        .prefetch_related(stages_with_decisions())
        .order_by("updated_at", "pk")[:limit]
    )


def latest_decision(stage: Stage) -> Decision | None:
    """The newest decision of a stage from its prefetched decisions (ordered newest first)."""
    decisions = list(stage.decisions.all())
    return decisions[0] if decisions else None


def whose_turn(stage: Stage, *, user) -> str:
    """Who has to act on a stage now, as a short phrase for the page ("Your turn", "Waiting for Legal")."""
    if not stage.review.is_open:
        return ""
    if stage.state in (StageState.OPEN, StageState.RETURNED):
        if stage.review.requester_id == getattr(user, "pk", None):
            return _("Your turn")
        requester = stage.review.requester
        return _("Waiting for %(who)s") % {"who": person_name(requester)}
    if stage.state == StageState.SUBMITTED:
        return _("Waiting for %(who)s") % {"who": DECIDING_ROLE[stage.kind].label}
    return ""


def waiting_since(stage: Stage):
    """Since when the stage has been in its present state, for "since ..." on the pages."""
    if stage.state == StageState.RETURNED:
        return stage.decided_at
    if stage.state == StageState.SUBMITTED:
        return stage.submitted_at
    if stage.state == StageState.OPEN:
        return stage.opened_at
    return None


def decorate_stages(review: Review, *, user) -> list[Stage]:
    """The review's stages in order, each with .latest_decision and .turn for the templates."""
    stages = sorted(review.stages.all(), key=lambda s: s.order)
    for stage in stages:
        stage.review = review  # already loaded: no query per stage
        stage.latest_decision = latest_decision(stage)
        stage.turn = whose_turn(stage, user=user)
        stage.since = waiting_since(stage)
    # Returned from the sign-off (reviews.workflow.sign_off_return_security): the decision is the
    # sign-off's, and the requester reads it on the security stage that reopened.
    by_kind = {stage.kind: stage for stage in stages}
    security, sign_off = by_kind.get(StageKind.SECURITY), by_kind.get(StageKind.SIGN_OFF)
    if security is not None and sign_off is not None and security.state == StageState.RETURNED:
        returned = sign_off.latest_decision
        if returned is not None and returned.outcome == DecisionOutcome.RETURNED and (
                security.latest_decision is None or returned.decided_at > security.latest_decision.decided_at):
            security.latest_decision = returned
    return stages


def review_for_page(pk) -> QuerySet[Review]:
    """The queryset review_for_user reads a review page from."""
    return Review.objects.filter(pk=pk).select_related("vendor", "requester", "template").prefetch_related(
        stages_with_decisions())


def stage_evidence(stage: Stage) -> list[Evidence]:
    """Every file of a stage, all rounds, withdrawn ones included (they are kept, I7), newest round first."""
    return list(
        Evidence.objects.filter(stage=stage).select_related("uploaded_by", "question")
        .order_by("-round", "kind", "version", "pk")
    )


def contact_links_of(review: Review) -> list[ContactLink]:
    """A review's vendor-contact links, newest first, with who created and revoked them (one query)."""
    return list(ContactLink.objects.filter(review=review).select_related("review", "created_by", "revoked_by"))


@dataclass(frozen=True)
class ContactContributions:
    """What the vendor's contact supplied through a link: {question code: link} for the answers they saved
    last, {evidence id: link} for the files they added."""

    answers: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)

    def mark(self, evidence: list[Evidence]) -> list[Evidence]:
        """Give each file .via_contact (its link or None), for the templates."""
        for item in evidence:
            item.via_contact = self.evidence.get(item.pk)
        return evidence


def contact_contributions(review: Review) -> ContactContributions:
    """Read from the audit log, which names the link of every save and upload made through one (no column
    of Answer or Evidence holds it). One query for a review without links, two with."""
    links = {link.pk: link for link in ContactLink.objects.filter(review=review)}
    if not links:
        return ContactContributions()
    answers, evidence = {}, {}
    events = (AuditEvent.objects.filter(review=review, action__in=["answers.saved", "evidence.added"])
              .order_by("pk").values_list("action", "object_id", "data"))
    for action, object_id, data in events:
        link = links.get(data.get("contact_link"))
        if action == "evidence.added":
            if link is not None:
                evidence[int(object_id)] = link
            continue
        for code in data.get("questions", []):
            # The last one to change an answer is its author: the requester may correct the contact.
            if link is not None:
                answers[code] = link
            else:
                answers.pop(code, None)
    return ContactContributions(answers=answers, evidence=evidence)


# -- the reviewers' desk ------------------------------------------------------------------------------------

def current_stage_subquery(column: str):
    """A column of the review's current stage: the first one, in order, that has not passed."""
    current = Stage.objects.filter(review=OuterRef("pk")).exclude(state=StageState.PASSED).order_by("order")
    if column == "waiting_since":
        current = current.annotate(waiting_since=Case(
            When(state=StageState.SUBMITTED, then=F("submitted_at")), default=F("opened_at"),
            output_field=DateTimeField()))
    return Subquery(current.values(column)[:1])


def with_current_stage(queryset: QuerySet[Review]) -> QuerySet[Review]:
    """Reviews with current_stage_kind, current_stage_state and waiting_since, the three facts the desk and
    the queue sort and filter on. The one place they are computed: were they kept as columns of Review,
    this function would return `queryset` unchanged and every reader would stay as it is."""
    return queryset.annotate(current_stage_kind=current_stage_subquery("kind"),
                             current_stage_state=current_stage_subquery("state"),
                             waiting_since=current_stage_subquery("waiting_since"))


def kinds_decided_by(user) -> list[str]:
    roles = roles_of(user)
    return [kind for kind, role in DECIDING_ROLE.items() if role in roles]


@dataclass
class DeskItem:
    review: Review
    kind: str
    waiting_since: object
    days_waiting: int
    target_days: int

    @property
    def overdue(self) -> bool:
        return self.days_waiting > self.target_days


@dataclass
class DeskGroup:
    kind: StageKind
    items: list[DeskItem]


@dataclass
class Desk:
    decides: bool  # False for an auditor: the desk then shows what waits on anyone, to read
    groups: list[DeskGroup]
    expiring: list[tuple[int, list[Vendor]]]  # (30, [...]), (60, [...]), (90, [...])
    decisions: list[Decision]

    @property
    def waiting_count(self) -> int:
        return sum(len(g.items) for g in self.groups)

    @property
    def overdue_count(self) -> int:
        return sum(item.overdue for g in self.groups for item in g.items)


EXPIRY_HORIZONS = (30, 60, 90)


def approvals_ending_within(*, today: date, days: int = EXPIRY_HORIZONS[-1]) -> list[Vendor]:
    """Approved vendors whose approval ends within `days`, soonest first (one query)."""
    return list(Vendor.objects.filter(status=VendorStatus.APPROVED, approved_until__gte=today,
                                      approved_until__lte=today + timedelta(days=days))
                .order_by("approved_until", "pk"))


def desk_for(user, *, today: date | None = None, decisions: int = 10) -> Desk:
    """What waits on `user` by stage, oldest first, with working days waiting against each stage's target
    (VETTED_STAGE_TARGET_DAYS); approvals ending in 30, 60 and 90 days; their latest decisions. Four
    queries whatever the number of reviews. Nobody decides a stage of a review they requested (I4), so
    those are left out; a reader who decides nothing (the auditor) sees every submitted stage."""
    today = today or timezone.localdate()
    kinds = kinds_decided_by(user)
    queryset = with_current_stage(reviews_visible_to(user).filter(state__in=OPEN_STATES))
    queryset = queryset.filter(current_stage_state=StageState.SUBMITTED)
    if kinds:
        queryset = queryset.filter(current_stage_kind__in=kinds).exclude(requester_id=user.pk)
    rows = queryset.select_related("vendor", "requester").order_by(F("waiting_since").asc(nulls_last=True), "pk")
    targets = settings.VETTED_STAGE_TARGET_DAYS
    by_kind: dict[str, list[DeskItem]] = {}
    for review in rows:
        since = timezone.localtime(review.waiting_since).date() if review.waiting_since else today
        by_kind.setdefault(review.current_stage_kind, []).append(DeskItem(
            review=review, kind=review.current_stage_kind, waiting_since=review.waiting_since,
            days_waiting=working_days_between(since, today), target_days=targets[review.current_stage_kind]))
    groups = [DeskGroup(StageKind(kind), by_kind[kind]) for kind in STAGE_ORDER if kind in by_kind]
    vendors = approvals_ending_within(today=today)
    expiring, start = [], today
    for horizon in EXPIRY_HORIZONS:
        end = today + timedelta(days=horizon)
        expiring.append((horizon, [v for v in vendors if start <= v.approved_until <= end]))
        start = end + timedelta(days=1)
    recent = list(Decision.objects.filter(decided_by=user)
                  .select_related("stage__review__vendor").order_by("-decided_at", "-pk")[:decisions])
    return Desk(decides=bool(kinds), groups=groups, expiring=expiring, decisions=recent)
