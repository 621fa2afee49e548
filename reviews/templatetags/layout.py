"""The parts of the page layout (templates/base.html) that are the same for every request in a language: kept
per process once rendered, instead of rendered again on every page.

The menu, the language menu and the links to the style sheets and scripts cost about half of the layout's
rendering (some twenty URL reversals, translations and static paths a page), yet each reads only the language,
the URL prefix and a few flags. `{% fixed a b %}...{% endfixed %}` renders its content once for each language,
script prefix, URLconf and value of the variables it names, and gives that text back afterwards; the content
must depend on nothing else. A CSRF token inside (one user's secret) is refused when the template is read.
`{% nav_active as name %}` names the menu's link to the page being shown (or ""), so that the menu varies by
that name and not by every path. Both are dropped whenever a setting changes (tests)."""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# The menu's links whose page shows the link as the current one (templates/base.html).
NAV_LINKS = (
    "dashboard",
    "review_new",
    "channel_new",
    "vendors:approved",
    "activities:list",
    "portfolio:page",
)
_nav_paths: dict[tuple, dict[str, str]] = {}
_fragments: dict[tuple, SafeString] = {}


@register.simple_tag(takes_context=True)
def nav_active(context) -> str:
    """The name of the menu's link to this page (in NAV_LINKS), or "" on any other page."""
    request = context.get("request")
    if request is None:
        return ""
    key = (get_script_prefix(), get_urlconf())
    paths = _nav_paths.get(key)
    if paths is None:
        paths = _nav_paths[key] = {reverse(name): name for name in NAV_LINKS}
    return paths.get(request.path, "")


class FixedNode(template.Node):
    def __init__(self, nodelist, varies):
        self.nodelist, self.varies = nodelist, varies

    def render(self, context):
        key = (
            self,
            get_language(),
            get_script_prefix(),
            get_urlconf(),
            tuple(value.resolve(context) for value in self.varies),
        )
        text = _fragments.get(key)
        if text is None:
            text = _fragments[key] = mark_safe(self.nodelist.render(context))  # rendered by the engine
        return text


@register.tag
def fixed(parser, token):
    """{% fixed [variable ...] %}...{% endfixed %}: see the module's docstring."""
    varies = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(CsrfTokenNode):
        raise template.TemplateSyntaxError("{% fixed %} cannot hold a {% csrf_token %}: it is one user's.")
    return FixedNode(nodelist, varies)


@receiver(setting_changed)
def _forget(**kwargs):
    _nav_paths.clear()
    _fragments.clear()
