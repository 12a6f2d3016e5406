from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import PayoutAccount

ACTIONS = [
    ("cash", _("Record cash (receipt at once)")),
    ("qr", _("Show a QR pay link")),
    ("push", _("Send a mobile money request to the phone")),
]


class MerchantPaymentForm(forms.Form):
    organization = forms.ChoiceField(label=_("Collect for"))
    amount = forms.IntegerField(label=_("Amount (FCFA)"), min_value=1, max_value=10**12)
    description = forms.CharField(label=_("What is paid"), max_length=200)
    payer_name = forms.CharField(label=_("Payer's name"), max_length=150, required=False)
    payer_phone = forms.CharField(label=_("Payer's phone"), max_length=32, required=False)
    operator = forms.ChoiceField(
        label=_("Operator"),
        required=False,
        choices=[("", "—"), ("mtn_open", "MTN"), ("moov", "Moov"), ("celtiis", "Celtiis")],
    )
    action = forms.ChoiceField(label=_("How"), choices=ACTIONS, widget=forms.RadioSelect, initial="cash")

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(str(o.public_id), o.name) for o in organizations]

    def clean(self):
        data = super().clean()
        if data.get("action") == "push" and not data.get("payer_phone"):
            self.add_error("payer_phone", _("The phone that will approve the payment."))
        return data


class PayLinkForm(forms.Form):
    organization = forms.ChoiceField(label=_("Payee"))
    amount = forms.IntegerField(label=_("Amount (FCFA)"), min_value=1, max_value=10**12)
    description = forms.CharField(label=_("What is paid"), max_length=200)
    payer_name = forms.CharField(label=_("Payer's name"), max_length=150, required=False)
    payer_phone = forms.CharField(label=_("Payer's phone"), max_length=32, required=False)

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(str(o.public_id), o.name) for o in organizations]


class PayoutAccountForm(forms.ModelForm):
    class Meta:
        model = PayoutAccount
        fields = ["kind", "holder_name", "phone", "operator", "bank_name", "account_number"]
