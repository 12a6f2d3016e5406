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


# --- shared widgets: phones and amounts as a phone keyboard expects them -----------------------


def phone_input(*, own: bool = False, **attrs) -> forms.TextInput:
    """A phone number field: the phone keypad (`type=tel`, `inputmode=tel`); the browser offers
    the person's own number only where it is theirs (`autocomplete=tel`), never for a tenant's
    or a payer's number typed by an agent (`autocomplete=off`)."""
    widget = forms.TextInput(
        attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel" if own else "off", **attrs}
    )
    widget.input_type = "tel"
    return widget


def amount_input(**attrs) -> forms.NumberInput:
    """An amount in whole units (FCFA): the digit keypad, no suggestions, no negative."""
    return forms.NumberInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "min": "0", "step": "1", **attrs}
    )
