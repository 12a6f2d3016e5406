"""Prices to amounts: flat, per unit, graduated and volume tiers with a flat amount per tier,
included units; a version's recurring and usage lines (French descriptions, integers)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.billing.contracts import LineKind
from apps.billing.errors import InvalidTiers
from apps.billing.models import AddOn, BillableMetric, Price, Product
from apps.billing.services.pricing import price_amount, recurring_lines, tiers_of, usage_lines
from tests.fixtures.billing import make_plan

TIERS = [
    {"up_to": 10, "unit_amount": 1_000, "flat_amount": 0},
    {"up_to": 50, "unit_amount": 700, "flat_amount": 2_000},
    {"up_to": None, "unit_amount": 500, "flat_amount": 5_000},
]


def price(kind="per_unit", *, amount=0, tier_mode="none", tiers=None, free_units=0):
    return Price(
        kind=kind, name="Lots", amount=amount, tier_mode=tier_mode, tiers=tiers or [], free_units=free_units
    )


def test_flat_ignores_the_quantity():
    assert price_amount(price("flat", amount=15_000), 0) == 15_000
    assert price_amount(price("flat", amount=15_000), 40) == 15_000


def test_per_unit_with_included_units():
    p = price(amount=500, free_units=20)
    assert price_amount(p, 0) == 0
    assert price_amount(p, 20) == 0
    assert price_amount(p, 21) == 500
    assert price_amount(p, 42) == 11_000


def test_graduated_prices_each_band_and_adds_the_flat_of_each_band_reached():
    p = price(tier_mode="graduated", tiers=TIERS)
    assert price_amount(p, 0) == 0
    assert price_amount(p, 10) == 10_000
    assert price_amount(p, 11) == 10_000 + 700 + 2_000
    assert price_amount(p, 60) == 10_000 + 40 * 700 + 2_000 + 10 * 500 + 5_000


def test_volume_prices_every_unit_at_the_tier_reached():
    p = price(tier_mode="volume", tiers=TIERS)
    assert price_amount(p, 0) == 0
    assert price_amount(p, 10) == 10_000
    assert price_amount(p, 11) == 11 * 700 + 2_000
    assert price_amount(p, 60) == 60 * 500 + 5_000


def test_included_units_come_off_before_the_tiers():
    p = price(tier_mode="graduated", tiers=TIERS, free_units=5)
    assert price_amount(p, 15) == price_amount(price(tier_mode="graduated", tiers=TIERS), 10)


@pytest.mark.parametrize(
    "tiers",
    [
        [],
        [{"up_to": 10, "unit_amount": 1}],  # the last tier must be open
        [{"up_to": None, "unit_amount": 1}, {"up_to": 10, "unit_amount": 1}],
        [{"up_to": 10, "unit_amount": 1}, {"up_to": 10, "unit_amount": 1}, {"up_to": None, "unit_amount": 1}],
        [{"up_to": None, "unit_amount": -1}],
        [{"up_to": None, "unit_amount": 1.5}],
        [{"up_to": None, "unit_amount": 1, "flat_amount": True}],
    ],
)
def test_malformed_tiers_are_refused(tiers):
    with pytest.raises(InvalidTiers) as refused:
        tiers_of(price(tier_mode="graduated", tiers=tiers))
    assert refused.value.field == "tiers"


def test_a_negative_quantity_is_a_programming_error():
    with pytest.raises(ValueError):
        price_amount(price(amount=1), -1)


# --- properties ------------------------------------------------------------------------------


@st.composite
def tier_lists(draw):
    bounds = sorted(draw(st.sets(st.integers(min_value=1, max_value=200), min_size=0, max_size=4)))
    ups = [*bounds, None]
    return [
        {
            "up_to": up,
            "unit_amount": draw(st.integers(min_value=0, max_value=50_000)),
            "flat_amount": draw(st.integers(min_value=0, max_value=100_000)),
        }
        for up in ups
    ]


def _tier_of_unit(tiers, n):
    """The index of the tier unit number `n` (1-based) falls in."""
    for index, tier in enumerate(tiers):
        if tier["up_to"] is None or n <= tier["up_to"]:
            return index
    raise AssertionError


@settings(max_examples=50, deadline=None)
@given(tiers=tier_lists(), quantity=st.integers(min_value=0, max_value=400), free=st.integers(0, 30))
def test_graduated_equals_the_sum_of_its_bands(tiers, quantity, free):
    """Unit by unit: each billable unit at its own band's price, plus each band's flat
    amount once when the band holds a unit."""
    billable = max(0, quantity - free)
    reached = {_tier_of_unit(tiers, n) for n in range(1, billable + 1)}
    expected = sum(tiers[_tier_of_unit(tiers, n)]["unit_amount"] for n in range(1, billable + 1))
    expected += sum(tiers[i]["flat_amount"] for i in reached)
    amount = price_amount(price(tier_mode="graduated", tiers=tiers, free_units=free), quantity)
    assert amount == expected
    assert isinstance(amount, int)


@settings(max_examples=50, deadline=None)
@given(tiers=tier_lists(), quantity=st.integers(min_value=1, max_value=400))
def test_volume_prices_every_unit_at_the_reached_tier(tiers, quantity):
    tier = tiers[_tier_of_unit(tiers, quantity)]
    amount = price_amount(price(tier_mode="volume", tiers=tiers), quantity)
    assert amount == quantity * tier["unit_amount"] + tier["flat_amount"]
    # every unit at one rate: taking the tier's flat amount off leaves a multiple of the quantity
    assert (amount - tier["flat_amount"]) % quantity == 0


@settings(max_examples=50, deadline=None)
@given(tiers=tier_lists(), quantity=st.integers(min_value=0, max_value=400))
def test_graduated_never_decreases_when_a_unit_is_added(tiers, quantity):
    p = price(tier_mode="graduated", tiers=tiers)
    assert price_amount(p, quantity + 1) >= price_amount(p, quantity)


# --- lines -------------------------------------------------------------------------------------

START, END = date(2026, 12, 1), date(2027, 1, 1)


@pytest.fixture
def agence(db):
    version = make_plan("agence-test", flat=15_000)
    Price.objects.create(
        version=version,
        kind="per_unit",
        name="Lots gérés au-delà de 20",
        amount=500,
        free_units=20,
        quantity_source="estate.units",
        position=1,
    )
    sms = BillableMetric.objects.create(
        code="sms-test",
        name="SMS",
        event_name="notifications.MessageSent",
        filters={"channel": "sms"},
        aggregation="count",
    )
    Price.objects.create(version=version, kind="usage", name="SMS envoyés", metric=sms, amount=25, position=2)
    return version


def test_recurring_lines_in_french(agence):
    lines = recurring_lines(agence, quantities={"estate.units": 42}, period_start=START, period_end=END)
    assert [(line.kind, line.amount, line.quantity) for line in lines] == [
        (LineKind.RECURRING, 15_000, 1),
        (LineKind.RECURRING, 11_000, 42),
    ]
    assert lines[0].description == "Abonnement Agence, du 01/12/2026 au 31/12/2026"
    assert "42" in lines[1].description and "20 inclus" in lines[1].description
    assert lines[1].unit_amount == 500 and lines[1].period_end == END
    assert all(isinstance(line.amount, int) for line in lines)


def test_a_per_unit_line_without_units_is_left_out(agence):
    lines = recurring_lines(agence, quantities={}, period_start=START, period_end=END)
    assert [line.amount for line in lines] == [15_000]


def test_add_ons_are_billed_per_quantity(agence):
    product = Product.objects.create(code="options-test", name="Options", kind="addon")
    addon = AddOn.objects.create(product=product, code="signatures-test", name="Signatures")
    Price.objects.create(addon=addon, kind="flat", name="Pack signatures électroniques", amount=3_000)

    class Held:  # a SubscriptionAddOn row's shape
        def __init__(self, addon, quantity):
            self.addon, self.quantity = addon, quantity

    lines = recurring_lines(
        agence, quantities={}, period_start=START, period_end=END, addons=[addon, Held(addon, 2)]
    )
    assert [(line.kind, line.amount, line.quantity) for line in lines[1:]] == [
        (LineKind.ADDON, 3_000, 1),
        (LineKind.ADDON, 6_000, 2),
    ]
    assert "× 2" in lines[2].description


def test_usage_lines(agence):
    assert usage_lines(agence, usage={}, period_start=START, period_end=END) == []
    (line,) = usage_lines(agence, usage={"sms-test": 120}, period_start=START, period_end=END)
    assert (line.kind, line.amount, line.quantity, line.metric) == (LineKind.USAGE, 3_000, 120, "sms-test")
    assert line.description.startswith("SMS envoyés : 120")
