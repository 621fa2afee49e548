from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from activities.models import ActivityStatus, Outcome
from vendors.models import RiskTier, VendorCategory, VendorStatus
from vendors.scope import (
    AudienceSource,
    Ceiling,
    Channel,
    DataCategory,
    OwnChannelKind,
    Purpose,
    ScopeCondition,
)

from .use_check import UseStatus


def _coded(name: str, choices, help_text) -> type[serializers.Serializer]:
    """A serializer for a code of one vocabulary (vendors.scope) with its label: {"code", "label"}."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "__doc__": "Read-only: an api.selectors.Coded.",
            "code": serializers.ChoiceField(choices=choices, help_text=help_text),
            "label": serializers.CharField(help_text=_("The code's label in the language of the request.")),
        },
    )


PurposeCoded = _coded("PurposeCoded", Purpose.choices, _("A purpose of marketing."))
ChannelCoded = _coded("ChannelCoded", Channel.choices, _("A channel."))
DataCategoryCoded = _coded("DataCategoryCoded", DataCategory.choices, _("A category of personal data."))
AudienceSourceCoded = _coded(
    "AudienceSourceCoded", AudienceSource.choices, _("Where an audience comes from.")
)
CeilingCoded = _coded("CeilingCoded", Ceiling.choices, _("The most individuals a use may reach."))
ScopeConditionCoded = _coded("ScopeConditionCoded", ScopeCondition.choices, _("A condition of the approval."))


class ScopeSerializer(serializers.Serializer):
    """Read-only: built from api.selectors.ScopeAnswer. What the approval covers; a use beyond it is refused."""

    purposes = PurposeCoded(many=True)
    channels = ChannelCoded(many=True)
    data_categories = DataCategoryCoded(many=True)
    audience_sources = AudienceSourceCoded(many=True)
    cross_border = serializers.BooleanField(help_text=_("Whether data may leave China through this vendor."))
    ceiling = CeilingCoded(
        allow_null=True, help_text=_("The most individuals a use may reach; null: no ceiling.")
    )
    conditions = ScopeConditionCoded(many=True)
    other_conditions = serializers.CharField(
        allow_blank=True, help_text=_("Legal's further conditions, as written.")
    )


class VendorAnswerSerializer(serializers.Serializer):
    """Read-only: built from api.selectors.VendorAnswer."""

    uscc = serializers.CharField(help_text=_("Unified Social Credit Code (18 characters)."))
    name = serializers.CharField(help_text=_("Chinese legal name, with the English name when there is one."))
    name_zh = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    category = serializers.ChoiceField(choices=VendorCategory.choices)
    status = serializers.ChoiceField(
        choices=VendorStatus.choices,
        help_text=_(
            "“approved” only with a passed review; “in_use” is a platform already in use that has "
            "not been vetted: it is not usable."
        ),
    )
    status_label = serializers.CharField(help_text=_("The status in the language of the request."))
    usable = serializers.BooleanField(
        help_text=_(
            "True only while the vendor is on the approved list: approved and the approval not past "
            "its end. Send personal data only when true."
        )
    )
    approved_until = serializers.DateField(
        allow_null=True, help_text=_("Last day of the approval, when usable.")
    )
    tier = serializers.ChoiceField(choices=RiskTier.choices, allow_null=True, help_text=_("Risk tier."))
    conditions = serializers.CharField(
        allow_null=True,
        allow_blank=True,
        help_text=_(
            "Conditions of the legal sign-off as written, when usable "
            "(kept for compatibility; the scope gives them as codes)."
        ),
    )
    scope = ScopeSerializer(allow_null=True, help_text=_("What the approval covers, when usable."))
    scope_confirmed = serializers.BooleanField(
        allow_null=True,
        help_text=_(
            "False while the scope derived from the vendor's answers waits for "
            "Legal's confirmation; null when not usable."
        ),
    )
    approval_reference = serializers.CharField(
        allow_null=True, help_text=_("Dossier number of the approval, when usable.")
    )

    stop_using = serializers.BooleanField(
        help_text=_("A platform in use whose catch-up review was rejected: stop sending it data.")
    )
    catch_up_due = serializers.DateField(
        allow_null=True, help_text=_("For a platform in use, not vetted: the day its catch-up review is due.")
    )


class ChannelAnswerSerializer(VendorAnswerSerializer):
    """Read-only: built from api.selectors.ChannelAnswer. An own channel has no credit code."""

    # DRF drops a field declared by the parent when the subclass sets it to None.
    uscc = None  # type: ignore[assignment]  # (the stubs do not know that idiom)
    reference = serializers.CharField(help_text=_("The channel's reference, CH- and its number."))
    kind = serializers.ChoiceField(choices=OwnChannelKind.choices)
    kind_label = serializers.CharField(help_text=_("The kind in the language of the request."))
    operator = serializers.CharField(allow_blank=True, help_text=_("The platform operator, if any."))
    icp_filing = serializers.CharField(
        allow_blank=True, help_text=_("ICP filing number (websites, mini programs).")
    )
    app_store_ids = serializers.ListField(
        child=serializers.CharField(), help_text=_("App Store IDs and Android package names (apps).")
    )


class RuleAnswerSerializer(serializers.Serializer):
    """Read-only: an api.use_check.RuleAnswer, one rule that applies, in the language of the request."""

    code = serializers.CharField(
        help_text=_(
            "The rule's stable code, e.g. “channel_outside_scope”, “purchased_list”, “scope_unconfirmed”."
        )
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, help_text=_("What the rule concludes."))
    text = serializers.CharField(help_text=_("What the rule says of this use."))
    article = serializers.CharField(help_text=_("The article it rests on, e.g. “PIPL Art. 10”."))
    remedy = serializers.CharField(help_text=_("What to do."))
    values = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("The codes the rule is about, e.g. the channels outside the scope."),
    )


class UseAskedSerializer(serializers.Serializer):
    """Read-only: an api.use_check.UseAsked, the question as the server read it."""

    purpose = serializers.ChoiceField(choices=Purpose.choices)
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices))
    # The answer's key is `data`, as the query's parameter; the field shadows Serializer.data, which a nested
    # serializer never reads (this one is only ever nested, in UseAnswerSerializer.asked).
    data = serializers.ListField(  # type: ignore[assignment]
        child=serializers.ChoiceField(choices=DataCategory.choices)
    )
    audience = serializers.ChoiceField(choices=AudienceSource.choices)
    cross_border = serializers.BooleanField()
    volume = serializers.ChoiceField(
        choices=Ceiling.choices,
        allow_null=True,
        help_text=_("Null when not asked: the ceiling was not compared."),
    )


class UseAnswerSerializer(serializers.Serializer):
    """Read-only: built from api.use_check.UseAnswer."""

    uscc = serializers.CharField(help_text=_("Unified Social Credit Code (18 characters)."))
    name = serializers.CharField(help_text=_("Chinese legal name, with the English name when there is one."))
    status = serializers.ChoiceField(
        choices=UseStatus.choices,
        help_text=_(
            "“lapsed”: the approval ended, even if the vendor is still marked approved; “in_use”: a "
            "platform already in use that has not been vetted."
        ),
    )
    status_label = serializers.CharField(help_text=_("The status in the language of the request."))
    allowed = serializers.BooleanField(
        help_text=_(
            "True only when the outcome is “go” or “conditions”: use the vendor this way, keeping to "
            "every condition. False otherwise: do not send."
        )
    )
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        help_text=_(
            "“go”; “conditions”: go, keeping to the conditions; “needs_legal”: Legal decides this use "
            "on a registered marketing activity; “no_go”: refused, see the refusals."
        ),
    )
    outcome_label = serializers.CharField(help_text=_("The outcome in the language of the request."))
    approved_until = serializers.DateField(
        allow_null=True, help_text=_("Last day of the approval, while it is in force.")
    )
    approval_reference = serializers.CharField(
        allow_null=True, help_text=_("Dossier number of the approval, while it is in force.")
    )
    scope = ScopeSerializer(allow_null=True, help_text=_("What the approval covers, while it is in force."))
    scope_confirmed = serializers.BooleanField(
        allow_null=True,
        help_text=_(
            "False while the scope derived from the vendor's answers waits for "
            "Legal's confirmation (the use is then allowed with the condition "
            "“scope_unconfirmed”); null when the approval is not in force."
        ),
    )
    conditions = RuleAnswerSerializer(many=True, help_text=_("Conditions to keep to, each with its article."))
    refusals = RuleAnswerSerializer(
        many=True,
        help_text=_(
            "Why the use is not allowed, each rule with its article and what to do; empty when allowed."
        ),
    )
    asked = UseAskedSerializer(help_text=_("The use the answer is about."))
    checked_on = serializers.DateField(
        help_text=_("The day the answer holds for (approvals end at a day's end, China time).")
    )


class ActivityVendorSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField()


class LegalDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approved", _("Approved")), ("refused", _("Refused"))])
    reason = serializers.CharField(help_text=_("Legal's reason, as written."))
    decided_at = serializers.DateTimeField()


class ActivityAnswerSerializer(serializers.Serializer):
    """Read-only: built from api.activity.ActivityAnswer."""

    reference = serializers.CharField(help_text=_("ACT-YYYY-NNNNN."))
    name = serializers.CharField()
    status = serializers.ChoiceField(
        choices=ActivityStatus.choices,
        help_text=_(
            "“awaiting_ack”: conditions to acknowledge; “awaiting_legal”: Legal decides; “cleared”: "
            "cleared to start; “blocked”: the pre-check said no-go; “refused”: Legal refused; "
            "“withdrawn”."
        ),
    )
    status_label = serializers.CharField(help_text=_("The status in the language of the request."))
    outcome = serializers.ChoiceField(choices=Outcome.choices, help_text=_("What the pre-check concluded."))
    outcome_label = serializers.CharField()
    may_run = serializers.BooleanField(
        help_text=_("True only when the activity is cleared, not flagged and not past its end.")
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    registered_at = serializers.DateTimeField()
    checked_at = serializers.DateTimeField(help_text=_("When the plan was last pre-checked."))
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices))
    own_channels = serializers.ListField(child=serializers.ChoiceField(choices=OwnChannelKind.choices))
    data_categories = serializers.ListField(child=serializers.ChoiceField(choices=DataCategory.choices))
    audience_source = serializers.ChoiceField(choices=AudienceSource.choices)
    volume = serializers.ChoiceField(choices=Ceiling.choices)
    cross_border = serializers.BooleanField()
    vendors = ActivityVendorSerializer(many=True, help_text=_("The vendors it uses, by credit code."))
    conditions = RuleAnswerSerializer(many=True, help_text=_("Conditions to keep to, each with its article."))
    conditions_acknowledged = serializers.BooleanField(
        allow_null=True,
        help_text=_("Whether the owner acknowledged the conditions; null when there are none."),
    )
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    needs_legal = RuleAnswerSerializer(many=True, help_text=_("What the pre-check left to Legal's decision."))
    legal_decision = LegalDecisionSerializer(
        allow_null=True,
        help_text=_(
            "Legal's decision on the plan as it stands, with the reason; null when Legal has not decided it."
        ),
    )
    refusals = RuleAnswerSerializer(many=True, help_text=_("Why the pre-check said no-go."))
    flagged = serializers.BooleanField(
        help_text=_("A vendor it uses was suspended or its approval lapsed after it was registered.")
    )
    flagged_at = serializers.DateTimeField(allow_null=True)
    flag_reason = serializers.CharField(allow_blank=True)


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(
        help_text=_("A stable code, e.g. “uscc_invalid”, “parameter_invalid”, “key_revoked”.")
    )
    detail = serializers.CharField(
        help_text=_(
            "What is wrong, in the language of the request: for a bad "
            "parameter, its name and the accepted values."
        )
    )
    parameter = serializers.CharField(
        required=False, help_text=_("For a 400: the (first) query parameter in error.")
    )
