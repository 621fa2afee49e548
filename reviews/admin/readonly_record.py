"""Read-only admins for what a review leads to and what it rests on: the sign-off, its dossiers, the audit trail
and the questionnaire templates. Nothing is added, changed or deleted (reviews.admin.readonly)."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reviews.access import reviews_visible_to
from reviews.audit_sentences import SENTENCES, action_name, actor_name, audit_sentence
from reviews.models import AuditEvent, Dossier, Question, QuestionnaireTemplate, Section, SignOff
from reviews.roles import reads_all
from vendors.admin_lists import vendor_column
from vendors.people import person_column
from vendors.scope import Scope

from .readonly import NoWriteMixin, ReadOnlyAdmin


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "review_number",
        "vendor_name",
        "signer",
        "signed_at",
        "valid_until",
        "scope_confirmed",
    ]
    # Approvals whose scope the migration derived from their answers, waiting for Legal (reviews.approval_scope).
    list_filter = ["scope_confirmed"]
    signer = person_column("signed_by", _("signed by"))
    list_select_related = ["review", "review__vendor", "signed_by"]

    @admin.display(description=_("review"), ordering="review__number")
    def review_number(self, obj):
        return obj.review.number

    vendor_name = vendor_column("review__vendor")

    search_fields = ["number", "review__number", "review__vendor__name_zh"]
    # The scope's JSON is read as the approval's scope, in words, with the way to confirm a derived one.
    exclude = ["scope"]
    readonly_fields = ["scope_of_approval"]

    class Media:
        css = {"all": ["css/vetted-admin.css"]}  # the scope block's layout (templates/vendors/_scope.html)

    @admin.display(description=_("scope of approval"))
    def scope_of_approval(self, obj):
        block = render_to_string(
            "vendors/_scope.html",
            {"scope": Scope.from_json(obj.scope).labels(), "confirmed": obj.scope_confirmed},
        )
        if obj.scope_confirmed:
            return block
        return format_html(
            '{}<p><a class="button" id="confirm-scope-link" href="{}">{}</a></p>',
            block,
            reverse("admin:reviews_review_confirm_scope", args=[obj.review_id]),
            _("Confirm or narrow the scope"),
        )


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "size", "sha256_start", "requester", "created_at", "generated_at"]
    requester = person_column("requested_by", _("requested by"))

    @admin.display(description="SHA-256", ordering="sha256")
    def sha256_start(self, obj):
        """The hash's first 12 characters, enough to tell dossiers apart in the list; the dossier's page gives it
        whole (64 characters would push the list past a 1366-pixel screen)."""
        return f"{obj.sha256[:12]}…" if obj.sha256 else "—"

    list_filter = ["status"]
    list_select_related = ["review", "requested_by"]
    exclude = ["file"]


class ActionFilter(admin.SimpleListFilter):
    """The actions the code records (reviews.audit_sentences.SENTENCES), not a scan of every event for its
    distinct values."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(action, action_name(action)) for action in sorted(SENTENCES)]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    # What happened, by whom, to what: the object's table and key are on the event's own page.
    list_display = ["number", "at", "actor_shown", "action_shown", "review_number", "vendor_name"]
    list_filter = [ActionFilter]
    list_select_related = ["actor", "review", "vendor"]
    search_fields = ["action", "actor_label", "review__number", "vendor__uscc"]

    @admin.display(description="#", ordering="pk")
    def number(self, obj):
        """The event's place in the chain (Django would head it "PK", in English)."""
        return obj.pk

    @admin.display(description=_("actor"), ordering="actor_label")
    def actor_shown(self, obj):
        """The person by name (family name first), the vendor contact or Vetted, as the audit trail reads."""
        return actor_name(obj)

    @admin.display(description=_("action"), ordering="action")
    def action_shown(self, obj):
        return action_name(obj.action)

    # The event's page: what happened in a sentence of the reader's language, then the record as it is stored
    # and hashed, the action and the actor's label as recorded, named for what they are.
    fields = [
        "sentence",
        "at",
        "actor",
        "actor_recorded",
        "action_recorded",
        "review",
        "vendor",
        "object_type",
        "object_id",
        "data",
        "prev_hash",
        "scheme",
        "hash",
    ]
    readonly_fields = ["sentence", "actor_recorded", "action_recorded"]

    @admin.display(description=_("what happened"))
    def sentence(self, obj):
        return audit_sentence(obj, full_hashes=True)

    @admin.display(description=_("actor as recorded"))
    def actor_recorded(self, obj):
        return obj.actor_label

    @admin.display(description=_("action as recorded"))
    def action_recorded(self, obj):
        return f"{action_name(obj.action)} ({obj.action})"

    @admin.display(description=_("review"), ordering="review__number")
    def review_number(self, obj):
        return obj.review.number if obj.review_id else None  # Django's "-"

    vendor_name = vendor_column()

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if reads_all(request.user):
            # Readers of all reviews see every event, vendor events (approved, suspended, lapsed) included,
            # which belong to no review.
            return qs
        return qs.filter(review__in=reviews_visible_to(request.user))


class SectionInline(NoWriteMixin, admin.TabularInline):
    model = Section
    fields = ["code", "order", "title_zh", "title_en"]
    extra = 0
    show_change_link = True


@admin.register(QuestionnaireTemplate)
class QuestionnaireTemplateAdmin(ReadOnlyAdmin):
    review_path = None
    list_display = ["version", "title_zh", "title_en", "is_active", "published_at"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    review_path = None
    list_display = ["code", "title_zh", "title_en", "template", "order"]
    list_select_related = ["template"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    review_path = None
    list_display = ["code", "text_zh", "text_en", "answer_type", "legal_basis", "required"]
    list_filter = ["section__template", "answer_type"]
    list_select_related = ["section"]
    search_fields = ["code", "text_zh", "text_en", "legal_basis"]
    ordering = ["section__template", "section__order", "order"]
