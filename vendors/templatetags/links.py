"""{% object_url 'view-name' pk %}: {% url 'view-name' pk %} for the rows of a list (vendors.links)."""

from django import template

from vendors.links import object_url as _object_url

register = template.Library()


@register.simple_tag
def object_url(viewname: str, pk) -> str:
    return _object_url(viewname, pk)
