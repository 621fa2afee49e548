"""activities.precheck: how the rules are applied together (the pre-check of an activity, the use check of the
API) and how a finding reads in each language."""

from dataclasses import replace
from datetime import timedelta

from django.utils import timezone, translation

from activities.models import Outcome
from activities.precheck import activity_precheck, finding_views, no_findings_text, use_check, worst
from activities.rules import Finding, Use
from vendors.models import VendorStatus
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition

from .conftest import built_vendor

TODAY = timezone.localdate()
SCOPE = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.EDM],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.FROM_100K_TO_1M,
)
# Within the scope, and through no message channel and no own audience: no rule applies at all.
QUIET = Use(
    purpose=Purpose.MEMBER_MARKETING,
    data_categories=(DataCategory.CONTACT,),
    audience_source=AudienceSource.PUBLIC_AGGREGATED,
    volume=Ceiling.LT_100K,
)
EDM = replace(QUIET, channels=(Channel.EDM,), audience_source=AudienceSource.OWN_CONSENTED)


def rules(check) -> list[str]:
    return [finding.rule for finding in check.findings]


# -- the worst outcome -------------------------------------------------------------------------------------


def test_the_worst_outcome_of_the_findings_wins():
    conditions = Finding("own_members_consent", Outcome.CONDITIONS)
    legal = Finding("minors", Outcome.NEEDS_LEGAL)
    no_go = Finding("purchased_list", Outcome.NO_GO)

    assert worst([]) == Outcome.GO
    assert worst([conditions]) == Outcome.CONDITIONS
    assert worst([conditions, legal, conditions]) == Outcome.NEEDS_LEGAL
    assert worst([no_go, legal, conditions]) == Outcome.NO_GO


def test_an_activity_that_no_rule_concerns_may_go():
    check = activity_precheck(QUIET, [], today=TODAY)

    assert (check.outcome, check.findings) == (Outcome.GO, ())
    assert not check.suggest_scenario


def test_a_needs_legal_finding_outweighs_the_conditions_and_a_no_go_outweighs_both():
    minors = activity_precheck(replace(EDM, minors=True), [], today=TODAY)
    bought = activity_precheck(
        replace(EDM, minors=True, audience_source=AudienceSource.PURCHASED), [], today=TODAY
    )

    assert minors.outcome == Outcome.NEEDS_LEGAL and "email_subject_marked" in rules(minors)
    assert bought.outcome == Outcome.NO_GO and "minors" in rules(bought)
    # A refused personal-data route comes with scenario marketing as the compliant way (PIPL Art. 73(4)).
    assert bought.suggest_scenario and not minors.suggest_scenario


# -- vendors -------------------------------------------------------------------------------------------------


def test_a_blocking_vendor_rule_stops_the_comparison_with_that_vendors_scope():
    suspended = built_vendor(scope=SCOPE, status=VendorStatus.SUSPENDED, status_reason="调查中", uscc="SUSP")
    fine = built_vendor(scope=SCOPE, uscc="FINE")
    beyond = replace(EDM, purpose=Purpose.ABM, channels=(Channel.SMS,))

    check = activity_precheck(beyond, [suspended, fine], today=TODAY)

    by_vendor = {code: [f.rule for f in check.findings if f.vendor == code] for code in ("SUSP", "FINE")}
    assert by_vendor["SUSP"] == ["vendor_suspended"]
    assert by_vendor["FINE"] == ["purpose_outside_scope", "channel_outside_scope"]
    assert check.outcome == Outcome.NO_GO


def test_a_vendor_that_may_not_be_used_does_not_count_as_approved_for_a_transfer():
    # Its scope says data may leave China, but it is suspended: the transfer has no approved vendor.
    suspended = built_vendor(scope=replace(SCOPE, cross_border=True), status=VendorStatus.SUSPENDED)

    check = activity_precheck(replace(EDM, cross_border=True), [suspended], today=TODAY)

    assert "cross_border_needs_legal" in rules(check) and "cross_border_consent" not in rules(check)


def test_an_activitys_transfer_outside_a_scope_needs_legal_rather_than_being_refused():
    at_home = built_vendor(scope=SCOPE)
    use = replace(EDM, cross_border=True)

    activity = activity_precheck(use, [at_home], today=TODAY)
    api = use_check(at_home, use, today=TODAY)

    assert "cross_border_outside_scope" not in rules(activity)
    assert "cross_border_needs_legal" in rules(activity) and activity.outcome == Outcome.NEEDS_LEGAL
    # The API's question ("may this vendor take data abroad?") has the plain answer: no, and the transfer
    # rule that would send an activity to Legal is not repeated.
    assert "cross_border_outside_scope" in rules(api) and api.outcome == Outcome.NO_GO
    assert "cross_border_needs_legal" not in rules(api)


def test_the_use_check_applies_the_scope_rules_and_the_rules_of_a_single_use():
    bought = use_check(
        built_vendor(scope=SCOPE), replace(EDM, audience_source=AudienceSource.PURCHASED), today=TODAY
    )
    children = use_check(built_vendor(scope=SCOPE), replace(EDM, minors=True), today=TODAY)

    # A bought list is never a lawful audience, whatever the vendor's scope says (PIPL Art. 10).
    assert "purchased_list" in rules(bought) and bought.outcome == Outcome.NO_GO
    # Children need Legal, who decides activities, not single sends.
    assert "minors" in rules(children) and children.outcome == Outcome.NEEDS_LEGAL


def test_a_lapsed_approval_is_lapsed_on_the_day_of_the_check():
    vendor = built_vendor(scope=SCOPE, approved_until=TODAY)

    # On its last day the approval holds (EDM to members comes with the consent conditions of a message).
    assert use_check(vendor, EDM, today=TODAY).outcome == Outcome.CONDITIONS
    assert "vendor_lapsed" not in rules(use_check(vendor, EDM, today=TODAY))
    assert rules(use_check(vendor, EDM, today=TODAY + timedelta(days=1)))[0] == "vendor_lapsed"
    assert use_check(vendor, EDM, today=TODAY + timedelta(days=1)).outcome == Outcome.NO_GO


def test_the_vendors_used_beyond_their_scope_are_offered_an_extension():
    narrow = built_vendor(scope=SCOPE, uscc="NARROW")
    small = built_vendor(scope=replace(SCOPE, channels=(Channel.EDM, Channel.SMS)), uscc="SMALL")
    suspended = built_vendor(scope=SCOPE, status=VendorStatus.SUSPENDED, uscc="SUSP")
    use = replace(EDM, channels=(Channel.SMS,), purpose=Purpose.ACQUISITION, volume=Ceiling.FROM_1M_TO_10M)

    check = activity_precheck(use, [narrow, small, suspended], today=TODAY)

    # Each once, in order; a suspended vendor needs a review, not an extension.
    assert check.extension_vendors == ("NARROW", "SMALL")
    assert "volume_over_ceiling" in [f.rule for f in check.findings if f.vendor == "SMALL"]
    assert activity_precheck(EDM, [narrow], today=TODAY).extension_vendors == ()


# -- findings as people read them -------------------------------------------------------------------------


def test_a_finding_reads_in_english_with_its_article_and_remedy():
    vendor = built_vendor(scope=SCOPE, uscc="91310000MA1FL8XQ3K")
    finding = Finding("channel_outside_scope", Outcome.NO_GO, vendor.uscc, (Channel.SMS, Channel.CALLS))

    with translation.override("en"):
        (view,) = finding_views([finding], vendors=[vendor])

    assert view.text == "云信科技有限公司 is not approved for the channel(s) SMS, Outbound calls."
    assert view.article == "PIPL Art. 6, 14"
    assert view.remedy.startswith("Request a scope extension for the channel")
    assert (view.rule, view.outcome, view.vendor) == ("channel_outside_scope", Outcome.NO_GO, vendor.uscc)
    assert view.is_refusal


def test_a_finding_reads_in_chinese_with_the_chinese_article_and_list():
    vendor = built_vendor(
        scope=replace(SCOPE, conditions=(ScopeCondition.OPTED_IN_ONLY, ScopeCondition.NO_MINORS))
    )
    findings = [
        Finding(
            "scope_conditions",
            Outcome.CONDITIONS,
            vendor.uscc,
            (ScopeCondition.OPTED_IN_ONLY, ScopeCondition.NO_MINORS),
        ),
        Finding("price_difference_justified", Outcome.NEEDS_LEGAL),
    ]

    with translation.override("zh-hans"):
        conditions, pricing = finding_views(findings, vendors=[vendor])
        labels = [
            str(ScopeCondition(code).label)
            for code in (ScopeCondition.OPTED_IN_ONLY, ScopeCondition.NO_MINORS)
        ]

    assert conditions.article == "《个人信息保护法》第二十一条"
    assert "、".join(labels) in conditions.text and "云信科技有限公司" in conditions.text
    assert not conditions.is_refusal
    assert pricing.article == "《个人信息保护法》第二十四条；《网络数据安全管理条例》第四十六条"
    assert pricing.is_refusal and pricing.vendor == ""


def test_a_finding_about_a_vendor_no_longer_given_names_its_credit_code():
    finding = Finding("vendor_not_approved", Outcome.NO_GO, "91310000MA1FL8XQ3K")

    with translation.override("en"):
        (view,) = finding_views([finding], vendors=[])

    assert view.text.startswith("91310000MA1FL8XQ3K is not on the approved list")


def test_nothing_found_is_said_in_so_many_words():
    with translation.override("en"):
        assert no_findings_text() == "No rule applies: the activity may go ahead as planned."
