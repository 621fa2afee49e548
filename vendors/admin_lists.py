"""The admin's lists, with row links that cost no URL resolving.

Django's changelist links each row to its change page with the list's filters kept in the link
(_changelist_filters), and to keep them it resolves every link's URL again (admin_urls.add_preserved_filters):
a list of fifty rows with two link columns resolves a hundred URLs. RowLinksChangeList writes the same links,
the change page's URL (vendors.links) with the same query, without resolving anything.

A list of a large table counts its rows once (show_full_result_count off: a filtered list does not count the
whole table again beside its own count), and an unfiltered list of a table past ESTIMATE_FROM rows on
PostgreSQL takes the planner's estimate of the table's rows (pg_class.reltuples, kept by ANALYZE and
autovacuum) instead of counting them: the page says "about" before that figure.

Such a list shows LARGE_LIST_PAGE rows a page, as the review queue and the activities do, not Django's hundred:
each row's cells cost the same whatever the table's size, so a page of a hundred rows is four times the page
of twenty-five, and the demo's tables, of a few dozen rows, showed one short page where a large one showed a
hundred rows (issue 23: every page as fast at 10,000 vendors as at demo size)."""

from typing import TYPE_CHECKING, ClassVar

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy

from .links import object_url

# The base of a mixin for ModelAdmin classes: ModelAdmin for the type checker (the mixin reads self.opts and
# overrides its attributes), nothing at run time, where the admin class brings ModelAdmin itself.
if TYPE_CHECKING:
    AdminMixin = ModelAdmin
else:
    AdminMixin = object


class RowLinksChangeList(ChangeList):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # add_preserved_filters resolves nothing when there is nothing to preserve; the rows' links carry the
        # query themselves (url_for_result).
        self.row_link_query, self.preserved_filters = self.preserved_filters, ""

    def url_for_result(self, result):
        url = object_url(
            f"{self.model_admin.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
            getattr(result, self.pk_attname),
        )
        return f"{url}?{self.row_link_query}" if self.row_link_query else url


class RowLinksMixin:
    """For a ModelAdmin whose list is long: its rows' links through RowLinksChangeList."""

    def get_changelist(self, request, **kwargs):
        return RowLinksChangeList


# Rows a page of a large table's list (ReviewAdmin and the activities' lists show as many).
LARGE_LIST_PAGE = 25

# Below this many rows a count is cheap and exact; above it, an unfiltered list shows the estimate.
ESTIMATE_FROM = 10_000


def estimated_rows(queryset: QuerySet) -> int | None:
    """The planner's estimate of the rows of `queryset`'s table when `queryset` is the whole table on
    PostgreSQL and the table has been analysed; None otherwise (then the list counts)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or queryset.query.where or queryset.query.distinct:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    estimated = False

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            estimate = estimated_rows(self.object_list)
            if estimate is not None and estimate >= ESTIMATE_FROM:
                self.estimated = True
                return estimate
        return super().count


class LargeListMixin(RowLinksMixin):
    """For a ModelAdmin whose table grows without bound (answers, stages, decisions, audit events): one count
    per list, an estimate for the whole of a large table, and the row links of RowLinksChangeList."""

    paginator: ClassVar[type[Paginator]] = EstimatedCountPaginator
    show_full_result_count = False
    list_per_page = LARGE_LIST_PAGE


def vendor_column(path: str = "vendor"):
    """An admin list column naming the vendor reached by `path` ("vendor", "review__vendor") by its Chinese
    name, sorted by it; empty (Django's "-") where the row has none. Each step is a select_related join of the
    list, so no query per row."""
    steps = path.split("__")

    @admin.display(description=gettext_lazy("vendor"), ordering=f"{path}__name_zh")
    def column(self, obj):
        for step in steps:
            obj = getattr(obj, step)
            if obj is None:
                return None
        return obj.name_zh

    return column
