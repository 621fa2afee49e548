"""Forms of the requester's pages. They validate input and hand it to the services; none sets a state."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendors import cert_rules
from vendors.files import ACCEPT_ATTR
from vendors.models import VENDOR_CATEGORIES, Certification, CertificationEdition, CertificationKind
from vendors.scope import Channel, Purpose
from vendors.text import ControlCharactersRefused
from vendors.uscc import check_uscc, checksum_warning

from .models import DataTrait, ExpectedVolume


class _TagHelperMixin:
    """Crispy renders the fields only; the templates write the <form> tag and the buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ReviewRequestForm(ControlCharactersRefused, _TagHelperMixin, forms.Form):
    uscc = forms.CharField(
        label=_("Unified Social Credit Code (统一社会信用代码)"),
        max_length=40,
        help_text=_("18 characters, on the vendor's business licence. Checked as you type (GB 32100-2015)."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "data-uscc-input": "1", "class": "mono"}
        ),
    )
    name_zh = forms.CharField(
        label=_("Legal name (Chinese)"),
        max_length=200,
        required=False,
        help_text=_("As printed on the business licence."),
    )
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "---------"), *VENDOR_CATEGORIES], required=False
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    services = forms.CharField(
        label=_("Services bought"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    purpose = forms.CharField(
        label=_("Purpose of use"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the vendor will do for us, for which campaign or channel."),
    )
    personal_data = forms.CharField(
        label=_("Personal data involved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example mobile numbers, OpenIDs, purchase history. Write “none” if none."),
    )
    expected_volume = forms.ChoiceField(label=_("Expected volume"), choices=ExpectedVolume.choices)
    data_traits = forms.MultipleChoiceField(
        label=_("The vendor will touch"),
        required=False,
        choices=DataTrait.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what applies: each sets a minimum risk tier before any answer is given."),
    )
    # What the vendor is needed for, in the codes of an approval's scope (vendors.scope): for a vendor already
    # approved, the page says whether this use is within its scope (reviews.use_fit).
    use_purpose = forms.ChoiceField(
        label=_("What do you need it for?"),
        required=False,
        choices=[("", "---------"), *Purpose.choices],
        help_text=_(
            "Optional. For a vendor already approved, we tell you whether this use is within the scope "
            "it was approved for."
        ),
    )
    use_channels = forms.MultipleChoiceField(
        label=_("Through which channels?"),
        required=False,
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, known_vendor=None, request_possible=True, **kwargs):
        super().__init__(*args, **kwargs)
        # A vendor already in the register keeps its registered details: only the review fields count.
        self.known_vendor = known_vendor
        self.uscc_warning = ""
        if not request_possible:
            # An approved vendor outside its renewal window: no request can be sent, only the use checked
            # against its scope, so the request's own fields are not asked for.
            for name in ("purpose", "expected_volume"):
                self.fields[name].required = False

    def clean_uscc(self):
        check = check_uscc(self.cleaned_data["uscc"])
        if not check.checksum_ok:
            self.uscc_warning = checksum_warning(check)
        return check.code

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if self.known_vendor is None and "uscc" in cleaned:
            from vendors.selectors import vendor_by_uscc

            if vendor_by_uscc(cleaned["uscc"]) is None:
                for name in ("name_zh", "category"):
                    if not cleaned.get(name):
                        self.add_error(name, _("Required for a vendor not yet in the register."))
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by vendors.files when stored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTR}))
        # vendors.files refuses an empty file, with the same message as on every other upload.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class EvidenceUploadForm(ControlCharactersRefused, forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
    # A field named "files": the form class keeps it among its fields, not as the bound files it also names.
    files = MultipleFileField(label=_("Files"))  # type: ignore[assignment]
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, allowed_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_kinds = set(allowed_kinds)

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind not in self.allowed_kinds:
            raise ValidationError(_("This kind of document does not belong to this stage."))
        return kind


class CertificateForm(ControlCharactersRefused, _TagHelperMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=CertificationKind.choices)
    edition = forms.ChoiceField(
        label=_("Edition or level"),
        required=False,
        choices=[("", "---------"), *CertificationEdition.choices],
        help_text=_("ISO/IEC 27001 and 27701: the edition printed on the certificate; MLPS: the level."),
    )
    number = forms.CharField(label=_("Certificate number"), max_length=100)
    issuer = forms.CharField(label=_("Issuer"), max_length=200)
    scope = forms.CharField(
        label=_("Scope"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Check that the scope covers the service we buy."),
    )
    issued_on = forms.DateField(label=_("Issue date"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Leave empty for an MLPS filing certificate or assessment report "
            "and a SOC 2 report: their validity follows from the level or "
            "the period."
        ),
    )
    period_start = forms.DateField(
        label=_("SOC 2 report period start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("SOC 2 report period end"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    bridge_letter = forms.BooleanField(
        label=_("A bridge letter covers the time since the period ended"), required=False
    )
    file = forms.FileField(
        label=_("Certificate file"),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
    )

    SERVICE_FIELDS = (
        "kind",
        "edition",
        "number",
        "issuer",
        "scope",
        "issued_on",
        "expires_on",
        "period_start",
        "period_end",
        "bridge_letter",
    )

    def __init__(self, *args, file_given=False, **kwargs):
        """`file_given`: the file is one already given with a questionnaire answer (D4); none is uploaded."""
        super().__init__(*args, **kwargs)
        self.expiry_warning = ""
        if file_given:
            del self.fields["file"]

    def clean(self):
        """The rules of vendors.cert_rules, on the record as typed: a void certificate is refused with the
        rule and its lapse date; one lapsing within the warning window is accepted with a warning."""
        super().clean()
        cleaned = self.cleaned_data
        issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
        today = timezone.localdate()
        if issued and issued > today:
            self.add_error("issued_on", _("The issue date is in the future."))
        if issued and expires and expires <= issued:
            self.add_error("expires_on", _("The expiry date must be after the issue date."))
        if self.errors or not cleaned.get("kind"):
            return cleaned
        record = Certification(**{name: cleaned.get(name) for name in self.SERVICE_FIELDS})
        record.edition = record.edition or ""
        assessment = cert_rules.assess(record, today=today)
        for problem in assessment.problems:
            self.add_error(None, problem)
        self.expiry_warning = assessment.expiring
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.SERVICE_FIELDS}


class ReasonForm(ControlCharactersRefused, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
