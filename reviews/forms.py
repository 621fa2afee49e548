"""Forms of the requester's pages. They validate input and hand it to the services; none sets a state."""

from datetime import date, timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendors.files import ACCEPT_ATTR
from vendors.models import CertificationKind, VendorCategory
from vendors.text import ControlCharactersRefused
from vendors.uscc import check_uscc, checksum_warning

from .models import ExpectedVolume

# ISO/IEC 27001:2022 was published on 2022-10-25; certificates to the 2013 edition are void after 2025-10-31.
ISO27001_2022_PUBLISHED = date(2022, 10, 25)


class _TagHelperMixin:
    """Crispy renders the fields only; the templates write the <form> tag and the buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ReviewRequestForm(ControlCharactersRefused, _TagHelperMixin, forms.Form):
    uscc = forms.CharField(
        label=_("Unified Social Credit Code (统一社会信用代码)"), max_length=40,
        help_text=_("18 characters, on the vendor's business licence. Checked as you type (GB 32100-2015)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "data-uscc-input": "1",
                                      "class": "mono"}),
    )
    name_zh = forms.CharField(label=_("Legal name (Chinese)"), max_length=200, required=False,
                              help_text=_("As printed on the business licence."))
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "---------"), *VendorCategory.choices],
                                 required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    services = forms.CharField(label=_("Services bought"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    purpose = forms.CharField(label=_("Purpose of use"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("What the vendor will do for us, for which campaign or channel."))
    personal_data = forms.CharField(
        label=_("Personal data involved"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example mobile numbers, OpenIDs, purchase history. Write “none” if none."))
    expected_volume = forms.ChoiceField(label=_("Expected volume"), choices=ExpectedVolume.choices)

    def __init__(self, *args, known_vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A vendor already in the register keeps its registered details: only the review fields count.
        self.known_vendor = known_vendor
        self.uscc_warning = ""

    def clean_uscc(self):
        check = check_uscc(self.cleaned_data["uscc"])
        if not check.checksum_ok:
            self.uscc_warning = checksum_warning(check)
        return check.code

    def clean(self):
        cleaned = super().clean()
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
    files = MultipleFileField(label=_("Files"))
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
    number = forms.CharField(label=_("Certificate number"), max_length=100)
    issuer = forms.CharField(label=_("Issuer"), max_length=200)
    scope = forms.CharField(label=_("Scope"), widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Check that the scope covers the service we buy."))
    issued_on = forms.DateField(label=_("Issue date"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=_("Expiry date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Leave empty only for an MLPS filing certificate."))
    file = forms.FileField(label=_("Certificate file"), allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.expiry_warning = ""

    def clean(self):
        cleaned = super().clean()
        kind, issued, expires = cleaned.get("kind"), cleaned.get("issued_on"), cleaned.get("expires_on")
        today = timezone.localdate()
        if issued and issued > today:
            self.add_error("issued_on", _("The issue date is in the future."))
        needs_expiry = kind and kind != CertificationKind.MLPS_FILING
        if expires is None and needs_expiry and "expires_on" not in self.errors:
            self.add_error("expires_on", _("Give the expiry date; only an MLPS filing certificate has none."))
        if issued and expires:
            if expires <= issued:
                self.add_error("expires_on", _("The expiry date must be after the issue date."))
            elif expires < today:
                self.add_error("expires_on", _("This certificate expired on %(date)s; upload the current "
                                               "one.") % {"date": expires})
            elif expires <= today + timedelta(days=settings.VETTED_CERT_EXPIRY_WARNING_DAYS):
                self.expiry_warning = _(
                    "This certificate expires in %(days)d days (%(date)s): the approval cannot run past "
                    "that date.") % {"days": (expires - today).days, "date": expires}
        if kind == CertificationKind.ISO27001 and issued and issued < ISO27001_2022_PUBLISHED:
            self.add_error("issued_on", _("Issued before ISO/IEC 27001:2022 was published: certificates "
                                          "to the 2013 edition are invalid after 2025-10-31."))
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("kind", "number", "issuer", "scope", "issued_on", "expires_on")}


class ReasonForm(ControlCharactersRefused, forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))
