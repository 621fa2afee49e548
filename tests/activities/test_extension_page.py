"""A scope extension's page in the reviewers' desk is written in Python (activities.templatetags.extension_page)
as its template wrote it (tests/activities/extension_page_template.html, with Django's own widget templates):
the same elements, attributes and words but for the white space between elements, for every step, reader,
decision and error, in both languages; and it reads in a fixed number of queries whatever its trail."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from activities.admin_extensions import LegalDecisionForm, SecurityDecisionForm
from activities.extension_answers import approved_review, template_questions
from activities.extension_reading import answer_states, approved_questions
from activities.extensions import extension_legal_decide, extension_request, extension_security_decide
from activities.models import ScopeExtension
from activities.services import ActivityError
from activities.widgets import QuickWidgets
from reviews.models import Evidence, EvidenceKind
from reviews.questionnaire.scoring import review_answer_states
from tests.factories import make_user, png_bytes
from vendors.models import Vendor
from vendors.scope import Channel, DataCategory, Purpose, Scope

from .extension_helpers import ask, documents, good_answers

pytestmark = pytest.mark.django_db

TEMPLATE = Path(__file__).with_name("extension_page_template.html")
CONTENT = r'<div id="content-main" class="vetted-file">.*</aside>'
SMS = Scope.build(channels=[Channel.SMS])
SENSITIVE = Scope.build(data_categories=[DataCategory.SENSITIVE])
TRICKY = '活动 <b>"双11"</b> & 会员\n第二行'


def markup(html) -> str:
    """The markup without the white space between elements (which no reader sees), and the CSRF token's
    value, which is masked anew each time it is written."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*"', r'\1…"', str(html))
    html = re.sub(r"\s+<", "<", html)
    html = re.sub(r">\s+", ">", html)
    return re.sub(r"\s+", " ", html).strip()


def part(body: str) -> str:
    found = re.search(CONTENT, body, re.DOTALL)
    assert found
    return markup(found.group(0))


def page_url(extension) -> str:
    return reverse("admin:activities_scopeextension_change", args=[extension.pk])


def as_the_template_wrote_it(response) -> str:
    context = {
        name: response.context[name]
        for name in ("page", "extension", "step", "refusal", "form", "csrf_token")
    }
    form = context["form"]
    if form is not None:
        assert isinstance(form.renderer, QuickWidgets)
        form.renderer = get_default_renderer()  # Django's own widget templates
    template = engines["django"].from_string(TEMPLATE.read_text())
    return template.render(context, response.wsgi_request)


def assert_the_templates_markup(response, status=200):
    assert response.status_code == status
    body = response.content.decode()
    assert part(body) == part(as_the_template_wrote_it(response))
    return body


@pytest.fixture
def wang(db):
    return make_user("wangxw", "Requester", first_name="晓雯", last_name="王")


@pytest.fixture
def sms(edm_vendor, wang):
    """Waits for Legal, with a reason to escape and a picture to preview."""
    files = documents(SMS)
    files[EvidenceKind.MARKETING_SAMPLES] = SimpleUploadedFile("样例 <1>.png", png_bytes())
    return extension_request(
        vendor=edm_vendor,
        requester=wang,
        additions=SMS,
        reason=TRICKY,
        answers=good_answers(SMS),
        files=files,
    )


@pytest.fixture
def sensitive(edm_vendor, cmo):
    """Waits for Security."""
    return ask(edm_vendor, cmo, SENSITIVE)


LANGUAGES = ["en", "zh-hans"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("persona", ["legal", "security", "auditor"])
def test_an_extension_waiting_for_legal_is_the_templates_markup(client, request, sms, persona, language):
    client.force_login(request.getfixturevalue(persona))
    body = assert_the_templates_markup(client.get(page_url(sms), HTTP_ACCEPT_LANGUAGE=language))
    assert ('id="legal-form"' in body) == (persona == "legal")
    assert "&lt;b&gt;&quot;双11&quot;&lt;/b&gt; &amp; 会员" in body
    assert 'class="vetted-preview-image"' in body and 'class="vetted-preview-frame"' in body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("persona", ["security", "legal"])
def test_an_extension_waiting_for_security_is_the_templates_markup(
    client, request, sensitive, persona, language
):
    client.force_login(request.getfixturevalue(persona))
    body = assert_the_templates_markup(client.get(page_url(sensitive), HTTP_ACCEPT_LANGUAGE=language))
    assert ('id="security-form"' in body) == (persona == "security")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_decided_extension_is_the_templates_markup(client, legal, security, edm_vendor, cmo, language):
    extension = ask(
        edm_vendor, cmo, Scope.build(purposes=[Purpose.ANALYTICS], data_categories=[DataCategory.SENSITIVE])
    )
    extension_security_decide(extension=extension, actor=security, approve=True, comment="加密 & <脱敏>")
    extension_legal_decide(
        extension=ScopeExtension.objects.get(pk=extension.pk),
        actor=legal,
        approve=True,
        comment="部分批准",
        granted=Scope.build(data_categories=[DataCategory.SENSITIVE]),
    )
    client.force_login(legal)
    body = assert_the_templates_markup(client.get(page_url(extension), HTTP_ACCEPT_LANGUAGE=language))
    assert 'id="security-decision"' in body and 'id="legal-decision"' in body and 'id="no-decision"' in body


def test_a_refused_extension_is_the_templates_markup(client, legal, sms):
    extension_legal_decide(extension=sms, actor=legal, approve=False, comment=TRICKY)
    client.force_login(legal)
    assert_the_templates_markup(client.get(page_url(sms)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_approval_gone_is_the_templates_markup(client, legal, sms, edm_vendor, language):
    Vendor.objects.filter(pk=edm_vendor.pk).update(approved_until=timezone.localdate() - timedelta(days=1))
    client.force_login(legal)
    body = assert_the_templates_markup(client.get(page_url(sms), HTTP_ACCEPT_LANGUAGE=language))
    assert 'value="approve" disabled' in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_form_comes_back_as_the_template_wrote_it(
    client, legal, security, sms, sensitive, language
):
    client.force_login(security)
    url = reverse("admin:activities_scopeextension_decide", args=[sensitive.pk, "security"])
    body = assert_the_templates_markup(
        client.post(url, {"outcome": "refuse", "comment": " "}, HTTP_ACCEPT_LANGUAGE=language), status=400
    )
    assert 'class="vetted-field-error" id="id_comment_error"' in body

    client.force_login(legal)
    url = reverse("admin:activities_scopeextension_decide", args=[sms.pk, "legal"])
    body = assert_the_templates_markup(
        client.post(url, {"outcome": "approve", "comment": "<原因>"}, HTTP_ACCEPT_LANGUAGE=language),
        status=400,
    )
    assert 'id="grant-error"' in body and "&lt;原因&gt;</textarea>" in body


@pytest.mark.parametrize("attempts", [0, 6])
def test_the_page_reads_in_a_fixed_number_of_queries(
    client, legal, auditor, security, sensitive, attempts, django_assert_num_queries
):
    extension_security_decide(extension=sensitive, actor=security, approve=True, comment="")
    for _ in range(attempts):  # refused attempts, each an event of the trail naming the vendor
        with pytest.raises(ActivityError):
            extension_security_decide(extension=sensitive, actor=auditor, approve=True, comment="")
    client.force_login(legal)

    # The session, the user, the user's and the groups' permissions, the extension with its vendor and
    # requester, the roles, the questions with the approved review, the documents, the review's answers with
    # its documents, the trail, Legal's hold and recent role grants (may Legal decide yet), and who decided
    # for Security (named in the decision aside).
    with django_assert_num_queries(13):
        response = client.get(page_url(sensitive))

    assert response.status_code == 200
    assert len(response.context["page"].audit) == 2 + attempts


def test_the_approved_review_and_its_answers_are_read_as_the_questionnaire_reads_them(sms, cmo):
    review = approved_review(sms.approval_reference)
    assert review is not None

    found, questions = approved_questions(sms.approval_reference)

    assert (found.pk, found.number) == (review.pk, review.number)
    expected = template_questions(review)
    assert [q.pk for q in questions] == [q.pk for q in expected] and len(expected) > 10
    states = answer_states(review)
    assert states == review_answer_states(review)
    assert any(state.has_file for state in states.values()) and any(state.value for state in states.values())
    # A file withdrawn no longer counts.
    withdrawn = Evidence.objects.filter(
        review=review, question__isnull=False, withdrawn_at__isnull=True
    ).first()
    Evidence.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    assert answer_states(review) != states
    assert answer_states(review) == review_answer_states(review)


@pytest.mark.parametrize("reference", ["", "VD-2099-99999"])
def test_without_an_approved_review_the_active_template_is_read(sms, reference):
    found, questions = approved_questions(reference)
    assert found is None
    assert [q.pk for q in questions] == [q.pk for q in template_questions(None)]


class Choices(forms.Form):
    default_renderer = QuickWidgets()
    one = forms.ChoiceField(choices=[("a", "甲 <A>"), ("b", 'B & "b"')], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple)


@pytest.mark.parametrize(
    "data", [None, {"outcome": "approve", "grant": ["channels:sms"], "comment": "<理由> &"}]
)
def test_the_decision_forms_inputs_are_djangos_to_the_character(data):
    asked = Scope.build(channels=[Channel.SMS], purposes=[Purpose.ANALYTICS])
    quick = LegalDecisionForm(data, asked=asked)
    djangos = LegalDecisionForm(data, asked=asked, renderer=get_default_renderer())
    assert isinstance(quick.renderer, QuickWidgets)
    for name in djangos.fields:
        assert str(quick[name]) == str(djangos[name]), name
    for wrap_label in (False, True):
        assert [w.tag(wrap_label) for w in quick["grant"]] == [w.tag(wrap_label) for w in djangos["grant"]]
    assert str(SecurityDecisionForm(data)["comment"]) == str(
        SecurityDecisionForm(data, renderer=get_default_renderer())["comment"]
    )


@pytest.mark.parametrize("data", [None, {"one": "b", "many": ["x", "y"]}])
def test_a_radio_button_or_check_box_of_a_group_is_djangos_to_the_character(data):
    quick, djangos = Choices(data), Choices(data, renderer=get_default_renderer())
    for name in ("one", "many"):
        assert [w.tag() for w in quick[name]] == [w.tag() for w in djangos[name]], name
        assert str(quick[name]) == str(djangos[name]), name


def test_every_message_the_page_writes_is_listed_for_the_catalogue():
    """A call inside an f-string is not read by makemessages: the module lists each message it writes."""
    from activities.templatetags import extension_page

    source = Path(extension_page.__file__).read_text()
    called = set(re.findall(r'\b(?:_|gettext)\(\s*"([^"]*)"', source)) | set(
        re.findall(r"\b(?:_|gettext)\(\s*'([^']*)'", source)
    )
    assert len(called) > 50
    assert called == set(extension_page.MESSAGES)
