"""The scope the sign-off proposes, and the migration derived for approvals signed before scopes existed
(reviews/scope_proposal.py): representative answers, then one test per rule of ANSWER_RULES (test_<code>),
then the migration's RunPython on historical models."""

import sys

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython

from reviews.models import SignOff
from reviews.scope_proposal import (
    ALWAYS,
    ANSWER_RULES,
    scope_from_facts,
    scope_proposal_notes,
    scope_proposed,
)
from tests.builders import approved_review
from tests.factories import VendorFactory
from vendors.models import Vendor
from vendors.scope import AudienceSource as A
from vendors.scope import Channel as C
from vendors.scope import DataCategory as D
from vendors.scope import Purpose as P
from vendors.scope import Scope
from vendors.scope import ScopeCondition as K

# Answers of a sender that established everything a marketing sender needs: consent, licence, opt-out, no
# profiling, nothing abroad.
CLEAN_SENDER = {
    "A3": "yes",
    "A5": "100k_1m",
    "B1": "identifiable",
    "B2": "first_party",
    "B3": "yes",
    "B4": "yes",
    "B5": "no",
    "C1": "yes",
    "C2": "yes",
    "E1": "no",
    "F1": "no",
}


def proposal(category="sms_edm", traits=(), volume="", **answers):
    return scope_from_facts(
        category=category, values={**CLEAN_SENDER, **answers}, traits=traits, volume=volume
    )


# -- representative answers --------------------------------------------------------------------------------


def test_a_clean_sms_sender_is_proposed_for_member_marketing_by_sms_and_email_to_consented_members():
    scope = proposal()

    assert scope == Scope.build(
        purposes=[P.MEMBER_MARKETING],
        channels=[C.SMS, C.EDM],
        data_categories=[D.CONTACT],
        audience_sources=[A.OWN_CONSENTED],
        cross_border=False,
        ceiling="100k_1m",
        conditions=[
            K.OPTED_IN_ONLY,
            K.UNSUBSCRIBE_EVERY_MESSAGE,
            K.AD_MARKED,
            K.NO_SENSITIVE,
            K.NO_MINORS,
            *ALWAYS,
        ],
    )


def test_a_sender_without_consent_is_proposed_no_message_channel_and_no_message_conditions():
    scope = proposal(C1="no")

    assert scope.channels == ()
    assert not {K.OPTED_IN_ONLY, K.UNSUBSCRIBE_EVERY_MESSAGE, K.AD_MARKED} & set(scope.conditions)


def test_a_data_provider_with_bought_data_supplies_no_audience():
    scope = proposal(category="data_provider", B2="bought")

    assert A.VENDOR_SUPPLIED not in scope.audience_sources
    assert scope.purposes == (P.ACQUISITION, P.ABM, P.ANALYTICS)


def test_an_ad_network_that_profiles_keeps_retargeting_with_an_off_switch():
    scope = proposal(category="ad_network", traits=["profiling"], E1="yes")

    assert P.RETARGETING in scope.purposes and A.LOOKALIKE in scope.audience_sources
    assert K.OFF_SWITCH in scope.conditions


def test_the_ceiling_is_the_requested_volume_else_the_answered_number_of_individuals():
    assert proposal(A5="gt10m", volume="lt100k").ceiling == "lt100k"
    assert scope_from_facts(category="sms_edm", values={"A5": "gt10m"}).ceiling == "gt10m"
    assert scope_from_facts(category="sms_edm", values={}, volume="1m_10m").ceiling == "1m_10m"


def test_an_unknown_category_is_proposed_what_any_vendor_is_and_no_channel():
    scope = scope_from_facts(category="no_such_category", values={})

    assert scope.purposes == (P.MEMBER_MARKETING,) and scope.channels == ()


def test_no_proposal_ever_covers_a_bought_list():
    for category in (
        "data_provider",
        "ad_network",
        "scrm_saas",
        "sms_edm",
        "social_agency",
        "app_developer",
        "event_agency",
        "other",
    ):
        for answers in ({}, CLEAN_SENDER, {"B2": "bought"}, {"B1": "anonymous"}):
            scope = scope_from_facts(category=category, values=answers)
            assert A.PURCHASED not in scope.audience_sources
            assert K.NO_EXTERNAL_LISTS in scope.conditions


# -- one test per rule ---------------------------------------------------------------------------------


def test_no_identifiable_data():
    assert proposal(B1="anonymous").data_categories == ()
    assert proposal(B1="none").audience_sources == (A.PUBLIC_AGGREGATED,)
    assert proposal(B1="identifiable").data_categories == (D.CONTACT,)


def test_source_not_proven():
    for answers in ({"B2": "scraped"}, {"B2": "bought"}, {"B3": "no"}, {"B4": "no"}):
        assert A.VENDOR_SUPPLIED not in proposal(category="data_provider", **answers).audience_sources, (
            answers
        )
    assert A.VENDOR_SUPPLIED in proposal(category="data_provider").audience_sources


def test_messages_without_consent():
    for answers in ({"C1": "no"}, {"C2": "no"}, {"A3": "no"}):
        assert not {C.SMS, C.EDM, C.CALLS} & set(proposal(category="scrm_saas", **answers).channels), answers
    assert proposal(category="scrm_saas", C1="no").channels == (C.WECHAT, C.APP_PUSH)
    assert {C.SMS, C.EDM} <= set(proposal(category="scrm_saas").channels)


def test_messages_conditions():
    message_conditions = {K.OPTED_IN_ONLY, K.UNSUBSCRIBE_EVERY_MESSAGE, K.AD_MARKED}
    assert message_conditions <= set(proposal(category="sms_edm").conditions)
    # An event agency sends no commercial messages: none of their conditions.
    assert not message_conditions & set(proposal(category="event_agency").conditions)


def test_sensitive_vetted():
    assert D.SENSITIVE in proposal(traits=["sensitive"], B5="yes").data_categories
    assert D.SENSITIVE not in proposal(traits=["sensitive"], B5="no").data_categories
    assert D.SENSITIVE not in proposal(B5="yes").data_categories  # answered, but not asked for


def test_sensitive_excluded():
    assert K.NO_SENSITIVE in proposal(B5="yes").conditions
    assert K.NO_SENSITIVE not in proposal(traits=["sensitive"], B5="yes").conditions


def test_minors_vetted():
    assert D.MINORS in proposal(traits=["minors"]).data_categories
    assert D.MINORS not in proposal().data_categories


def test_minors_excluded():
    assert K.NO_MINORS in proposal().conditions
    assert K.NO_MINORS not in proposal(traits=["minors"]).conditions


def test_no_profiling():
    scope = proposal(category="ad_network", E1="no")
    assert P.RETARGETING not in scope.purposes and A.LOOKALIKE not in scope.audience_sources
    # Profiling named in the request keeps them, whatever E1 says.
    assert P.RETARGETING in proposal(category="ad_network", traits=["profiling"], E1="no").purposes


def test_profiling_off_switch():
    assert K.OFF_SWITCH in proposal(E1="yes").conditions
    assert K.OFF_SWITCH in proposal(traits=["profiling"]).conditions
    assert K.OFF_SWITCH not in proposal(E1="no").conditions


def test_cross_border_route():
    assert proposal(F1="yes", F2="standard_contract", F3="yes").cross_border is True
    assert proposal(F1="yes", F2="none", F3="yes").cross_border is False
    assert proposal(F1="yes", F2="standard_contract", F3="no").cross_border is False
    assert proposal(F1="no").cross_border is False


def test_every_rule_has_its_test_here():
    module = sys.modules[__name__]
    missing = [rule.code for rule in ANSWER_RULES if not callable(getattr(module, f"test_{rule.code}", None))]

    assert missing == []


def test_every_rule_says_why_and_cites_its_article():
    assert all(rule.why and rule.article for rule in ANSWER_RULES)


# -- on a review -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_notes_name_what_the_answers_took_away_with_the_rule(requester, legal, security):
    review = approved_review(
        requester, legal=legal, security=security, vendor=VendorFactory(category="ad_network")
    )
    review.answers.filter(question__code="E1").update(value="no")

    notes = scope_proposal_notes(review)

    removed = {(note.dimension, code, note.rule.code) for note in notes for code in note.removed}
    assert ("purposes", P.RETARGETING, "no_profiling") in removed
    assert ("audience_sources", A.LOOKALIKE, "no_profiling") in removed
    assert P.RETARGETING not in scope_proposed(review).purposes


# -- the migration -------------------------------------------------------------------------------------


def _derive_scopes_of_migration_0021():
    """The RunPython of reviews 0021, run on the models as they were at that migration."""
    loader = MigrationLoader(connection)
    migration = loader.get_migration("reviews", "0021_approval_scope")
    [derive] = [op for op in migration.operations if isinstance(op, RunPython)]
    apps = loader.project_state(("reviews", "0021_approval_scope")).apps
    derive.code(apps, None)  # it reads and updates rows only; no schema editor is needed


@pytest.mark.django_db
def test_the_migration_derives_each_approvals_scope_from_its_answers_and_marks_it_unconfirmed(
    requester, legal, security
):
    review = approved_review(
        requester, legal=legal, security=security, vendor=VendorFactory(category="sms_edm")
    )
    replaced = approved_review(requester, legal=legal, security=security)
    # Approvals signed before scopes existed: none recorded. The second vendor's approval in force is a later
    # one than this sign-off, which the migration must leave alone.
    SignOff.objects.update(scope={}, scope_confirmed=True)
    Vendor.objects.update(approved_scope={}, scope_confirmed=True)
    Vendor.objects.filter(pk=replaced.vendor_id).update(approval_reference="VD-LATER-00001")

    _derive_scopes_of_migration_0021()

    expected = scope_proposed(review).as_json()
    sign_off = SignOff.objects.get(review=review)
    assert (sign_off.scope, sign_off.scope_confirmed) == (expected, False)
    vendor = Vendor.objects.get(pk=review.vendor_id)
    assert (vendor.approved_scope, vendor.scope_confirmed) == (expected, False)
    assert Scope.from_json(expected).channels == (C.SMS, C.EDM)
    other = Vendor.objects.get(pk=replaced.vendor_id)
    assert (other.approved_scope, other.scope_confirmed) == ({}, True)
    assert SignOff.objects.get(review=replaced).scope_confirmed is False  # its own record is derived
