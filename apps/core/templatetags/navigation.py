"""`{% load navigation %}{% if nav|has_role:"*.owner *.manager" %}…{% endif %}`: show a
button only to the roles that may use it (apps/core/navigation.py; the server still refuses
the others). Patterns are fnmatch over the user's roles, separated by spaces or commas."""

from django import template

register = template.Library()


@register.filter
def has_role(menu, patterns: str) -> bool:
    return bool(menu) and menu.has_role(patterns)
