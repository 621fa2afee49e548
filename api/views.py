"""GET /api/v1/vendors/?uscc=... and /api/v1/vendors/<uscc>/: may a marketing system send data to this
vendor? Read-only; a key with the scope vendors:read; JSON errors (api.errors)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from reviews.models import ApiScope
from vendors.uscc import check_uscc

from .authentication import ApiKeyAuthentication, ApiKeyRateThrottle, KeyHasScope
from .selectors import vendor_answer, vendors_for_api
from .serializers import ErrorSerializer, VendorAnswerSerializer


def _checked_uscc(raw: str) -> str:
    try:
        return check_uscc(raw).code
    except ValidationError as error:
        raise exceptions.ValidationError({"uscc": [exceptions.ErrorDetail(" ".join(error.messages),
                                                                          code="uscc_invalid")]}) from None


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Malformed credit code."),
    401: OpenApiResponse(ErrorSerializer, description="No key, or a key that is not known."),
    403: OpenApiResponse(ErrorSerializer, description="A revoked key, or a key without the scope vendors:read."),
    429: OpenApiResponse(ErrorSerializer, description="Too many calls with this key; see Retry-After."),
}


class VendorPagination(PageNumberPagination):
    page_size = 100


class VendorApiView(generics.GenericAPIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [KeyHasScope]
    throttle_classes = [ApiKeyRateThrottle]
    renderer_classes = [JSONRenderer]
    required_scope = ApiScope.VENDORS_READ
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
        parameters=[OpenApiParameter("uscc", str, description="Unified Social Credit Code; lower case and "
                                     "spaces are accepted. Without it, every known vendor, 100 a page.")],
        responses={200: VendorAnswerSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        vendors = self.get_queryset()
        if "uscc" in request.query_params:
            vendors = vendors.filter(uscc=_checked_uscc(request.query_params["uscc"]))
        page = self.paginate_queryset(vendors)
        return self.get_paginated_response(self.answer(page))


class VendorDetail(VendorApiView):
    @extend_schema(
        operation_id="vendors_retrieve",
        summary="One vendor by credit code",
        responses={200: VendorAnswerSerializer,
                   404: OpenApiResponse(ErrorSerializer, description="No vendor with this credit code."),
                   **ERRORS},
    )
    def get(self, request, uscc: str):
        vendor = self.get_queryset().filter(uscc=_checked_uscc(uscc)).first()
        if vendor is None:
            raise exceptions.NotFound(code="vendor_unknown")
        return Response(self.get_serializer(vendor_answer(vendor)).data)
