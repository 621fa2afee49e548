"""The admin site of the reviewers' desk: /admin/ opens on what waits for the signed-in reviewer
(reviews.desk.desk_for) instead of a list of tables, which superusers keep below it. Outside reviews/admin/ because Django builds
the site while that package registers its models on it."""

from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _

from reviews import throttle
from reviews.desk import desk_for
from reviews.panels import desk_panels
from reviews.roles import Role, has_role, reads_all


class VettedAdminSite(AdminSite):
    index_template = "admin/desk.html"
    index_title = _("Reviewers’ desk")

    def index(self, request, extra_context=None):
        user = request.user
        context = {
            "desk": desk_for(user) if reads_all(user) else None,
            "panels": desk_panels(user) if reads_all(user) else [],
            "show_tables": user.is_superuser or not reads_all(user),
            "perms_calendar_add": has_role(user, Role.LEGAL),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def password_change(self, request, extra_context=None):
        """The old password typed here is an in-session password check like the sign-off's, on the same count
        (reviews/throttle.py "The password typed again in a session"): without it, a session left open would
        be a way to try passwords without limit."""
        if request.method != "POST":
            return super().password_change(request, extra_context)
        attempt = throttle.session_attempt(request)
        if not attempt.allowed:
            return throttle.lockout_response(request)
        response = super().password_change(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if response.status_code in (301, 302):
            throttle.session_password_right(attempt)
        elif form is not None and "old_password" in form.errors and request.POST.get("old_password"):
            if throttle.session_password_wrong(request, attempt):
                return throttle.lockout_response(request)
        elif form is not None and form.errors:
            # The old password was right and the new one refused: the count of wrong ones starts again.
            throttle.session_password_right(attempt)
        else:
            throttle.session_password_unchecked(attempt)
        return response
