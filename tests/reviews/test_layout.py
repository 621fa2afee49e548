"""The page layout's parts kept per process (reviews/templatetags/layout.py) and the progress bar written in one
pass (reviews/templatetags/progress.py): the same markup as the template code they replace, for every user,
page and language, whichever was shown first."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone, translation

from reviews.models import Decision, Review, ReviewState, Stage, StageState
from reviews.selectors import Capped, reviews_for_dashboard
from reviews.views.dashboard import _with_progress
from tests.builders import start_review
from vendors.models import Vendor, VendorStatus

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<ul class="navbar-nav me-auto">.*?</ul>', re.DOTALL)


def menu(client, path: str, language: str = "en") -> str:
    body = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return MENU.search(body)[0]


def current_links(html: str) -> list[str]:
    return re.findall(r'class="nav-link active" href="([^"]+)"', html)


@pytest.mark.parametrize(
    "name", ["dashboard", "review_new", "channel_new", "vendors:approved", "activities:list"]
)
def test_the_menu_marks_the_page_shown_and_only_it(client, requester, name):
    client.force_login(requester)
    client.get(reverse("dashboard"))  # another page's menu first: kept, then asked for this page
    assert current_links(menu(client, reverse(name))) == [reverse(name)]
    assert current_links(menu(client, reverse("dashboard_list", args=["action"]))) == []


def test_each_user_gets_the_menu_of_their_roles_whoever_came_first(client, requester, legal):
    portfolio = reverse("portfolio:page")
    client.force_login(requester)
    of_requester = menu(client, reverse("vendors:approved"))
    client.force_login(legal)
    of_legal = menu(client, reverse("vendors:approved"))
    client.force_login(requester)
    again = menu(client, reverse("vendors:approved"))

    assert portfolio in of_legal and reverse("review_new") not in of_legal
    assert portfolio not in of_requester and reverse("review_new") in of_requester
    assert again == of_requester


def test_the_menu_and_the_language_menu_follow_the_language(client, requester):
    client.force_login(requester)
    english = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Approved vendors" in MENU.search(english)[0]
    assert "Approved vendors" not in MENU.search(chinese)[0]
    assert '<option value="en" lang="en" selected>' in english
    assert '<option value="zh-hans" lang="zh-hans" selected>' in chinese
    assert client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode().count(
        "Approved vendors"
    ) == english.count("Approved vendors")


def test_the_csrf_tokens_of_the_layout_are_each_requests_own(client, requester, other_requester):
    tokens = []
    for user in (requester, other_requester):
        client.force_login(user)
        body = client.get(reverse("dashboard")).content.decode()
        tokens.append(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
    assert len(tokens[0]) == len(tokens[1]) == 2  # the language menu and signing out
    assert not set(tokens[0]) & set(tokens[1])


def test_a_kept_part_refuses_a_csrf_token():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load layout %}{% fixed %}<form>{% csrf_token %}</form>{% endfixed %}")


# The progress bar as reviews/_progress.html wrote it before {% stage_steps %} and {% current_stage %}.
FORMER_BAR = Template(
    """{% load i18n waiting dates %}<div class="stage-steps" role="list" aria-label="{% translate 'Stages' %}">
  {% for s in stages %}<a class="step {{ s.stage.state }}" role="listitem" href="{{ s.url }}" title="{{ s.step_label }}"><span class="visually-hidden">{{ s.step_label }}</span></a>{% endfor %}
</div>|<div class="small mt-1">
  <span class="text-body-secondary">{% blocktranslate with n=current.stage.order %}Stage {{ n }} of 4{% endblocktranslate %}:</span>
  {{ current.stage.get_kind_display }} · <span class="badge state-{{ current.stage.state }}">{{ current.stage.get_state_display }}</span>
  {% if current.turn %}· {{ current.turn }}{% endif %}
  {% if current.since %}· <span title="{{ current.since|ymd_hm }}">{{ current.since|waiting }}</span>{% endif %}
</div>"""
)
BAR = Template("{% load progress %}{% stage_steps stages %}|{% current_stage current %}")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_progress_bar_is_the_markup_the_template_wrote(requester, language):
    review = start_review(requester)
    stages = sorted(review.stages.all(), key=lambda s: s.order)
    stages[1].state = StageState.RETURNED
    stages[1].decided_at = timezone.now() - timedelta(days=3)
    views = [
        SimpleNamespace(
            stage=stage,
            url=f"/reviews/{review.pk}/step-{stage.order}/?a=1&b=<2>",
            step_label=f'{stage.order}. "{stage.kind}" & <{stage.state}>',
            turn="Waiting for <Legal> & co" if stage.order == 2 else "",
            since=stage.decided_at if stage.order == 2 else None,
        )
        for stage in stages
    ]
    with translation.override(language):
        for current in views[:2]:
            context = {"stages": views, "current": current}
            assert BAR.render(Context(context)) == FORMER_BAR.render(Context(context))


# An item of "needs your action" as reviews/_action_item.html wrote it before {% action_item %}.
FORMER_ACTION_ITEM = Template(
    """{% load i18n people waiting links dates %}{% with stage=view.stage %}<li class="list-group-item action-item" data-review="{{ stage.review.number }}">
  <div class="d-flex flex-wrap justify-content-between align-items-start gap-2">
    <div>
      <a class="fw-semibold" href="{% object_url 'review_detail' stage.review.pk %}">{{ stage.review.vendor.name_zh }}</a>
      <span class="mono text-body-secondary ms-1">{{ stage.review.number }}</span><br>
      <span class="small">{{ stage.get_kind_display }} · <span class="badge state-{{ stage.state }}">{{ stage.get_state_display }}</span>
      {% if view.since %}· <span title="{{ view.since|ymd_hm }}">{{ view.since|waiting }}</span>{% endif %}</span>
    </div>
    <a class="btn btn-sm {% if stage.state == 'returned' %}btn-warning{% else %}btn-outline-primary{% endif %}" href="{{ view.url }}">{% if stage.state == 'returned' %}{% translate "Fix and resubmit" %}{% else %}{% translate "Continue" %}{% endif %}</a>
  </div>
  {% if stage.state == 'returned' and view.latest_decision %}
  <figure class="reviewer-comment mt-2 mb-0">
    <blockquote class="mb-1">{{ view.latest_decision.comment|linebreaksbr }}</blockquote>
    <figcaption class="small text-body-secondary">{% blocktranslate with who=view.latest_decision.decided_by|person when=view.latest_decision.decided_at|ymd_hm %}Returned by {{ who }} on {{ when }}{% endblocktranslate %}</figcaption>
  </figure>
  {% endif %}
</li>{% endwith %}"""
)
ACTION_ITEM = Template("{% load dashboard_items %}{% action_item view %}")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_action_item_is_the_markup_the_template_wrote(requester, legal, language):
    review = start_review(requester)
    Review.objects.filter(pk=review.pk).update(number='VR-2026-<1>&"')
    Vendor.objects.filter(pk=review.vendor_id).update(name_zh="<b>上海&云</b>")
    stage = Stage.objects.select_related("review__vendor").get(review=review, order=1)
    decision = Decision(
        stage=stage,
        round=1,
        outcome="returned",
        comment="Line one & <two>\nline three",
        decided_by=legal,
        decided_at=timezone.now() - timedelta(hours=5),
    )
    with translation.override(language):
        for state, latest, since in (
            (StageState.OPEN, None, stage.opened_at),
            (StageState.RETURNED, decision, timezone.now() - timedelta(days=2)),
            (StageState.RETURNED, None, None),
        ):
            stage.state = state
            view = SimpleNamespace(stage=stage, since=since, latest_decision=latest, url="/q/?a=1&b=<2>")
            context = {"view": view}
            assert ACTION_ITEM.render(Context(context)) == FORMER_ACTION_ITEM.render(Context(context))


# The items as reviews/_ending_item.html, _catch_up_item.html and _see_all.html wrote them before their tags.
FORMER_ENDING_ITEM = Template("""{% load i18n links dates %}{% with vendor=sign_off.review.vendor %}<li class="list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2 ending-item">
  <div><a class="fw-semibold" href="{% object_url 'vendor_detail' vendor.pk %}">{{ vendor.name_zh }}</a>
    <span class="small text-body-secondary ms-1">{% blocktranslate with date=vendor.approved_until|ymd ref=sign_off.number days=vendor.approved_until|timeuntil %}approval {{ ref }} ends on {{ date }} (in {{ days }}){% endblocktranslate %}</span></div>
  <a class="btn btn-sm btn-warning" href="{% url 'review_new' %}?vendor={{ vendor.pk }}">{% translate "Request a renewal" %}</a>
</li>{% endwith %}""")
FORMER_CATCH_UP_ITEM = Template("""{% load i18n links dates %}{% with vendor=review.vendor %}<li class="list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2 catch-up-item" data-review="{{ review.number }}">
  <div><a class="fw-semibold" href="{% object_url 'review_detail' review.pk %}">{{ vendor.name_zh }}</a> <span class="mono text-body-secondary">{{ review.number }}</span>
    {% if vendor.catch_up_due %}<span class="small ms-1">{% blocktranslate with date=vendor.catch_up_due|ymd %}due {{ date }}{% endblocktranslate %}</span>{% if vendor.catch_up_due < today %} <span class="badge text-bg-danger vendor-overdue">{% translate "Catch-up review overdue" %}</span>{% endif %}{% endif %}</div>
  <a class="btn btn-sm btn-warning" href="{% object_url 'review_detail' review.pk %}">{% translate "Continue" %}</a>
</li>{% endwith %}""")
FORMER_SEE_ALL = Template(
    """{% load i18n %}{% if rows.more %}<div class="card-footer bg-body see-all"><a class="fw-semibold" href="{% url 'dashboard_list' which %}">{% blocktranslate count n=rows.more with total=rows.total %}See all {{ total }} ({{ n }} more){% plural %}See all {{ total }} ({{ n }} more){% endblocktranslate %} &rarr;</a></div>{% endif %}"""
)
ENDING_ITEM = Template("{% load dashboard_items %}{% ending_item sign_off %}")
CATCH_UP_ITEM = Template("{% load dashboard_items %}{% catch_up_item review today %}")
SEE_ALL = Template("{% load dashboard_items %}{% see_all rows which %}")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_other_items_are_the_markup_the_templates_wrote(requester, language):
    review = start_review(requester)
    today = timezone.localdate()
    vendor = Vendor(pk=12345, name_zh="<b>上海&云</b>", approved_until=today + timedelta(days=40))
    review = SimpleNamespace(pk=review.pk, number='VR-2026-<1>&"', vendor=vendor)
    sign_off = SimpleNamespace(number='VD-2026-<9>&"', review=review)
    with translation.override(language):
        contexts = [{"sign_off": sign_off}]
        for due in (today - timedelta(days=3), today, today + timedelta(days=9), None):
            vendor.catch_up_due = due
            for context in ({"review": review, "today": today}, {"review": review}):
                assert CATCH_UP_ITEM.render(Context(context)) == FORMER_CATCH_UP_ITEM.render(Context(context))
        for context in contexts:
            assert ENDING_ITEM.render(Context(context)) == FORMER_ENDING_ITEM.render(Context(context))
        for total, shown in ((0, 0), (3, 3), (6, 5), (1234, 5)):
            rows = Capped(items=list(range(shown)), total=total)
            context = {"rows": rows, "which": "catch-up"}
            assert SEE_ALL.render(Context(context)) == FORMER_SEE_ALL.render(Context(context))


# A row of the requester's table of their requests as reviews/dashboard.html wrote it before {% request_row %}
# (the body of its loop, the progress bar included from reviews/_progress.html).
FORMER_REQUEST_ROW = Template(
    """{% load links dates %}
    <tr>
      <td><a href="{% object_url 'review_detail' review.pk %}" class="fw-semibold">{{ review.vendor.name_zh }}</a><br><span class="mono text-body-secondary">{{ review.number }}</span></td>
      <td>{% include "reviews/_progress.html" with stages=review.stage_list current=review.current %}</td>
      <td><span class="badge review-{{ review.standing }}">{{ review.standing_label }}</span><div class="small text-body-secondary">{{ review.created_at|ymd }}</div></td>
    </tr>
  """
)
REQUEST_ROW = Template("{% load dashboard_items %}{% request_row review %}")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_request_row_is_the_markup_the_template_wrote(requester, language):
    today = timezone.localdate()
    draft, returned, lapsed, suspended, approved = (start_review(requester) for _ in range(5))
    Review.objects.filter(pk=draft.pk).update(number='VR-2026-<1>&"')
    Vendor.objects.filter(pk=draft.vendor_id).update(name_zh="<b>上海&云</b>")
    Stage.objects.filter(review=returned, order=1).update(
        state=StageState.RETURNED, decided_at=timezone.now() - timedelta(days=2)
    )
    for review, until, status in (
        (lapsed, today - timedelta(days=1), VendorStatus.APPROVED),
        (suspended, today + timedelta(days=90), VendorStatus.SUSPENDED),
        (approved, today + timedelta(days=90), VendorStatus.APPROVED),
    ):
        Review.objects.filter(pk=review.pk).update(state=ReviewState.APPROVED)
        Stage.objects.filter(review=review).update(state=StageState.PASSED)
        Vendor.objects.filter(pk=review.vendor_id).update(
            approved_until=until, status=status, approval_reference=f"VD-2026-{review.pk:05d}"
        )
    rows = _with_progress(reviews_for_dashboard(requester), user=requester)
    assert len(rows) == 5 and any(row.current is None for row in rows)
    with translation.override(language):
        for row in rows:
            context = {"review": row}
            assert REQUEST_ROW.render(Context(context)) == FORMER_REQUEST_ROW.render(Context(context))
