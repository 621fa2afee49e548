from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RiskTier, VendorCategory
from .selectors import vendor_search
from .text import ControlCharactersRefused

SORTS = {
    "name": ("name_zh", "pk"),
    "-approved_until": ("-approved_until", "name_zh", "pk"),
    "approved_until": ("approved_until", "name_zh", "pk"),
    "cert_expiry": ("nearest_cert_expiry", "name_zh", "pk"),
    "-approved_at": ("-updated_at", "pk"),
}


class ApprovedFilterForm(ControlCharactersRefused, forms.Form):
    """Search, filters and sort of the approved list; the CSV export takes the same parameters."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name or USCC"), "type": "search"}),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *VendorCategory.choices]
    )
    tier = forms.ChoiceField(
        label=_("Risk tier"), required=False, choices=[("", _("All tiers")), *RiskTier.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("approved_until", _("Approval ends soonest")),
            ("-approved_until", _("Approval ends latest")),
            ("cert_expiry", _("Certificate expires soonest")),
        ],
    )

    def apply(self, queryset, *, keep_order: bool = False):
        """The queryset filtered and sorted (or left in its own order); invalid parameters are ignored
        rather than failing the page."""
        data = self.cleaned_data if self.is_valid() else {}
        term = (data.get("q") or "").strip()
        if term:
            queryset = queryset.filter(vendor_search(term))
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("tier"):
            queryset = queryset.filter(risk_tier=data["tier"])
        if keep_order:
            return queryset
        return queryset.order_by(*SORTS.get(data.get("sort") or "name", SORTS["name"]))


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field of that name, to set its choices for this form (bound fields are copies)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field
