from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField


class PhoneLoginForm(AuthenticationForm):
    """Log in with a phone number (any common writing: 97 00 00 01, +229 97000001, …)."""

    username = PhoneNumberField(
        label=_("Phone number"),
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean(self):
        phone = self.cleaned_data.get("username")
        if phone is not None:
            self.cleaned_data["username"] = phone.as_e164
        return super().clean()
