"""The review queue and review page of the reviewers' desk, with the stage decisions (issue 4, 1-3).

Every decision is a POST to a view here that calls reviews.workflow; nothing in the admin sets a state
field. Which buttons show is asked of reviews.access; the services check again, so a forced POST by someone
who sees no button is refused (and audited, where the service audits it)."""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import F
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reviews import workflow
from reviews.access import decide_refusal, review_for_user, reviews_visible_to
from reviews.approval_scope import scope_confirm_refusal
from reviews.errors import WorkflowError
from reviews.models import Evidence, Review, Stage, StageKind, StageState
from reviews.views.downloads import stored_attachment
from reviews.working_days import working_days_between
from vendors.admin_lists import RowLinksMixin
from vendors.people import person_column
from vendors.scope import Scope

from .decision_panel import reopen_choices, stage_findings
from .filters import CurrentStageFilter, OverdueFilter, WaitingOnMeFilter
from .readonly import KeptRecordMixin
from .review_file import review_file, review_page_context, review_queryset
from .review_rows import PREVIEWABLE

# Shown in the page itself; anything else (DOCX, XLSX) is only ever a download.


def show_workflow_error(request, error: WorkflowError) -> None:
    messages.error(request, error.message)
    for detail in error.details:
        messages.error(request, detail.message)


@admin.register(Review)
class ReviewAdmin(RowLinksMixin, KeptRecordMixin, admin.ModelAdmin):
    list_display = ["number", "vendor_name", "current_stage", "risk", "requester_name", "age", "days_waiting"]
    list_display_links = ["number", "vendor_name"]
    list_filter = [
        WaitingOnMeFilter,
        CurrentStageFilter,
        "state",
        "catch_up",
        "risk_tier",
        "vendor__category",
        OverdueFilter,
    ]
    search_fields = [
        "number",
        "vendor__name_zh",
        "vendor__name_en",
        "vendor__uscc",
        "requester__username",
        "requester__email",
        "requester__first_name",
        "requester__last_name",
    ]
    list_select_related = ["vendor", "requester"]
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 25
    review_template = "admin/reviews/review/review.html"

    # -- queue ---------------------------------------------------------------------------------------------

    def get_queryset(self, request):
        return reviews_visible_to(request.user).select_related("vendor", "requester")

    def get_ordering(self, request):
        # Longest waiting first (the kept column, indexed with the primary key: reviews.current_stage).
        return [F("current_stage_waiting_since").asc(nulls_last=True), "pk"]

    @admin.display(description=gettext_lazy("vendor"), ordering="vendor__name_zh")
    def vendor_name(self, obj):
        return format_html('{}<br><small class="uscc">{}</small>', obj.vendor.name_zh, obj.vendor.uscc)

    requester_name = person_column("requester", gettext_lazy("requester"))

    @admin.display(description=gettext_lazy("current stage"), ordering="current_stage_kind")
    def current_stage(self, obj):
        if obj.current_stage_kind is None or not obj.is_open:
            # A closed review has no desk to wait at: show how it ended.
            return obj.get_state_display()
        return format_html(
            "{}<br><small>{}</small>",
            StageKind(obj.current_stage_kind).label,
            StageState(obj.current_stage_state).label,
        )

    @admin.display(description=gettext_lazy("risk"), ordering="-risk_score")
    def risk(self, obj):
        flags = ngettext("%(n)d red flag", "%(n)d red flags", obj.red_flag_count) % {"n": obj.red_flag_count}
        return format_html(
            '{}<br><small class="{}">{}</small>',
            obj.get_risk_tier_display(),
            "vetted-overdue" if obj.red_flag_count else "vetted-muted",
            flags,
        )

    @admin.display(description=gettext_lazy("age (days)"), ordering="-created_at")
    def age(self, obj):
        return (timezone.now() - obj.created_at).days

    @admin.display(description=gettext_lazy("waiting (working days)"), ordering="current_stage_waiting_since")
    def days_waiting(self, obj):
        if obj.current_stage_waiting_since is None or not obj.is_open:
            return "—"
        days = working_days_between(
            timezone.localtime(obj.current_stage_waiting_since).date(), timezone.localdate()
        )
        target = settings.VETTED_STAGE_TARGET_DAYS[obj.current_stage_kind]
        if obj.current_stage_state == StageState.SUBMITTED and days > target:
            return format_html('<strong class="vetted-overdue" title="{}">{}</strong>', _("Overdue"), days)
        return days

    # -- review page ---------------------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/stages/<int:stage_id>/<str:outcome>/",
                view(self.decide_view),
                name="reviews_review_decide",
            ),
            path("<path:object_id>/sign-off/", view(self.sign_off_view), name="reviews_review_sign_off"),
            path(
                "<path:object_id>/sign-off/return-security/",
                view(self.sign_off_return_security_view),
                name="reviews_review_sign_off_return_security",
            ),
            path(
                "<path:object_id>/confirm-scope/",
                view(self.scope_confirm_view),
                name="reviews_review_confirm_scope",
            ),
            path(
                "<path:object_id>/evidence/<int:evidence_id>/download/",
                view(self.evidence_download_view),
                name="reviews_review_evidence_download",
            ),
            path(
                "<path:object_id>/evidence/<int:evidence_id>/preview/",
                view(self.evidence_preview_view),
                name="reviews_review_evidence_preview",
            ),
            path(
                "<path:object_id>/certificates/<int:certification_id>/download/",
                view(self.certificate_download_view),
                name="reviews_review_certificate_download",
            ),
            *super().get_urls(),
        ]

    def _review(self, request, object_id, *, queryset=None):
        if not self.has_view_permission(request):
            raise Http404("No such review.")
        try:
            pk = int(object_id)
        except (TypeError, ValueError):
            raise Http404("No such review.") from None
        return review_for_user(request.user, pk, queryset=queryset)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        review, access = self._review(request, object_id, queryset=review_queryset())
        if request.method == "POST":
            # The page is read-only: a tampered POST (state, risk, requester ...) changes nothing.
            messages.error(
                request,
                _(
                    "The review page is read-only; nothing was changed. Use the decision "
                    "buttons to pass, return or fail a stage."
                ),
            )
            return redirect(request.path)
        file = review_file(review, user=request.user)
        stage = file.current_stage
        decision = None
        if stage is not None and review.is_open and stage.state == StageState.SUBMITTED:
            decision = {
                "stage": stage,
                "allowed": access.can_decide(stage),
                "refusal": decide_refusal(request.user, stage),
                "is_sign_off": stage.kind == StageKind.SIGN_OFF,
                "red_flags": file.red_flag_rows if stage.kind == StageKind.QUESTIONNAIRE else [],
                "reopen_choices": reopen_choices(file, stage),
                "findings": stage_findings(file, stage),
            }
        sign_off = file.sign_off
        context = {
            **review_page_context(self, request, review, _("Review %(number)s") % {"number": review.number}),
            "file": file,
            "access": access,
            "decision": decision,
            # What the approval covers, as Legal signed or confirmed it (a view model: vendors.scope.ScopeLabels).
            "scope": Scope.from_json(sign_off.scope).labels() if sign_off is not None else None,
            "can_confirm_scope": sign_off is not None
            and scope_confirm_refusal(request.user, sign_off) is None,
            "overdue_days": settings.VETTED_STAGE_OVERDUE_DAYS,
            "previewable": PREVIEWABLE,
            "warning_days": settings.VETTED_CERT_EXPIRY_WARNING_DAYS,
            "has_view_permission": True,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.review_template, context)

    # -- decisions -----------------------------------------------------------------------------------------

    def decide_view(self, request, object_id, stage_id, outcome):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        review, _access = self._review(request, object_id)
        stage = (
            Stage.objects.select_related("review", "review__vendor")
            .filter(review=review, pk=stage_id)
            .first()
        )
        if stage is None:
            raise Http404("No such stage.")
        comment = request.POST.get("comment", "")
        try:
            if outcome == "pass":
                workflow.stage_pass(stage=stage, actor=request.user, comment=comment)
                done = _("The stage “%(stage)s” passed; the next stage is open.")
            elif outcome == "return":
                workflow.stage_return(
                    stage=stage, actor=request.user, comment=comment, reopen=request.POST.getlist("reopen")
                )
                done = _("The stage “%(stage)s” was returned to the requester with your comment.")
            elif outcome == "fail":
                workflow.stage_fail(stage=stage, actor=request.user, reason=comment)
                done = _("The stage “%(stage)s” failed; the review is rejected.")
            else:
                raise Http404("No such decision.")
        except WorkflowError as error:
            show_workflow_error(request, error)
        else:
            messages.success(request, done % {"stage": stage.get_kind_display()})
        return redirect("admin:reviews_review_change", review.pk)

    def sign_off_view(self, request, object_id):
        from .sign_off import sign_off_view

        return sign_off_view(self, request, object_id)

    def sign_off_return_security_view(self, request, object_id):
        from .sign_off import sign_off_return_security_view

        return sign_off_return_security_view(self, request, object_id)

    def scope_confirm_view(self, request, object_id):
        from .scope_confirm import scope_confirm_view

        return scope_confirm_view(self, request, object_id)

    # -- files ---------------------------------------------------------------------------------------------

    def evidence_preview_view(self, request, object_id, evidence_id):
        """The file inline, for the frame or image on the review page; only PDF, PNG and JPEG, whose type
        the upload check confirmed from the content (vendors/files.py)."""
        review, _access = self._review(request, object_id)
        evidence = Evidence.objects.filter(review=review, pk=evidence_id).first()
        if evidence is None or evidence.content_type not in PREVIEWABLE:
            raise Http404("No preview of this file.")
        response = stored_attachment(
            evidence.file.name, name=evidence.original_name, content_type=evidence.content_type, inline=True
        )
        # The review page frames it; no other site may.
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def evidence_download_view(self, request, object_id, evidence_id):
        review, _access = self._review(request, object_id)
        evidence = Evidence.objects.filter(review=review, pk=evidence_id).first()
        if evidence is None:
            raise Http404("No such file.")
        return stored_attachment(
            evidence.file.name, name=evidence.original_name, content_type=evidence.content_type
        )

    def certificate_download_view(self, request, object_id, certification_id):
        review, _access = self._review(request, object_id)
        security = Stage.objects.get(review=review, kind=StageKind.SECURITY)
        cert = security.certifications.filter(pk=certification_id).first()
        if cert is None:
            raise Http404("No such file.")
        return stored_attachment(cert.file.name, name=cert.original_name, content_type=cert.content_type)
