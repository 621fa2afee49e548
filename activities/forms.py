"""Forms of the requester's activity and extension pages. They validate what was typed and hand it to the
services (activities.services.activity_plan, activities.extensions.extension_request), which say what the law
requires; none sets a state."""

import re
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reviews.models import AnswerType, EvidenceKind
from vendors.files import ACCEPT_ATTR, check_upload
from vendors.forms import choice_field
from vendors.models import Vendor, VendorCategory
from vendors.scope import (
    CEILING_ORDER,
    SCOPE_AUDIENCES,
    AudienceSource,
    Ceiling,
    Channel,
    DataCategory,
    OwnChannelKind,
    Purpose,
    Scope,
)
from vendors.text import ControlCharactersRefused
from vendors.uscc import check_uscc

from .widgets import QuickWidgets

BLANK = [("", "---------")]
QUICK_WIDGETS = QuickWidgets()
# Codes may be separated as people paste them: lines, spaces, commas (also the full-width ones), semicolons.
CODE_SEPARATORS = re.compile(r"[\s,，;；、]+")


def _checkboxes(choices, label, **kwargs):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
    )


class VendorCodesField(forms.CharField):
    """Credit codes, one per line (or separated by commas or spaces), each checked (GB 32100-2015) and found
    in the register; the vendors in the order given. Every problem is named with its code, all at once."""

    widget = forms.Textarea

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "rows": 3,
                "class": "mono",
                "autocomplete": "off",
                "spellcheck": "false",
                "data-vendor-codes": "1",
            }
        )

    def clean(self, value):
        text = super().clean(value)
        tokens = [token for token in CODE_SEPARATORS.split(text or "") if token]
        errors, codes = [], []
        for token in tokens:
            try:
                code = check_uscc(token).code
            except ValidationError as error:
                errors.append(
                    _("“%(code)s”: %(problem)s") % {"code": token, "problem": " ".join(error.messages)}
                )
                continue
            if code not in codes:
                codes.append(code)
        found = {vendor.uscc: vendor for vendor in Vendor.objects.filter(uscc__in=codes)} if codes else {}
        errors += [
            _(
                "%(code)s is not in the vendor register: request a review of the vendor first, or check "
                "the code."
            )
            % {"code": code}
            for code in codes
            if code not in found
        ]
        if errors:
            raise ValidationError(errors)
        return [found[code] for code in codes]


class ActivityForm(ControlCharactersRefused, forms.Form):
    """A planned marketing activity as the requester describes it (docs/domain.md "Use")."""

    # Its inputs written in Python, the same markup as Django's templates (activities.widgets).
    default_renderer = QUICK_WIDGETS

    name = forms.CharField(label=_("Name of the activity"), max_length=200)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[*BLANK, *Purpose.choices])
    channels = _checkboxes(Channel.choices, _("Channels through vendors"))
    own_channels = _checkboxes(OwnChannelKind.choices, _("The brand's own channels"))
    named_channels = forms.ModelMultipleChoiceField(
        label=_("Own channels in the register"),
        queryset=Vendor.objects.filter(category=VendorCategory.OWN_CHANNEL).order_by("name_zh"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The registered channels it uses: each must be approved before the activity starts."),
    )
    vendors = VendorCodesField(
        label=_("Vendors (Unified Social Credit Codes)"),
        help_text=_("One code per line. Type part of a name or code to find a vendor of the register."),
    )
    audience_source = forms.ChoiceField(
        label=_("Where the audience comes from"), choices=AudienceSource.choices, widget=forms.RadioSelect
    )
    audience = forms.CharField(
        label=_("The audience"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Who is reached, for example “members who bought in the last 12 "
            "months and opted in to marketing”."
        ),
    )
    data_categories = _checkboxes(DataCategory.choices, _("Personal data used"))
    volume = forms.ChoiceField(label=_("Individuals reached"), choices=[*BLANK, *Ceiling.choices])
    profiling = forms.BooleanField(
        label=_("Profiling, lookalike audiences or personalised ads"), required=False
    )
    personalised_pricing = forms.BooleanField(
        label=_("Prices or terms differ by personal traits"), required=False
    )
    pricing_justification = forms.CharField(
        label=_("Objective justification of the price difference"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required when prices or terms differ (PIPL Art. 24): for example a published discount "
            "for new members."
        ),
    )
    minors = forms.BooleanField(label=_("Children under 14 may be reached"), required=False)
    cross_border = forms.BooleanField(label=_("Personal data leaves China"), required=False)

    PLAN_FIELDS = (
        "name",
        "starts_on",
        "ends_on",
        "purpose",
        "channels",
        "vendors",
        "own_channels",
        "named_channels",
        "audience_source",
        "audience",
        "data_categories",
        "volume",
        "profiling",
        "personalised_pricing",
        "pricing_justification",
        "minors",
        "cross_border",
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("personalised_pricing") and not (cleaned.get("pricing_justification") or "").strip():
            self.add_error(
                "pricing_justification",
                _(
                    "Prices or terms that differ by personal traits need an objective justification "
                    "(PIPL Art. 24): state it, or untick the box."
                ),
            )
        return cleaned

    def plan_fields(self) -> dict:
        """The keyword arguments of activities.services.activity_plan."""
        return {name: self.cleaned_data[name] for name in self.PLAN_FIELDS}

    @classmethod
    def initial_of(cls, activity) -> dict:
        """The form filled with an activity's plan, for its edit page."""
        initial = {
            name: getattr(activity, name)
            for name in cls.PLAN_FIELDS
            if name not in ("vendors", "named_channels")
        }
        initial["named_channels"] = list(activity.named_channels.all())
        initial["vendors"] = "\n".join(vendor.uscc for vendor in activity.vendors.all())
        return initial

    @classmethod
    def initial_from_query(cls, query) -> dict:
        """What a link may fill in (/activities/new/?purpose=abm&channels=sms&vendor=9131...): only known
        codes are kept; the rest of the form stays empty."""
        initial = {}
        if query.get("purpose") in Purpose.values:
            initial["purpose"] = query["purpose"]
        if query.get("audience_source") in AudienceSource.values:
            initial["audience_source"] = query["audience_source"]
        for name, choices in (
            ("channels", Channel),
            ("own_channels", OwnChannelKind),
            ("data_categories", DataCategory),
        ):
            values = _listed(query, name)
            if values:
                initial[name] = [v for v in values if v in choices.values]
        # A vendor by its credit code, or by its key (a link from a vendor's page).
        given = [v for v in _listed(query, "vendor") if len(v) <= 40]
        keys = [int(v) for v in given if v.isdigit() and len(v) < 18]
        by_key = dict(Vendor.objects.filter(pk__in=keys).values_list("pk", "uscc")) if keys else {}
        codes = [by_key.get(int(v), "") if v.isdigit() and len(v) < 18 else v for v in given]
        if any(codes):
            initial["vendors"] = "\n".join(code for code in codes if code)
        return initial


def _listed(query, name) -> list[str]:
    """A parameter given several times (?channels=sms&channels=edm) or as one list (?channels=sms,edm)."""
    values = []
    for raw in query.getlist(name):
        values += [v for v in raw.split(",") if v]
    return values


# --- Scope extensions -----------------------------------------------------------------------------------------


class ExtensionScopeForm(ControlCharactersRefused, forms.Form):
    """Step 1: what the extension adds to the vendor's approved scope, and why. Only what the scope does not
    cover yet is offered."""

    purposes = _checkboxes(Purpose.choices, _("Purposes"))
    channels = _checkboxes(Channel.choices, _("Channels"))
    data_categories = _checkboxes(DataCategory.choices, _("Data categories"))
    audience_sources = _checkboxes([(c.value, c.label) for c in SCOPE_AUDIENCES], _("Audience sources"))
    cross_border = forms.BooleanField(label=_("Personal data may leave China"), required=False)
    ceiling = forms.ChoiceField(
        label=_("A higher ceiling of individuals reached"), required=False, choices=[*BLANK, *Ceiling.choices]
    )
    reason = forms.CharField(
        label=_("Why the vendor is needed for this"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The activity or campaign it serves, and why this vendor."),
    )

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        for name, covered in (
            ("purposes", scope.purposes),
            ("channels", scope.channels),
            ("data_categories", scope.data_categories),
            ("audience_sources", scope.audience_sources),
        ):
            field = choice_field(self, name)
            # Django keeps a field's choices as the list of (value, label) it normalised them to when set.
            offered = cast(list[tuple[str, str]], field.choices)
            field.choices = [(value, label) for value, label in offered if value not in covered]
        if scope.cross_border:
            del self.fields["cross_border"]
        higher = CEILING_ORDER[CEILING_ORDER.index(scope.ceiling) + 1 :] if scope.ceiling else []
        if higher:
            choice_field(self, "ceiling").choices = [*BLANK, *((c, Ceiling(c).label) for c in higher)]
        else:
            # No ceiling recorded means none to raise; the highest band cannot be raised either.
            del self.fields["ceiling"]

    def additions(self) -> Scope:
        data = self.cleaned_data
        return Scope.build(
            purposes=data.get("purposes", ()),
            channels=data.get("channels", ()),
            data_categories=data.get("data_categories", ()),
            audience_sources=data.get("audience_sources", ()),
            cross_border=data.get("cross_border", False),
            ceiling=data.get("ceiling", ""),
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors and self.scope.beyond(self.additions()) == Scope():
            raise ValidationError(_("Tick at least one thing to add to the approved scope."), code="empty")
        return cleaned

    @staticmethod
    def initial_from_query(query) -> dict:
        """From an activity's "request a scope extension" link: purpose, channels, data_categories,
        audience_source, cross_border and volume, named as the activity names them."""
        initial: dict[str, object] = {
            "purposes": [v for v in _listed(query, "purpose") if v in Purpose.values],
            "channels": [v for v in _listed(query, "channels") if v in Channel.values],
            "data_categories": [v for v in _listed(query, "data_categories") if v in DataCategory.values],
            "audience_sources": [
                v
                for v in _listed(query, "audience_source")
                if v in AudienceSource.values and v != AudienceSource.PURCHASED
            ],
        }
        if query.get("cross_border") in ("1", "true", "yes", "on"):
            initial["cross_border"] = True
        if query.get("volume") in Ceiling.values:
            initial["ceiling"] = query["volume"]
        return {name: value for name, value in initial.items() if value}


VALUE, DETAIL, FILE = "q_", "d_", "f_"


class ExtensionNeedsForm(ControlCharactersRefused, forms.Form):
    """Step 2: the questions the additions need answered again (activities.extension_rules), each with the
    input of its answer type, and one file per document they need."""

    def __init__(self, *args, questions, documents, **kwargs):
        """`questions`: activities.selectors.QuestionView rows; `documents`: evidence kinds."""
        super().__init__(*args, **kwargs)
        self.questions, self.documents = list(questions), list(documents)
        for question in self.questions:
            if question.answer_type in (AnswerType.YES_NO, AnswerType.CHOICE):
                self.fields[VALUE + question.code] = forms.ChoiceField(
                    label=_("Your answer"), choices=question.choices, widget=forms.RadioSelect
                )
            elif question.answer_type == AnswerType.MULTI:
                self.fields[VALUE + question.code] = forms.MultipleChoiceField(
                    label=_("Your answer"), choices=question.choices, widget=forms.CheckboxSelectMultiple
                )
            else:
                self.fields[VALUE + question.code] = forms.CharField(
                    label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
                )
            if question.has_detail and question.answer_type != AnswerType.TEXT:
                self.fields[DETAIL + question.code] = forms.CharField(
                    label=_("Details"),
                    required=question.detail_required,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        for kind in self.documents:
            self.fields[FILE + kind] = forms.FileField(
                label=EvidenceKind(kind).label,
                allow_empty_file=True,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
            )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        # Each file checked here (vendors.files: type, size, name), so that a refusal stands beside its own
        # document; extension_request checks them again as it stores them.
        for kind in self.documents:
            upload = cleaned.get(FILE + kind)
            if upload:
                try:
                    check_upload(upload)
                except ValidationError as error:
                    self.add_error(FILE + kind, error)
        return cleaned

    def rows(self):
        """(question, value field, detail field or None) for the template."""
        return [
            (q, self[VALUE + q.code], self[DETAIL + q.code] if DETAIL + q.code in self.fields else None)
            for q in self.questions
        ]

    def file_fields(self):
        return [self[FILE + kind] for kind in self.documents]

    def answers(self) -> dict:
        """{code: {"value", "detail"}} for activities.extensions.extension_request."""
        out = {}
        for question in self.questions:
            value = self.cleaned_data.get(VALUE + question.code)
            if isinstance(value, str):
                value = value.strip()
            out[question.code] = {
                "value": list(value) if isinstance(value, list) else value,
                "detail": (self.cleaned_data.get(DETAIL + question.code) or "").strip(),
            }
        return out

    def uploads(self) -> dict:
        return {
            kind: self.cleaned_data[FILE + kind]
            for kind in self.documents
            if self.cleaned_data.get(FILE + kind)
        }
