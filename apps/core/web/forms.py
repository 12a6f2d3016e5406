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


# --- an amount in whole francs typed as on a phone (the wallet's and invest's pages) ---
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
