from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from vendors.models import RiskTier, VendorCategory, VendorStatus


class VendorAnswerSerializer(serializers.Serializer):
    """Read-only: built from api.selectors.VendorAnswer."""

    uscc = serializers.CharField(help_text=_("Unified Social Credit Code (18 characters)."))
    name = serializers.CharField(help_text=_("Chinese legal name, with the English name when there is one."))
    name_zh = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    category = serializers.ChoiceField(choices=VendorCategory.choices)
    status = serializers.ChoiceField(
        choices=VendorStatus.choices,
        help_text=_("“approved” only with a passed review; “in_use” is a platform already in use that has "
                    "not been vetted: it is not usable."))
    status_label = serializers.CharField(help_text=_("The status in the language of the request."))
    usable = serializers.BooleanField(
        help_text=_("True only while the vendor is on the approved list: approved and the approval not past "
                    "its end. Send personal data only when true."))
    approved_until = serializers.DateField(allow_null=True, help_text=_("Last day of the approval, when usable."))
    tier = serializers.ChoiceField(choices=RiskTier.choices, allow_null=True, help_text=_("Risk tier."))
    conditions = serializers.CharField(allow_null=True, allow_blank=True,
                                       help_text=_("Conditions of the legal sign-off, when usable."))
    approval_reference = serializers.CharField(allow_null=True,
                                               help_text=_("Dossier number of the approval, when usable."))

    stop_using = serializers.BooleanField(
        help_text=_("A platform in use whose catch-up review was rejected: stop sending it data."))
    catch_up_due = serializers.DateField(
        allow_null=True, help_text=_("For a platform in use, not vetted: the day its catch-up review is due."))


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text=_("A stable code, e.g. “uscc_invalid”, “key_revoked”."))
    detail = serializers.CharField()
