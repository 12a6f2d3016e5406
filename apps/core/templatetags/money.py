"""`{% load money %}{{ due.amount|money:due.currency }}` -> `25 000 FCFA` in the page's language.

The currency is an argument, never a default: every row carries its own."""

from django import template

from apps.core.money import format_amount

register = template.Library()


@register.filter(name="money")
def money_filter(amount, currency):
    if amount is None or amount == "":
        return ""
    if not currency:
        raise template.TemplateSyntaxError(
            "the money filter needs the row's currency: {{ x|money:row.currency }}"
        )
    return format_amount(int(amount), str(currency))
