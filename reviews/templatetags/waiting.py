"""{{ moment|waiting }}: how long something has waited, as a phrase that reads naturally in each language
("for 3 days" / "已等待 3 天"), where humanize's naturaltime inside "since ..." gave "自30秒之前起"."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def waiting(moment, now=None) -> str:
    if not moment:
        return ""
    seconds = int(((now or timezone.now()) - moment).total_seconds())
    if seconds < 60:
        return _("just now")
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if hours < 1:
        return ngettext("for %(n)d minute", "for %(n)d minutes", minutes) % {"n": minutes}
    if days < 1:
        return ngettext("for %(n)d hour", "for %(n)d hours", hours) % {"n": hours}
    return ngettext("for %(n)d day", "for %(n)d days", days) % {"n": days}
