"""Phone numbers: parse any common writing into E.164, and mask them for logs."""

import re

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
    """'01 97 00 00 01', '+229 0197000001', '97 00 00 01' (Benin's former 8 digits), …
    -> '+2290197000001'; InvalidPhone otherwise."""
    text = str(value or "").strip()
    if not text or len(text) > 32:
        raise InvalidPhone(field=field)
    if settings.PHONENUMBER_DEFAULT_REGION == "BJ":
        # Benin's former 8-digit numbers (« 97 00 00 01 », « +229 97 00 00 01 ») became
        # 10 digits in 2024 by taking « 01 » in front: people still write them the old way.
        former = re.fullmatch(r"(?:\+229|00229)?(\d{8})", re.sub(r"[\s.\-/()]", "", text))
        if former:
            text = f"+22901{former.group(1)}"
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
