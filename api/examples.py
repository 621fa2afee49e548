"""Examples for the OpenAPI schema: answers as the server gives them (tests/api/test_schema_and_docs.py checks
that each 200 example carries every field of its serializer)."""

from drf_spectacular.utils import OpenApiExample

_EDM_SCOPE = {
    "purposes": [{"code": "member_marketing", "label": "Member marketing"}],
    "channels": [{"code": "edm", "label": "E-mail (EDM)"}],
    "data_categories": [{"code": "contact", "label": "Contact details"}],
    "audience_sources": [{"code": "own_consented", "label": "Own customers or members who consented"}],
    "cross_border": False,
    "ceiling": {"code": "100k_1m", "label": "Up to 1 million individuals"},
    "conditions": [
        {"code": "opted_in_only", "label": "Only recipients who opted in (Advertising Law Art. 43)"}
    ],
    "other_conditions": "",
}
_APPROVED = {
    "uscc": "914403001922038216",
    "name": "云信科技有限公司 (Yunxin Technology)",
    "status": "approved",
    "status_label": "Approved",
    "approved_until": "2027-06-30",
    "approval_reference": "VD-2026-0042",
    "scope": _EDM_SCOPE,
    "scope_confirmed": True,
    "checked_on": "2026-12-07",
}

USE_CHECK = [
    OpenApiExample(
        "AllowedWithConditions",
        summary="Within the scope: allowed, with conditions",
        description="`?uscc=914403001922038216&purpose=member_marketing&channel=edm&data=contact"
        "&audience=own_consented`",
        response_only=True,
        status_codes=["200"],
        value={
            **_APPROVED,
            "allowed": True,
            "outcome": "conditions",
            "outcome_label": "Go with conditions",
            "conditions": [
                {
                    "code": "scope_conditions",
                    "outcome": "conditions",
                    "text": "The approval of 云信科技有限公司 comes with conditions: Only recipients who opted in "
                    "(Advertising Law Art. 43)",
                    "article": "PIPL Art. 21",
                    "remedy": "Keep to each condition while the vendor is used.",
                    "values": ["opted_in_only"],
                },
                {
                    "code": "commercial_messages",
                    "outcome": "conditions",
                    "text": "Commercial E-mail (EDM) only to people who consented or asked, with an opt-out in "
                    "every message, stopped at once when refused.",
                    "article": "Advertising Law Art. 43; MIIT SMS Provisions Art. 18",
                    "remedy": "Send only to the opted-in list and honour every opt-out.",
                    "values": ["edm"],
                },
            ],
            "refusals": [],
            "asked": {
                "purpose": "member_marketing",
                "channels": ["edm"],
                "data": ["contact"],
                "audience": "own_consented",
                "cross_border": False,
                "volume": None,
            },
        },
    ),
    OpenApiExample(
        "Refused",
        summary="Outside the scope, on a bought list: refused",
        description="`?uscc=914403001922038216&purpose=abm&channel=sms&data=contact&audience=purchased`",
        response_only=True,
        status_codes=["200"],
        value={
            **_APPROVED,
            "allowed": False,
            "outcome": "no_go",
            "outcome_label": "No-go",
            "conditions": [],
            "refusals": [
                {
                    "code": "purpose_outside_scope",
                    "outcome": "no_go",
                    "text": "云信科技有限公司 is not approved for the purpose Account-based marketing (ABM).",
                    "article": "PIPL Art. 6, 21",
                    "remedy": "Request a scope extension for this purpose, or choose a vendor approved for it.",
                    "values": ["abm"],
                },
                {
                    "code": "channel_outside_scope",
                    "outcome": "no_go",
                    "text": "云信科技有限公司 is not approved for the channel(s) SMS.",
                    "article": "PIPL Art. 6, 14",
                    "remedy": "Request a scope extension for the channel, or use a channel within the approval.",
                    "values": ["sms"],
                },
                {
                    "code": "purchased_list",
                    "outcome": "no_go",
                    "text": "A bought, rented or swapped list may not be used: buying personal information is "
                    "obtaining it illegally.",
                    "article": "PIPL Art. 10; Criminal Law Art. 253-1",
                    "remedy": "Reach your own members who opted in, or use scenario marketing on anonymous "
                    "behaviour.",
                    "values": [],
                },
            ],
            "asked": {
                "purpose": "abm",
                "channels": ["sms"],
                "data": ["contact"],
                "audience": "purchased",
                "cross_border": False,
                "volume": None,
            },
        },
    ),
    OpenApiExample(
        "ParameterInvalid",
        summary="A value outside its list",
        description="`?...&channel=sms,edm`",
        response_only=True,
        status_codes=["400"],
        value={
            "error": "parameter_invalid",
            "parameter": "channel",
            "detail": "channel: “sms,edm” is not accepted; accepted values: sms, edm, calls, wechat, app_push, "
            "programmatic, kol, events. For several values, repeat the parameter: "
            "channel=sms&channel=edm.",
        },
    ),
]

ACTIVITY = [
    OpenApiExample(
        "Cleared",
        summary="Cleared after the conditions were acknowledged",
        response_only=True,
        status_codes=["200"],
        value={
            "reference": "ACT-2026-00042",
            "name": "会员春季EDM",
            "status": "cleared",
            "status_label": "Cleared to start",
            "outcome": "conditions",
            "outcome_label": "Go with conditions",
            "may_run": True,
            "starts_on": "2027-03-01",
            "ends_on": "2027-03-31",
            "registered_at": "2026-12-07T10:12:00+08:00",
            "checked_at": "2026-12-07T10:12:00+08:00",
            "purpose": "member_marketing",
            "channels": ["edm"],
            "own_channels": [],
            "data_categories": ["contact"],
            "audience_source": "own_consented",
            "volume": "lt100k",
            "cross_border": False,
            "vendors": [{"uscc": "914403001922038216", "name": "云信科技有限公司 (Yunxin Technology)"}],
            "conditions": [
                {
                    "code": "email_subject_marked",
                    "outcome": "conditions",
                    "text": 'Each marketing e-mail\'s subject begins with "广告" or "AD".',
                    "article": "MIIT Internet E-mail Measures 2006",
                    "remedy": "Mark the subject line of every e-mail.",
                    "values": [],
                }
            ],
            "conditions_acknowledged": True,
            "acknowledged_at": "2026-12-07T11:02:00+08:00",
            "needs_legal": [],
            "legal_decision": None,
            "refusals": [],
            "flagged": False,
            "flagged_at": None,
            "flag_reason": "",
        },
    ),
    OpenApiExample(
        "ReferenceInvalid",
        summary="A malformed reference",
        response_only=True,
        status_codes=["404"],
        value={
            "error": "reference_invalid",
            "detail": "An activity reference reads ACT-, the year, a hyphen and its number, e.g. ACT-2026-00042.",
        },
    ),
]
