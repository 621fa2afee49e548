"""Read-only admins for everything a review holds: its stages, answers, files and decisions here; the sign-off,
dossiers, audit trail and questionnaires in reviews.admin.readonly_record. Nothing is added, changed or deleted,
superusers included: state moves only through reviews.workflow, and records are kept (I7, PIPL Art. 56)."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reviews.access import reviews_visible_to
from reviews.models import (
    Answer,
    Decision,
    Evidence,
    Stage,
)
from reviews.roles import reads_all
from vendors.admin_lists import AdminMixin, LargeListMixin
from vendors.links import object_url
from vendors.people import PersonFieldsMixin, person_column

KEPT_MESSAGE = _("Nothing is deleted here: review records are kept for at least three years (PIPL Art. 56).")
READ_ONLY_MESSAGE = _("This page is read-only; nothing was changed. Decisions are taken on the review page.")


class NoWriteMixin(AdminMixin):
    """No add, change or delete for anyone, superusers included (I7)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class KeptRecordMixin(NoWriteMixin):
    """No add, change or delete for anyone; a forced delete or change POST gets a message, not a change."""

    actions = None

    def delete_view(self, request, object_id, extra_context=None):
        messages.error(request, KEPT_MESSAGE)
        opts = self.opts
        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            messages.error(request, READ_ONLY_MESSAGE)
            return redirect(request.path)
        return super().change_view(request, object_id, form_url, extra_context)


class ReadOnlyAdmin(LargeListMixin, KeptRecordMixin, PersonFieldsMixin, admin.ModelAdmin):
    """A kept record, read-only. A field naming a user (decided by, uploaded by, signed by ...) shows the person
    as everywhere else (vendors.people.PersonFieldsMixin), not the account's user name behind a link to the
    accounts' admin."""

    # The path from the model to its review, for the access filter.
    review_path: str | None = "review"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.review_path is None or reads_all(request.user):
            # A reader of every review sees the whole table: no filter, so that the list of a large table
            # is not joined to every review to be counted (vendors.admin_lists.LargeListMixin).
            return qs
        return qs.filter(**{f"{self.review_path}__in": reviews_visible_to(request.user)})


def review_link(review) -> str:
    if review is None:
        return "—"
    return format_html(
        '<a href="{}">{}</a>', object_url("admin:reviews_review_change", review.pk), review.number
    )


@admin.register(Stage)
class StageAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "state", "round", "opened_at", "submitted_at", "decided_at"]
    list_filter = ["kind", "state"]
    # The newest reviews' stages first, in the order of their review's stages: read from the index on the
    # review (the model's order, by the review's creation time, would sort every stage of the table).
    ordering = ["-review_id", "order"]
    list_select_related = ["review", "review__vendor"]
    search_fields = ["review__number", "review__vendor__name_zh", "review__vendor__uscc"]
    exclude = ["certifications"]
    readonly_fields = ["review_number"]

    @admin.display(description=_("review"))
    def review_number(self, obj):
        return review_link(obj.review)


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["review", "question", "value", "updated_at"]
    list_select_related = ["review", "review__vendor", "question"]
    search_fields = ["review__number", "question__code"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = [
        "original_name",
        "review",
        "kind",
        "version",
        "round",
        "size",
        "sha256",
        "uploader",
        "uploaded_at",
        "frozen",
        "download",
    ]
    list_filter = ["kind", "frozen"]
    list_select_related = ["review", "review__vendor", "uploaded_by"]
    search_fields = ["review__number", "original_name", "sha256"]
    # The file field is left out: private files are served only by the access-checked download view.
    fields = [
        "review",
        "stage",
        "question",
        "kind",
        "round",
        "version",
        "original_name",
        "size",
        "content_type",
        "sha256",
        "note",
        "uploaded_by",
        "uploaded_at",
        "frozen",
        "withdrawn_at",
        "download",
    ]
    readonly_fields = ["download"]
    uploader = person_column("uploaded_by", _("uploaded by"))

    @admin.display(description=_("file"))
    def download(self, obj):
        # A link per row of the list: reversed once per list, not walked through the URL patterns per row.
        url = object_url("admin:reviews_review_evidence_download", obj.review_id, obj.pk)
        return format_html('<a href="{}">{}</a>', url, _("Download"))


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    review_path = "stage__review"
    list_display = ["stage", "round", "outcome", "decider", "decided_at"]
    decider = person_column("decided_by", _("decided by"))
    list_filter = ["outcome", "stage__kind"]
    # The latest decisions first, by the primary key's index (decisions are only ever added).
    ordering = ["-pk"]
    list_select_related = ["stage", "stage__review", "decided_by"]
    search_fields = ["stage__review__number", "stage__review__vendor__name_zh"]
