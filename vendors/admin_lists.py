"""The admin's lists, with row links that cost no URL resolving.

Django's changelist links each row to its change page with the list's filters kept in the link
(_changelist_filters), and to keep them it resolves every link's URL again (admin_urls.add_preserved_filters):
a list of fifty rows with two link columns resolves a hundred URLs. RowLinksChangeList writes the same links,
the change page's URL (vendors.links) with the same query, without resolving anything."""

from typing import TYPE_CHECKING

from django.contrib.admin import ModelAdmin
from django.contrib.admin.views.main import ChangeList

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
