"""Django admin's own messages that the project words in Chinese itself: Django's Chinese catalogue lacks some
of them (the app list's headings, read by screen readers on every admin page) and puts a space between the
words of others ("查看 审计事件", "修改 供应商"). Marked here so that makemessages collects them into the project's
catalogue (locale/), which Django searches before its own; Django's templates and views ask for them as usual."""

from django.utils.translation import gettext_noop

# The app list's column headings (admin/app_list.html; activities/templatetags/admin_sidebar.py writes them).
APP_LIST_HEADINGS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)
# The titles of an object's page (ModelAdmin.add_view and change_view).
PAGE_TITLES = (gettext_noop("Add %s"), gettext_noop("Change %s"), gettext_noop("View %s"))
