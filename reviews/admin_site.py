"""The admin site of the reviewers' desk: /admin/ opens on what waits for the signed-in reviewer
(reviews.desk.desk_for) instead of a list of tables, which superusers keep below it. Outside reviews/admin/ because Django builds
the site while that package registers its models on it."""

from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _

from reviews.roles import reads_all
from reviews.desk import desk_for
from reviews.panels import desk_panels


class VettedAdminSite(AdminSite):
    index_template = "admin/desk.html"
    index_title = _("Reviewers’ desk")

    def index(self, request, extra_context=None):
        user = request.user
        context = {"desk": desk_for(user) if reads_all(user) else None,
                   "panels": desk_panels(user) if reads_all(user) else [],
                   "show_tables": user.is_superuser or not reads_all(user), **(extra_context or {})}
        return super().index(request, context)
