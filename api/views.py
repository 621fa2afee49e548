"""The API's endpoints, read-only, each with a key holding its scope; JSON errors (api.errors).

- GET /api/v1/vendors/?uscc=... and /api/v1/vendors/<uscc>/: may a marketing system send data to this vendor?
- GET /api/v1/use-check/?uscc=...&purpose=...&channel=...&data=...&audience=...: may it, for this use?
- GET /api/v1/activities/<reference>/: where a registered marketing activity stands (activities:read).
- GET /api/v1/channels/ and /api/v1/channels/<reference>/: may a marketing system collect through this own
  channel of the brand (vendors:read)?"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews.models import ApiScope

from . import examples
from .activity import REFERENCE_MAX_LENGTH, REFERENCE_PATTERN, activity_by_reference, reference_is_wellformed
from .authentication import ApiKeyAuthentication, ApiKeyRateThrottle, KeyHasScope
from .params import BOOLEAN, USE_CHECK_PARAMETERS, checked_uscc, use_query
from .selectors import channel_answer, channel_by_reference, channels_for_api, vendor_answer, vendors_for_api
from .serializers import (
    ActivityAnswerSerializer,
    ChannelAnswerSerializer,
    ErrorSerializer,
    UseAnswerSerializer,
    VendorAnswerSerializer,
)
from .use_check import use_check_answer

# What vendors.uscc.check_uscc accepts: 18 characters of GB 32100 (no I, O, S, V or Z; characters 3 to 8 are
# digits), in either case, with blanks anywhere, since it upper-cases and drops them. The canonical form is
# ^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$; a check character that does not match is accepted
# (some early codes are valid anyway, docs/domain.md).
USCC_CHAR = r"[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]"
USCC_PATTERN = rf"^\s*(?:{USCC_CHAR}\s*){{2}}(?:[0-9]\s*){{6}}(?:{USCC_CHAR}\s*){{10}}$"
USCC_SCHEMA = {"type": "string", "pattern": USCC_PATTERN, "minLength": 18, "example": "914403001922038216"}
USCC_DESCRIPTION = (
    "Unified Social Credit Code, 18 characters: `^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}"
    "[0-9A-HJ-NPQRTUWXY]{10}$`. Lower case and blanks are accepted (the code is upper-cased "
    "and blanks dropped); a check character that does not match is accepted too."
)


def _errors(described: dict[int, str]) -> dict:
    """The error responses of an endpoint: its own (400, 404, another 403) and those every endpoint has."""
    every = {
        401: "No key, or a key that is not known.",
        403: "A revoked key (`key_revoked`), or a key without the scope `vendors:read`.",
        429: "Too many calls with this key; see Retry-After.",
    }
    return {
        status: OpenApiResponse(ErrorSerializer, description=text)
        for status, text in sorted({**every, **described}.items())
    }


class VendorPagination(PageNumberPagination):
    page_size = 100


class KeyedView(APIView):
    """A marketing system's call: a key with the view's scope, its rate, JSON only."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [KeyHasScope]
    throttle_classes = [ApiKeyRateThrottle]
    renderer_classes = [JSONRenderer]
    required_scope = ApiScope.VENDORS_READ


class VendorApiView(KeyedView, generics.GenericAPIView):
    serializer_class = VendorAnswerSerializer

    def get_queryset(self):
        return vendors_for_api()

    def answer(self, vendors):
        today = timezone.localdate()
        return self.get_serializer([vendor_answer(v, today=today) for v in vendors], many=True).data


class VendorList(VendorApiView):
    pagination_class = VendorPagination

    @extend_schema(
        operation_id="vendors_list",
        summary="Vendors, or the one vendor with a credit code",
        parameters=[
            OpenApiParameter(
                "uscc",
                USCC_SCHEMA,
                description=USCC_DESCRIPTION + " Without it, every known vendor, 100 a page.",
            )
        ],
        responses={
            200: VendorAnswerSerializer(many=True),
            **_errors({400: "Malformed credit code (`uscc_invalid`)."}),
        },
    )
    def get(self, request):
        vendors = self.get_queryset()
        if "uscc" in request.query_params:
            vendors = vendors.filter(uscc=checked_uscc(request.query_params["uscc"]))
        page = self.paginate_queryset(vendors)
        return self.get_paginated_response(self.answer(page))


class VendorDetail(VendorApiView):
    @extend_schema(
        operation_id="vendors_retrieve",
        summary="One vendor by credit code",
        parameters=[
            OpenApiParameter("uscc", USCC_SCHEMA, OpenApiParameter.PATH, description=USCC_DESCRIPTION)
        ],
        responses={
            200: VendorAnswerSerializer,
            **_errors(
                {
                    400: "Malformed credit code (`uscc_invalid`).",
                    404: "No vendor with this credit code (`vendor_unknown`).",
                }
            ),
        },
    )
    def get(self, request, uscc: str):
        vendor = self.get_queryset().filter(uscc=checked_uscc(uscc)).first()
        if vendor is None:
            raise exceptions.NotFound(code="vendor_unknown")
        return Response(self.get_serializer(vendor_answer(vendor)).data)


class ChannelList(KeyedView, generics.GenericAPIView):
    serializer_class = ChannelAnswerSerializer
    pagination_class = VendorPagination

    def get_queryset(self):
        return channels_for_api()

    @extend_schema(
        operation_id="channels_list",
        summary="The brand's own channels",
        description="Every own channel in the register, 100 a page, with whether it may be used (`usable`).",
        responses={200: ChannelAnswerSerializer(many=True), **_errors({})},
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset()) or []
        today = timezone.localdate()
        return self.get_paginated_response(
            self.get_serializer([channel_answer(entry, today=today) for entry in page], many=True).data
        )


class ChannelDetail(KeyedView):
    @extend_schema(
        operation_id="channels_retrieve",
        summary="One own channel by its reference",
        parameters=[
            OpenApiParameter(
                "reference",
                {"type": "string", "pattern": "^CH-[0-9]{5,9}$", "example": "CH-00012"},
                OpenApiParameter.PATH,
                description="The channel's reference, `CH-` and its number, as its page shows it.",
            )
        ],
        responses={
            200: ChannelAnswerSerializer,
            **_errors({404: "A malformed reference or no own channel with it (`channel_unknown`)."}),
        },
    )
    def get(self, request, reference: str):
        entry = channel_by_reference(reference)
        if entry is None:
            raise exceptions.NotFound(code="channel_unknown")
        return Response(ChannelAnswerSerializer(channel_answer(entry)).data)


USE_CHECK_DESCRIPTIONS = {
    "purpose": "The purpose of the use.",
    "channel": "A channel the use goes through; repeat the parameter for several (`channel=sms&channel=edm`).",
    "data": "A category of personal data sent; repeat the parameter for several (`data=contact&data=purchases`).",
    "audience": "Where the audience comes from; `purchased` (a bought, rented or swapped list) is always "
    "refused (PIPL Art. 10).",
    "cross_border": "Whether the data leaves China (`true` or `false`; default `false`).",
    "volume": "The most individuals the use reaches; without it the approval's ceiling is not compared.",
}


def _use_check_parameter(parameter) -> OpenApiParameter:
    if parameter.name == "uscc":
        return OpenApiParameter("uscc", USCC_SCHEMA, required=True, description=USCC_DESCRIPTION)
    if parameter.values == BOOLEAN:
        return OpenApiParameter(
            parameter.name,
            OpenApiTypes.BOOL,
            required=parameter.required,
            description=USE_CHECK_DESCRIPTIONS[parameter.name],
            default=False,
        )
    return OpenApiParameter(
        parameter.name,
        str,
        required=parameter.required,
        enum=list(parameter.values),
        many=parameter.many or None,
        explode=True if parameter.many else None,
        description=USE_CHECK_DESCRIPTIONS[parameter.name],
    )


class UseCheck(KeyedView):
    """Before each send: may this vendor be used this way? (api.use_check)"""

    @extend_schema(
        operation_id="use_check",
        summary="May this vendor be used for this purpose, channel, data and audience?",
        description=(
            "Compares the use with the scope of the vendor's approval (purposes, channels, data, audiences, "
            "cross-border, ceiling) and applies the rules of a single use (no bought lists, consent for "
            "messages, ads marked, sensitive data and minors to Legal). `allowed` is true only for the "
            "outcomes `go` and `conditions`; every refusal names its rule, its article and what to do. Every "
            "parameter is checked: an unknown parameter, a missing one, a repeated single one or a value "
            "outside its list is a 400 naming the parameter and the accepted values. Texts are in the "
            "language of `Accept-Language` (`zh-hans`, `en`). Needs the scope `vendors:read`."
        ),
        parameters=[_use_check_parameter(parameter) for parameter in USE_CHECK_PARAMETERS],
        responses={
            200: UseAnswerSerializer,
            **_errors(
                {
                    400: "A parameter missing, repeated, unknown or outside its values (`parameter_missing`, "
                    "`parameter_repeated`, `parameter_unknown`, `parameter_invalid`), or a malformed credit "
                    "code (`uscc_invalid`); `parameter` names it.",
                    404: "No vendor with this credit code (`vendor_unknown`).",
                }
            ),
        },
        examples=examples.USE_CHECK,
    )
    def get(self, request):
        query = use_query(request.query_params)
        answer = use_check_answer(uscc=query.uscc, use=query.use, today=timezone.localdate())
        if answer is None:
            raise exceptions.NotFound(code="vendor_unknown")
        return Response(UseAnswerSerializer(answer).data)


class ActivityDetail(KeyedView):
    """A registered marketing activity by its reference (api.activity)."""

    required_scope = ApiScope.ACTIVITIES_READ

    @extend_schema(
        operation_id="activities_retrieve",
        summary="A marketing activity by its reference",
        description=(
            "Status, pre-check outcome, dates, vendors, the conditions with their articles and "
            "whether they were acknowledged, Legal's decision and reason, and whether a vendor it uses "
            "has since stopped being usable (`flagged`). `may_run` is the short answer. Needs the "
            "scope `activities:read`."
        ),
        parameters=[
            OpenApiParameter(
                "reference",
                {
                    "type": "string",
                    "pattern": REFERENCE_PATTERN,
                    "minLength": 14,
                    "maxLength": REFERENCE_MAX_LENGTH,
                    "example": "ACT-2026-00042",
                },
                OpenApiParameter.PATH,
                description="The activity's reference, `ACT-` year `-` number, as its page "
                "shows it, e.g. `ACT-2026-00042`; upper case.",
            )
        ],
        responses={
            200: ActivityAnswerSerializer,
            **_errors(
                {
                    403: "A revoked key (`key_revoked`), or a key without the scope `activities:read`.",
                    404: "A malformed reference (`reference_invalid`) or no activity with it (`activity_unknown`).",
                }
            ),
        },
        examples=examples.ACTIVITY,
    )
    def get(self, request, reference: str):
        # Malformed and unknown are both 404, as for any URL that names nothing; the code tells them apart.
        if not reference_is_wellformed(reference):
            raise exceptions.NotFound(
                _(
                    "An activity reference reads ACT-, the year, a hyphen and its number, "
                    "e.g. ACT-2026-00042."
                ),
                code="reference_invalid",
            )
        answer = activity_by_reference(reference=reference, today=timezone.localdate())
        if answer is None:
            raise exceptions.NotFound(code="activity_unknown")
        return Response(ActivityAnswerSerializer(answer).data)
