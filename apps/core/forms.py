"""Form fields every module's pages share."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_AMOUNT = 10_000_000_000  # a bound for the form only: kyc's limits and the wallet decide the real one


def clean_number(value: str) -> str:
    """A number as typed on a phone, its group separators removed (« 5 000 », « 5 000 »)."""
    return str(value).replace(" ", "").replace("\u202f", "").replace("\xa0", "")


class AmountField(forms.IntegerField):
    """Whole francs, typed as on a phone (« 5 000 », « 5000 »)."""

    def __init__(self, *, placeholder: str = "5 000", **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Enter an amount."),
                "invalid": _("Enter an amount in whole francs, digits only."),
                "min_value": _("Enter an amount greater than zero."),
                "max_value": _("This amount is too large."),
            },
        )
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": placeholder}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = clean_number(value).replace(".", "")
        return super().to_python(value)
