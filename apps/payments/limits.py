"""The per-payment cap on a payment from an outside instrument (mobile money, card, bank
transfer, cash): Hokwe's own anti-fraud / AML ceiling, per country and currency, from
`PAYMENT_MAX_AMOUNT`:

    {"<country ISO code or *>": {"<currency>": <max amount in minor units>, …}, …}

The country's entry is read first, then "*". A currency with no cap in either has none
(add one when a country opens). The BCEAO e-money limits (kyc's tiers) do not apply to
these payments: the payer's operator, bank or card issuer did its own KYC. They apply to
what is held in and moved through a Hokwe wallet (`kyc.api.check`, wallet operations).
Pure functions: no database here."""

from __future__ import annotations

from apps.core.money import EXPONENTS


class PaymentLimitsInvalid(ValueError):
    pass


def validate_table(table) -> None:
    if not isinstance(table, dict) or "*" not in table:
        raise PaymentLimitsInvalid("PAYMENT_MAX_AMOUNT must be an object with a '*' (every country) entry")
    for country, caps in table.items():
        if country != "*" and (
            not isinstance(country, str)
            or len(country) != 2
            or not country.isalpha()
            or not country.isupper()
        ):
            raise PaymentLimitsInvalid(f"PAYMENT_MAX_AMOUNT: {country!r} is not an ISO 3166 country code")
        if not isinstance(caps, dict):
            raise PaymentLimitsInvalid(f"PAYMENT_MAX_AMOUNT[{country!r}] must map currencies to amounts")
        for currency, amount in caps.items():
            if currency not in EXPONENTS:
                raise PaymentLimitsInvalid(f"PAYMENT_MAX_AMOUNT[{country!r}]: unknown currency {currency!r}")
            if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
                raise PaymentLimitsInvalid(
                    f"PAYMENT_MAX_AMOUNT[{country!r}][{currency!r}] must be an integer > 0 (minor units)"
                )


def max_amount(table: dict, *, country: str, currency: str) -> int | None:
    """The largest single payment from an outside instrument, or None (no cap)."""
    validate_table(table)
    for key in ((country or "").upper(), "*"):
        caps = table.get(key)
        if caps and currency in caps:
            return int(caps[currency])
    return None
