"""The first rows of a list and how many it holds, as the dashboard and the desk show each of their lists."""

from django.db.models import Count, QuerySet, Window


def first_rows(queryset: QuerySet, *, rows: int, wide: bool) -> tuple[list, int]:
    """The first `rows` of `queryset` (ordered as it is) and how many rows it holds.

    A short list (`wide` false: one person's requests, what waits on them) is counted by a window over the
    same rows (COUNT(*) OVER ()), read on the first row: one query. A list over everyone's items (`wide`: the
    open reviews, the activities waiting for Legal) may hold thousands: a window would read, join and sort
    every one of them to show ten, so it is counted by a COUNT of its own, which reads an index, unless the
    first rows are fewer than `rows` and so are the whole list. A list with no row holds none."""
    if wide:
        items = list(queryset[:rows])
        return items, len(items) if len(items) < rows else queryset.count()
    items = list(queryset.annotate(list_total=Window(Count("pk")))[:rows])
    return items, items[0].list_total if items else 0
