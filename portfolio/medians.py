"""Medians taken by the database, per group, so that a figure costs one query and returns a row or two per
group however many rows it summarises (the portfolio once fetched every stage it measured to take medians
in Python, and slowed down sixfold at 10,000 vendors).

PostgreSQL has the ordered-set aggregate `percentile_cont(0.5) WITHIN GROUP (ORDER BY ...)`. SQLite has no
median; the fallback numbers each group's rows in order with window functions and returns only the one or two
middle rows of each group, so its result stays bounded too. Both give the same figure: the middle value, or
the mean of the two middle values."""

from django.db import connections
from django.db.models import Aggregate, Count, Expression, F, FloatField, Func, Q, QuerySet, Window
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


def grouped_median(queryset: QuerySet, group: str, value: Expression, **aggregates: Aggregate) -> dict:
    """{value of `group`: {"median": median of `value`, "n": rows, and each of `aggregates` by its name}} over
    `queryset`, in one query on either database (on SQLite the aggregates are taken over each group's window,
    so the middle rows carry them). Groups without rows are absent."""
    queryset = queryset.order_by()  # a model's default ordering would only add a sort
    if connections[queryset.db].vendor == "postgresql":
        rows = queryset.values(group).annotate(median=PercentileMedian(value), n=Count("pk"), **aggregates)
        return {row.pop(group): row for row in rows}
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
    )
    result: dict = {}
    for row in ranked:
        key, middle = row.pop(group), row.pop("value")
        entry = result.setdefault(key, {**row, "middles": []})
        entry["middles"].append(middle)
    for entry in result.values():
        middles = entry.pop("middles")
        entry["median"] = sum(middles) / len(middles)
    return result
