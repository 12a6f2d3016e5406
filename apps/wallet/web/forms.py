"""The forms of the wallet pages: an amount in whole francs, a phone number."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_AMOUNT = 10_000_000_000  # a bound for the form only: kyc's limits decide the real one


class AmountField(forms.IntegerField):
    """Whole francs, typed as on a phone (« 5 000 », « 5000 »)."""

    def __init__(self, **kwargs):
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
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "5 000"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(" ", "").replace("\u202f", "").replace("\xa0", "").replace(".", "")
        return super().to_python(value)


class TopUpForm(forms.Form):
    amount = AmountField(label=_("Amount to add"))
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class SendForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone number of the person"),
        max_length=32,
        error_messages={"required": _("Enter the phone number of the person.")},
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "01 97 00 00 01"}
        ),
    )
    amount = AmountField(label=_("Amount to send"))
    note = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=140,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class WithdrawForm(forms.Form):
    amount = AmountField(label=_("Amount to withdraw"))
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class SplitPlanForm(forms.Form):
    """A HokweSplit plan toward one of my open rent dues (the choices are set by the view)."""

    due = forms.ChoiceField(
        label=_("Rent to save for"),
        error_messages={
            "required": _("Choose the rent to save for."),
            "invalid_choice": _("Choose the rent to save for."),
        },
    )
    frequency = forms.ChoiceField(label=_("Put money aside"), widget=forms.RadioSelect)
    withdrawal_rule = forms.ChoiceField(
        label=_("Taking the money back before the due date"), widget=forms.RadioSelect
    )

    def __init__(self, *args, dues=(), frequencies=(), rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due"].choices = list(dues)
        self.fields["frequency"].choices = list(frequencies)
        self.fields["withdrawal_rule"].choices = list(rules)
