"""The items of the dashboard's lists, on the dashboard (their first rows) and on each list's own page (25 a
page): {% action_item view %} ("Needs your action", reviews/_action_item.html), {% ending_item sign_off %}
(approvals ending soon, reviews/_ending_item.html), {% catch_up_item review today %} (catch-up reviews owned,
reviews/_catch_up_item.html), {% see_all rows which %} under a capped list (reviews/_see_all.html), and
{% request_row review %}, a row of the requester's table of their requests (reviews/dashboard.html).

As template code an item resolved some twenty to thirty variables and ran its filters and translation tags,
four hundred to a thousand Python calls an item: most of a list page's time and a third of the dashboard's
rendering. Written here in one pass, the markup is the same: each value escaped as the template escaped it,
numbers written as the template wrote them, the phrases the same messages (tests hold each equal to the
template it replaces)."""

import html

from django import template
from django.template.defaultfilters import linebreaksbr, timeuntil_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from vendors.links import object_url
from vendors.people import person_name
from vendors.templatetags.dates import ymd, ymd_hm

from ..models import StageState
from .progress import current_stage, stage_steps
from .waiting import waiting

register = template.Library()


def _escaped(value) -> str:
    """conditional_escape(value), without its lazy-string wrapper."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag
def action_item(view) -> str:
    """The item of `view` (a reviews.review_view.StageView, its stage's review and vendor loaded)."""
    stage = view.stage
    review = stage.review
    returned = stage.state == StageState.RETURNED
    number = _escaped(review.number)
    since = (
        f'· <span title="{_escaped(ymd_hm(timezone.localtime(view.since)))}">{_escaped(waiting(view.since))}</span>'
        if view.since
        else ""
    )
    button, label = (
        ("btn-warning", gettext("Fix and resubmit"))
        if returned
        else ("btn-outline-primary", gettext("Continue"))
    )
    comment = ""
    decision = view.latest_decision
    if returned and decision:
        # As {% blocktranslate %}: the message is the template's own text, its values escaped.
        returned_by = gettext("Returned by %(who)s on %(when)s") % {
            "who": _escaped(person_name(decision.decided_by) if decision.decided_by else ""),
            "when": _escaped(ymd_hm(timezone.localtime(decision.decided_at)) if decision.decided_at else ""),
        }
        comment = (
            '\n  <figure class="reviewer-comment mt-2 mb-0">\n'
            f'    <blockquote class="mb-1">{linebreaksbr(decision.comment, autoescape=True)}</blockquote>\n'
            f'    <figcaption class="small text-body-secondary">{returned_by}</figcaption>\n'
            "  </figure>\n  "
        )
    # Every value is escaped above.
    return mark_safe(
        f'<li class="list-group-item action-item" data-review="{number}">\n'
        '  <div class="d-flex flex-wrap justify-content-between align-items-start gap-2">\n'
        "    <div>\n"
        f'      <a class="fw-semibold" href="{_escaped(object_url("review_detail", review.pk))}">'
        f"{_escaped(review.vendor.name_zh)}</a>\n"
        f'      <span class="mono text-body-secondary ms-1">{number}</span><br>\n'
        f'      <span class="small">{_escaped(stage.get_kind_display())} · <span class="badge state-'
        f'{_escaped(stage.state)}">{_escaped(stage.get_state_display())}</span>\n'
        f"      {since}</span>\n"
        "    </div>\n"
        f'    <a class="btn btn-sm {button}" href="{_escaped(view.url)}">{_escaped(label)}</a>\n'
        "  </div>\n"
        f"  {comment}\n"
        "</li>"
    )


@register.simple_tag
def ending_item(sign_off) -> str:
    """The item of an approval ending soon: `sign_off` with its review's vendor loaded."""
    vendor = sign_off.review.vendor
    until = vendor.approved_until
    # As {% blocktranslate %}: the message is the template's own text, its values escaped.
    ends = gettext("approval %(ref)s ends on %(date)s (in %(days)s)") % {
        "ref": _escaped(sign_off.number),
        "date": _escaped(ymd(until)),
        "days": _escaped(timeuntil_filter(until)),
    }
    renew = _escaped(gettext("Request a renewal"))  # outside the f-string, where makemessages finds it
    # Every value is escaped above.
    return mark_safe(
        '<li class="list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2 '
        'ending-item">\n'
        f'  <div><a class="fw-semibold" href="{_escaped(object_url("vendor_detail", vendor.pk))}">'
        f"{_escaped(vendor.name_zh)}</a>\n"
        f'    <span class="small text-body-secondary ms-1">{ends}</span></div>\n'
        f'  <a class="btn btn-sm btn-warning" href="{_escaped(reverse("review_new"))}?vendor='
        f'{_escaped(localize(vendor.pk))}">{renew}</a>\n'
        "</li>"
    )


@register.simple_tag
def catch_up_item(review, today) -> str:
    """The item of a catch-up review: `review` with its vendor loaded; overdue when its deadline is before
    `today`."""
    vendor = review.vendor
    url = _escaped(object_url("review_detail", review.pk))
    number = _escaped(review.number)
    due = ""
    if vendor.catch_up_due:
        # As {% blocktranslate %}: the message is the template's own text, its value escaped.
        due = (
            '<span class="small ms-1">'
            + gettext("due %(date)s") % {"date": _escaped(ymd(vendor.catch_up_due))}
            + "</span>"
        )
        if today and vendor.catch_up_due < today:
            overdue = _escaped(gettext("Catch-up review overdue"))
            due += f' <span class="badge text-bg-danger vendor-overdue">{overdue}</span>'
    # Every value is escaped above.
    return mark_safe(
        '<li class="list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2 '
        f'catch-up-item" data-review="{number}">\n'
        f'  <div><a class="fw-semibold" href="{url}">{_escaped(vendor.name_zh)}</a> '
        f'<span class="mono text-body-secondary">{number}</span>\n'
        f"    {due}</div>\n"
        f'  <a class="btn btn-sm btn-warning" href="{url}">{_escaped(gettext("Continue"))}</a>\n'
        "</li>"
    )


@register.simple_tag
def see_all(rows, which) -> str:
    """The link to a list's own page under its first rows (a reviews.selectors.Capped), when it holds more."""
    more = rows.more
    if not more:
        return ""
    # As {% blocktranslate count %}: the message is the template's own text, its numbers written in.
    phrase = ngettext("See all %(total)s (%(n)s more)", "See all %(total)s (%(n)s more)", more) % {
        "n": _escaped(localize(more)),
        "total": _escaped(localize(rows.total)),
    }
    # Every value is escaped above.
    return mark_safe(
        '<div class="card-footer bg-body see-all"><a class="fw-semibold" '
        f'href="{_escaped(reverse("dashboard_list", args=[which]))}">{phrase} &rarr;</a></div>'
    )


@register.simple_tag
def request_row(review) -> str:
    """A row of the requester's table of their requests: `review` a reviews.review_view.ReviewProgress, its
    vendor loaded. The progress bar is reviews/_progress.html's, with the line breaks that file wrote."""
    url = _escaped(object_url("review_detail", review.pk))
    bar = f"\n{stage_steps(review.stage_list)}\n"
    if review.current:
        bar += f"\n{current_stage(review.current)}\n"
    # Every value is escaped above or here.
    return mark_safe(
        "\n    <tr>\n"
        f'      <td><a href="{url}" class="fw-semibold">{_escaped(review.vendor.name_zh)}</a><br>'
        f'<span class="mono text-body-secondary">{_escaped(review.number)}</span></td>\n'
        f"      <td>{bar}\n</td>\n"
        f'      <td><span class="badge review-{_escaped(review.standing)}">{_escaped(review.standing_label)}</span>'
        f'<div class="small text-body-secondary">{_escaped(ymd(timezone.localtime(review.created_at)))}</div></td>\n'
        "    </tr>\n  "
    )
