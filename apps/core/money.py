"""Money: an integer amount in the currency's minor unit plus an ISO 4217 code.

Never floats. XOF and XAF have no minor unit (1 FCFA is the smallest amount), EUR has
cents. Arithmetic refuses to mix currencies; `allocate` splits an amount by ratios without
losing or inventing a single unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import total_ordering

from babel.numbers import format_currency, format_decimal

# ISO 4217 minor-unit exponents of the currencies Hokwe handles.
EXPONENTS: dict[str, int] = {
    "XOF": 0,  # franc CFA BCEAO (Benin, Côte d'Ivoire, Senegal, Togo, Mali, Burkina, Niger, GB)
    "XAF": 0,  # franc CFA BEAC
    "GNF": 0,
    "EUR": 2,
    "USD": 2,
    "GBP": 2,
    "NGN": 2,
    "GHS": 2,
    "CDF": 2,
}
# The currency of each country Hokwe serves (ISO 3166 -> ISO 4217): an organization's own.
COUNTRY_CURRENCIES: dict[str, str] = {
    **dict.fromkeys(("BJ", "BF", "CI", "GW", "ML", "NE", "SN", "TG"), "XOF"),  # UEMOA
    **dict.fromkeys(("CM", "CF", "CG", "GA", "GQ", "TD"), "XAF"),  # CEMAC
    "GN": "GNF",
    "NG": "NGN",
    "GH": "GHS",
    "CD": "CDF",
}
# How people write the CFA franc in the region: "25 000 FCFA".
_LOCAL_SYMBOLS = {"XOF": "FCFA", "XAF": "FCFA"}


def currency_of_country(country: str | None) -> str | None:
    """The currency of a country Hokwe serves (`BJ` -> `XOF`), None for any other."""
    return COUNTRY_CURRENCIES.get((country or "").upper())


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined."""


class UnknownCurrency(ValueError):
    """A currency code Hokwe does not handle."""


def exponent(currency: str) -> int:
    try:
        return EXPONENTS[currency]
    except KeyError:
        raise UnknownCurrency(currency) from None


@total_ordering
@dataclass(frozen=True, slots=True)
class Money:
    amount: int  # minor units
    currency: str

    def __post_init__(self):
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError(f"Money amount must be an int of minor units, not {self.amount!r}")
        exponent(self.currency)

    # --- construction ---------------------------------------------------------------------
    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def from_major(cls, value: str | int | Decimal, currency: str) -> Money:
        """Parse an amount in major units ("12.50" EUR -> 1250). Refuses sub-unit amounts."""
        try:
            major = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"Not an amount: {value!r}") from None
        if not major.is_finite():
            raise ValueError(f"Not an amount: {value!r}")
        minor = major.scaleb(exponent(currency))
        if minor != minor.to_integral_value():
            raise ValueError(f"{value} {currency} has more decimals than the currency allows")
        return cls(int(minor), currency)

    # --- arithmetic -----------------------------------------------------------------------
    def _check(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"Cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} cannot be combined")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._check(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._check(other).amount, self.currency)

    def __mul__(self, factor: int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int):
            raise TypeError("Money can only be multiplied by an int; use allocate() for ratios")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._check(other).amount

    def __bool__(self) -> bool:
        return self.amount != 0

    @property
    def is_negative(self) -> bool:
        return self.amount < 0

    # --- splitting ------------------------------------------------------------------------
    def allocate(self, ratios: list[int]) -> list[Money]:
        """Split by integer ratios; the remainder goes one unit at a time to the parts with
        the largest fractional share (ties to the first), so the parts always sum exactly."""
        if not ratios or any(r < 0 for r in ratios) or sum(ratios) == 0:
            raise ValueError("Ratios must be non-negative and not all zero")
        total = sum(ratios)
        sign = -1 if self.amount < 0 else 1
        amount = abs(self.amount)
        shares = [amount * r // total for r in ratios]
        remainders = [amount * r % total for r in ratios]
        leftover = amount - sum(shares)
        order = sorted(range(len(ratios)), key=lambda i: (-remainders[i], i))
        for i in order[:leftover]:
            shares[i] += 1
        return [Money(sign * s, self.currency) for s in shares]

    def split(self, parts: int) -> list[Money]:
        """Split into `parts` near-equal amounts (the first ones get the extra units)."""
        if parts < 1:
            raise ValueError("parts must be >= 1")
        return self.allocate([1] * parts)

    def percent(self, basis_points: int) -> Money:
        """basis_points / 10 000 of this amount, rounded half up to the minor unit."""
        numerator = self.amount * basis_points
        q, r = divmod(abs(numerator), 10_000)
        if r * 2 >= 10_000:
            q += 1
        return Money(q if numerator >= 0 else -q, self.currency)

    # --- display --------------------------------------------------------------------------
    @property
    def major(self) -> Decimal:
        return Decimal(self.amount).scaleb(-exponent(self.currency))

    def format(self, locale: str = "fr") -> str:
        """`25 000 FCFA` in French, `25,000 FCFA` in English; babel for everything else."""
        if self.currency in _LOCAL_SYMBOLS:
            number = format_decimal(self.major, locale=locale, decimal_quantization=False)
            return f"{number}\u00a0{_LOCAL_SYMBOLS[self.currency]}"
        return format_currency(self.major, self.currency, locale=locale)

    def __str__(self) -> str:
        return self.format("fr")

    def to_dict(self) -> dict:
        return {"amount": self.amount, "currency": self.currency}


def format_amount(amount: int, currency: str, language: str | None = None) -> str:
    """`25 000 FCFA`: an amount in minor units, formatted in `language` (default: the active
    one). The one formatting helper for pages, documents and messages; the currency is
    always the row's own, never a default."""
    if language is None:
        from django.utils.translation import get_language

        language = get_language() or "fr"
    return Money(int(amount), currency).format(language[:2])


def money_json(amount: int, currency: str, language: str | None = None) -> dict:
    """`{amount, currency, formatted}`: an amount on the wire (REST bodies, exports)."""
    return {
        "amount": int(amount),
        "currency": currency,
        "formatted": format_amount(amount, currency, language),
    }
