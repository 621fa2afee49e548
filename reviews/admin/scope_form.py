"""The scope of an approval as Legal types it: the sign-off form and the confirmation of a derived scope.

An approval covers what was vetted, recorded as codes (docs/domain.md "Use"; PIPL Art. 6, 14, 21), so the form
offers the vocabulary of vendors.scope as boxes to tick and never free text, except for the conditions no
rule fits. It starts from a proposal (reviews.scope_proposal) and Legal narrows it; under each dimension it
says what the answers took away from the category's defaults, or added, with the article."""

from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews.scope_proposal import ProposalNote
from vendors.scope import (
    SCOPE_AUDIENCES,
    AudienceSource,
    Ceiling,
    Channel,
    DataCategory,
    Purpose,
    Scope,
    ScopeCondition,
    ScopeInvalid,
)
from vendors.text import ControlCharactersRefused

# The form's field of each dimension of a Scope (the free-text "conditions" of the sign-off is another field).
SCOPE_FIELDS = {
    "purposes": "purposes",
    "channels": "channels",
    "data_categories": "data_categories",
    "audience_sources": "audience_sources",
    "cross_border": "cross_border",
    "ceiling": "ceiling",
    "conditions": "scope_conditions",
    "other_conditions": "other_conditions",
}
# Of each dimension, how a code reads (for the notes).
_VOCABULARY = {
    "purposes": Purpose,
    "channels": Channel,
    "data_categories": DataCategory,
    "audience_sources": AudienceSource,
    "conditions": ScopeCondition,
}


def _boxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "vetted-scope-box"})


class ScopeFields(ControlCharactersRefused, forms.Form):
    purposes = forms.MultipleChoiceField(
        label=gettext_lazy("Purposes"),
        choices=Purpose.choices,
        widget=_boxes(),
        required=False,
        help_text=gettext_lazy("What the vendor may be used for (PIPL Art. 6: a clear purpose)."),
    )
    channels = forms.MultipleChoiceField(
        label=gettext_lazy("Channels"), choices=Channel.choices, widget=_boxes(), required=False
    )
    data_categories = forms.MultipleChoiceField(
        label=gettext_lazy("Data categories"),
        choices=DataCategory.choices,
        widget=_boxes(),
        required=False,
        help_text=gettext_lazy(
            "The personal information the vendor may receive or use; none for anonymous or "
            "aggregated data only."
        ),
    )
    audience_sources = forms.MultipleChoiceField(
        label=gettext_lazy("Audience sources"),
        widget=_boxes(),
        required=False,
        choices=[(choice.value, choice.label) for choice in SCOPE_AUDIENCES],
        help_text=gettext_lazy(
            "Where the people reached may come from. A bought, rented or swapped list is "
            "never within a scope (PIPL Art. 10)."
        ),
    )
    cross_border = forms.BooleanField(
        label=gettext_lazy("Cross-border transfer covered"),
        required=False,
        help_text=gettext_lazy("Only with a lawful route and separate consent (PIPL Art. 38-39)."),
    )
    ceiling = forms.ChoiceField(
        label=gettext_lazy("Volume ceiling"),
        choices=[("", "---------"), *Ceiling.choices],
        help_text=gettext_lazy("The most individuals a use may reach."),
        error_messages={
            "required": gettext_lazy("Choose the most individuals a use of this vendor may reach.")
        },
    )
    scope_conditions = forms.MultipleChoiceField(
        label=gettext_lazy("Conditions of use"),
        choices=ScopeCondition.choices,
        widget=_boxes(),
        required=False,
        help_text=gettext_lazy("Each is a rule the use check and the activity pre-check apply or repeat."),
    )
    other_conditions = forms.CharField(
        label=gettext_lazy("Other conditions of use"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=gettext_lazy("Only what none of the conditions above says."),
    )

    def __init__(self, *args, form_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if form_id:
            # The scope is laid out in the page's main column, beside the file, while the form with its
            # button sits in the side column: each input names its form (HTML form attribute).
            for name in SCOPE_FIELDS.values():
                self.fields[name].widget.attrs["form"] = form_id

    @staticmethod
    def initial_for(scope: Scope) -> dict:
        return {
            "purposes": list(scope.purposes),
            "channels": list(scope.channels),
            "data_categories": list(scope.data_categories),
            "audience_sources": list(scope.audience_sources),
            "cross_border": scope.cross_border,
            "ceiling": scope.ceiling,
            "scope_conditions": list(scope.conditions),
            "other_conditions": scope.other_conditions,
        }

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if "purposes" in cleaned and not cleaned["purposes"]:
            self.add_error("purposes", _("Tick at least one purpose the vendor is approved for."))
        if "channels" in cleaned and not cleaned["channels"]:
            self.add_error("channels", _("Tick at least one channel the vendor is approved for."))
        if not self.errors:
            try:
                cleaned["scope"] = self._build(cleaned)
            except ScopeInvalid as error:  # the choices already refuse unknown codes; kept as a last guard
                self.add_error(None, str(error))
        return cleaned

    @staticmethod
    def _build(cleaned) -> Scope:
        return Scope.build(
            purposes=cleaned["purposes"],
            channels=cleaned["channels"],
            data_categories=cleaned.get("data_categories") or (),
            audience_sources=cleaned.get("audience_sources") or (),
            cross_border=cleaned.get("cross_border"),
            ceiling=cleaned["ceiling"],
            conditions=cleaned.get("scope_conditions") or (),
            other_conditions=cleaned.get("other_conditions") or "",
        )

    @property
    def has_scope_errors(self) -> bool:
        return any(name in self.errors for name in SCOPE_FIELDS.values())


@dataclass(frozen=True)
class ScopeDimension:
    """One dimension of the scope on the page: its field and why the proposal has what it has."""

    field: forms.BoundField
    notes: tuple[str, ...]
    is_boxes: bool


def _codes_text(dimension: str, codes) -> str:
    if dimension == "cross_border":
        return _("cross-border transfer")
    choices = _VOCABULARY[dimension]
    return ", ".join(str(choices(code).label) for code in codes)


def note_text(note: ProposalNote) -> str:
    parts = {"why": note.rule.why, "article": note.rule.article}
    if note.removed:
        parts["codes"] = _codes_text(note.dimension, note.removed)
        return _("Not proposed: %(codes)s. %(why)s (%(article)s)") % parts
    parts["codes"] = _codes_text(note.dimension, note.added)
    return _("Proposed: %(codes)s. %(why)s (%(article)s)") % parts


def volume_note(review) -> str:
    """The proposal's ceiling is the number of individuals the vendor answered at A5; when the request expected
    another volume, Legal is told both before signing an approval narrower, or wider, than the request."""
    answered = review.answers.filter(question__code="A5").values_list("value", flat=True).first()
    if (
        not answered
        or answered not in Ceiling.values
        or not review.expected_volume
        or answered == review.expected_volume
    ):
        return ""
    return _(
        "The request expects %(requested)s; the vendor answered “%(answered)s” at A5, which the proposal "
        "takes. Choose the ceiling you approve."
    ) % {"requested": review.get_expected_volume_display(), "answered": Ceiling(answered).label}


def scope_dimensions(
    form: ScopeFields, notes: Sequence[ProposalNote] = (), *, review=None
) -> list[ScopeDimension]:
    """The scope's fields in the form's order, each with the notes of the rules that changed it (and, given
    the review, the volume it asked for where the ceiling differs)."""
    by_field: dict[str, list[str]] = {}
    for note in notes:
        by_field.setdefault(SCOPE_FIELDS[note.dimension], []).append(note_text(note))
    if review is not None and (volume := volume_note(review)):
        by_field.setdefault("ceiling", []).append(volume)
    return [
        ScopeDimension(
            form[name],
            tuple(by_field.get(name, ())),
            isinstance(form.fields[name].widget, forms.CheckboxSelectMultiple),
        )
        for name in SCOPE_FIELDS.values()
    ]
