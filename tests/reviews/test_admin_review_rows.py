"""The rows the reviewers' desk and the review page write in Python (reviews.desk, reviews.admin.review_rows)
are the rows their templates wrote: each is compared with Django's rendering of the template loop it
replaced (kept here as it was), in English and in Chinese, on data that takes every branch of it."""

from datetime import datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from reviews.admin.review_file import review_file, review_queryset
from reviews.admin.review_rows import PREVIEWABLE
from reviews.desk import desk_for
from reviews.evidence import evidence_add, evidence_withdraw
from reviews.models import EvidenceKind, StageKind
from reviews.questionnaire.answers import answers_save
from tests.builders import (
    answers_for,
    approved_review,
    invite_contact,
    own_channel,
    pass_stage,
    stage_of,
    stages_update,
    start_review,
    submit_stage,
)
from tests.factories import VendorFactory, make_user, pdf_upload, png_bytes
from vendors.models import Vendor, VendorStatus

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "zh-hans")

# The loops of templates/admin/reviews/review/includes/ as they were, cell by cell.
ANSWERS = """{% load i18n citations %}{% translate "Red flag" as red_flag %}{% for row in rows %}
      <tr class="{% if row.red_flags %}vetted-row-red{% elif row.risks %}vetted-row-amber{% endif %}">
        <td><strong>{{ row.question.code }}</strong> {{ row.question.text }}</td>
        <td>{{ row.value|default:"" }}{% if row.detail %}{% if row.value %}<br>{% endif %}<span class="vetted-pre">{{ row.detail }}</span>{% endif %}{% if not row.value and not row.detail %}<span class="vetted-muted">—</span>{% endif %}{% if row.via_contact %}<br>{% include "admin/reviews/review/includes/_via_contact.html" with via=row.via_contact %}{% endif %}</td>
        <td>{% if row.flags %}{% for flag in row.red_flags %}<span class="vetted-badge vetted-red">{{ red_flag }}</span> {{ flag.message }}<br>{% endfor %}
            {% for flag in row.risks %}<span class="vetted-badge vetted-amber">{% blocktranslate with points=flag.points %}Risk +{{ points }}{% endblocktranslate %}</span> {{ flag.message }}<br>{% endfor %}
            {% else %}<span class="vetted-muted">—</span>{% endif %}</td>
        <td>{{ row.legal_basis|cite|default:"—" }}</td>
      </tr>
    {% endfor %}"""

EVIDENCE = """{% load i18n dates people %}{% translate "withdrawn" as withdrawn %}{% translate "earlier round" as earlier_round %}{% translate "Download" as download %}{% for entry in file.evidence %}{% with item=entry.evidence %}
      <tr>
        <td>{{ item.get_kind_display }}{% if item.question %} ({{ item.question.code }}){% endif %}<br><small>{{ item.original_name }}</small>
          {% if item.withdrawn_at %}<span class="vetted-badge vetted-grey">{{ withdrawn }}</span>{% elif item.round != item.stage.round %}<span class="vetted-badge vetted-grey">{{ earlier_round }}</span>{% endif %}</td>
        <td>{{ item.stage.get_kind_display }}</td>
        <td>v{{ item.version }} · {{ entry.round_label }}</td>
        <td>{{ item.size|filesizeformat }}</td>
        <td class="vetted-hash">{{ item.sha256 }}</td>
        <td>{% if entry.via_contact %}{% include "admin/reviews/review/includes/_via_contact.html" with via=entry.via_contact %}{% else %}{{ item.uploaded_by|person|default:"—" }}{% endif %}<br><small>{{ item.uploaded_at|ymd_hm }}</small></td>
        <td class="nowrap"><a href="{{ entry.download_url }}">{{ download }}</a></td>
      </tr>
      {% if item.content_type in previewable and not item.withdrawn_at %}
      <tr class="vetted-preview-row"><td colspan="7">
        <details class="vetted-preview" id="preview-{{ item.pk }}">
          <summary>{{ entry.preview_label }}</summary>
          {% if item.content_type == "application/pdf" %}
            <iframe src="{{ entry.preview_url }}" title="{{ item.original_name }}" loading="lazy" class="vetted-preview-frame"></iframe>
          {% else %}
            <img src="{{ entry.preview_url }}" alt="{{ item.get_kind_display }}: {{ item.original_name }}" loading="lazy" class="vetted-preview-image">
          {% endif %}
        </details>
      </td></tr>
      {% endif %}
    {% endwith %}{% endfor %}"""

AUDIT = """{% load dates %}{% for line in file.audit_events %}{% with event=line.event %}
    <li id="event-{{ event.pk }}"><span class="vetted-muted vetted-nowrap">{{ event.at|ymd_hm }}</span>
      <span class="vetted-sentence">{{ line.sentence }}</span>
      <details class="vetted-raw"><summary>{{ line.recorded_label }}</summary>
        <code>{{ event.action }}</code> · {{ event.actor_label }}<br><small class="vetted-pre">{{ line.details_text }}</small></details>
    </li>
    {% endwith %}{% endfor %}"""

STAGES = """{% load dates %}{% for view in file.stages %}{% with stage=view.stage %}
      <tr{% if stage == file.current_stage %} class="selected"{% endif %}>
        <td>{{ stage.order }}. {{ stage.get_kind_display }}</td>
        <td><span class="vetted-badge {% if stage.state == 'passed' %}vetted-green{% elif stage.state == 'failed' %}vetted-red{% elif stage.state == 'submitted' or stage.state == 'returned' %}vetted-amber{% else %}vetted-grey{% endif %}">{{ stage.get_state_display }}</span></td>
        <td>{{ stage.round }}</td>
        <td>{{ stage.opened_at|ymd_hm|default:"—" }}</td>
        <td>{{ stage.submitted_at|ymd_hm|default:"—" }}</td>
        <td>{{ stage.decided_at|ymd_hm|default:"—" }}</td>
      </tr>
    {% endwith %}{% endfor %}"""

DECISIONS = """{% load dates people %}{% for decision in file.decisions %}
      <tr><td>{{ decision.stage.get_kind_display }}: <span class="vetted-badge {% if decision.outcome == 'passed' %}vetted-green{% elif decision.outcome == 'failed' %}vetted-red{% else %}vetted-amber{% endif %}">{{ decision.get_outcome_display }}</span></td>
        <td>{{ decision.round }}</td><td>{{ decision.decided_by|person }}</td>
        <td>{{ decision.decided_at|ymd_hm }}</td><td class="vetted-pre">{{ decision.comment }}</td></tr>
    {% endfor %}"""

# The loops of templates/admin/desk.html as they were.
DESK_WAITING = """{% load i18n people links %}{% for item in group.items %}
            <tr{% if item.overdue %} class="is-overdue"{% endif %}>
              <td><a href="{% object_url 'admin:reviews_review_change' item.review.pk %}">{{ item.review.number }}</a></td>
              <td>{{ item.review.vendor.name_zh }}<br><small class="uscc">{% if item.review.vendor.uscc %}{{ item.review.vendor.uscc }}{% else %}{% translate "The brand's own channel" %}{% endif %}</small></td>
              <td>{{ item.review.requester|person }}</td>
              <td>{{ item.tier_label }}{% if item.review.red_flag_count %}<br><small class="overdue">{{ item.red_flags_phrase }}</small>{% endif %}</td>
              <td class="days{% if item.overdue %} overdue{% endif %}">{{ item.waiting_phrase }}
                <br><small class="vetted-muted">{{ item.since_phrase }}</small></td>
            </tr>
          {% endfor %}"""

DESK_EXPIRING = """{% load links dates %}{% for vendor in ending.vendors %}
          <li><a href="{% object_url 'admin:vendors_vendor_change' vendor.pk %}">{{ vendor.name_zh }}</a> · {{ vendor.approved_until|ymd }}</li>
        {% endfor %}"""

DESK_CATCH_UPS = """{% load i18n people links dates %}{% for vendor in catch_ups.vendors %}
          <li><a href="{% object_url 'admin:vendors_vendor_change' vendor.pk %}">{{ vendor.name_zh }}</a> · <span class="overdue">{% blocktranslate with day=vendor.catch_up_due|ymd %}due {{ day }}{% endblocktranslate %}</span>{% if vendor.business_owner %} · {{ vendor.business_owner|person }}{% endif %}</li>
        {% endfor %}"""

DESK_DECISIONS = """{% load links dates %}{% for decision in desk.decisions %}
          <li><a href="{% object_url 'admin:reviews_review_change' decision.stage.review.pk %}">{{ decision.stage.review.number }}</a>
            {{ decision.stage.review.vendor.name_zh }}: {{ decision.stage.get_kind_display }} {{ decision.get_outcome_display }}
            <small class="vetted-muted">{{ decision.decided_at|ymd_hm }}</small></li>
        {% endfor %}"""


def rendered(template: str, **context) -> str:
    return Template(template).render(Context(context))


@pytest.fixture
def contact_review(requester, legal):
    """A review with answers and files from the vendor's contact, a file from a contact named in markup, a
    withdrawn file and a preview of each kind (a PDF and an image)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    review = start_review(requester, vendor=VendorFactory(name_zh="<b>联系</b>科技"))
    link, _token = invite_contact(review, requester, name="王五 <i>&</i>", email="w&u@example.com")
    answers_save(review=review, actor=requester, answers=answers_for(review))
    answers_save(review=review, actor=link, answers={"A4": answers_for(review)["A4"]})
    stage = stage_of(review, StageKind.QUESTIONNAIRE)
    evidence_add(
        stage=stage, actor=link, kind=EvidenceKind.OTHER, upload=pdf_upload("from <vendor>.pdf", "v")
    )
    evidence_add(
        stage=stage,
        actor=requester,
        kind=EvidenceKind.OTHER,
        upload=SimpleUploadedFile("screen.png", png_bytes(), content_type="image/png"),
    )
    mistaken, _same = evidence_add(
        stage=stage, actor=requester, kind=EvidenceKind.OTHER, upload=pdf_upload("mistake.pdf", "m")
    )
    evidence_withdraw(evidence=mistaken, actor=requester)
    return review


def test_the_review_pages_rows_are_the_templates_rows(contact_review, requester, legal, security):
    signed = approved_review(requester, legal=legal, security=security)
    seen = set()
    for review in (contact_review, signed):
        for language in LANGUAGES:
            with translation.override(language):
                file = review_file(review_queryset().get(pk=review.pk), user=legal)

                assert file.answer_rows == rendered(ANSWERS, rows=file.answers)
                assert file.evidence_rows_previewed == rendered(EVIDENCE, file=file, previewable=PREVIEWABLE)
                assert file.evidence_rows == rendered(EVIDENCE, file=file)
                assert file.audit_rows == rendered(AUDIT, file=file)
                assert file.stage_rows == rendered(STAGES, file=file)
                assert file.decision_rows == rendered(DECISIONS, file=file)
                seen.update(
                    part
                    for part in ("via-contact", "vetted-preview-frame", "vetted-preview-image", "vetted-row-")
                    if part in file.answer_rows + file.evidence_rows_previewed
                )
                seen.update(("&lt;",) if "&lt;vendor&gt;" in file.evidence_rows else ())
                seen.update(("withdrawn",) if 'vetted-badge vetted-grey">' in file.evidence_rows else ())
                seen.update(("audit",) if len(file.audit_events) > 3 else ())
                seen.update(("selected",) if 'class="selected"' in file.stage_rows else ())
                seen.update(("decisions",) if file.decisions else ())
    assert seen == {
        "via-contact",
        "vetted-preview-frame",
        "vetted-preview-image",
        "vetted-row-",
        "&lt;",
        "withdrawn",
        "audit",
        "selected",
        "decisions",
    }


def test_the_review_page_writes_the_rows_in_one_piece(client, contact_review, legal):
    from django.urls import reverse

    client.force_login(legal)
    page = client.get(reverse("admin:reviews_review_change", args=[contact_review.pk])).content.decode()

    file = review_file(review_queryset().get(pk=contact_review.pk), user=legal)
    assert file.answer_rows in page and file.evidence_rows_previewed in page and file.audit_rows in page
    assert "vendor contact 王五 &lt;i&gt;&amp;&lt;/i&gt;" in page


def test_the_desks_rows_are_the_templates_rows(requester, legal, security):
    today = timezone.localdate()
    # Waiting on Legal: one overdue with red flags, one on time, one of an own channel (no credit code).
    late = start_review(requester, vendor=VendorFactory(name_zh="迟到<科技>"))
    submit_stage(late, StageKind.QUESTIONNAIRE, requester)
    stages_update(
        where={"review": late, "kind": StageKind.QUESTIONNAIRE},
        submitted_at=timezone.now() - timedelta(days=30),
    )
    type(late).objects.filter(pk=late.pk).update(red_flag_count=2)
    on_time = start_review(requester)
    submit_stage(on_time, StageKind.QUESTIONNAIRE, requester)
    channel = own_channel("website", actor=requester, business_owner=requester)
    own = start_review(requester, vendor=channel)
    submit_stage(own, StageKind.QUESTIONNAIRE, requester)
    # Legal's decisions, approvals ending, overdue catch-ups with and without a business owner.
    pass_stage(start_review(requester), StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    Vendor.objects.filter(pk__in=[VendorFactory(name_zh="到期&科技").pk, VendorFactory().pk]).update(
        status=VendorStatus.APPROVED, approved_until=today + timedelta(days=10), approval_reference="VD-1"
    )
    owner = make_user("owner", "Requester", first_name="晓雯", last_name="王")
    VendorFactory(status=VendorStatus.IN_USE, catch_up_due=today - timedelta(days=3), business_owner=owner)
    VendorFactory(status=VendorStatus.IN_USE, catch_up_due=today - timedelta(days=2))

    for language in LANGUAGES:
        with translation.override(language):
            desk = desk_for(legal)

            (group,) = desk.groups
            assert group.rows == rendered(DESK_WAITING, group=group)
            assert [ending.rows for ending in desk.expiring] == [
                rendered(DESK_EXPIRING, ending=ending) for ending in desk.expiring
            ]
            assert desk.catch_ups.rows == rendered(DESK_CATCH_UPS, catch_ups=desk.catch_ups)
            assert desk.decision_rows == rendered(DESK_DECISIONS, desk=desk)
            assert translation.gettext("The brand's own channel") in group.rows
            assert group.items[0].red_flags_phrase in group.rows and "迟到&lt;科技&gt;" in group.rows
    assert [item.review for item in group.items] == [late, on_time, own]
    assert group.items[0].overdue and group.items[0].review.red_flag_count == 2
    assert desk.expiring[0].total == 2 and desk.catch_ups.total == 2 and desk.decisions
    assert {vendor.business_owner for vendor in desk.catch_ups.vendors} == {owner, None}


def test_the_audit_trail_of_a_page_without_written_rows_shows_each_events_id_time_action_and_actor():
    """The marketing activity's page includes the audit trail with its own lines (no written rows): the
    template's loop reads the event's id, time, action and actor from each line."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    from activities.admin_page import AuditRow

    at = timezone.make_aware(datetime(2026, 3, 4, 5, 6))
    row = AuditRow(
        pk=41,
        at=at,
        sentence="王晓雯 registered <it>",
        action="activity.created",
        actor_label="cmo",
        recorded_label="Recorded data (event #41)",
        details_text='{"a": 1}',
    )
    with translation.override("en"):
        html = render_to_string(
            "admin/reviews/review/includes/audit.html", {"file": SimpleNamespace(audit_events=(row,))}
        )

    assert '<li id="event-41">' in html
    assert f'<span class="vetted-muted vetted-nowrap">{timezone.localtime(at):%Y-%m-%d %H:%M}</span>' in html
    assert "<code>activity.created</code> · cmo" in html and "registered &lt;it&gt;" in html
