"""{% extension_file %} and {% extension_decision %}: a scope extension's page in the reviewers' desk (its
summary, the scope in force beside what it adds, the rules, the answers given again, the documents, the audit
trail; and the decision aside), the same elements, attributes and words as the page's template wrote them
(tests/activities/extension_page_template.html keeps that template), written in Python.

The template wrote the page through some seventy {% translate %} tags and two hundred variable lookups and
filters: some 12,000 Python calls of the page's 57,000, against some 4,000 here. What is shown is still decided where it was: the view model of
activities.extension_reading, the decision form of activities.admin_extensions and its inputs (written by
the form's renderer, Django's own markup), the person and date filters' functions. Only the white space
between elements differs (tests/activities/test_extension_page.py holds the rest equal, in both languages,
for every step and reader)."""

from django import template
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from vendors.citations import citation
from vendors.people import person_name
from vendors.templatetags.dates import ymd, ymd_hm

register = template.Library()

# makemessages (xgettext) does not read a call inside an f-string: every message the page writes is named here
# too, so that the catalogue keeps it (tests/activities/test_extension_page.py holds the list whole).
MESSAGES = (
    gettext_noop("Yes"),
    gettext_noop("No"),
    gettext_noop("review"),
    gettext_noop("Unified Social Credit Code"),
    gettext_noop("Category"),
    gettext_noop("Requester"),
    gettext_noop("Status"),
    gettext_noop("Approval it widens"),
    gettext_noop("Security must review"),
    gettext_noop("Why it is needed"),
    gettext_noop("Scope in force and what it adds"),
    gettext_noop("Rules that apply"),
    gettext_noop("Answers given again"),
    gettext_noop("Documents"),
    gettext_noop("Audit trail"),
    gettext_noop("Sections"),
    gettext_noop("until %(date)s"),
    gettext_noop("What it added"),
    gettext_noop("What it adds"),
    gettext_noop("Purposes"),
    gettext_noop("Channels"),
    gettext_noop("Data categories"),
    gettext_noop("Audience sources"),
    gettext_noop("Approved scope"),
    gettext_noop("Scope in force"),
    gettext_noop("Data leaving China"),
    gettext_noop("Most individuals"),
    gettext_noop("Conditions"),
    gettext_noop("reviews too"),
    gettext_noop("No rule applies."),
    gettext_noop("Rule"),
    gettext_noop("Why"),
    gettext_noop("Questions answered again"),
    gettext_noop("Security"),
    gettext_noop("Legal basis"),
    gettext_noop("Red flag"),
    gettext_noop("Risk +%(points)s"),
    gettext_noop("changed"),
    gettext_noop("not answered then"),
    gettext_noop("This extension asks no question again."),
    gettext_noop("Question"),
    gettext_noop("Answer given for this extension"),
    gettext_noop("Answer of the approved review"),
    gettext_noop("Flag"),
    gettext_noop("Download"),
    gettext_noop("This extension needs no document."),
    gettext_noop("Document"),
    gettext_noop("Size"),
    gettext_noop("SHA-256"),
    gettext_noop("Uploaded by"),
    gettext_noop("Recorded data (event #%(n)s)"),
    gettext_noop("No events."),
    gettext_noop("Refuse the extension"),
    gettext_noop("Pass to Legal"),
    gettext_noop("Grant (untick what you do not grant; all of it is ticked to begin with)"),
    gettext_noop("Approve what is ticked"),
    gettext_noop("Legal"),
    gettext_noop("Decision: Security"),
    gettext_noop("Decision: Legal"),
    gettext_noop("Decision"),
    gettext_noop("This extension is closed (%(status)s)."),
)


def _e(value) -> str:
    """{{ value }} with autoescape, as render_value_in_context writes it: anything but text (a number, a lazy
    translation, a form's field or errors) as str() gives it, then escaped unless already safe."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _person(user) -> str:
    """{{ user|person }}."""
    return _e(person_name(user) if user else "")


def _when(value) -> str:
    """{{ value|ymd_hm }} (the filter expects local time: the template converts an aware datetime first)."""
    return _e(ymd_hm(template_localtime(value)))


def _cite(text) -> str:
    """{{ text|cite }}."""
    return _e(citation(str(text)) if text else "")


def _joined(values, sep: str) -> str:
    """{{ values|join:sep|default:"—" }}."""
    return conditional_escape(sep).join(_e(v) for v in values) or "—"


def _yes_no(value) -> str:
    return _("Yes") if value else _("No")


def _summary(page, extension) -> str:
    vendor = page.vendor
    review = f" ({_('review')} {_e(page.approved_review_number)})" if page.approved_review_number else ""
    problem = (
        f'<p class="errornote" id="approval-problem">{_e(page.approval_problem)}</p>'
        if page.approval_problem
        else ""
    )
    return (
        '<section class="module vetted-summary" id="summary" aria-labelledby="summary-title">'
        f'<h1 id="summary-title">{_e(vendor.name_zh)} <small class="vetted-muted">{_e(extension.number)}</small></h1>'
        '<dl class="vetted-facts">'
        f'<div><dt>{_("Unified Social Credit Code")}</dt><dd class="uscc">{_e(vendor.uscc)}</dd></div>'
        f"<div><dt>{_('Category')}</dt><dd>{_e(vendor.get_category_display())}</dd></div>"
        f"<div><dt>{_('Requester')}</dt><dd>{_person(extension.requester)} · {_when(extension.created_at)}</dd></div>"
        f"<div><dt>{_('Status')}</dt><dd>{_e(extension.get_status_display())}</dd></div>"
        f"<div><dt>{_('Approval it widens')}</dt><dd>{_e(extension.approval_reference)}{review}</dd></div>"
        f"<div><dt>{_('Security must review')}</dt><dd>{_yes_no(extension.needs_security)}</dd></div>"
        "</dl>"
        f'<p class="vetted-purpose"><strong>{_("Why it is needed")}:</strong> '
        f'<span class="vetted-pre">{_e(extension.reason)}</span></p>'
        f"{problem}</section>"
    )


def _toc() -> str:
    links = (
        ("scope", _("Scope in force and what it adds")),
        ("rules", _("Rules that apply")),
        ("answers", _("Answers given again")),
        ("files", _("Documents")),
        ("audit", _("Audit trail")),
    )
    items = "".join(f'<a href="#{anchor}">{title}</a>' for anchor, title in links)
    return f'<nav class="vetted-toc" aria-label="{_("Sections")}">{items}</nav>'


def _section(anchor: str, title: str, body: str, *, open_: bool = True) -> str:
    return (
        f'<details class="vetted-section" id="{anchor}"{" open" if open_ else ""}>'
        f'<summary><h2>{title}</h2></summary><div class="module">{body}</div></details>'
    )


def _conditions(labels) -> str:
    """{% for condition in labels.conditions %}...{% empty %}...{% endfor %}<span ...>other</span>."""
    if labels.conditions:
        listed = "".join(f"{_e(condition)}<br>" for condition in labels.conditions)
    else:
        listed = "" if labels.other_conditions else "—"
    return f'{listed}<span class="vetted-pre">{_e(labels.other_conditions)}</span>'


def _scope(page, extension) -> str:
    vendor, now, adds = page.vendor, page.current_scope, page.additions
    until = (
        ", " + gettext("until %(date)s") % {"date": _e(ymd(vendor.approved_until))}
        if vendor.approved_until
        else ""
    )
    added = _("What it added") if extension.status == "approved" else _("What it adds")
    rows = "".join(
        f'<tr><th scope="row">{label}</th><td>{_joined(getattr(now, name), " / ")}</td>'
        f"<td>{_joined(getattr(adds, name), ' / ')}</td></tr>"
        for label, name in (
            (_("Purposes"), "purposes"),
            (_("Channels"), "channels"),
            (_("Data categories"), "data_categories"),
            (_("Audience sources"), "audience_sources"),
        )
    )
    return _section(
        "scope",
        _("Scope in force and what it adds"),
        "<table><thead><tr>"
        f'<th scope="col"><span class="visually-hidden">{_("Approved scope")}</span></th>'
        f'<th scope="col">{_("Scope in force")} ({_e(vendor.get_status_display())}{until})</th>'
        f'<th scope="col">{added}</th></tr></thead><tbody>{rows}'
        f'<tr><th scope="row">{_("Data leaving China")}</th><td>{_yes_no(now.cross_border)}</td>'
        f"<td>{_('Yes') if adds.cross_border else '—'}</td></tr>"
        f'<tr><th scope="row">{_("Most individuals")}</th><td>{_e(now.ceiling or "—")}</td>'
        f"<td>{_e(adds.ceiling or '—')}</td></tr>"
        f'<tr><th scope="row">{_("Conditions")}</th><td>{_conditions(now)}</td><td>{_conditions(adds)}</td></tr>'
        "</tbody></table>",
    )


def _rules(page) -> str:
    rows = [
        f'<tr id="rule-{_e(rule.code)}"><td><strong>{_e(rule.title)}</strong></td><td>{_e(rule.why)}</td>'
        f"<td>{_joined(rule.questions, ', ')}</td>"
        f"<td>{''.join(f'{_e(label)}<br>' for label in rule.documents) or '—'}</td>"
        f"<td>{_('reviews too') if rule.security else '—'}</td><td>{_cite(rule.article)}</td></tr>"
        for rule in page.rules
    ] or [f'<tr><td colspan="6" class="vetted-muted">{_("No rule applies.")}</td></tr>']
    return _section(
        "rules",
        _("Rules that apply"),
        "<table><thead><tr>"
        f'<th scope="col">{_("Rule")}</th><th scope="col">{_("Why")}</th>'
        f'<th scope="col">{_("Questions answered again")}</th><th scope="col">{_("Documents")}</th>'
        f'<th scope="col">{_("Security")}</th><th scope="col">{_("Legal basis")}</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>",
    )


def _answer(value, detail) -> str:
    """{{ value|default:"" }}{% if detail %}{% if value %}<br>{% endif %}<span ...>detail</span>{% endif %}."""
    out = _e(value) if value else ""
    if detail:
        out += f'{"<br>" if value else ""}<span class="vetted-pre">{_e(detail)}</span>'
    return out


def _flags(flags) -> str:
    if not flags:
        return '<span class="vetted-muted">—</span>'
    out = []
    for flag in flags:
        red = flag.effect == "red_flag"
        label = _("Red flag") if red else gettext("Risk +%(points)s") % {"points": _e(flag.points)}
        out.append(
            f'<span class="vetted-badge {"vetted-red" if red else "vetted-amber"}">{label}</span> '
            f"{_e(flag.message)}<br>"
        )
    return "".join(out)


def _answers(page) -> str:
    changed = _("changed")
    rows = []
    for row in page.answers:
        given = _answer(row.given, row.given_detail)
        if row.changed:
            given += f' <span class="vetted-badge vetted-amber">{changed}</span>'
        approved = _answer(row.approved, row.approved_detail)
        if not row.approved and not row.approved_detail:
            approved += f'<span class="vetted-muted">{_("not answered then")}</span>'
        rows.append(
            f'<tr id="answer-{_e(row.code)}" class="{"vetted-row-amber" if row.flags else ""}">'
            f"<td><strong>{_e(row.code)}</strong> {_e(row.question)}</td><td>{given}</td><td>{approved}</td>"
            f"<td>{_flags(row.flags)}</td><td>{_cite(row.legal_basis) or '—'}</td></tr>"
        )
    if not rows:
        rows.append(
            f'<tr><td colspan="5" class="vetted-muted">{_("This extension asks no question again.")}</td></tr>'
        )
    return _section(
        "answers",
        _("Answers given again"),
        "<table><thead><tr>"
        f'<th scope="col">{_("Question")}</th><th scope="col">{_("Answer given for this extension")}</th>'
        f'<th scope="col">{_("Answer of the approved review")}</th><th scope="col">{_("Flag")}</th>'
        f'<th scope="col">{_("Legal basis")}</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>",
    )


def _preview(item) -> str:
    if item.is_pdf:
        shown = (
            f'<iframe src="{_e(item.preview_url)}" title="{_e(item.name)}" loading="lazy" '
            'class="vetted-preview-frame"></iframe>'
        )
    else:
        shown = (
            f'<img src="{_e(item.preview_url)}" alt="{_e(item.kind_label)}: {_e(item.name)}" loading="lazy" '
            'class="vetted-preview-image">'
        )
    return (
        '<tr class="vetted-preview-row"><td colspan="5">'
        f'<details class="vetted-preview" id="preview-{_e(item.pk)}"><summary>{_e(item.preview_label)}</summary>'
        f"{shown}</details></td></tr>"
    )


def _files(page) -> str:
    download = _("Download")
    rows = []
    for item in page.files:
        rows.append(
            f'<tr id="file-{_e(item.pk)}"><td>{_e(item.kind_label)}<br><small>{_e(item.name)}</small></td>'
            f"<td>{_e(filesizeformat(item.size))}</td>"
            f'<td class="vetted-hash">{_e(item.sha256)}</td>'
            f"<td>{_person(item.uploaded_by) or '—'}<br><small>{_when(item.uploaded_at)}</small></td>"
            f'<td class="nowrap"><a href="{_e(item.download_url)}">{download}</a></td></tr>'
        )
        if item.preview_url:
            rows.append(_preview(item))
    if not rows:
        rows.append(
            f'<tr><td colspan="5" class="vetted-muted">{_("This extension needs no document.")}</td></tr>'
        )
    return _section(
        "files",
        _("Documents"),
        "<table><thead><tr>"
        f'<th scope="col">{_("Document")}</th><th scope="col">{_("Size")}</th>'
        f'<th scope="col">{_("SHA-256")}</th><th scope="col">{_("Uploaded by")}</th>'
        f'<th scope="col"><span class="visually-hidden">{download}</span></th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>",
    )


def _audit(page) -> str:
    items = [
        f'<li id="event-{_e(event.pk)}"><span class="vetted-muted vetted-nowrap">{_when(event.at)}</span> '
        f'<span class="vetted-sentence">{_e(event.sentence)}</span> '
        '<details class="vetted-raw"><summary>'
        f"{gettext('Recorded data (event #%(n)s)') % {'n': _e(event.pk)}}</summary>"
        f"<code>{_e(event.action)}</code> · {_e(event.actor_label)}<br>"
        f'<small class="vetted-pre">{_e(event.details)}</small></details></li>'
        for event in page.audit
    ] or [f'<li class="vetted-muted">{_("No events.")}</li>']
    return _section("audit", _("Audit trail"), f'<ol class="vetted-audit">{"".join(items)}</ol>', open_=False)


@register.simple_tag(takes_context=True)
def extension_file(context) -> str:
    """The page's main column: the summary, the sections' links, and the sections."""
    page, extension = context["page"], context["extension"]
    return mark_safe(
        _summary(page, extension)
        + _toc()
        + _scope(page, extension)
        + _rules(page)
        + _answers(page)
        + _files(page)
        + _audit(page)
    )


# -- the decision aside ----------------------------------------------------------------------------------------


def _csrf(context) -> str:
    """{% csrf_token %}."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def _decide_url(context, extension, step: str) -> str:
    """{% url 'admin:activities_scopeextension_decide' extension.pk step %}."""
    request = context.get("request")
    current_app = getattr(request, "current_app", None)
    if current_app is None and getattr(request, "resolver_match", None) is not None:
        current_app = request.resolver_match.namespace
    return _e(
        reverse("admin:activities_scopeextension_decide", args=[extension.pk, step], current_app=current_app)
    )


def _non_field_errors(form) -> str:
    errors = form.non_field_errors()
    return f'<div class="errornote">{_e(errors)}</div>' if errors else ""


def _comment(form) -> str:
    field = form["comment"]
    error = (
        f'<p class="vetted-field-error" id="{_e(field.auto_id)}_error">{_joined(field.errors, " ")}</p>'
        if field.errors
        else ""
    )
    return f'<label for="{_e(field.id_for_label)}">{_e(field.label)}</label>{_e(field)}{error}'


def _buttons(first: str, first_label: str, disabled: bool = False) -> str:
    return (
        f'<button type="submit" class="button default" name="outcome" value="{first}"'
        f"{' disabled' if disabled else ''}>{first_label}</button>"
        '<button type="submit" class="button vetted-danger" name="outcome" value="refuse">'
        f"{_('Refuse the extension')}</button>"
    )


def _security_form(context, extension, form) -> str:
    return (
        f'<form method="post" action="{_decide_url(context, extension, "security")}" id="security-form" '
        f"novalidate>{_csrf(context)}{_non_field_errors(form)}{_comment(form)}"
        f"{_buttons('pass', _('Pass to Legal'))}</form>"
    )


def _legal_form(context, extension, form, page) -> str:
    problem = (
        f'<p class="errornote vetted-note">{_e(page.approval_problem)}</p>' if page.approval_problem else ""
    )
    grant = form["grant"]
    choices = "".join(
        f'<label class="vetted-reopen-choice" for="{_e(choice.id_for_label)}">{_e(choice.tag())} '
        f"{_e(choice.choice_label)}</label>"
        for choice in grant
    )
    grant_error = (
        f'<p class="vetted-field-error" id="grant-error">{_joined(grant.errors, " ")}</p>'
        if grant.errors
        else ""
    )
    legend = _("Grant (untick what you do not grant; all of it is ticked to begin with)")
    return (
        f'{problem}<form method="post" action="{_decide_url(context, extension, "legal")}" id="legal-form" '
        f"novalidate>{_csrf(context)}{_non_field_errors(form)}"
        f'<fieldset class="vetted-reopen" id="grant-choices"><legend>{legend}</legend>{choices}{grant_error}'
        f"</fieldset>{_comment(form)}"
        f"{_buttons('approve', _('Approve what is ticked'), disabled=bool(page.approval_problem))}</form>"
    )


def _decided(extension) -> str:
    out = ""
    if extension.security_decided_by:
        comment = (
            f'<br><span class="vetted-pre">{_e(extension.security_comment)}</span>'
            if extension.security_comment
            else ""
        )
        out += (
            f'<p class="vetted-note" id="security-decision"><strong>{_("Security")}:</strong> '
            f"{_person(extension.security_decided_by)} · {_when(extension.security_decided_at)}{comment}</p>"
        )
    if extension.decided_by:
        comment = (
            f'<br><span class="vetted-pre">{_e(extension.decision_comment)}</span>'
            if extension.decision_comment
            else ""
        )
        out += (
            f'<p class="vetted-note" id="legal-decision"><strong>{_("Legal")}:</strong> '
            f"{_e(extension.get_status_display())} · {_person(extension.decided_by)} · "
            f"{_when(extension.decided_at)}{comment}</p>"
        )
    return out


@register.simple_tag(takes_context=True)
def extension_decision(context) -> str:
    """The aside: who decided what, then the form of the step the extension waits for, or why there is none."""
    extension, step, refusal, form = (
        context["extension"],
        context.get("step"),
        context.get("refusal"),
        context.get("form"),
    )
    if step == "security":
        title = _("Decision: Security")
    elif step == "legal":
        title = _("Decision: Legal")
    else:
        title = _("Decision")
    if not step:
        action = (
            '<p class="vetted-muted vetted-note" id="no-decision">'
            + gettext("This extension is closed (%(status)s).")
            % {"status": _e(extension.get_status_display())}
            + "</p>"
        )
    elif refusal:
        action = f'<p class="vetted-muted vetted-note" id="no-decision">{_e(refusal)}</p>'
    elif step == "security":
        action = _security_form(context, extension, form)
    else:
        action = _legal_form(context, extension, form, context["page"])
    return mark_safe(
        '<section class="module vetted-decide" id="decision" aria-labelledby="decision-title">'
        f'<h2 id="decision-title">{title}</h2>{_decided(extension)}'
        f'<div class="vetted-actions">{action}</div></section>'
    )
