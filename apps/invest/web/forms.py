"""The forms of the investor's pages: the questionnaire (one radio group per question), an
order (an amount in whole francs; units with up to 4 decimals; whole shares at a limit
price) and a monthly plan. Only the shape of the input is checked here; the services decide
the rest (their refusals are shown as form errors by the views)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.web.forms import AmountField
from apps.core.web.forms import clean_number as _clean_number

from ..contracts import PRICE_SCALE, UNIT_SCALE

MAX_SHARES = 1_000_000

SIDE_LABELS = {
    "subscribe": pgettext_lazy("an investment order", "Subscribe (invest an amount)"),
    "redeem": pgettext_lazy("an investment order", "Redeem (take money back)"),
    "buy": pgettext_lazy("an investment order", "Buy shares"),
    "sell": pgettext_lazy("an investment order", "Sell shares"),
}


class ScaledField(forms.CharField):
    """A decimal typed with a comma or a dot and at most 4 decimals (« 12,5 »), kept as the
    integer of 1/`scale` invest counts in (units: 1/10,000 unit; prices: 1/10,000 XOF)."""

    def __init__(self, *, scale: int, invalid, **kwargs):
        self.scale = scale
        self.invalid = invalid
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "maxlength": "24"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = _clean_number(super().to_python(value)).replace(",", ".")
        if not text:
            return None
        if len(text) > 24 or not re.fullmatch(r"\d+(\.\d{1,4})?", text):
            raise forms.ValidationError(self.invalid, code="invalid")
        try:
            number = Decimal(text) * self.scale
        except InvalidOperation:
            raise forms.ValidationError(self.invalid, code="invalid") from None
        if number <= 0 or number > 10**15:
            raise forms.ValidationError(self.invalid, code="invalid")
        return int(number)


class QuestionnaireForm(forms.Form):
    """One radio group per question of questionnaire.QUESTIONS (built by the view from
    questions_payload, in the active language)."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question["id"]] = forms.ChoiceField(
                label=question["text"],
                choices=[(c["id"], c["text"]) for c in question["choices"]],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Answer this question."),
                    "invalid_choice": _("Choose one of the proposed answers."),
                },
            )


class FundOrderForm(forms.Form):
    """A fund, a bill or a bond: subscribe an amount, or redeem an amount or units."""

    side = forms.ChoiceField(
        label=_("What do you want to do?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you want to do.")},
    )
    amount = AmountField(label=_("Amount"), required=False, placeholder="10 000")
    units = ScaledField(
        label=_("Or a number of units to redeem"),
        scale=UNIT_SCALE,
        required=False,
        invalid=_("Enter a number of units, with at most 4 decimals (« 12,5 »)."),
    )

    def __init__(self, *args, can_redeem: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        sides = ["subscribe", "redeem"] if can_redeem else ["subscribe"]
        self.fields["side"].choices = [(s, SIDE_LABELS[s]) for s in sides]
        if not can_redeem:
            del self.fields["units"]

    def clean(self):
        data = super().clean()
        side, amount, units = data.get("side"), data.get("amount"), data.get("units")
        if side == "subscribe" and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter an amount."))
        if side == "redeem" and "amount" not in self.errors and "units" not in self.errors:
            if amount is None and units is None:
                self.add_error("amount", _("Enter the amount to take back, or a number of units."))
            elif amount is not None and units is not None:
                self.add_error("units", _("Enter an amount or a number of units, not both."))
        if side == "subscribe":
            data["units"] = None
        return data


class ShareOrderForm(forms.Form):
    """A BRVM share: buy or sell whole shares at a limit price."""

    side = forms.ChoiceField(
        label=_("What do you want to do?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you want to do.")},
    )
    quantity = forms.IntegerField(
        label=_("Number of shares"),
        min_value=1,
        max_value=MAX_SHARES,
        error_messages={
            "required": _("Enter a number of shares."),
            "invalid": _("Enter a whole number of shares."),
            "min_value": _("Enter at least one share."),
            "max_value": _("This number of shares is too large."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    limit_price = ScaledField(
        label=_("Limit price per share (FCFA)"),
        scale=PRICE_SCALE,
        invalid=_("Enter a price in francs, with at most 4 decimals."),
        error_messages={"required": _("Enter a limit price.")},
    )

    def __init__(self, *args, can_sell: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        sides = ["buy", "sell"] if can_sell else ["buy"]
        self.fields["side"].choices = [(s, SIDE_LABELS[s]) for s in sides]


class PlanForm(forms.Form):
    product = forms.ChoiceField(
        label=_("Product"),
        error_messages={
            "required": _("Choose a product."),
            "invalid_choice": _("Choose one of the proposed products."),
        },
    )
    amount = AmountField(label=_("Amount each month"), placeholder="10 000")
    day = forms.TypedChoiceField(
        label=_("Day of the month"),
        coerce=int,
        choices=[(d, str(d)) for d in range(1, 29)],
        error_messages={
            "required": _("Choose a day between 1 and 28."),
            "invalid_choice": _("Choose a day between 1 and 28."),
        },
    )

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = list(products)
