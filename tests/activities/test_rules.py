"""The rules of activities.rules, row by row: one test per rule of SCOPE_RULES and ACTIVITY_RULES, named
test_<code>_..., each showing the rule firing with its outcome and the article the finding shows (in English
and in Chinese), and not firing where it should not."""

import inspect
import sys
from dataclasses import replace
from datetime import timedelta

from django.utils import timezone, translation

from activities.models import Outcome
from activities.precheck import finding_views
from activities.rules import (
    ACTIVITY_RULES,
    SCOPE_RULES,
    Finding,
    Plan,
    Use,
    VendorCheck,
    activity_findings,
    scope_findings,
)
from vendors.models import VendorStatus
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition

from .conftest import built_vendor

TODAY = timezone.localdate()

# An SMS/EDM sender approved for member marketing by EDM to opted-in members' contact details, within China,
# up to a million individuals, confirmed by Legal, with no conditions: the baseline each scope rule departs from.
SCOPE = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.EDM],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.FROM_100K_TO_1M,
)
# A use within that scope.
WITHIN = Use(
    purpose=Purpose.MEMBER_MARKETING,
    channels=(Channel.EDM,),
    data_categories=(DataCategory.CONTACT,),
    audience_source=AudienceSource.OWN_CONSENTED,
    volume=Ceiling.LT_100K,
)


def vendor(*, scope: Scope = SCOPE, **fields):
    return built_vendor(scope=scope, **fields)


def scope_rules(subject, use: Use = WITHIN) -> list[Finding]:
    return scope_findings(VendorCheck(subject, TODAY), use)


def activity_rules(use: Use, *vendors) -> list[Finding]:
    return list(activity_findings(Plan(use, tuple(VendorCheck(v, TODAY) for v in vendors))))


def rules_of(findings) -> set[str]:
    return {finding.rule for finding in findings}


def the(findings, rule: str) -> Finding:
    (finding,) = [f for f in findings if f.rule == rule]
    return finding


def shown(finding: Finding, *vendors) -> dict:
    """What a reader sees of the finding: its article and text in English and in Chinese."""
    views = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            (view,) = finding_views([finding], vendors=vendors)
            views[language] = view
    return {
        "article": views["en"].article,
        "article_zh": views["zh-hans"].article,
        "text": views["en"].text,
        "remedy": views["en"].remedy,
    }


# -- the scope rules ---------------------------------------------------------------------------------------


def test_vendor_stop_using_is_no_go_and_nothing_else_is_compared():
    failed = vendor(status=VendorStatus.REJECTED, stop_using=True, approved_until=None, approval_reference="")

    findings = scope_rules(failed, replace(WITHIN, purpose=Purpose.ABM))

    assert [(f.rule, f.outcome) for f in findings] == [("vendor_stop_using", Outcome.NO_GO)]
    view = shown(findings[0], failed)
    assert view["article"] == "PIPL Art. 21; GB/T 35273 9.1"
    assert view["article_zh"] == "《个人信息保护法》第二十一条；GB/T 35273 第9.1条"
    assert "云信科技有限公司 failed its catch-up review" in view["text"]
    assert "vendor_stop_using" not in rules_of(scope_rules(vendor()))


def test_vendor_not_approved_is_no_go_naming_the_status():
    candidate = vendor(status=VendorStatus.CANDIDATE, approved_until=None, approval_reference="")

    findings = scope_rules(candidate)

    assert [(f.rule, f.outcome) for f in findings] == [("vendor_not_approved", Outcome.NO_GO)]
    view = shown(findings[0], candidate)
    assert view["article"] == "PIPL Art. 21; GB/T 35273 9.1"
    assert view["article_zh"] == "《个人信息保护法》第二十一条；GB/T 35273 第9.1条"
    assert "(Candidate)" in view["text"]
    assert "vendor_not_approved" not in rules_of(scope_rules(vendor()))
    # A vendor to stop using is said so, not merely "not approved".
    assert rules_of(
        scope_rules(
            vendor(status=VendorStatus.REJECTED, stop_using=True, approved_until=None, approval_reference="")
        )
    ) == {"vendor_stop_using"}


def test_vendor_lapsed_is_no_go_from_the_day_after_the_approval_ends():
    lapsed = vendor(approved_until=TODAY - timedelta(days=1))

    findings = scope_rules(lapsed)

    assert [(f.rule, f.outcome) for f in findings] == [("vendor_lapsed", Outcome.NO_GO)]
    view = shown(findings[0], lapsed)
    assert view["article"] == "PIPL Art. 21"
    assert view["article_zh"] == "《个人信息保护法》第二十一条"
    assert f"lapsed on {(TODAY - timedelta(days=1)).isoformat()}" in view["text"]
    assert "vendor_lapsed" not in rules_of(scope_rules(vendor(approved_until=TODAY)))
    # Suspended by the hourly lapse (vendors_lapse_expired): still said as lapsed, the cause.
    assert rules_of(
        scope_rules(vendor(status=VendorStatus.SUSPENDED, approved_until=TODAY - timedelta(days=3)))
    ) == {"vendor_lapsed"}


def test_vendor_suspended_is_no_go_with_legals_reason():
    suspended = vendor(status=VendorStatus.SUSPENDED, status_reason="数据泄露事件调查中")

    findings = scope_rules(suspended)

    assert [(f.rule, f.outcome) for f in findings] == [("vendor_suspended", Outcome.NO_GO)]
    view = shown(findings[0], suspended)
    assert view["article"] == "PIPL Art. 21"
    assert view["article_zh"] == "《个人信息保护法》第二十一条"
    assert view["text"].endswith("is suspended: 数据泄露事件调查中")
    assert "vendor_suspended" not in rules_of(scope_rules(vendor()))


def test_purpose_outside_scope_is_no_go_naming_the_purpose():
    subject = vendor()
    findings = scope_rules(subject, replace(WITHIN, purpose=Purpose.ABM))

    finding = the(findings, "purpose_outside_scope")
    assert (finding.outcome, finding.values) == (Outcome.NO_GO, (Purpose.ABM,))
    view = shown(finding, subject)
    assert view["article"] == "PIPL Art. 6, 21"
    assert view["article_zh"] == "《个人信息保护法》第六条、第二十一条"
    assert "not approved for the purpose Account-based marketing (ABM)" in view["text"]
    assert "purpose_outside_scope" not in rules_of(scope_rules(vendor()))


def test_channel_outside_scope_is_no_go_naming_only_the_channels_beyond():
    subject = vendor()
    findings = scope_rules(subject, replace(WITHIN, channels=(Channel.EDM, Channel.SMS)))

    finding = the(findings, "channel_outside_scope")
    assert (finding.outcome, finding.values) == (Outcome.NO_GO, (Channel.SMS,))
    view = shown(finding, subject)
    assert view["article"] == "PIPL Art. 6, 14"
    assert view["article_zh"] == "《个人信息保护法》第六条、第十四条"
    assert "channel(s) SMS." in view["text"]
    assert "channel_outside_scope" not in rules_of(scope_rules(vendor()))


def test_data_outside_scope_is_no_go_naming_the_data():
    subject = vendor()
    findings = scope_rules(
        subject, replace(WITHIN, data_categories=(DataCategory.CONTACT, DataCategory.LOCATION))
    )

    finding = the(findings, "data_outside_scope")
    assert (finding.outcome, finding.values) == (Outcome.NO_GO, (DataCategory.LOCATION,))
    view = shown(finding, subject)
    assert view["article"] == "PIPL Art. 6, 14"
    assert view["article_zh"] == "《个人信息保护法》第六条、第十四条"
    assert "not approved for the data Location" in view["text"]
    assert "data_outside_scope" not in rules_of(scope_rules(vendor()))


def test_audience_outside_scope_is_no_go_but_a_bought_list_is_left_to_its_own_rule():
    subject = vendor()
    findings = scope_rules(subject, replace(WITHIN, audience_source=AudienceSource.VENDOR_SUPPLIED))

    finding = the(findings, "audience_outside_scope")
    assert (finding.outcome, finding.values) == (Outcome.NO_GO, (AudienceSource.VENDOR_SUPPLIED,))
    view = shown(finding, subject)
    assert view["article"] == "PIPL Art. 23; DSL Art. 33"
    assert view["article_zh"] == "《个人信息保护法》第二十三条；《数据安全法》第三十三条"
    assert "audience_outside_scope" not in rules_of(scope_rules(vendor()))
    # A bought list is never in a scope; purchased_list refuses it with its own article (PIPL Art. 10).
    assert "audience_outside_scope" not in rules_of(
        scope_rules(vendor(), replace(WITHIN, audience_source=AudienceSource.PURCHASED))
    )


def test_cross_border_outside_scope_is_no_go_for_a_vendor_not_approved_for_it():
    subject = vendor()
    findings = scope_rules(subject, replace(WITHIN, cross_border=True))

    finding = the(findings, "cross_border_outside_scope")
    assert finding.outcome == Outcome.NO_GO
    view = shown(finding, subject)
    assert view["article"] == "PIPL Art. 38-39"
    assert view["article_zh"] == "《个人信息保护法》第三十八条至第三十九条"
    assert "not approved to take data out of China" in view["text"]
    abroad = vendor(scope=replace(SCOPE, cross_border=True))
    assert "cross_border_outside_scope" not in rules_of(
        scope_rules(abroad, replace(WITHIN, cross_border=True))
    )
    assert "cross_border_outside_scope" not in rules_of(scope_rules(vendor()))


def test_volume_over_ceiling_is_no_go_above_the_approved_band_only():
    subject = vendor()
    findings = scope_rules(subject, replace(WITHIN, volume=Ceiling.FROM_1M_TO_10M))

    finding = the(findings, "volume_over_ceiling")
    assert (finding.outcome, finding.values) == (Outcome.NO_GO, (Ceiling.FROM_1M_TO_10M,))
    view = shown(finding, subject)
    assert view["article"] == "PIPL Art. 6"
    assert view["article_zh"] == "《个人信息保护法》第六条"
    assert (
        "approved for Up to 1 million individuals; the use reaches Up to 10 million individuals"
        in view["text"]
    )
    # At the ceiling itself, and without a ceiling, nothing is over it.
    assert "volume_over_ceiling" not in rules_of(
        scope_rules(vendor(), replace(WITHIN, volume=Ceiling.FROM_100K_TO_1M))
    )
    uncapped = vendor(scope=replace(SCOPE, ceiling=""))
    assert "volume_over_ceiling" not in rules_of(
        scope_rules(uncapped, replace(WITHIN, volume=Ceiling.GT_10M))
    )


def test_scope_unconfirmed_is_a_condition_until_legal_confirms_it():
    derived = vendor(scope_confirmed=False)

    finding = the(scope_rules(derived), "scope_unconfirmed")

    assert finding.outcome == Outcome.CONDITIONS
    view = shown(finding, derived)
    assert view["article"] == "PIPL Art. 6"
    assert view["article_zh"] == "《个人信息保护法》第六条"
    assert "derived from its answers" in view["text"]
    assert "scope_unconfirmed" not in rules_of(scope_rules(vendor()))


def test_scope_conditions_are_a_condition_listing_each():
    conditional = vendor(
        scope=replace(SCOPE, conditions=(ScopeCondition.OPTED_IN_ONLY, ScopeCondition.DELETE_AT_END))
    )

    finding = the(scope_rules(conditional), "scope_conditions")

    assert (finding.outcome, finding.values) == (
        Outcome.CONDITIONS,
        (ScopeCondition.OPTED_IN_ONLY, ScopeCondition.DELETE_AT_END),
    )
    view = shown(finding, conditional)
    assert view["article"] == "PIPL Art. 21"
    assert view["article_zh"] == "《个人信息保护法》第二十一条"
    assert "Only recipients who opted in" in view["text"] and "returned or deleted at the end" in view["text"]
    assert "scope_conditions" not in rules_of(scope_rules(vendor()))


def test_scope_other_conditions_are_a_condition_quoting_legal():
    conditional = vendor(scope=replace(SCOPE, other_conditions="仅限EDM渠道，不得用于短信"))

    finding = the(scope_rules(conditional), "scope_other_conditions")

    assert finding.outcome == Outcome.CONDITIONS
    view = shown(finding, conditional)
    assert view["article"] == "PIPL Art. 21"
    assert view["article_zh"] == "《个人信息保护法》第二十一条"
    assert view["text"].endswith(": 仅限EDM渠道，不得用于短信")
    assert "scope_other_conditions" not in rules_of(scope_rules(vendor()))


# -- the activity rules ------------------------------------------------------------------------------------


def test_purchased_list_is_no_go_whatever_the_channel():
    findings = activity_rules(
        replace(WITHIN, channels=(Channel.SMS,), audience_source=AudienceSource.PURCHASED)
    )

    finding = the(findings, "purchased_list")
    assert finding.outcome == Outcome.NO_GO
    view = shown(finding)
    assert view["article"] == "PIPL Art. 10; Criminal Law Art. 253-1"
    assert view["article_zh"] == "《个人信息保护法》第十条；《刑法》第二百五十三条之一"
    assert "scenario marketing" in view["remedy"]
    assert "purchased_list" not in rules_of(activity_rules(WITHIN))


def test_commercial_messages_is_a_condition_naming_the_message_channels():
    findings = activity_rules(replace(WITHIN, channels=(Channel.SMS, Channel.WECHAT)))

    finding = the(findings, "commercial_messages")
    assert (finding.outcome, finding.values) == (Outcome.CONDITIONS, (Channel.SMS,))
    view = shown(finding)
    assert view["article"] == "Advertising Law Art. 43; MIIT SMS Provisions Art. 18"
    assert view["article_zh"] == "《广告法》第四十三条；《通信短信息服务管理规定》第十八条"
    assert view["text"].startswith("Commercial SMS only to people who consented")
    assert "commercial_messages" not in rules_of(activity_rules(replace(WITHIN, channels=(Channel.WECHAT,))))
    # To a bought list there is no condition to keep: it is refused (purchased_list).
    assert "commercial_messages" not in rules_of(
        activity_rules(replace(WITHIN, channels=(Channel.SMS,), audience_source=AudienceSource.PURCHASED))
    )


def test_email_subject_marked_is_a_condition_of_every_edm():
    finding = the(activity_rules(WITHIN), "email_subject_marked")

    assert finding.outcome == Outcome.CONDITIONS
    view = shown(finding)
    assert view["article"] == "MIIT Internet E-mail Measures 2006"
    assert view["article_zh"] == "《互联网电子邮件服务管理办法》（2006年）"
    assert "广告" in view["text"]
    assert "email_subject_marked" not in rules_of(activity_rules(replace(WITHIN, channels=(Channel.SMS,))))
    assert "email_subject_marked" not in rules_of(
        activity_rules(replace(WITHIN, audience_source=AudienceSource.PURCHASED))
    )


def test_ads_marked_is_a_condition_of_kol_and_programmatic_ads():
    for channel in (Channel.KOL, Channel.PROGRAMMATIC):
        finding = the(activity_rules(replace(WITHIN, channels=(channel,))), "ads_marked")
        assert finding.outcome == Outcome.CONDITIONS
    view = shown(finding)
    assert view["article"] == "Advertising Law Art. 14; SAMR Internet Advertising Measures 2023 Art. 9"
    assert view["article_zh"] == "《广告法》第十四条；《互联网广告管理办法》（2023年）第九条"
    assert "ads_marked" not in rules_of(
        activity_rules(replace(WITHIN, channels=(Channel.WECHAT, Channel.EDM)))
    )


def test_vendor_audience_proof_is_a_condition_of_an_audience_from_a_vendor():
    finding = the(
        activity_rules(replace(WITHIN, audience_source=AudienceSource.VENDOR_SUPPLIED)),
        "vendor_audience_proof",
    )

    assert finding.outcome == Outcome.CONDITIONS
    view = shown(finding)
    assert view["article"] == "PIPL Art. 23; DSL Art. 33; GB/T 35273 5.4"
    assert view["article_zh"] == "《个人信息保护法》第二十三条；《数据安全法》第三十三条；GB/T 35273 第5.4条"
    assert "vendor_audience_proof" not in rules_of(activity_rules(WITHIN))


def test_own_members_consent_is_a_condition_of_an_own_audience():
    finding = the(activity_rules(WITHIN), "own_members_consent")

    assert finding.outcome == Outcome.CONDITIONS
    view = shown(finding)
    assert view["article"] == "PIPL Art. 13-14"
    assert view["article_zh"] == "《个人信息保护法》第十三条至第十四条"
    assert "own_members_consent" not in rules_of(
        activity_rules(replace(WITHIN, audience_source=AudienceSource.PUBLIC_AGGREGATED))
    )


def test_profiling_is_a_condition_of_profiling_lookalikes_and_retargeting():
    for use in (
        replace(WITHIN, profiling=True),
        replace(WITHIN, audience_source=AudienceSource.LOOKALIKE),
        replace(WITHIN, purpose=Purpose.RETARGETING),
    ):
        finding = the(activity_rules(use), "profiling")
        assert finding.outcome == Outcome.CONDITIONS
    view = shown(finding)
    assert view["article"] == "PIPL Art. 24, 55; NDSMR Art. 42"
    assert (
        view["article_zh"] == "《个人信息保护法》第二十四条、第五十五条；《网络数据安全管理条例》第四十二条"
    )
    assert "PIPIA" in view["text"]
    assert "profiling" not in rules_of(activity_rules(WITHIN))


def test_price_discrimination_is_no_go_without_a_justification():
    finding = the(
        activity_rules(replace(WITHIN, personalised_pricing=True, pricing_justification="  ")),
        "price_discrimination",
    )

    assert finding.outcome == Outcome.NO_GO
    view = shown(finding)
    assert view["article"] == "PIPL Art. 24; NDSMR Art. 46"
    assert view["article_zh"] == "《个人信息保护法》第二十四条；《网络数据安全管理条例》第四十六条"
    assert "price_discrimination" not in rules_of(activity_rules(WITHIN))
    assert "price_discrimination" not in rules_of(
        activity_rules(replace(WITHIN, personalised_pricing=True, pricing_justification="新会员首单统一优惠"))
    )


def test_price_difference_justified_needs_legal_to_weigh_it():
    finding = the(
        activity_rules(
            replace(WITHIN, personalised_pricing=True, pricing_justification="新会员首单统一优惠")
        ),
        "price_difference_justified",
    )

    assert finding.outcome == Outcome.NEEDS_LEGAL
    view = shown(finding)
    assert view["article"] == "PIPL Art. 24; NDSMR Art. 46"
    assert view["article_zh"] == "《个人信息保护法》第二十四条；《网络数据安全管理条例》第四十六条"
    assert "price_difference_justified" not in rules_of(activity_rules(WITHIN))
    assert "price_difference_justified" not in rules_of(
        activity_rules(replace(WITHIN, personalised_pricing=True, pricing_justification=""))
    )


def test_sensitive_data_needs_legal():
    finding = the(
        activity_rules(replace(WITHIN, data_categories=(DataCategory.CONTACT, DataCategory.SENSITIVE))),
        "sensitive_data",
    )

    assert finding.outcome == Outcome.NEEDS_LEGAL
    view = shown(finding)
    assert view["article"] == "PIPL Art. 28-30"
    assert view["article_zh"] == "《个人信息保护法》第二十八条至第三十条"
    assert "sensitive_data" not in rules_of(activity_rules(WITHIN))


def test_minors_need_legal_when_said_or_when_their_data_is_used():
    for use in (replace(WITHIN, minors=True), replace(WITHIN, data_categories=(DataCategory.MINORS,))):
        finding = the(activity_rules(use), "minors")
        assert finding.outcome == Outcome.NEEDS_LEGAL
    view = shown(finding)
    assert view["article"] == "PIPL Art. 31"
    assert view["article_zh"] == "《个人信息保护法》第三十一条"
    assert "guardian" in view["text"]
    assert "minors" not in rules_of(activity_rules(WITHIN))


def test_cross_border_needs_legal_without_a_vendor_approved_for_it():
    abroad = vendor(scope=replace(SCOPE, cross_border=True))
    use = replace(WITHIN, cross_border=True)

    for vendors in ((), (vendor(),), (abroad, vendor())):
        finding = the(activity_rules(use, *vendors), "cross_border_needs_legal")
        assert finding.outcome == Outcome.NEEDS_LEGAL
    view = shown(finding)
    assert view["article"] == "PIPL Art. 38-39"
    assert view["article_zh"] == "《个人信息保护法》第三十八条至第三十九条"
    assert "cross_border_needs_legal" not in rules_of(activity_rules(use, abroad))
    assert "cross_border_needs_legal" not in rules_of(activity_rules(WITHIN, vendor()))


def test_cross_border_consent_is_a_condition_when_every_vendor_may_take_data_abroad():
    abroad = vendor(scope=replace(SCOPE, cross_border=True))
    use = replace(WITHIN, cross_border=True)

    finding = the(activity_rules(use, abroad), "cross_border_consent")

    assert finding.outcome == Outcome.CONDITIONS
    view = shown(finding)
    assert view["article"] == "PIPL Art. 39"
    assert view["article_zh"] == "《个人信息保护法》第三十九条"
    assert "separate consent" in view["text"]
    assert "cross_border_consent" not in rules_of(activity_rules(use))
    assert "cross_border_consent" not in rules_of(activity_rules(use, abroad, vendor()))
    assert "cross_border_consent" not in rules_of(activity_rules(WITHIN, abroad))


def test_every_rule_has_its_test_here():
    tests = {
        name
        for name, _ in inspect.getmembers(sys.modules[__name__], inspect.isfunction)
        if name.startswith("test_")
    }
    untested = [
        rule.code
        for rule, _test in SCOPE_RULES + ACTIVITY_RULES
        if not any(name.startswith(f"test_{rule.code}_") for name in tests)
    ]

    assert untested == []
