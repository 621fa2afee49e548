"""activities.templatetags.form_fields and activities.widgets: the activity form's fields written in Python
as crispy-forms' bootstrap5 pack and Django's widget templates write them. Every field of the form, empty,
filled, refused with its errors and accepted, is the same markup as {{ field|as_crispy_field }} with Django's
own renderer but for the white space between elements (each input the same to the character); and the pages
that use it read in a fixed number of queries whatever the size of the register."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.forms.renderers import get_default_renderer
from django.urls import reverse
from django.utils import translation

from activities.forms import ActivityForm
from activities.templatetags.form_fields import as_bootstrap_field
from activities.widgets import QuickWidgets
from tests.factories import VendorFactory
from vendors.models import VendorCategory

from .web import abm_outside_scope, form_data

pytestmark = pytest.mark.django_db


def markup(html) -> str:
    """The markup without the white space between elements or inside tags (which no reader sees)."""
    html = re.sub(r"\s+<", "<", str(html))
    html = re.sub(r">\s+", ">", html)
    return re.sub(r"\s+", " ", html).strip()


@pytest.fixture
def own_channels(db):
    return [
        VendorFactory(category=VendorCategory.OWN_CHANNEL, uscc="", name_zh="品牌官网 <官方>"),
        VendorFactory(category=VendorCategory.OWN_CHANNEL, uscc="", name_zh="会员小程序"),
    ]


STATES = {
    "empty": {},
    "filled": {
        "initial": {
            "name": '会员 <春季> "EDM"',
            "purpose": "abm",
            "audience": "会员 & 访客\n第二行",
            "channels": ["sms", "edm"],
            "own_channels": ["website"],
            "audience_source": "own_consented",
            "profiling": True,
            "vendors": "91310000000000001X",
        }
    },
    "refused": {
        "data": {
            "channels": ["bogus"],
            "audience_source": "",
            "personalised_pricing": "on",
            "vendors": "not-a-code",
            "starts_on": "2026-13-40",
        }
    },
    "accepted": {"data": form_data()},
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("state", STATES)
def test_every_field_is_crispys_markup(own_channels, state, language):
    kwargs = dict(STATES[state])
    if "initial" in kwargs:
        kwargs["initial"] = {**kwargs["initial"], "named_channels": [own_channels[0]]}
    with translation.override(language):
        # crispy's templates with Django's own widget templates, against the page's way.
        crispy, quick = ActivityForm(renderer=get_default_renderer(), **kwargs), ActivityForm(**kwargs)
        if crispy.is_bound:
            crispy.is_valid(), quick.is_valid()
        for name in crispy.fields:
            assert markup(as_bootstrap_field(quick[name])) == markup(as_crispy_field(crispy[name])), name


@pytest.mark.parametrize("state", STATES)
def test_every_input_is_djangos_markup_to_the_character(own_channels, state):
    kwargs = dict(STATES[state])
    djangos, quick = ActivityForm(renderer=get_default_renderer(), **kwargs), ActivityForm(**kwargs)
    assert isinstance(quick.renderer, QuickWidgets)
    if djangos.is_bound:
        djangos.is_valid(), quick.is_valid()
    for name in djangos.fields:
        assert str(quick[name]) == str(djangos[name]), name
    assert str(quick.errors) == str(djangos.errors)


def test_the_errors_and_help_text_are_where_crispy_puts_them(own_channels):
    form = ActivityForm(STATES["refused"]["data"])
    form.is_valid()
    html = markup(as_bootstrap_field(form["channels"]))
    assert 'class="form-check-input is-invalid"' in html
    assert '<div id="id_channels_error" class="invalid-feedback"><p id="error_1_id_channels"><strong>' in html
    named = markup(as_bootstrap_field(form["named_channels"]))
    assert "品牌官网 &lt;官方&gt;" in named and 'id="id_named_channels_helptext" class="form-text"' in named


class Upload(forms.Form):
    document = forms.FileField(label="文件")
    kept = forms.CharField(widget=forms.HiddenInput)


@pytest.mark.parametrize("name", ["document", "kept"])
def test_a_field_of_another_kind_is_left_to_crispy(name):
    assert as_bootstrap_field(Upload()[name]) == as_crispy_field(Upload()[name])


@pytest.mark.parametrize("channels", [0, 12])
def test_the_form_reads_in_a_fixed_number_of_queries(client, cmo, channels, django_assert_num_queries):
    VendorFactory.create_batch(channels, category=VendorCategory.OWN_CHANNEL, uscc="")
    VendorFactory.create_batch(30)
    client.force_login(cmo)

    # The session, the user, the roles, the registered own channels offered.
    with django_assert_num_queries(4):
        response = client.get(reverse("activities:new"))

    assert response.status_code == 200
    assert response.content.decode().count('name="named_channels"') == channels


@pytest.mark.parametrize("channels", [0, 12])
def test_the_edit_form_reads_in_a_fixed_number_of_queries(
    client, cmo, edm_vendor, channels, django_assert_num_queries
):
    VendorFactory.create_batch(channels, category=VendorCategory.OWN_CHANNEL, uscc="")
    activity = abm_outside_scope(cmo, edm_vendor)
    client.force_login(cmo)

    # The session, the user, the activity, its own channels and vendors, the roles, the own channels offered.
    with django_assert_num_queries(7):
        response = client.get(reverse("activities:edit", args=[activity.pk]))

    assert response.status_code == 200
    assert edm_vendor.uscc in response.content.decode()
