"""`{% load phones %}{{ user.phone|phone }}`: a stored E.164 number written as people read
it, « +229 01 97 00 00 01 » (the international format of its country's plan); anything that
does not parse is shown as it is."""

import phonenumbers
from django import template

register = template.Library()


@register.filter(name="phone")
def phone_filter(value) -> str:
    text = str(value or "").strip()
    if not text.startswith("+"):
        return text
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
