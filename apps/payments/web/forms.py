import re

import phonenumbers
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.web.forms import amount_input, phone_input

from ..models import PayoutAccount

ACTIONS = [
    ("cash", _("Record cash (receipt at once)")),
    ("qr", _("Show a QR pay link")),
    ("push", _("Send a mobile money request to the phone")),
]


class AmountField(forms.IntegerField):
    """An amount in whole units as people type it at a counter: « 15 000 », « 15.000 »."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 .]*"})

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f.]", "", value)
        return super().to_python(value)


def phone_e164(value: str, country: str) -> str | None:
    """The payer's phone in E.164, read the local way of the organization's country
    (« 01 61 00 00 09 » in Benin), or None when it is not a valid number there. The same
    rule as identity's phone normalisation (phonenumbers), with the country of the sale."""
    try:
        number = phonenumbers.parse(value, (country or settings.PHONENUMBER_DEFAULT_REGION).upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class MerchantPaymentForm(forms.Form):
    organization = forms.ChoiceField(label=_("Collect for"))
    amount = AmountField(label=_("Amount (FCFA)"), min_value=1, max_value=10**12)
    description = forms.CharField(label=_("What is paid"), max_length=200)
    payer_name = forms.CharField(
        label=_("Payer's name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    payer_phone = forms.CharField(
        label=_("Payer's phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel"}),
    )
    operator = forms.ChoiceField(
        label=_("Operator"),
        required=False,
        choices=[("", "—"), ("mtn_open", "MTN"), ("moov", "Moov"), ("celtiis", "Celtiis")],
    )
    action = forms.ChoiceField(label=_("How"), choices=ACTIONS, widget=forms.RadioSelect, initial="cash")

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {str(o.public_id): o for o in organizations}
        self.fields["organization"].choices = [(str(o.public_id), o.name) for o in organizations]

    def clean(self):
        data = super().clean()
        phone = (data.get("payer_phone") or "").strip()
        org = self.organizations.get(data.get("organization") or "")
        if phone:
            e164 = phone_e164(phone, getattr(org, "country", "") or "")
            if e164 is None:
                self.add_error(
                    "payer_phone",
                    _("Enter a valid phone number, e.g. 01 61 00 00 09 or +229 01 61 00 00 09."),
                )
            else:
                data["payer_phone"] = e164
        elif data.get("action") == "push":
            self.add_error("payer_phone", _("The phone that will approve the payment."))
        return data


class PayLinkForm(forms.Form):
    organization = forms.ChoiceField(label=_("Payee"))
    amount = forms.IntegerField(
        label=_("Amount (FCFA)"), min_value=1, max_value=10**12, widget=amount_input(min="1")
    )
    description = forms.CharField(label=_("What is paid"), max_length=200)
    payer_name = forms.CharField(label=_("Payer's name"), max_length=150, required=False)
    payer_phone = forms.CharField(
        label=_("Payer's phone"), max_length=32, required=False, widget=phone_input()
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(str(o.public_id), o.name) for o in organizations]


class PayoutAccountForm(forms.ModelForm):
    class Meta:
        model = PayoutAccount
        fields = ["kind", "holder_name", "phone", "operator", "bank_name", "account_number"]
        # the organization's own payout number: the browser may offer it
        widgets = {
            "phone": phone_input(own=True),
            "account_number": forms.TextInput(attrs={"autocomplete": "off"}),
        }
