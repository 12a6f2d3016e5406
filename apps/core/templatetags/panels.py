"""`{% load panels %}{% panels "estate.lease" lease=lease.public_id %}`: the panels other
modules register for this slot (apps/core/panels.py)."""

from django import template

from apps.core.panels import render_slot

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot: str, **ids):
    request = context.get("request")
    if request is None:
        return ""
    return render_slot(request, slot, **ids)
