"""{% question_card row %}: one question of a questionnaire section (reviews/_section_step.html), its card
written in Python as the template's loop body wrote it, white space included: the code and both languages'
text, who answered it (a vendor contact), whether Legal reopened it, whether it is answered, its options,
details and files, its flags and legal basis.

A section shows up to a dozen questions, each card some sixty template nodes resolved in the page's context:
most of the page's time. The form's inputs are still the form's (str(bound field), the options through
question_choices), the files still reviews/_evidence_item.html; the strings are the same translations.
`row`: one of reviews.views.questionnaire._rows; the context gives `editable`, `contact_link`,
`uscc_check_ok` and `stage`. tests/reviews/questionnaire/test_question_card.py holds the card equal to the
template's loop body for every kind of question and every state a card shows."""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from vendors.citations import citation

from .question_fields import question_choices

register = template.Library()


def _text(value) -> str:
    """{{ value }}: localized, escaped unless safe."""
    return conditional_escape(localize(value))


def _cite(text) -> str:
    """{{ text|cite }} (vendors/templatetags/citations.py)."""
    return conditional_escape(citation(str(text)) if text else "")


def via_contact(via, contact_link) -> str:
    """reviews/_via_contact.html, its line end included."""
    if not via:
        return "\n"
    if contact_link and via.pk == contact_link.pk:
        said = _text(gettext("from you"))
    else:
        said = gettext("from vendor contact %(name)s") % {"name": conditional_escape(via.contact_name)}
    title = ""
    if not contact_link:
        link = gettext("link #%(n)s") % {"n": _text(via.pk)}
        title = f' title="{_text(via.contact_email)} · {link}"'
    return f'<span class="badge text-bg-info via-contact"{title}>{said}</span>\n'


def _header_badges(row, q, editable) -> str:
    if row["reopened"]:
        reopened = (
            f'<span class="badge text-bg-warning reopened">{_text(gettext("reopened by Legal"))}</span>'
        )
    elif row["kept"] and editable:
        # The messages outside the f-strings, where makemessages finds them.
        why = _text(gettext("Legal did not reopen this answer: it stays as submitted."))
        kept = _text(gettext("kept as submitted"))
        reopened = f'<span class="badge text-bg-light border kept" title="{why}">{kept}</span>'
    else:
        reopened = ""
    if row["answered"]:
        answered = f'<span class="badge text-bg-success" title="{_text(gettext("Answered"))}">✓</span>'
    elif q.required and row["visible"]:
        to_answer = _text(gettext("to answer"))
        answered = f'<span class="badge text-bg-light border">{to_answer}</span>'
    else:
        answered = ""
    return f"            {reopened}\n            {answered}\n"


def _choices(row, q) -> str:
    if not row["value"]:
        return ""
    volume = (
        '<div class="small mt-1 from-request" id="volume-from-request">'
        + _text(
            gettext(
                "Filled in with the volume given on the request. Change it if the vendor handles the personal "
                "information of more individuals in all."
            )
        )
        + "</div>"
        if row["volume_from_request"]
        else ""
    )
    return (
        f'\n          <div class="mt-2 q-choices" role="group" aria-label="{_text(q.code)}">\n'
        f"            {question_choices(row['value'], row['is_multi'])}\n"
        "          </div>\n"
        f"          {volume}\n          "
    )


def _detail(row, q, uscc_check_ok) -> str:
    detail = row["detail"]
    if not detail:
        return ""
    if q.answer_type == "text":
        label = _text(gettext("Answer"))
    else:
        label = _text(gettext("Details")) + (
            ' <span class="text-danger">*</span>' if q.detail_required else ""
        )
    from_request = ""
    if row["from_request"]:
        if uscc_check_ok:
            matches = _text(gettext("check character matches (GB 32100-2015)"))
            check = f'<span class="text-success">✓ {matches}</span>'
        else:
            check = (
                '<span class="text-warning-emphasis">'
                + _text(
                    gettext(
                        "the check character does not match: verify the code on the national credit registry"
                    )
                )
                + "</span>"
            )
        from_request = (
            '<div class="small mt-1 from-request">'
            + _text(gettext("Filled from the credit code on the request; change it there, not here."))
            + f"\n              {check}</div>"
        )
    errors = "".join(f'<div class="invalid-feedback d-block">{_text(e)}</div>' for e in detail.errors)
    return (
        '\n          <div class="mt-2">\n'
        f'            <label class="form-label small mb-1" for="{_text(detail.id_for_label)}">{label}</label>\n'
        f"            {_text(detail)}\n"
        f"            {from_request}\n"
        f"            {errors}\n"
        "          </div>\n          "
    )


def _files(row, q, context) -> str:
    files, evidence = row["files"], row["evidence"]
    if not (files or evidence):
        return ""
    label_for = f' for="{_text(files.id_for_label)}"' if files else ""
    required = ' <span class="text-danger">*</span>' if q.file_required else ""
    items = ""
    if evidence:
        # As {% include %} renders it: in the page's context, with `item` pushed.
        item_template = context.template.engine.get_template("reviews/_evidence_item.html")
        parts = []
        for item in evidence:
            with context.push(item=item):
                parts.append(item_template.render(context))
        items = f'<ul class="list-unstyled mb-2 evidence-list">{"".join(parts)}</ul>'
    field = _text(files) if context.get("editable") and files else ""
    errors = "".join(
        f'<div class="invalid-feedback d-block upload-error">{_text(e)}</div>'
        for e in (files.errors if files else ())
    )
    return (
        '\n          <div class="mt-2 q-files">\n'
        f'            <label class="form-label small mb-1"{label_for}>{_text(gettext("Files"))}{required}\n'
        f'              <span class="text-body-secondary">({_text(gettext("PDF, PNG, JPEG, DOCX or XLSX"))})</span></label>\n'
        f"            {items}\n"
        f"            {field}\n"
        f"            {errors}\n"
        "          </div>\n          "
    )


def _flags(row) -> str:
    out = []
    for f in row["flags"]:
        red = f.effect == "red_flag"
        kind = "alert-danger red-flag" if red else "alert-warning risk-flag"
        said = f"⚑ {_text(gettext('Red flag'))}" if red else f"{_text(gettext('Risk'))} +{_text(f.points)}"
        basis = (
            f'<div class="legal-basis">{_text(gettext("Legal basis:"))} {_cite(f.legal_basis)}</div>'
            if f.legal_basis
            else ""
        )
        out.append(
            f'\n          <div class="alert {kind} py-2 px-3 mt-2 mb-0 small" role="status">\n'
            f"            <strong>{said}:</strong> {_text(f.message)}\n"
            f"            {basis}\n"
            "          </div>\n          "
        )
    return "".join(out)


@register.simple_tag(takes_context=True)
def question_card(context, row) -> str:
    q = row["question"]
    editable = context.get("editable")
    code = _text(q.code)
    english = (context.get("LANGUAGE_CODE") or "")[:2] == "en"
    help_text = f'<p class="small mb-2 q-help">{_text(q.help)}</p>' if q.help else ""
    basis = (
        f'<div class="small text-body-secondary mt-2 legal-basis">{_text(gettext("Legal basis:"))} '
        f"{_cite(q.legal_basis)}</div>"
        if q.legal_basis and not row["flags"]
        else ""
    )
    return mark_safe(
        "\n"
        f'      <div class="card shadow-sm mb-3 question{" has-flags" if row["flags"] else ""}" id="q-{code}" '
        f'data-code="{code}" data-show-if="{_text(row["show_if"])}"{"" if row["visible"] else " hidden"}>\n'
        '        <div class="card-body">\n'
        '          <div class="d-flex gap-2 align-items-start">\n'
        f'            <span class="q-code badge text-bg-dark">{code}</span>\n'
        '            <div class="flex-grow-1">\n'
        f'              <p class="fw-semibold mb-0 q-text">{_text(q.text)}</p>\n'
        '              <p class="small text-body-secondary mb-1 other-lang" '
        f'lang="{"zh-Hans" if english else "en"}">{_text(row["other_text"])}</p>\n'
        f"              {help_text}\n"
        "            </div>\n"
        f"            {via_contact(row['via_contact'], context.get('contact_link'))}\n"
        f"{_header_badges(row, q, editable)}"
        "          </div>\n"
        f"          {_choices(row, q)}\n"
        f"          {_detail(row, q, context.get('uscc_check_ok'))}\n"
        f"          {_files(row, q, context)}\n"
        f"          {_flags(row)}\n"
        f"          {basis}\n"
        "        </div>\n"
        "      </div>\n"
        "    "
    )
