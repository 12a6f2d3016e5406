"""« Find my pay link » (pay.hokwe.com/pay-link/, owned by the sites part): a phone number,
then an SMS to that number with the tenant's open pay links. The page answers the same thing
whatever the number (never whether it is known, never a link on screen); the gateway's
throttle bounds the tries per IP (conf: THROTTLE_RULES)."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from apps.identity import api as identity

from ..services import sites as site_services


class PayLinkForm(forms.Form):
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "placeholder": "01 97 00 00 01"}
        ),
    )

    def clean_phone(self):
        try:
            return identity.normalize_phone(self.cleaned_data["phone"])
        except identity.InvalidPhone as exc:
            raise forms.ValidationError(str(exc.message)) from exc


@require_http_methods(["GET", "POST"])
def find_pay_link(request):
    sent = False
    form = PayLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        site_services.pay_links_send(phone=form.cleaned_data["phone"])
        sent = True
        form = PayLinkForm()
    return render(request, "cms/sites/paylink.html", {"form": form, "sent": sent})
