"""Reads of reviews for lists and pages, with a constant number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from vendors.models import Vendor
from vendors.people import person_name

from .access import DECIDING_ROLE, reviews_visible_to
from .models import (
    Answer,
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

OPEN_STATES = (ReviewState.DRAFT, ReviewState.IN_PROGRESS)


def _decisions() -> Prefetch:
    return Prefetch(
        "decisions", queryset=Decision.objects.select_related("decided_by").order_by("-decided_at", "-pk")
    )


def stages_with_decisions() -> Prefetch:
    return Prefetch(
        "stages",
        queryset=Stage.objects.order_by("order").prefetch_related(_decisions()),
    )


def stages_for_progress() -> Prefetch:
    """The stages alone, for a progress bar (reviews.review_view.stage_views(..., decisions=False)): the bar shows each
    stage's state, whose turn it is and since when, never a decision, so a list of reviews loads no
    decision."""
    return Prefetch("stages", queryset=Stage.objects.order_by("order"))


# How many rows each list of the dashboard shows; the rest is counted and one link away (a page of its own,
# paginated), so a requester with a thousand requests gets the same page, in the same queries, as one with ten.
DASHBOARD_ROWS = 5


@dataclass
class Capped:
    """The first rows of a list and how many it holds in all, for "see all"."""

    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)

    def __iter__(self):
        return iter(self.items)

    def __getitem__(self, index):
        return self.items[index]

    def __len__(self):
        return len(self.items)

    def __bool__(self):
        return bool(self.items)


def requests_count(user) -> Subquery:
    """How many requests the user has, as a scalar subquery: the dashboard reads it on each row of its page of
    requests (reviews.views.dashboard._requests_page), where a COUNT of its own was one more query. Counted
    on the requester's index, once a query (it names nothing of the outer row)."""
    return Subquery(
        reviews_visible_to(user)
        .filter(requester=user)
        .order_by()
        .values("requester")
        .annotate(requests=Count("pk"))
        .values("requests")
    )


def reviews_for_dashboard(user) -> QuerySet[Review]:
    """The user's own requests, newest first, with their stages for the progress bar (2 queries): only the
    columns the table shows (a review and its vendor are wide rows). Their requester is the user: never
    read again (whose_turn compares the key)."""
    return (
        reviews_visible_to(user)
        .filter(requester=user)
        .select_related("vendor")
        .only(
            "number",
            "state",
            "created_at",
            "requester_id",
            "vendor__name_zh",
            "vendor__status",
            "vendor__approved_until",
        )
        .prefetch_related(stages_for_progress())
        .order_by("-created_at", "-pk")
    )


WAITING_FOR_REQUESTER = (StageState.OPEN, StageState.RETURNED)


def reviews_needing_action(user) -> QuerySet[Review]:
    """The user's open requests whose current stage waits for them: returned ones first (a reviewer asked
    for changes), then the longest-waiting open ones. Read from the current stage each review keeps
    (reviews.current_stage), on the index of requester, state and current stage state; stages open strictly
    in order, so the stage waiting is the current one (stages_needing_action reads it)."""
    return (
        reviews_visible_to(user)
        .filter(requester=user, state__in=OPEN_STATES, current_stage_state__in=WAITING_FOR_REQUESTER)
        .order_by("-current_stage_state", "current_stage_waiting_since", "pk")  # "returned" before "open"
    )


# What an item of "needs your action" shows of a stage and its review (reviews/_action_item.html).
ACTION_STAGE_FIELDS = (
    "kind",
    "order",
    "state",
    "round",
    "opened_at",
    "submitted_at",
    "decided_at",
    "review__number",
    "review__state",
    "review__requester_id",
    "review__vendor__name_zh",
)


def stages_needing_action(reviews) -> list[Stage]:
    """The stage waiting in each of `reviews` (from reviews_needing_action, a page of them), in their order,
    with its review, vendor and decisions: two queries for the page, however many requests the user has.
    The vendors are joined here, to the page's rows, not to every waiting request before the LIMIT."""
    order = [review.pk for review in reviews]
    stages = {
        stage.review_id: stage
        for stage in Stage.objects.filter(review__in=order, state__in=WAITING_FOR_REQUESTER)
        .select_related("review", "review__vendor")
        .only(*ACTION_STAGE_FIELDS)
        .prefetch_related(_decisions())
    }
    return [stages[pk] for pk in order if pk in stages]


def reviews_for_reader(user) -> QuerySet[Review]:
    """For reviewers and auditors on the dashboard: the open reviews they can read, oldest change first
    (indexed on state and time of change)."""
    return (
        reviews_visible_to(user)
        .filter(state__in=OPEN_STATES)
        .select_related("vendor", "requester")
        .prefetch_related(stages_for_progress())
        .order_by("updated_at", "pk")
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


def latest_decisions(stages: list[Stage]) -> dict[int, Decision | None]:
    """Each stage's newest decision, by the stage's key, from the stages' prefetched decisions
    (stages_with_decisions). Returned from the sign-off (reviews.workflow.sign_off_return_security): the
    decision is the sign-off's, and the requester reads it on the security stage that reopened."""
    latest = {stage.pk: latest_decision(stage) for stage in stages}
    by_kind = {stage.kind: stage for stage in stages}
    security, sign_off = by_kind.get(StageKind.SECURITY), by_kind.get(StageKind.SIGN_OFF)
    if security is not None and sign_off is not None and security.state == StageState.RETURNED:
        returned, own = latest[sign_off.pk], latest[security.pk]
        if (
            returned is not None
            and returned.outcome == DecisionOutcome.RETURNED
            and (own is None or returned.decided_at > own.decided_at)
        ):
            latest[security.pk] = returned
    return latest


def review_for_page(pk) -> QuerySet[Review]:
    """The queryset review_for_user reads a review page from."""
    return (
        Review.objects.filter(pk=pk)
        .select_related("vendor", "requester", "template")
        .prefetch_related(stages_with_decisions())
    )


# A review's files as its pages list them: newest round first, then by kind and version.
FILE_ORDER = ("-round", "kind", "version", "pk")


def review_files(review: Review) -> list[Evidence]:
    """Every file of the review, all stages and rounds, withdrawn ones included (they are kept, I7), with its
    stage, question and uploader, in FILE_ORDER: read once by a page that shows the files of several stages or
    needs them besides (scoring.review_answer_states, submission.data_source_needs take them)."""
    return list(
        Evidence.objects.filter(review=review)
        .select_related("stage", "uploaded_by", "question")
        .order_by(*FILE_ORDER)
    )


def files_of(files: list[Evidence], stage: Stage) -> list[Evidence]:
    """The files of `stage` among a review's `files` (review_files), in their order."""
    return [item for item in files if item.stage_id == stage.pk]


def contact_links_of(review: Review) -> list[ContactLink]:
    """A review's vendor-contact links, newest first, with who created and revoked them (one query)."""
    return list(
        ContactLink.objects.filter(review=review).select_related("review", "created_by", "revoked_by")
    )


@dataclass(frozen=True)
class ContactContributions:
    """What the vendor's contact supplied through a link: {question code: link} for the answers they saved
    last, {evidence id: link} for the files they added."""

    answers: dict[str, ContactLink] = field(default_factory=dict)
    evidence: dict[int, ContactLink] = field(default_factory=dict)


def contact_contributions(review: Review, *, known: Iterable[ContactLink] = ()) -> ContactContributions:
    """Read from the answers' and files' contact_link columns (the services set them; the audit log records
    the same, but is never read back as data): the answers and the files in one UNION ALL, then the links
    they name, unless every one is among `known` (the link a vendor contact's page holds already). One
    query for a review nothing came to through a link, or only through a known one; two otherwise."""
    answers = (
        Answer.objects.filter(review=review, contact_link__isnull=False)
        .values_list(Value("answer"), "question__code", "contact_link_id")
        .order_by()
    )
    files = (
        Evidence.objects.filter(review=review, contact_link__isnull=False)
        .values_list(Value("evidence"), Cast("pk", CharField()), "contact_link_id")
        .order_by()
    )
    rows = list(answers.union(files, all=True))
    if not rows:
        return ContactContributions()
    links = {link.pk: link for link in known if link.review_id == review.pk}
    if any(link_id not in links for _kind, _key, link_id in rows):
        links = {link.pk: link for link in ContactLink.objects.filter(review=review)}
    by_answer, by_file = {}, {}
    for kind, key, link_id in rows:
        if kind == "answer":
            by_answer[key] = links[link_id]
        else:
            by_file[int(key)] = links[link_id]
    return ContactContributions(answers=by_answer, evidence=by_file)


def catch_up_reviews_owned(user) -> QuerySet[Review]:
    """The open catch-up reviews (补齐审核) the user answers for as business owner, the nearest deadline
    first."""
    return (
        Review.objects.filter(requester=user, catch_up=True, state__in=OPEN_STATES)
        .select_related("vendor")
        .order_by(F("vendor__catch_up_due").asc(nulls_last=True), "pk")
    )


def platforms_to_stop(user=None) -> QuerySet[Vendor]:
    """Platforms in use whose review was rejected: the business must stop using them. Only those the user
    owns when given."""
    vendors = (
        Vendor.objects.filter(stop_using=True).select_related("business_owner").order_by("name_zh", "pk")
    )
    return vendors.filter(business_owner=user) if user is not None else vendors
