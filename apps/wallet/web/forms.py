"""The forms of the wallet pages: an amount in whole francs (core's AmountField), a phone number."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.web.forms import AmountField


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
