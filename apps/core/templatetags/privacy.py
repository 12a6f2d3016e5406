"""`{% load privacy %}{{ intent.payer_name|masked_name }}`: apps.core.privacy.mask_name."""

from django import template

from apps.core.privacy import mask_name

register = template.Library()


@register.filter
def masked_name(name) -> str:
    return mask_name(str(name or ""))
