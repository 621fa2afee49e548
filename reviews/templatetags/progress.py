"""The progress bar of a review in a list (reviews/_progress.html): {% stage_steps stages %}, one link a stage,
and {% current_stage current %}, the line under it that names the stage waiting, whose turn and since when.

The bar is drawn on every row of the lists of reviews (the dashboard's requests and open reviews, a vendor's
reviews). As template code each row resolved some twenty variables, translated the bar's label and the
"Stage n of 4" phrase again and ran two filters: about half of a requester's dashboard's rendering. Written
here in one pass each, the markup is the same: each value escaped as the template escaped it, the phrases the
same messages (reviews/_progress.html keeps the layout around them)."""

import html

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from vendors.templatetags.dates import ymd_hm

from .waiting import waiting

register = template.Library()

CURRENT = (
    '<div class="small mt-1">\n'
    '  <span class="text-body-secondary">{}:</span>\n'
    '  {} · <span class="badge state-{}">{}</span>\n'
    "  {}\n"
    "  {}\n"
    "</div>"
)


def _escaped(value) -> str:
    """conditional_escape(value), without its lazy-string wrapper (a few calls each, sixteen values a row)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag
def stage_steps(stages) -> str:
    """The bar's steps; `stages` are view models (reviews.review_view.StageView)."""
    steps = []
    for view in stages:
        label = _escaped(view.step_label)
        steps.append(
            f'<a class="step {_escaped(view.stage.state)}" role="listitem" href="{_escaped(view.url)}" '
            f'title="{label}"><span class="visually-hidden">{label}</span></a>'
        )
    # Every value is escaped above.
    return mark_safe(
        f'<div class="stage-steps" role="list" aria-label="{_escaped(gettext("Stages"))}">\n'
        f"  {''.join(steps)}\n</div>"
    )


@register.simple_tag
def current_stage(current) -> str:
    """The line under the bar for `current` (a StageView): which stage of four, its state, whose turn, since
    when."""
    stage = current.stage
    # As {% blocktranslate %}: the message is the template's own text, its number written in.
    which = mark_safe(gettext("Stage %(n)s of 4") % {"n": stage.order})
    turn = format_html("· {}", current.turn) if current.turn else ""
    since = (
        format_html(
            '· <span title="{}">{}</span>', ymd_hm(timezone.localtime(current.since)), waiting(current.since)
        )
        if current.since
        else ""
    )
    return format_html(
        CURRENT, which, stage.get_kind_display(), stage.state, stage.get_state_display(), turn, since
    )
