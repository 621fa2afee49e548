"""The admin site of the reviewers' desk: /admin/ opens on what waits for the signed-in reviewer
(reviews.desk.desk_for) instead of a list of tables, which superusers keep below it. Outside reviews/admin/ because Django builds
the site while that package registers its models on it."""

from django.contrib.admin import AdminSite
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reviews import throttle
from reviews.desk import desk_for
from reviews.panels import desk_panels
from reviews.roles import Role, has_role, reads_all, roles_of

# Tables a reviewer never works in: the sign-in records kept for the administrators, and the parts of a review
# that its review page shows in place (answers, questions, stages, decisions, files). Superusers still see
# them; the pages stay where they were for a link that leads there.
TECHNICAL_TABLES = frozenset(
    {
        ("axes", "accessfailurelog"),
        ("axes", "accesslog"),
        ("reviews", "answer"),
        ("reviews", "question"),
        ("reviews", "section"),
        ("reviews", "questionnairetemplate"),
        ("reviews", "stage"),
        ("reviews", "decision"),
        ("reviews", "evidence"),
    }
)
# The reviewers' work first: the reviews, then the register, then its uses, the sign-in locks last.
APP_ORDER = ("reviews", "vendors", "activities", "axes")
# The sidebar of every admin page, built once for each set of permissions and roles in each language: Django
# builds it on every page, asking every registered table's four permissions and resolving two URLs for each.
# What it lists depends on nothing else (the tables' admins decide by permission and role), so a change of a
# user's permissions or roles is a new entry. A few dozen entries at most: the roles are fixed.
APP_LISTS_KEPT = 64


class VettedAdminSite(AdminSite):
    index_template = "admin/desk.html"
    index_title = _("Reviewers’ desk")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists: dict[tuple, list] = {}

    def get_app_list(self, request, app_label=None):
        """The sidebar and the table list: a reviewer sees the tables of their work, superusers all. Kept for
        each set of permissions and roles (APP_LISTS_KEPT); the list is only read by the pages."""
        user = request.user
        key = (
            user.is_active,
            user.is_staff,
            user.is_superuser,
            # A superuser has every permission: their key needs no query of the permissions table.
            None if user.is_superuser else frozenset(user.get_all_permissions()),
            roles_of(user),
            get_language(),
            app_label,
        )
        app_list = self._app_lists.get(key)
        if app_list is None:
            if len(self._app_lists) >= APP_LISTS_KEPT:
                self._app_lists.clear()
            app_list = self._app_lists[key] = self._build_app_list(request, app_label)
        return app_list

    def _build_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if not request.user.is_superuser:
            for app in app_list:
                app["models"] = [
                    model
                    for model in app["models"]
                    if (app["app_label"], model["object_name"].lower()) not in TECHNICAL_TABLES
                ]
            app_list = [app for app in app_list if app["models"]]
        order = {label: n for n, label in enumerate(APP_ORDER)}
        return sorted(app_list, key=lambda app: order.get(app["app_label"], len(order)))

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
