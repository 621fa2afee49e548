"""Reads of reviews for lists and pages, with a constant number of queries."""

from django.db.models import Prefetch, QuerySet

from .access import reviews_visible_to
from .models import Review, Stage


def reviews_for_dashboard(user) -> QuerySet[Review]:
    return (
        reviews_visible_to(user)
        .filter(requester=user)
        .select_related("vendor", "requester")
        .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("order")))
        .order_by("-created_at")
    )
