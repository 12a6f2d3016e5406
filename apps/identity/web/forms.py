from django import forms
from django.utils.translation import gettext_lazy as _

from ..contracts import OrgKind, OrgRole
from ..models import Language, Organization
from ..phones import InvalidPhone, normalize_phone

ROLE_CHOICES = [
    (OrgRole.OWNER.value, _("owner")),
    (OrgRole.MANAGER.value, _("manager")),
    (OrgRole.ACCOUNTANT.value, _("accountant")),
    (OrgRole.COLLECTOR.value, _("collector")),
    (OrgRole.VIEWER.value, _("viewer")),
]
KIND_CHOICES = [
    (OrgKind.AGENCY.value, _("agency")),
    (OrgKind.OWNER.value, _("owner")),
    (OrgKind.MERCHANT.value, _("merchant")),
]
CODE_WIDGET = forms.TextInput(
    attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d{6}", "autofocus": True}
)


class PhoneInput(forms.CharField):
    default_error_messages = {"invalid_phone": InvalidPhone.default_message}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Phone number"))
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "autofocus": True})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return normalize_phone(value)
        except InvalidPhone:
            raise forms.ValidationError(self.error_messages["invalid_phone"], code="invalid_phone")


class CodeInput(forms.RegexField):
    def __init__(self, **kwargs):
        super().__init__(
            regex=r"^\d{6}$",
            label=_("Code received by SMS"),
            error_messages={"invalid": _("The code has 6 digits.")},
            widget=CODE_WIDGET,
            **kwargs,
        )


class PhoneForm(forms.Form):
    phone = PhoneInput()


class CodeForm(forms.Form):
    code = CodeInput()


class InvitationAcceptForm(forms.Form):
    code = CodeInput()
    full_name = forms.CharField(label=_("Your full name"), max_length=150, required=False)


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    avatar = forms.ImageField(label=_("Profile picture"), required=False)


class OrganizationForm(forms.ModelForm):
    phone = PhoneInput(required=False)

    class Meta:
        model = Organization
        fields = ["name", "kind", "city", "address", "phone", "email"]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.pop("autofocus", None)
        self.fields["kind"].choices = KIND_CHOICES
        if editing:
            del self.fields["kind"]


class InviteForm(forms.Form):
    phone = PhoneInput()
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.pop("autofocus", None)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
