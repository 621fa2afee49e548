"""The rows of the review page's long lists (its answers, its files, its audit trail), written in Python with
the markup the row templates wrote (templates/admin/reviews/review/includes/answers.html, evidence.html and
audit.html): a review has dozens of answers, files and events, and a template writes each of their cells as a
lookup, a filter and an escape of its own, which was most of the page's time. Each value is escaped as the
template escaped it ({{ value }}: conditional_escape), a literal's translation is written as {% translate %}
writes it (not escaped), a variable in a {% blocktranslate %} is escaped. tests/reviews/test_admin_review_rows.py
holds the rows equal to the templates' rendering."""

from collections.abc import Iterable
from html import escape as html_escape

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext

from vendors.citations import citation
from vendors.people import person_name
from vendors.templatetags.dates import ymd_hm

# The types of file the admin shows a preview of (the review page's files, a scope extension's).
PREVIEWABLE = frozenset({"application/pdf", "image/png", "image/jpeg"})


def html(value) -> str:
    """{{ value }} of a string (conditional_escape): escaped unless it is already safe markup."""
    if isinstance(value, SafeData):
        return str(value)
    return html_escape(str(value))


def _moment(value) -> str:
    """{{ value|ymd_hm }} (a filter that expects the local time)."""
    return ymd_hm(timezone.localtime(value) if value is not None and timezone.is_aware(value) else value)


def via_contact(via) -> str:
    """includes/_via_contact.html (its file ends with a new line, which the include writes)."""
    label = gettext("vendor contact %(name)s (link #%(n)s)") % {"name": html(via.contact_name), "n": via.pk}
    return f'<span class="vetted-badge vetted-grey via-contact" title="{html(via.contact_email)}">{label}</span>\n'


def audit_rows_html(lines: Iterable) -> SafeString:
    """The items of includes/audit.html's list, one per line (reviews.review_view.AuditLine, which reads as
    its event)."""
    return mark_safe(
        "".join(
            f'\n    <li id="event-{line.pk}"><span class="vetted-muted vetted-nowrap">{_moment(line.at)}</span>'
            f'\n      <span class="vetted-sentence">{html(line.sentence)}</span>'
            f'\n      <details class="vetted-raw"><summary>{html(line.recorded_label)}</summary>'
            f"\n        <code>{html(line.action)}</code> · {html(line.actor_label)}"
            f'<br><small class="vetted-pre">{html(line.details_text)}</small></details>'
            "\n    </li>\n    "
            for line in lines
        )
    )


def evidence_rows_html(
    items: Iterable, *, previewable: frozenset[str] | set[str] = frozenset()
) -> SafeString:
    """The rows of includes/evidence.html's table, one file each (reviews.review_view.EvidenceItem), with
    the preview row of a file whose type is in `previewable` and that is not withdrawn."""
    withdrawn, earlier_round, download = gettext("withdrawn"), gettext("earlier round"), gettext("Download")
    rows = []
    for entry in items:
        item = entry.evidence
        kind = html(item.get_kind_display())
        name = html(item.original_name)
        question = f" ({html(item.question.code)})" if item.question else ""
        if item.withdrawn_at:
            badge = f'<span class="vetted-badge vetted-grey">{withdrawn}</span>'
        elif item.round != item.stage.round:
            badge = f'<span class="vetted-badge vetted-grey">{earlier_round}</span>'
        else:
            badge = ""
        if entry.via_contact:
            by = via_contact(entry.via_contact)
        else:
            by = html((person_name(item.uploaded_by) if item.uploaded_by else "") or "—")
        row = (
            "\n      <tr>"
            f"\n        <td>{kind}{question}<br><small>{name}</small>"
            f"\n          {badge}</td>"
            f"\n        <td>{html(item.stage.get_kind_display())}</td>"
            f"\n        <td>v{item.version} · {html(entry.round_label)}</td>"
            f"\n        <td>{html(filesizeformat(item.size))}</td>"
            f'\n        <td class="vetted-hash">{html(item.sha256)}</td>'
            f"\n        <td>{by}<br><small>{_moment(item.uploaded_at)}</small></td>"
            f'\n        <td class="nowrap"><a href="{html(entry.download_url)}">{download}</a></td>'
            "\n      </tr>\n      "
        )
        if item.content_type in previewable and not item.withdrawn_at:
            if item.content_type == "application/pdf":
                shown = (
                    f'\n            <iframe src="{html(entry.preview_url)}" title="{name}" loading="lazy"'
                    ' class="vetted-preview-frame"></iframe>\n          '
                )
            else:
                shown = (
                    f'\n            <img src="{html(entry.preview_url)}" alt="{kind}: {name}" loading="lazy"'
                    ' class="vetted-preview-image">\n          '
                )
            row += (
                '\n      <tr class="vetted-preview-row"><td colspan="7">'
                f'\n        <details class="vetted-preview" id="preview-{item.pk}">'
                f"\n          <summary>{html(entry.preview_label)}</summary>"
                f"\n          {shown}"
                "\n        </details>\n      </td></tr>\n      "
            )
        rows.append(row + "\n    ")
    return mark_safe("".join(rows))


def answer_rows_html(rows: Iterable) -> SafeString:
    """The rows of includes/answers.html's table, one question each (reviews.admin.review_file.AnswerRow)."""
    red_flag = gettext("Red flag")
    out = []
    for row in rows:
        red_flags, risks = row.red_flags, row.risks
        css = "vetted-row-red" if red_flags else "vetted-row-amber" if risks else ""
        value, detail = row.value, row.detail
        answer = html(value) if value else ""
        if detail:
            answer += f'{"<br>" if value else ""}<span class="vetted-pre">{html(detail)}</span>'
        if not value and not detail:
            answer += '<span class="vetted-muted">—</span>'
        if row.via_contact:
            answer += f"<br>{via_contact(row.via_contact)}"
        if row.flags:
            flags = "".join(
                f'<span class="vetted-badge vetted-red">{red_flag}</span> {html(flag.message)}<br>'
                for flag in red_flags
            )
            flags += "\n            " + "".join(
                '<span class="vetted-badge vetted-amber">'
                f"{gettext('Risk +%(points)s') % {'points': flag.points}}</span> {html(flag.message)}<br>"
                for flag in risks
            )
            flags += "\n            "
        else:
            flags = '<span class="vetted-muted">—</span>'
        basis = row.legal_basis
        out.append(
            f'\n      <tr class="{css}">'
            f"\n        <td><strong>{html(row.question.code)}</strong> {html(row.question.text)}</td>"
            f"\n        <td>{answer}</td>"
            f"\n        <td>{flags}</td>"
            f"\n        <td>{html((citation(str(basis)) if basis else '') or '—')}</td>"
            "\n      </tr>\n    "
        )
    return mark_safe("".join(out))


_STATE_BADGES = {
    "passed": "vetted-green",
    "failed": "vetted-red",
    "submitted": "vetted-amber",
    "returned": "vetted-amber",
}
_OUTCOME_BADGES = {"passed": "vetted-green", "failed": "vetted-red"}


def _moment_or_dash(value) -> str:
    """{{ value|ymd_hm|default:"—" }}."""
    return _moment(value) or "—"


def stage_rows_html(views: Iterable, current) -> SafeString:
    """The rows of includes/stages.html's table of stages (reviews.review_view.StageView), the current
    stage's selected."""
    rows = []
    for view in views:
        stage = view.stage
        selected = ' class="selected"' if stage == current else ""
        badge = _STATE_BADGES.get(stage.state, "vetted-grey")
        rows.append(
            f"\n      <tr{selected}>"
            f"\n        <td>{stage.order}. {html(stage.get_kind_display())}</td>"
            f'\n        <td><span class="vetted-badge {badge}">{html(stage.get_state_display())}</span></td>'
            f"\n        <td>{stage.round}</td>"
            f"\n        <td>{_moment_or_dash(stage.opened_at)}</td>"
            f"\n        <td>{_moment_or_dash(stage.submitted_at)}</td>"
            f"\n        <td>{_moment_or_dash(stage.decided_at)}</td>"
            "\n      </tr>\n    "
        )
    return mark_safe("".join(rows))


def decision_rows_html(decisions: Iterable) -> SafeString:
    """The rows of includes/stages.html's table of decisions."""
    rows = []
    for decision in decisions:
        badge = _OUTCOME_BADGES.get(decision.outcome, "vetted-amber")
        by = person_name(decision.decided_by) if decision.decided_by else ""
        rows.append(
            f"\n      <tr><td>{html(decision.stage.get_kind_display())}: "
            f'<span class="vetted-badge {badge}">{html(decision.get_outcome_display())}</span></td>'
            f"\n        <td>{decision.round}</td><td>{html(by)}</td>"
            f'\n        <td>{_moment(decision.decided_at)}</td><td class="vetted-pre">{html(decision.comment)}</td></tr>'
            "\n    "
        )
    return mark_safe("".join(rows))
