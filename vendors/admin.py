from django.contrib import admin

from .models import Certification, Vendor


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "uscc", "category", "status", "approved_until", "risk_tier"]
    list_filter = ["status", "category", "risk_tier"]
    search_fields = ["name_zh", "name_en", "uscc"]
    readonly_fields = ["status", "status_reason", "approved_until", "approval_reference", "risk_tier",
                       "uscc_checksum_ok", "created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["vendor", "kind", "number", "issuer", "issued_on", "expires_on", "frozen"]
    list_filter = ["kind"]
    search_fields = ["vendor__name_zh", "vendor__uscc", "number"]
    list_select_related = ["vendor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
