"""The questionnaire, one section per page. Everything is optional here: a draft may be saved half done,
and what is still missing is told when the stage is submitted (reviews.submission.missing_content)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vendors.text import ControlCharactersRefused

from ..forms import MultipleFileField
from ..models import AnswerType
from .widgets import QUESTION_WIDGETS

VALUE, DETAIL, FILES = "q_", "d_", "f_"


class SectionForm(ControlCharactersRefused, forms.Form):
    default_renderer = QUESTION_WIDGETS  # Django's widget templates, written in Python (.widgets)

    def __init__(self, *args, questions, states, locked=frozenset(), **kwargs):
        """`locked`: codes shown but not changed here (A1, filled from the request; after a return, what
        Legal did not reopen). Their fields are disabled, so they keep their saved values."""
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.locked = frozenset(locked)
        for q in self.questions:
            state = states.get(q.code)
            kind = q.answer_type
            if kind in (AnswerType.YES_NO, AnswerType.CHOICE):
                self.fields[VALUE + q.code] = forms.ChoiceField(
                    choices=q.localized_choices(),
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )
            elif kind == AnswerType.MULTI:
                self.fields[VALUE + q.code] = forms.MultipleChoiceField(
                    choices=q.localized_choices(),
                    required=False,
                    widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                )
            if kind == AnswerType.TEXT or q.has_detail:
                self.fields[DETAIL + q.code] = forms.CharField(
                    required=False,
                    max_length=5000,
                    label=_("Details"),
                    widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                )
            if q.has_file or kind == AnswerType.FILE:
                self.fields[FILES + q.code] = MultipleFileField(required=False, label=_("Add files"))
                self.fields[FILES + q.code].widget.attrs["class"] = "form-control form-control-sm"
            if q.code in self.locked:
                self.fields.pop(FILES + q.code, None)
                for prefix in (VALUE, DETAIL):
                    if prefix + q.code in self.fields:
                        self.fields[prefix + q.code].disabled = True
            if state is not None and (not self.is_bound or q.code in self.locked):
                if VALUE + q.code in self.fields and state.value not in (None, ""):
                    self.initial[VALUE + q.code] = state.value
                if DETAIL + q.code in self.fields:
                    self.initial[DETAIL + q.code] = state.detail

    def answers(self, states) -> dict:
        """{code: (value, detail)} for answers_save: the questions of this section that are answered now or
        were before (so that clearing an answer is saved too)."""
        out = {}
        for q in self.questions:
            if q.code in self.locked:
                continue
            value = self.cleaned_data.get(VALUE + q.code)
            if q.answer_type == AnswerType.MULTI:
                value = list(value or [])
                value = value or None
            elif q.answer_type in (AnswerType.TEXT, AnswerType.FILE):
                value = None
            else:
                value = value or None
            detail = (self.cleaned_data.get(DETAIL + q.code) or "").strip()
            if value is not None or detail or q.code in states:
                out[q.code] = (value, detail)
        return out

    def uploads(self):
        """[(question, [files])] of this submission."""
        return [
            (q, self.cleaned_data.get(FILES + q.code) or [])
            for q in self.questions
            if self.cleaned_data.get(FILES + q.code)
        ]
