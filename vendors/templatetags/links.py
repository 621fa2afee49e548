"""{% object_url 'view-name' pk %}: {% url 'view-name' pk %} for the rows of a list (vendors.links); a view
taking several integer keys gets them all: {% object_url 'view-name' review.pk item.pk %}."""

from django import template

from vendors.links import object_url as _object_url

register = template.Library()


@register.simple_tag
def object_url(viewname: str, *keys) -> str:
    return _object_url(viewname, *keys)
