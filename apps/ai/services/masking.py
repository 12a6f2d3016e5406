"""Personal data masked for the assistant's audit and logs (ToolCall.arguments, log lines).

    mask({"phone": "+2290197001234", "note": "écrire à awa@exemple.bj"})
    -> {"phone": "+229 •• •• 12 34", "note": "écrire à a•••@exemple.bj"}

- phone numbers (E.164 or written the local way, 8 digits and more with spaces or dots):
  the country code kept when written, then the last four digits: « +229 •• •• 12 34 »;
- e-mail addresses: the first letter of the mailbox and the domain: « a•••@exemple.bj »;
- IBAN and account-like digit runs (8 digits and more): the last four: « •••• 1234 »;
- values of known fields (names, phones, addresses, free notes): masked whatever they hold.

Recursive over dicts, lists and tuples; numbers, booleans and None pass unchanged (amounts are
not personal data). Dates and UUIDs are left as they are (their digits are cut by `-`).
"""

from __future__ import annotations

import re

__all__ = ["NAME_FIELDS", "PHONE_FIELDS", "mask", "mask_name", "mask_phone", "mask_text"]

DOT = "•"

# fields whose value is a person's name: initials only
NAME_FIELDS = frozenset(
    {
        "name",
        "full_name",
        "first_name",
        "last_name",
        "tenant_name",
        "payer_name",
        "sender_name",
        "receiver_name",
        "beneficiary",
        "beneficiary_name",
        "contact_name",
    }
)
# fields whose value is a phone number, whatever its shape
PHONE_FIELDS = frozenset({"phone", "msisdn", "mobile", "receiver_phone", "payer_phone", "to", "recipient"})
# fields whose value is free text about a person or a place: kept out of the audit whole
SECRET_FIELDS = frozenset(
    {"address", "email", "iban", "account_number", "password", "code", "otp", "token", "step_up_token"}
)

_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([\w-]+(?:\.[\w-]+)+)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){10,30}\b")
# a phone number or an account-like run: optional +country, then 8+ digits with spaces or dots
_DIGITS = re.compile(r"(?<![\w\-/:])(\+\d{1,3}[ .]?)?(\d(?:[ .]?\d){7,24})(?![\w\-/:])")


def _last4(digits: str) -> str:
    tail = digits[-4:]
    return f"{tail[:2]} {tail[2:]}"


def mask_phone(value) -> str:
    """'+2290197001234' -> '+229 •• •• 12 34'; '01 97 00 12 34' -> '•• •• 12 34'."""
    text = str(value or "").strip()
    digits = re.sub(r"\D", "", text)
    if len(digits) < 6:
        return DOT * 2
    prefix = ""
    if text.startswith("+"):
        # the country code: Benin, Côte d'Ivoire, Togo… have three digits; keep at most three
        prefix = "+" + digits[:3] + " "
    return f"{prefix}{DOT * 2} {DOT * 2} {_last4(digits)}"


def mask_name(value) -> str:
    """« Koffi Adjovi » -> « K••• A. »: enough for the audit to tell people apart, no more."""
    words = [w for w in str(value or "").split() if w]
    if not words:
        return ""
    first = words[0][0] + DOT * 3
    return first if len(words) == 1 else f"{first} {words[-1][0].upper()}."


def _digits_sub(match: re.Match) -> str:
    country, run = match.group(1), match.group(2)
    digits = re.sub(r"\D", "", run)
    if country:
        return mask_phone(country + run)
    if 8 <= len(digits) <= 10:  # a local phone number (Benin's 10 digits, the former 8)
        return mask_phone(digits)
    return f"{DOT * 4} {digits[-4:]}"  # an account-like number


def _iban_sub(match: re.Match) -> str:
    compact = match.group(0).replace(" ", "")
    return f"{compact[:2]}{DOT * 2} {DOT * 4} {compact[-4:]}"


def mask_text(text: str) -> str:
    """Every e-mail, IBAN, phone number and long digit run in `text` masked."""
    text = _EMAIL.sub(lambda m: f"{m.group(1)}{DOT * 3}@{m.group(2)}", text)
    text = _IBAN.sub(_iban_sub, text)
    return _DIGITS.sub(_digits_sub, text)


def mask(value, *, field: str | None = None):
    """`value` with its personal data masked (a new object; the input is not changed).
    `field`: the key it was found under (a known name or phone field is masked whole)."""
    key = (field or "").lower()
    if isinstance(value, dict):
        return {k: mask(v, field=str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask(v, field=field) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    if not text:
        return text
    if key in SECRET_FIELDS:
        return DOT * 3
    if key in PHONE_FIELDS:
        return mask_phone(text)
    if key in NAME_FIELDS:
        return mask_name(text)
    return mask_text(text)
