"""A question's card on a questionnaire section ({% question_card row %}, reviews/templatetags/question_card.py)
is held equal, character for character and in both languages, to the template loop it replaces (kept here),
for every kind of question and every state a card shows: reopened or kept, answered or to answer, options,
details (required, from the request, refused), files (listed, to add, refused), flags and legal basis, a
vendor contact's answer, on the requester's page and the contact's, editable or not."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.utils.datastructures import MultiValueDict
from django.utils.translation import override

from reviews.models import AnswerType, ContactLink, Evidence, Question, Section, Stage
from reviews.questionnaire.forms import DETAIL, FILES, VALUE, SectionForm
from reviews.questionnaire.scoring import AnswerState, Flag
from reviews.review_view import EvidenceItem

OLD_ROWS = """{% load i18n citations question_fields %}    {% for row in rows %}{% with q=row.question %}
      <div class="card shadow-sm mb-3 question{% if row.flags %} has-flags{% endif %}" id="q-{{ q.code }}" data-code="{{ q.code }}" data-show-if="{{ row.show_if }}"{% if not row.visible %} hidden{% endif %}>
        <div class="card-body">
          <div class="d-flex gap-2 align-items-start">
            <span class="q-code badge text-bg-dark">{{ q.code }}</span>
            <div class="flex-grow-1">
              <p class="fw-semibold mb-0 q-text">{{ q.text }}</p>
              <p class="small text-body-secondary mb-1 other-lang" lang="{% if LANGUAGE_CODE|slice:':2' == 'en' %}zh-Hans{% else %}en{% endif %}">{{ row.other_text }}</p>
              {% if q.help %}<p class="small mb-2 q-help">{{ q.help }}</p>{% endif %}
            </div>
            {% include "reviews/_via_contact.html" with via=row.via_contact %}
            {% if row.reopened %}<span class="badge text-bg-warning reopened">{% translate "reopened by Legal" %}</span>{% elif row.kept and editable %}<span class="badge text-bg-light border kept" title="{% translate 'Legal did not reopen this answer: it stays as submitted.' %}">{% translate "kept as submitted" %}</span>{% endif %}
            {% if row.answered %}<span class="badge text-bg-success" title="{% translate 'Answered' %}">✓</span>{% elif q.required and row.visible %}<span class="badge text-bg-light border">{% translate "to answer" %}</span>{% endif %}
          </div>
          {% if row.value %}
          <div class="mt-2 q-choices" role="group" aria-label="{{ q.code }}">
            {{ row.value|question_choices:row.is_multi }}
          </div>
          {% if row.volume_from_request %}<div class="small mt-1 from-request" id="volume-from-request">{% translate "Filled in with the volume given on the request. Change it if the vendor handles the personal information of more individuals in all." %}</div>{% endif %}
          {% endif %}
          {% if row.detail %}
          <div class="mt-2">
            <label class="form-label small mb-1" for="{{ row.detail.id_for_label }}">{% if q.answer_type == 'text' %}{% translate "Answer" %}{% else %}{% translate "Details" %}{% if q.detail_required %} <span class="text-danger">*</span>{% endif %}{% endif %}</label>
            {{ row.detail }}
            {% if row.from_request %}<div class="small mt-1 from-request">{% translate "Filled from the credit code on the request; change it there, not here." %}
              {% if uscc_check_ok %}<span class="text-success">✓ {% translate "check character matches (GB 32100-2015)" %}</span>{% else %}<span class="text-warning-emphasis">{% translate "the check character does not match: verify the code on the national credit registry" %}</span>{% endif %}</div>{% endif %}
            {% for e in row.detail.errors %}<div class="invalid-feedback d-block">{{ e }}</div>{% endfor %}
          </div>
          {% endif %}
          {% if row.files or row.evidence %}
          <div class="mt-2 q-files">
            <label class="form-label small mb-1"{% if row.files %} for="{{ row.files.id_for_label }}"{% endif %}>{% translate "Files" %}{% if q.file_required %} <span class="text-danger">*</span>{% endif %}
              <span class="text-body-secondary">({% translate "PDF, PNG, JPEG, DOCX or XLSX" %})</span></label>
            {% if row.evidence %}<ul class="list-unstyled mb-2 evidence-list">{% for item in row.evidence %}{% include "reviews/_evidence_item.html" %}{% endfor %}</ul>{% endif %}
            {% if editable and row.files %}{{ row.files }}{% endif %}
            {% for e in row.files.errors %}<div class="invalid-feedback d-block upload-error">{{ e }}</div>{% endfor %}
          </div>
          {% endif %}
          {% for f in row.flags %}
          <div class="alert {% if f.effect == 'red_flag' %}alert-danger red-flag{% else %}alert-warning risk-flag{% endif %} py-2 px-3 mt-2 mb-0 small" role="status">
            <strong>{% if f.effect == 'red_flag' %}⚑ {% translate "Red flag" %}{% else %}{% translate "Risk" %} +{{ f.points }}{% endif %}:</strong> {{ f.message }}
            {% if f.legal_basis %}<div class="legal-basis">{% translate "Legal basis:" %} {{ f.legal_basis|cite }}</div>{% endif %}
          </div>
          {% endfor %}
          {% if q.legal_basis and not row.flags %}<div class="small text-body-secondary mt-2 legal-basis">{% translate "Legal basis:" %} {{ q.legal_basis|cite }}</div>{% endif %}
        </div>
      </div>
    {% endwith %}{% endfor %}
"""

CHOICES = [
    {"value": "a&b", "zh": "甲 <乙>", "en": "A & <B>"},
    {"value": "plain", "zh": "普通", "en": "Plain"},
]
KINDS = [
    # code, answer type, has detail, has file, detail required, file required, help, legal basis
    ("A1", AnswerType.TEXT, False, False, False, False, "", ""),
    ("A5", AnswerType.CHOICE, True, False, True, False, "帮助 <b>", "PIPL Art. 13"),
    ("B1", AnswerType.YES_NO, True, True, False, True, "", "PIPL Art. 55-56; GB/T 35273-2020 5.4"),
    ("B2", AnswerType.MULTI, False, True, False, False, "help & more", ""),
    ("B3", AnswerType.FILE, False, False, False, True, "", "PIPL Art. 23"),
    ("C1", AnswerType.TEXT, False, True, False, False, "", ""),
]


def _questions():
    section = Section(pk=1, code="A", order=1, title_zh="节", title_en="Section")
    return [
        Question(
            pk=n,
            section=section,
            code=code,
            order=n,
            text_zh=f"问题 {code} <i>",
            text_en=f"Question {code} & <i>",
            help_zh=help_text,
            help_en=help_text,
            answer_type=kind,
            choices=CHOICES if kind in (AnswerType.CHOICE, AnswerType.MULTI) else [],
            has_detail=detail,
            detail_required=detail_required,
            has_file=has_file,
            file_required=file_required,
            legal_basis=basis,
            required=n % 2 == 0,
        )
        for n, (code, kind, detail, has_file, detail_required, file_required, help_text, basis) in enumerate(
            KINDS, start=1
        )
    ]


def _evidence(n, *, question, withdrawn=False, frozen=False, round_=1, via=None, uploader=None):
    evidence = Evidence(
        pk=100 + n,
        review_id=7,
        stage_id=3,
        question=question,
        kind="other",
        round=round_,
        version=n,
        original_name=f"文件 {n} <x>.pdf",
        size=123456 * n,
        content_type="application/pdf",
        sha256=f"{n:064x}",
        note="备注 & <note>" if n % 2 else "",
        uploaded_by=uploader,
        uploaded_at=datetime(2026, 3, n, 8, 30, tzinfo=UTC),
        frozen=frozen,
        withdrawn_at=datetime(2026, 4, 1, tzinfo=UTC) if withdrawn else None,
    )
    return EvidenceItem(evidence=evidence, via_contact=via, download_url=f"/files/{n}/" if n % 2 else "")


def _rows(*, bound: bool, link, uploader):
    questions = _questions()
    states = {
        "A1": AnswerState(detail="91440300192203821X"),
        "A5": AnswerState(value="plain", detail="详情 <b>"),
        "B2": AnswerState(value=["a&b"]),
    }
    if bound:
        data = MultiValueDict({VALUE + "A5": ["nope"], DETAIL + "A5": ["x"], VALUE + "B1": ["yes"]})
        files = MultiValueDict({FILES + "B3": [SimpleUploadedFile("a.pdf", b"")]})
        form = SectionForm(data, files, questions=questions, states=states, locked={"A1"})
        form.is_valid()
        form.add_error(FILES + "B3", "refused <file>")
        form.add_error(DETAIL + "B1", "too long & <wrong>")
    else:
        form = SectionForm(questions=questions, states=states, locked={"A1"})
    flags = {
        "A5": [
            Flag("A5", "red_flag", 0, "红旗 <x>", "PIPL Art. 38-39"),
            Flag("A5", "risk", 15, "risk & x", ""),
        ],
        "B2": [Flag("B2", "risk", 5, "a risk", "PIPL Art. 23")],
    }
    rows = []
    for n, q in enumerate(questions):

        def field(prefix, code=q.code):
            return form[prefix + code] if prefix + code in form.fields else None

        rows.append(
            {
                "question": q,
                "other_text": q.text_en + " (other)",
                "value": field(VALUE),
                "detail": field(DETAIL),
                "files": field(FILES),
                "is_multi": q.answer_type == AnswerType.MULTI,
                "visible": n != 3,
                "answered": n in (0, 1),
                "flags": flags.get(q.code, []),
                "evidence": [
                    _evidence(n * 3 + 1, question=q, uploader=uploader, round_=2),
                    _evidence(n * 3 + 2, question=q, withdrawn=True, via=link),
                    _evidence(n * 3 + 3, question=q, frozen=n % 2 == 0, round_=1 if n % 2 else 2),
                ]
                if q.has_file or q.answer_type == AnswerType.FILE
                else [],
                "via_contact": link if n in (1, 4) else None,
                "show_if": '[{"q": "D1", "op": "in", "value": ["a&b"]}]' if n == 2 else "[]",
                "from_request": q.code == "A1",
                "volume_from_request": q.code == "A5",
                "reopened": n == 1,
                "kept": n in (2, 3),
            }
        )
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_card_is_written_as_the_template_wrote_it(language):
    uploader = get_user_model().objects.create_user("up", first_name="Min", last_name="Wang")
    link = ContactLink(pk=42, contact_name="张三 <c>", contact_email="zhang@example.com")
    other = ContactLink(pk=43, contact_name="李四", contact_email="li@example.com")
    stage = Stage(pk=3, round=2, state="open")
    old = engines["django"].from_string(OLD_ROWS)
    new = engines["django"].from_string(
        "{% load question_card %}    {% for row in rows %}{% question_card row %}{% endfor %}\n"
    )
    seen = set()
    with override(language):
        for bound in (False, True):
            for contact_link in (None, link):
                rows = _rows(bound=bound, link=other if contact_link else link, uploader=uploader)
                for editable in (True, False):
                    for uscc_check_ok in (True, False):
                        context = {
                            "rows": rows,
                            "editable": editable,
                            "contact_link": contact_link,
                            "uscc_check_ok": uscc_check_ok,
                            "stage": stage,
                            "LANGUAGE_CODE": language,
                        }
                        markup = new.render(context)
                        assert markup == old.render(context), (bound, contact_link, editable, uscc_check_ok)
                        seen |= {k for k in MARKS if k in markup}
    # Every state of a card was written at least once.
    assert set(MARKS) - seen == set()


MARKS = (
    "red-flag",
    "risk-flag",
    "via-contact",
    "from-request",
    "volume-from-request",
    " kept",
    "reopened",
    "legal-basis",
    "q-help",
    '<span class="badge text-bg-light border">',
    "upload-error",
    'type="file"',
    'invalid-feedback d-block"',
    "evidence-item",
    " withdrawn",
    " frozen",
    'form="withdraw-',
    "text-danger",
    " hidden",
    "has-flags",
    "textarea",
    'type="radio"',
    'type="checkbox"',
    "text-warning-emphasis",
    'text-success">✓',
)
