"""The legal sign-off in the admin (docs/architecture.md "The sign-off path").

The form only collects what reviews.workflow.review_sign_off needs; the service checks the password, the
segregation of duties and the validity cap, admits the vendor for the scope Legal ticked and queues the
dossier. The scope starts as what the vetting established (reviews.scope_proposal) and Legal narrows it."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews import throttle, workflow
from reviews.access import decide_refusal
from reviews.errors import WorkflowError
from reviews.models import DossierStatus, StageKind
from reviews.scope_proposal import scope_proposal_notes, scope_proposed
from reviews.submission import sign_off_validity_cap

from .decision_panel import stage_findings
from .review_file import review_file, review_page_context, review_queryset
from .scope_form import SCOPE_FIELDS, ScopeFields, scope_dimensions

FORM_ID = "sign-off-form"


def dossier_sentence(review) -> str:
    """What the sign-off's message says of the dossier, as it stands when the message is written: rendered
    inline (tests), it is ready or failed already; rendered by a worker or a background thread, it is not."""
    dossier = review.dossiers.first()
    if dossier is None:
        return ""
    if dossier.status == DossierStatus.READY:
        return _("The approval dossier is ready to download.")
    if dossier.status == DossierStatus.FAILED:
        return _("Generating the approval dossier failed; the review page gives the reason.")
    return _("The approval dossier is being generated; the review page shows its progress.")


class SignOffForm(ScopeFields):
    statement = forms.CharField(
        label=gettext_lazy("Statement"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=gettext_lazy("Your conclusion on the whole file; it is printed on the approval dossier."),
    )
    # Printed on the dossier beside the statement. The conditions of use (opt-in only, no sensitive data ...)
    # are ticked in the scope, where the use check and the activity pre-check read them.
    conditions = forms.CharField(
        label=gettext_lazy("Obligations of the vendor (free text)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=gettext_lazy(
            "What the vendor must keep doing while approved, e.g. quarterly consent-log "
            "samples; printed on the dossier. Conditions of use go in the scope. Leave "
            "empty for none."
        ),
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("Re-enter your password to sign."),
    )

    def __init__(self, *args, cap, **kwargs):
        super().__init__(*args, form_id=FORM_ID, **kwargs)
        self.cap = cap
        field = self.fields["valid_until"]
        field.initial = cap.proposed or cap.date
        field.widget.attrs["max"] = cap.date.isoformat()
        field.help_text = _(
            "At most %(cap)s (%(why)s). An approval never runs past the risk tier's maximum "
            "nor the date the first certificate lapses."
        ) % {"cap": cap.date.isoformat(), "why": cap.reason}

    def clean_valid_until(self):
        value = self.cleaned_data["valid_until"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("The validity must end after today."))
        if value > self.cap.date:
            raise forms.ValidationError(
                _("The approval can be valid until %(cap)s at the latest (%(why)s).")
                % {"cap": self.cap.date.isoformat(), "why": self.cap.reason}
            )
        return value

    @property
    def sign_fields(self) -> list:
        """The fields of the side column; the scope's are laid out in the main one (scope_dimensions)."""
        return [self[name] for name in self.fields if name not in SCOPE_FIELDS.values()]


def sign_off_view(model_admin, request, object_id):
    review, access = model_admin._review(request, object_id, queryset=review_queryset())
    stage = review.stage(StageKind.SIGN_OFF)
    change_url = redirect("admin:reviews_review_change", review.pk)
    cap = sign_off_validity_cap(review, today=timezone.localdate())
    if request.method == "POST":
        # No pre-check here: the service refuses (and audits) a requester signing their own request or a
        # wrong password, and those refusals must be recorded even when no button led here.
        form = SignOffForm(request.POST, cap=cap)
        if form.is_valid():
            data = form.cleaned_data
            # The password typed here is counted before the service checks it, on the account's own count
            # (reviews/throttle.py): failures at the sign-in pages never lock it, and while it is locked nothing
            # is tried.
            attempt = throttle.session_attempt(request)
            if not attempt.allowed:
                return throttle.lockout_response(request)
            try:
                sign_off = workflow.review_sign_off(
                    review=review,
                    actor=request.user,
                    password=data["password"],
                    statement=data["statement"],
                    conditions=data["conditions"],
                    valid_until=data["valid_until"],
                    scope=data["scope"],
                )
            except WorkflowError as error:
                if error.code == "password":
                    if throttle.session_password_wrong(request, attempt):
                        return throttle.lockout_response(request)
                else:
                    throttle.session_password_unchecked(attempt)
                # Beside the field it concerns: a wrong password at the password, anything else at the button.
                form.add_error("password" if error.code == "password" else None, error.message)
                for detail in error.details:
                    form.add_error(None, detail.message)
            else:
                throttle.session_password_right(attempt)
                signed = _("Signed off as %(number)s: %(vendor)s is on the approved list until %(date)s.") % {
                    "number": sign_off.number,
                    "vendor": review.vendor.name_zh,
                    "date": sign_off.valid_until.isoformat(),
                }
                messages.success(request, f"{signed} {dossier_sentence(review)}")
                return change_url
        # The bound form is shown again; PasswordInput never echoes the password back.
    else:
        if not access.can_sign_off:
            refusal = decide_refusal(request.user, stage)
            if refusal is None:
                refusal = _("The sign-off stage is %(state)s: there is nothing to sign.") % {
                    "state": stage.get_state_display()
                }
            messages.error(request, refusal)
            return change_url
        form = SignOffForm(cap=cap, initial=SignOffForm.initial_for(scope_proposed(review)))
    file = review_file(review, user=request.user, with_audit=False)
    context = {
        **review_page_context(
            model_admin, request, review, _("Sign off %(number)s") % {"number": review.number}
        ),
        "stage": stage,
        "file": file,
        "findings": stage_findings(file, stage),
        "form": form,
        "scope_dimensions": scope_dimensions(form, scope_proposal_notes(review), review=review),
        "cap": cap,
        # Said before Legal types anything: with the cap today or earlier no date can be signed, and the
        # way on is to return the security stage for a current certificate.
        "impossible": cap.impossible_on(timezone.localdate()),
        "security_stage": review.stage(StageKind.SECURITY),
        "warning_days": settings.VETTED_CERT_EXPIRY_WARNING_DAYS,
        "has_view_permission": True,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/reviews/review/sign_off.html", context)


def sign_off_return_security_view(model_admin, request, object_id):
    """No approval can be signed (a certificate lapses today or earlier): send the security stage back for
    a current certificate (reviews.workflow.sign_off_return_security)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    review, _access = model_admin._review(request, object_id)
    try:
        workflow.sign_off_return_security(
            review=review, actor=request.user, comment=request.POST.get("comment", "")
        )
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect("admin:reviews_review_sign_off", review.pk)
    messages.success(
        request,
        _(
            "The security stage was returned to the requester for a current certificate; "
            "the sign-off waits until Security passes it again."
        ),
    )
    return redirect("admin:reviews_review_change", review.pk)
