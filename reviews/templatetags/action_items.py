"""{% action_item view %}: an item of "Needs your action" (reviews/_action_item.html), on the dashboard (its
first rows) and on the list's own page (25 a page).

As template code each item resolved some thirty variables and ran five filters and two translation tags, about
a thousand Python calls an item: most of the list page's time. Written here in one pass, the markup is the
same: each value escaped as the template escaped it, the phrases the same messages."""

import html

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from vendors.links import object_url
from vendors.people import person_name
from vendors.templatetags.dates import ymd_hm

from ..models import StageState
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
