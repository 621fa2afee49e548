"""Vendor contact links in the reviewers' desk, read-only like the rest of a review's record: created and
revoked only by the requester through reviews.contact.services, kept for good (I7). The token's hash is left out:
it opens nothing, and there is nothing to read in it."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from reviews.models import ContactLink

from .readonly import ReadOnlyAdmin


@admin.register(ContactLink)
class ContactLinkAdmin(ReadOnlyAdmin):
    list_display = ["contact_name", "contact_email", "review", "expires_at", "status_label"]
    list_select_related = ["review", "review__vendor"]
    search_fields = ["contact_name", "contact_email", "review__number", "review__vendor__name_zh"]
    fields = [
        "review",
        "contact_name",
        "contact_email",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
        "status_label",
    ]
    readonly_fields = ["status_label"]

    @admin.display(description=_("status"))
    def status_label(self, obj):
        return obj.status().label
