"""A use (a purpose, channels) against an approved scope, as the request form asks it (reviews/use_fit.py)."""

from urllib.parse import parse_qs

from reviews.use_fit import use_fit
from vendors.scope import Channel, Purpose, Scope

EDM_ONLY = Scope.build(purposes=[Purpose.MEMBER_MARKETING], channels=[Channel.EDM])


def test_it_is_within_when_the_purpose_and_every_channel_are_covered():
    fit = use_fit(scope=EDM_ONLY, purpose=Purpose.MEMBER_MARKETING, channels=[Channel.EDM])

    assert fit.asked and fit.within and fit.outside == ()
    assert (fit.purpose_label, fit.channel_labels) == ("Member marketing", ("E-mail (EDM)",))


def test_it_names_each_channel_and_purpose_outside_the_scope():
    fit = use_fit(scope=EDM_ONLY, purpose=Purpose.ACQUISITION, channels=[Channel.EDM, Channel.SMS])

    assert not fit.within
    assert fit.outside == ("Acquisition and lead generation", "SMS")


def test_a_use_not_named_is_neither_within_nor_outside():
    fit = use_fit(scope=EDM_ONLY)

    assert not fit.asked and not fit.within and fit.outside == ()


def test_the_extension_query_carries_the_purpose_and_every_channel():
    fit = use_fit(scope=EDM_ONLY, purpose=Purpose.MEMBER_MARKETING, channels=[Channel.SMS, Channel.CALLS])

    assert parse_qs(fit.extension_query) == {"purpose": ["member_marketing"], "channels": ["sms", "calls"]}
    assert use_fit(scope=EDM_ONLY, channels=[Channel.SMS]).extension_query == "channels=sms"


def test_an_empty_scope_covers_nothing():
    assert use_fit(scope=Scope(), purpose=Purpose.ANALYTICS).outside == ("Analytics and measurement",)
