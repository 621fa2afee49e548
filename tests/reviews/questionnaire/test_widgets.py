"""The questionnaire's section form writes Django's widget templates in Python (reviews.questionnaire.widgets)
and its options through a filter (reviews/templatetags/question_fields.py): both held equal, character for
character, to what Django's own templates and the loop they replace write, for every kind of question the
questionnaire has, unbound, bound, refused, answered and locked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.utils.datastructures import MultiValueDict
from django.utils.translation import override

from reviews.models import AnswerType, Question, Section
from reviews.questionnaire.forms import DETAIL, FILES, VALUE, SectionForm
from reviews.questionnaire.scoring import AnswerState
from reviews.questionnaire.widgets import QuestionWidgets

CHOICES = [
    {"value": "a&b", "zh": "甲 <乙>", "en": "A & <B>"},
    {"value": "plain", "zh": "普通", "en": "Plain"},
    {"value": "x\"y'", "zh": "引号", "en": 'Quote "q"'},
]
KINDS = [
    # (code, answer type, has detail, has file)
    ("Y1", AnswerType.YES_NO, False, False),
    ("Y2", AnswerType.YES_NO, True, True),
    ("C1", AnswerType.CHOICE, False, False),
    ("C2", AnswerType.CHOICE, True, True),
    ("M1", AnswerType.MULTI, False, True),
    ("M2", AnswerType.MULTI, True, False),
    ("T1", AnswerType.TEXT, False, False),
    ("T2", AnswerType.TEXT, False, True),
    ("F1", AnswerType.FILE, False, False),
]
STATES = {
    "Y1": AnswerState(value="yes"),
    "Y2": AnswerState(value="no", detail="因为 <b>&</b>"),
    "C1": AnswerState(value="a&b"),
    "C2": AnswerState(value="x\"y'", detail="line one\nline two"),
    "M1": AnswerState(value=["plain", "a&b"]),
    "M2": AnswerState(value=["x\"y'"], detail="d"),
    "T1": AnswerState(detail="文字 & <text>"),
}


def _questions():
    section = Section(pk=1, code="Z", order=1, title_zh="测试", title_en="Test")
    return [
        Question(
            pk=n,
            section=section,
            code=code,
            order=n,
            text_zh=code,
            text_en=code,
            answer_type=kind,
            choices=[] if kind in (AnswerType.YES_NO, AnswerType.TEXT, AnswerType.FILE) else CHOICES,
            has_detail=detail,
            has_file=has_file,
        )
        for n, (code, kind, detail, has_file) in enumerate(KINDS, start=1)
    ]


def _post(data: dict) -> MultiValueDict:
    return MultiValueDict({key: value if isinstance(value, list) else [value] for key, value in data.items()})


def _forms(questions, renderer=None):
    """Each situation the page shows a form in: new, answered, locked, bound and valid, bound and refused;
    with the form's own renderer, or with `renderer`."""
    locked = {"Y2", "C1", "M2", "T1"}
    valid = {
        VALUE + "Y1": "no",
        VALUE + "C2": "plain",
        DETAIL + "C2": "详情 <i>",
        DETAIL + "T2": "",
        VALUE + "M1": ["a&b", "x\"y'"],
    }
    refused = {**valid, VALUE + "C2": "unknown", VALUE + "M1": ["plain", "nope"], VALUE + "Y1": "maybe"}
    files = MultiValueDict({FILES + "F1": [SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")]})
    extra = {"renderer": renderer} if renderer is not None else {}
    forms = {
        "new": SectionForm(questions=questions, states={}, **extra),
        "answered": SectionForm(questions=questions, states=STATES, **extra),
        "locked": SectionForm(questions=questions, states=STATES, locked=locked, **extra),
        "bound": SectionForm(_post(valid), files, questions=questions, states=STATES, locked=locked, **extra),
        "refused": SectionForm(_post(refused), files, questions=questions, states=STATES, **extra),
    }
    for form in forms.values():
        if form.is_bound:
            form.is_valid()
    assert forms["refused"].errors and not forms["bound"].errors
    return forms


def _markup(form) -> dict:
    """Each field as the page writes it ({{ field }}), and its options (BoundWidget.tag), bare and labelled."""
    return {
        name: (
            str(form[name]),
            [w.tag() for w in form[name]] if name.startswith(VALUE) else [],
            [w.tag(wrap_label=True) for w in form[name]] if name.startswith(VALUE) else [],
        )
        for name in form.fields
    }


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_widget_is_written_as_django_writes_it(language):
    with override(language):
        ours = _forms(_questions())
        theirs = _forms(_questions(), renderer=get_default_renderer())
        for situation, form in ours.items():
            assert isinstance(form.renderer, QuestionWidgets)
            assert not isinstance(theirs[situation].renderer, QuestionWidgets)
            written = _markup(form)
            assert written == _markup(theirs[situation]), situation
            # Every kind of input was written: radio buttons, check boxes, text areas and file inputs.
            markup = " ".join(whole for whole, _tags, _labelled in written.values())
            for kind in ('type="radio"', 'type="checkbox"', "<textarea", 'type="file"'):
                assert kind in markup, (situation, kind)


LOOP = (
    '{% for choice in field %}\n            <div class="form-check{% if not multi %} form-check-inline{% endif %}">'
    '{{ choice.tag }}<label class="form-check-label" for="{{ choice.id_for_label }}">{{ choice.choice_label }}'
    "</label></div>\n            {% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_options_are_written_as_the_loop_wrote_them(language):
    loop = engines["django"].from_string(LOOP)
    written = engines["django"].from_string("{% load question_fields %}{{ field|question_choices:multi }}")
    with override(language):
        ours = _forms(_questions())
        theirs = _forms(_questions(), renderer=get_default_renderer())
        for situation, form in ours.items():
            for name in form.fields:
                if not name.startswith(VALUE):
                    continue
                multi = form.fields[name].widget.allow_multiple_selected
                markup = written.render({"field": form[name], "multi": multi})
                assert markup == loop.render({"field": theirs[situation][name], "multi": multi}), (
                    situation,
                    name,
                )
                assert markup.count('class="form-check-input"') == len(form.fields[name].choices)


STEPS_LOOP = """{% load i18n %}{% for p in progress %}{% with current=section.pk|default_if_none:0 %}
    <a class="list-group-item list-group-item-action d-flex justify-content-between align-items-start gap-2 step-{{ p.section.code }}{% if p.section.pk == current %} active{% endif %}" href="{{ p.url }}"{% if p.section.pk == current %} aria-current="step"{% endif %}>
      <span>{{ p.section.code }}. {{ p.section.title }}</span>
      <span class="text-nowrap">
        {% if p.red_flags %}<span class="badge text-bg-danger" title="{% translate 'Red flags' %}">⚑ {{ p.red_flags }}</span>{% endif %}
        <span class="badge {% if p.missing %}text-bg-light border{% else %}text-bg-success{% endif %}">{{ p.answered }}/{{ p.total }}</span>
      </span>
    </a>
    {% endwith %}{% endfor %}"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_sections_are_written_as_the_loop_wrote_them(language):
    sections = [
        Section(pk=n, code=code, order=n, title_zh=f"第{n}节 <&>", title_en=f"Part {n} <&>")
        for n, code in enumerate("ABC", start=1)
    ]
    progress = [
        {
            "section": sections[0],
            "url": "/q/A/?a=1&b=2",
            "total": 6,
            "answered": 6,
            "missing": 0,
            "red_flags": 0,
        },
        {"section": sections[1], "url": "/q/B/", "total": 5, "answered": 2, "missing": 3, "red_flags": 2},
        {"section": sections[2], "url": "/q/C/", "total": 0, "answered": 0, "missing": 0, "red_flags": 1},
    ]
    loop = engines["django"].from_string(STEPS_LOOP)
    written = engines["django"].from_string(
        "{% load questionnaire_steps %}{{ progress|section_steps:section }}"
    )
    with override(language):
        for section in (None, *sections):
            markup = written.render({"progress": progress, "section": section})
            assert markup == loop.render({"progress": progress, "section": section}), section
            assert markup.count("⚑") == 2 and markup.count("aria-current") == (section is not None)
