"""The current stage of a review, kept on the review row.

The desk, the "waiting on me" queue, the admin's review list and the requester's dashboard sort and filter
reviews by their current stage: the first one, in order, that has not passed. Computed per row (a correlated
subquery on the stages), every list paid for every review before its LIMIT, and the pages slowed down as
reviews accumulated (issue 13). So the review keeps three columns, `current_stage_kind`,
`current_stage_state` and `current_stage_waiting_since`, indexed, and every service that creates a review
or changes a stage's state calls `review_refresh_current_stage` in the same transaction. The columns are
recomputed from the stages in the database, never set by hand, so a service cannot set them wrongly; the
only way to get them wrong is to forget the call, which tests/reviews/test_current_stage.py looks for
through every transition."""

from django.db.models import Case, DateTimeField, F, OuterRef, QuerySet, Subquery, When

from .models import Review, Stage, StageState

# The columns, and what each is read from on the current stage.
FIELDS = {
    "current_stage_kind": "kind",
    "current_stage_state": "state",
    "current_stage_waiting_since": "waiting_since",
}


def current_stage_subquery(column: str, *, stage_model=Stage):
    """One column of the current stage of the outer review, as a subquery. `waiting_since` is when the
    stage was submitted while it waits for a decision, else when it opened (Stage.waiting_since).
    `stage_model` lets the migration pass its historical model."""
    current = (
        stage_model.objects.filter(review=OuterRef("pk")).exclude(state=StageState.PASSED).order_by("order")
    )
    if column == "waiting_since":
        current = current.annotate(
            waiting_since=Case(
                When(state=StageState.SUBMITTED, then=F("submitted_at")),
                default=F("opened_at"),
                output_field=DateTimeField(),
            )
        )
    return Subquery(current.values(column)[:1])


def current_stage_values(*, stage_model=Stage) -> dict:
    """{column of Review: subquery computing it from the stages}, for an UPDATE or an annotation."""
    return {
        field: current_stage_subquery(column, stage_model=stage_model) for field, column in FIELDS.items()
    }


def review_refresh_current_stage(review: Review) -> None:
    """Recompute the review's current-stage columns from its stages, in one UPDATE, inside the caller's
    transaction. Called by every service that creates a review or changes a stage's state. `updated_at` is
    left alone: the review changed only if the service says so. The instance passed is not updated
    (`refresh_from_db` reads the new values)."""
    Review.objects.filter(pk=review.pk).update(**current_stage_values())


def reviews_refresh_current_stage(queryset: QuerySet, *, stage_model=Stage, batch_size: int = 1000) -> int:
    """Recompute the columns of every review of `queryset`, in batches of primary keys (an UPDATE each), so
    a large table is never held in one statement. Returns how many reviews were updated. Used by the
    migration that added the columns (with its historical models) and by anyone repairing them."""
    updated, last = 0, 0
    values = current_stage_values(stage_model=stage_model)
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not batch:
            return updated
        updated += queryset.model.objects.filter(pk__in=batch).update(**values)
        last = batch[-1]


def stale_current_stages(queryset: QuerySet | None = None) -> list[tuple]:
    """Reviews whose kept columns differ from a fresh computation: (number, kept, computed) for each. Empty
    when every service did its part (the tests check it after each transition)."""
    queryset = Review.objects.all() if queryset is None else queryset
    fresh = {f"fresh_{field}": subquery for field, subquery in current_stage_values().items()}
    stale = []
    for row in queryset.annotate(**fresh).values("number", *FIELDS, *fresh):
        kept = tuple(row[field] for field in FIELDS)
        computed = tuple(row[f"fresh_{field}"] for field in FIELDS)
        if kept != computed:
            stale.append((row["number"], kept, computed))
    return stale
