"""Changing one's own password: open to every signed-in user, and where a password set by someone else sends
its owner at the next sign-in (reviews.middleware.PasswordChangeRequiredMiddleware). The change itself is
audited, and lifts the hold on deciding, by reviews.role_changes."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from ..middleware import PASSWORD_CHANGE_REQUIRED
from ..roles import reads_all


class SignIn(auth_views.LoginView):
    """The sign-in page. Without a page asked for (?next=), reviewers (Legal, Security, the auditor) land on
    their desk, where their work waits; everyone else on the overview (LOGIN_REDIRECT_URL)."""

    def get_default_redirect_url(self):
        user = self.request.user
        if user.is_staff and reads_all(user):
            return reverse("admin:index")
        return super().get_default_redirect_url()


sign_in = SignIn.as_view()


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "password_change_required": bool(self.request.session.get(PASSWORD_CHANGE_REQUIRED)),
        }

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response


class PasswordChangeDone(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


password_change = PasswordChange.as_view()
password_change_done = PasswordChangeDone.as_view()
