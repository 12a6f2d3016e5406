from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.money import EXPONENTS, CurrencyMismatch, Money, UnknownCurrency

currencies = st.sampled_from(sorted(EXPONENTS))
amounts = st.integers(min_value=-(10**15), max_value=10**15)


@st.composite
def money(draw, currency=None):
    return Money(draw(amounts), currency or draw(currencies))


@given(amount=amounts, currency=currencies, ratios=st.lists(st.integers(0, 10_000), min_size=1, max_size=12))
def test_allocate_never_loses_or_invents_a_unit(amount, currency, ratios):
    if sum(ratios) == 0:
        ratios[0] = 1
    parts = Money(amount, currency).allocate(ratios)
    assert sum(p.amount for p in parts) == amount
    assert all(p.currency == currency for p in parts)
    total = sum(ratios)
    for part, ratio in zip(parts, ratios, strict=True):
        exact = Decimal(abs(amount)) * ratio / total
        assert abs(Decimal(abs(part.amount)) - exact) < 1  # each part within one unit of its share
        if ratio == 0:
            assert part.amount == 0


@given(amount=amounts, parts=st.integers(1, 50))
def test_split_is_near_equal_and_exact(amount, parts):
    pieces = Money(amount, "XOF").split(parts)
    assert sum(p.amount for p in pieces) == amount
    assert max(p.amount for p in pieces) - min(p.amount for p in pieces) <= 1


@given(a=amounts, b=amounts, c=amounts)
def test_addition_is_associative_and_subtraction_inverts_it(a, b, c):
    x, y, z = Money(a, "XOF"), Money(b, "XOF"), Money(c, "XOF")
    assert (x + y) + z == x + (y + z)
    assert (x + y) - y == x
    negated = -x
    assert -negated == x


@given(a=money(currency="XOF"), b=money(currency="EUR"))
def test_mixed_currencies_are_refused(a, b):
    with pytest.raises(CurrencyMismatch):
        a + b
    with pytest.raises(CurrencyMismatch):
        a < b  # noqa: B015


@given(amount=st.integers(0, 10**12), bp=st.integers(0, 10_000))
def test_percent_rounds_half_up_to_the_unit(amount, bp):
    result = Money(amount, "XOF").percent(bp).amount
    exact = Decimal(amount) * bp / 10_000
    assert abs(Decimal(result) - exact) <= Decimal("0.5")


def test_floats_and_unknown_currencies_are_refused():
    with pytest.raises(TypeError):
        Money(10.5, "XOF")
    with pytest.raises(TypeError):
        Money(True, "XOF")
    with pytest.raises(UnknownCurrency):
        Money(1, "ZZZ")
    with pytest.raises(TypeError):
        Money(100, "XOF") * 1.5


def test_from_major_respects_the_currency_exponent():
    assert Money.from_major("25000", "XOF") == Money(25000, "XOF")
    assert Money.from_major("12.50", "EUR") == Money(1250, "EUR")
    with pytest.raises(ValueError, match="decimals"):
        Money.from_major("100.5", "XOF")
    with pytest.raises(ValueError):
        Money.from_major("abc", "XOF")
    with pytest.raises(ValueError):
        Money.from_major("NaN", "XOF")


def test_formatting_in_french_and_english():
    assert Money(25000, "XOF").format("fr") == "25\u202f000\u00a0FCFA"
    assert Money(1250000, "XOF").format("en") == "1,250,000\u00a0FCFA"
    assert Money(1250, "EUR").format("fr") == "12,50\u00a0€"
    assert Money(1250, "EUR").format("en") == "€12.50"
    assert str(Money(500, "XOF")) == "500\u00a0FCFA"


def test_allocation_example_rent_split():
    # 100 001 FCFA of rent split 90/10 between owner and agency: nothing lost.
    owner, agency = Money(100_001, "XOF").allocate([90, 10])
    assert (owner.amount, agency.amount) == (90_001, 10_000)
