"""The groups page of the admin: the roles (reviews.roles.Role) are fixed groups. Their names cannot be
changed and they cannot be deleted, so no other group can take a role's name (reviews.role_changes refuses
the same below the admin, and on PostgreSQL a trigger below Django). Their permissions stay editable by a
superuser; each change is audited, mailed, and makes the role's members wait again before they decide."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from reviews.account_widgets import QuickFilteredSelectMultiple
from reviews.roles import Role
from vendors.admin_lists import LARGE_LIST_PAGE, AdminMixin


class QuickChoosersMixin(AdminMixin):
    """The two-box choosers (filter_horizontal) of groups and permissions written at less cost, the same markup
    (reviews.account_widgets)."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if "widget" not in kwargs and db_field.name in (*self.filter_horizontal, *self.filter_vertical):
            kwargs["widget"] = QuickFilteredSelectMultiple(
                db_field.verbose_name, db_field.name in self.filter_vertical
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class FixedRolesGroupAdmin(QuickChoosersMixin, GroupAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "name") if obj is not None and obj.name in Role.values else fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.name in Role.values:
            return False
        return super().has_delete_permission(request, obj)


admin.site.unregister(Group)
admin.site.register(Group, FixedRolesGroupAdmin)


class KeptAccountAdmin(QuickChoosersMixin, UserAdmin):
    """Accounts are closed (unticking "active"), never deleted: the audit trail and every record name the
    people who acted (docs/architecture.md, I7). Deleting is refused before Django would gather, for the
    confirmation page, every record that names the account. The list shows as many accounts a page as the
    other long lists of the desk (vendors.admin_lists.LARGE_LIST_PAGE)."""

    list_per_page = LARGE_LIST_PAGE

    def has_delete_permission(self, request, obj=None):
        return False


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, KeptAccountAdmin)
