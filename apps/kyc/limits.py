"""The limits table from settings (KYC_LIMITS, loadable from the environment as JSON):

    {"<country ISO code or *>": {"currency": "XOF",
                                 "0": {"max_balance": …, "monthly_inflow": …,
                                       "single_transaction": …, "daily_outflow": …},
                                 "1": {…}, "2": {…}}}

Rows of TierLimit (edited by compliance staff in the admin) take precedence. Amounts are
integers in the currency's minor unit. Pure functions: no database here."""

from __future__ import annotations

from .contracts import LimitName, Limits, Tier

FIELDS = tuple(str(name) for name in LimitName)


class LimitsTableInvalid(ValueError):
    pass


def validate_table(table) -> None:
    if not isinstance(table, dict) or "*" not in table:
        raise LimitsTableInvalid("KYC_LIMITS must be an object with a '*' (every country) entry")
    for country, entry in table.items():
        if country != "*" and (len(country) != 2 or not country.isalpha() or not country.isupper()):
            raise LimitsTableInvalid(f"KYC_LIMITS: {country!r} is not an ISO 3166 country code")
        currency = entry.get("currency") if isinstance(entry, dict) else None
        if not isinstance(currency, str) or len(currency) != 3:
            raise LimitsTableInvalid(f"KYC_LIMITS[{country!r}] needs a 3-letter currency")
        for tier in Tier:
            values = entry.get(str(int(tier)))
            if not isinstance(values, dict) or set(values) != set(FIELDS):
                raise LimitsTableInvalid(f"KYC_LIMITS[{country!r}][{int(tier)!r}] needs exactly {FIELDS}")
            for name, amount in values.items():
                if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
                    raise LimitsTableInvalid(
                        f"KYC_LIMITS[{country!r}][{int(tier)}][{name!r}] must be an integer ≥ 0"
                    )


def from_table(table: dict, *, country: str, tier: int) -> Limits:
    entry = table.get(country) or table["*"]
    values = entry[str(int(tier))]
    return Limits(
        tier=int(tier),
        country=country,
        currency=entry["currency"],
        source="settings",
        **{name: int(values[name]) for name in FIELDS},
    )
