"""Medians taken by the database, per group, so that a figure costs one query and returns a row or two per
group however many rows it summarises (the portfolio once fetched every stage it measured to take medians
in Python, and slowed down sixfold at 10,000 vendors).

PostgreSQL has the ordered-set aggregate `percentile_cont(0.5) WITHIN GROUP (ORDER BY ...)`. SQLite has no
median; the fallback numbers each group's rows in order with window functions and returns only the one or two
middle rows of each group, so its result stays bounded too. Both give the same figure: the middle value, or
the mean of the two middle values.

Rows are counted as COUNT(*), not COUNT(id): a count that names no column lets PostgreSQL answer from an index
that covers the columns the query reads (an index-only scan), without visiting the table."""

from django.db import connections
from django.db.models import Aggregate, Count, Expression, F, Field, FloatField, Func, Q, QuerySet, Window
from django.db.models.functions import RowNumber


class Seconds(Func):
    """Seconds from the first expression to the second (two datetimes), as a float."""

    output_field = FloatField()
    arity = 2

    def as_sql(  # pragma: no cover - per vendor below
        self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context
    ):
        raise NotImplementedError(f"Seconds has no SQL for {connection.vendor}")

    def _parts(self, compiler, connection):
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])
        return start, end, (*end_params, *start_params)  # in the order of the SQL: end first

    def as_postgresql(self, compiler, connection, **extra_context):
        start, end, params = self._parts(compiler, connection)
        return f"EXTRACT(EPOCH FROM ({end} - {start}))::double precision", params

    def as_sqlite(self, compiler, connection, **extra_context):
        start, end, params = self._parts(compiler, connection)
        return f"((julianday({end}) - julianday({start})) * 86400.0)", params


class PercentileMedian(Aggregate):
    """PostgreSQL's continuous median of a group."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class PercentileMiddles(Aggregate):
    """PostgreSQL's two middle values of a group, from one sort: [lower, upper] (the same value twice in an odd
    group). percentile_disc(f) is the value at position ceil(f * n): 0.5 gives n/2 in an even group (the lower
    middle) and the middle in an odd one; a fraction just above one half gives the next position in an even
    group (the upper middle) and still the middle in an odd one, for any group under a billion rows."""

    function = "PERCENTILE_DISC"
    template = "%(function)s(ARRAY[0.5, 0.500000001]) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = Field()  # an array of the values, as the driver returns it


def _sqlite_middles(queryset: QuerySet, group: str, value: Expression | F, aggregates: dict) -> dict:
    """{group: {"middles": [the middle value] or [the two middle values], "n", and the aggregates}}: each
    group's rows numbered in order by window functions, only the middle one or two returned."""
    partition = [F(group)]
    ranked = (
        queryset.annotate(
            value=value,
            rank=Window(RowNumber(), partition_by=partition, order_by=value.asc()),
            n=Window(Count("pk"), partition_by=partition),
            **{name: Window(aggregate, partition_by=partition) for name, aggregate in aggregates.items()},
        )
        # The middle row of an odd group, the two middle rows of an even one.
        .filter(Q(rank=(F("n") + 1) / 2) | Q(rank=(F("n") + 2) / 2))
        .values(group, "value", "n", *aggregates)
        .order_by(group, "rank")
    )
    result: dict = {}
    for row in ranked:
        key, middle = row.pop(group), row.pop("value")
        entry = result.setdefault(key, {**row, "middles": []})
        entry["middles"].append(middle)
    return result


def grouped_median(queryset: QuerySet, group: str, value: Expression, **aggregates: Aggregate) -> dict:
    """{value of `group`: {"median": median of `value`, "n": rows, and each of `aggregates` by its name}} over
    `queryset`, in one query on either database (on SQLite the aggregates are taken over each group's window,
    so the middle rows carry them). Groups without rows are absent."""
    queryset = queryset.order_by()  # a model's default ordering would only add a sort
    if connections[queryset.db].vendor == "postgresql":
        rows = queryset.values(group).annotate(median=PercentileMedian(value), n=Count("*"), **aggregates)
        return {row.pop(group): row for row in rows}
    result = _sqlite_middles(queryset, group, value, aggregates)
    for entry in result.values():
        middles = entry.pop("middles")
        entry["median"] = sum(middles) / len(middles)
    return result


def grouped_middles(queryset: QuerySet, group: str, value: Expression | F, **aggregates: Aggregate) -> dict:
    """{value of `group`: {"middles": (lower middle, upper middle) of `value`, "n": rows, and each of
    `aggregates`}}, in one query on either database; the two are the same row's value in an odd group.

    For a median of what the database cannot compute but a monotonic function of `value` gives (working days
    since a date: reviews.working_days), the median is the mean of that function of the two middles, taken in
    Python for two values per group whatever the number of rows."""
    queryset = queryset.order_by()
    if connections[queryset.db].vendor == "postgresql":
        rows = queryset.values(group).annotate(middles=PercentileMiddles(value), n=Count("*"), **aggregates)
        result = {}
        for row in rows:
            key = row.pop(group)
            row["middles"] = tuple(row["middles"])
            result[key] = row
        return result
    result = _sqlite_middles(queryset, group, value, aggregates)
    for entry in result.values():
        middles = entry["middles"]
        entry["middles"] = (middles[0], middles[-1])
    return result
