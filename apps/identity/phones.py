"""Phone numbers: parse any common writing into E.164, and mask them for logs."""

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class InvalidPhone(DomainError):
    code = "invalid_phone"
    default_message = _("Enter a valid phone number, e.g. +229 01 97 00 00 01.")

    def __init__(self, message=None, *, field: str = "phone", **params):
        super().__init__(message, field=field, **params)


def normalize_phone(value, *, field: str = "phone") -> str:
    """'01 97 00 00 01', '+229 0197000001', … -> '+2290197000001'; InvalidPhone otherwise."""
    text = str(value or "").strip()
    if not text or len(text) > 32:
        raise InvalidPhone(field=field)
    try:
        number = phonenumbers.parse(text, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidPhone(field=field)
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(field=field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(phone) -> str:
    """'+2290197000001' -> '+229••••••••01': enough to recognise, not to call."""
    text = str(phone or "")
    if len(text) < 6:
        return "••"
    return text[:4] + "•" * (len(text) - 6) + text[-2:]
