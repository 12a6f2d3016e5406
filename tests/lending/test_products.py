"""Loan products (apps/lending/services/products.py, key_facts.py, admin/product.py): the
validation (ranges, a zero instalment, a TEG above the usury ceiling refused), the admin form
showing the refusals, quotes and the key facts statement, the demo products."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.lending.contracts import Quote
from apps.lending.errors import AmountOutOfRange, TermOutOfRange
from apps.lending.models import LoanProduct
from apps.lending.services import key_facts, products
from apps.lending.services.teg import teg_bps
from tests.identity.test_admin_and_audit import admin_login, staff


def _product(**over) -> LoanProduct:
    values = dict(
        code="avance-loyer-p",
        name="Avance loyer",
        name_en="Rent advance",
        borrower_kind="tenant",
        destination="rent_due",
        country="BJ",
        currency="XOF",
        min_amount=20_000,
        max_amount=300_000,
        min_term=2,
        max_term=6,
        frequency="monthly",
        interest_method="declining",
        amortization="equal_instalments",
        annual_rate_bps=1_800,
        upfront_fee_bps=50,
        late_fee_bps=200,
        late_fee_after_days=5,
        min_score_band="fair",
        review_band="weak",
        disclosures="Le coût total et le TEG sont indiqués avant l'acceptation.",
        disclosures_en="The total cost and the TEG are shown before acceptance.",
    )
    values.update(over)
    return LoanProduct(**values)


def test_a_product_below_the_ceiling_passes():
    assert products.problems(_product()) == {}
    products.validate(_product())


def test_a_rate_above_the_ceiling_is_refused():
    errors = products.problems(_product(annual_rate_bps=2_600))
    assert list(errors) == ["annual_rate_bps"]
    assert "24,00 %" in errors["annual_rate_bps"][0] or "24.00 %" in errors["annual_rate_bps"][0]


def test_fees_count_towards_the_ceiling():
    # 22 % nominal passes alone; a 3 % upfront fee on a two-month loan takes the TEG far above
    assert products.problems(_product(annual_rate_bps=2_200, upfront_fee_bps=0)) == {}
    errors = products.problems(_product(annual_rate_bps=2_200, upfront_fee_bps=300))
    assert "annual_rate_bps" in errors
    # a fixed fee weighs most on the smallest amount
    errors = products.problems(_product(upfront_fee_bps=0, upfront_fee_fixed=1_000, min_amount=5_000))
    assert "annual_rate_bps" in errors and "5" in errors["annual_rate_bps"][0]


def test_flat_interest_is_judged_by_its_teg():
    # 12 % flat is about 21.5 % effective: it passes; 14 % flat is about 25 %: refused
    assert products.problems(_product(interest_method="flat", annual_rate_bps=1_200, upfront_fee_bps=0)) == {}
    assert "annual_rate_bps" in products.problems(
        _product(interest_method="flat", annual_rate_bps=1_400, upfront_fee_bps=0, max_term=12)
    )


def test_a_zero_instalment_is_refused():
    errors = products.problems(_product(min_amount=5, annual_rate_bps=0, upfront_fee_bps=0))
    assert "min_amount" in errors


@pytest.mark.parametrize(
    "over, field",
    [
        (dict(min_amount=0), "min_amount"),
        (dict(max_amount=10_000), "max_amount"),
        (dict(min_term=0), "min_term"),
        (dict(max_term=1), "max_term"),
        (dict(grace_periods=2), "grace_periods"),
        (dict(destination="payout"), "destination"),
        (dict(allocation_order=["fees", "fees", "principal"]), "allocation_order"),
        (dict(min_score_band="brilliant"), "min_score_band"),
        (dict(review_band="good"), "review_band"),
        (dict(country="FR"), "country"),
        (dict(upfront_fee_fixed=-1), "upfront_fee_fixed"),
    ],
)
def test_inconsistent_products_are_refused(over, field):
    assert field in products.problems(_product(**over))


def test_quote_on_the_rent_date():
    quote = products.quote(_product(), amount=100_000, term=3, start=date(2026, 12, 3), rent_day=5)
    assert isinstance(quote, Quote)
    assert [line.due_date for line in quote.schedule.lines] == [
        date(2027, 1, 5),
        date(2027, 2, 5),
        date(2027, 3, 5),
    ]
    assert quote.schedule.upfront_fee == 500
    assert quote.paid_out == 99_500
    assert quote.total_cost == quote.schedule.total_interest + 500
    assert quote.teg_bps == teg_bps(quote.schedule, frequency="monthly", start=date(2026, 12, 3))
    assert quote.ceiling_bps == 2_400 and quote.within_ceiling
    # a product not aligned to the rent date: a month later
    quote = products.quote(
        _product(align_to_rent_date=False), amount=100_000, term=3, start=date(2026, 12, 3), rent_day=5
    )
    assert quote.schedule.lines[0].due_date == date(2027, 1, 3)


def test_quote_refuses_out_of_range():
    with pytest.raises(AmountOutOfRange):
        products.quote(_product(), amount=10_000, term=3, start=date(2026, 12, 3))
    with pytest.raises(TermOutOfRange):
        products.quote(_product(), amount=100_000, term=7, start=date(2026, 12, 3))


def test_key_facts_statement_in_both_languages():
    quote = products.quote(_product(), amount=100_000, term=3, start=date(2026, 12, 3), rent_day=5)
    facts = quote.key_facts
    assert facts["principal"] == 100_000 and facts["paid_out"] == 99_500
    assert facts["total_repaid"] == quote.schedule.total_repaid
    assert facts["teg_bps"] == quote.teg_bps and facts["ceiling_bps"] == 2_400
    assert len(facts["schedule"]) == 3 and facts["schedule"][0]["due_date"] == "2027-01-05"
    assert facts["disclosures"]["en"].startswith("The total cost")
    french, english = facts["notices"]["fr"], facts["notices"]["en"]
    assert any("TEG" in line and "24,00 %" in line for line in french)
    assert any("TEG" in line and "24.00 %" in line for line in english)
    assert any("5 days" in line for line in english)  # the late fee after 5 days
    assert french != english


@pytest.mark.django_db
def test_key_facts_pdf_of_an_offer(user):
    from apps.lending.models import Loan

    product = _product()
    product.save()
    quote = products.quote(product, amount=100_000, term=3, start=date(2026, 12, 3), rent_day=5)
    loan = Loan.objects.create(
        number="PRT-2026-990001",
        product=product,
        borrower=user,
        borrower_kind="tenant",
        status="approved",
        currency="XOF",
        principal=100_000,
        term=3,
        frequency="monthly",
        interest_method="declining",
        amortization="equal_instalments",
        annual_rate_bps=product.annual_rate_bps,
        upfront_fee=quote.schedule.upfront_fee,
        teg_bps=quote.teg_bps,
        first_due_date=quote.schedule.lines[0].due_date,
        destination="rent_due",
        key_facts=quote.key_facts,
    )
    document = key_facts.pdf(loan, language="fr")
    assert document.startswith(b"%PDF")
    assert key_facts.pdf(loan, language="en").startswith(b"%PDF")


@pytest.mark.django_db
def test_admin_form_shows_the_ceiling_refusal_and_saves_a_valid_product():
    person, device = staff("finance")
    client, _ = admin_login(person, device)
    url = reverse("admin:lending_loanproduct_add")
    assert client.get(url).status_code == 200
    form = {
        "code": "pret-admin",
        "name": "Prêt d'urgence",
        "name_en": "Emergency loan",
        "summary": "",
        "summary_en": "",
        "active": "on",
        "borrower_kind": "tenant",
        "destination": "wallet",
        "country": "BJ",
        "currency": "XOF",
        "min_amount": "10000",
        "max_amount": "150000",
        "min_term": "1",
        "max_term": "3",
        "frequency": "monthly",
        "interest_method": "declining",
        "amortization": "equal_instalments",
        "annual_rate_bps": "3000",
        "grace_periods": "0",
        "upfront_fee_bps": "0",
        "upfront_fee_fixed": "0",
        "late_fee_bps": "0",
        "late_fee_fixed": "0",
        "late_fee_after_days": "3",
        "allocation_order": "[]",
        "excess_rule": "to_wallet",
        "min_score_band": "fair",
        "review_band": "weak",
        "min_tenure_months": "0",
        "min_kyc_tier": "1",
        "pledge_bps": "0",
        "disclosures": "Coût total indiqué avant l'acceptation.",
        "disclosures_en": "",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "TEG" in refused.content.decode()
    assert not LoanProduct.objects.filter(code="pret-admin").exists()
    form["annual_rate_bps"] = "1800"
    saved = client.post(url, form)
    assert saved.status_code == 302
    assert LoanProduct.objects.get(code="pret-admin").annual_rate_bps == 1_800
    listing = client.get(reverse("admin:lending_loanproduct_changelist"))
    assert listing.status_code == 200 and "pret-admin" in listing.content.decode()


@pytest.mark.django_db
def test_support_cannot_change_products():
    person, device = staff("support")
    client, _ = admin_login(person, device)
    assert client.get(reverse("admin:lending_loanproduct_add")).status_code == 403


@pytest.mark.django_db
def test_demo_products_are_valid_and_seeded_once():
    from apps.lending import demo

    ctx: dict = {}
    demo._seed_products(ctx)
    demo._seed_products(ctx)
    seeded = LoanProduct.objects.filter(code__in=ctx["lending_products"])
    assert sorted(seeded.values_list("code", flat=True)) == [
        "avance-loyer",
        "avance-sur-loyers",
        "pret-urgence",
    ]
    for product in seeded:
        assert products.problems(product) == {}
    kinds = {p.code: (p.borrower_kind, p.destination) for p in seeded}
    assert kinds == {
        "avance-loyer": ("tenant", "rent_due"),
        "avance-sur-loyers": ("landlord", "payout"),
        "pret-urgence": ("tenant", "wallet"),
    }


@settings(max_examples=50, deadline=None)
@given(
    min_amount=st.sampled_from([1_000, 5_000, 10_000, 50_000]),
    spread=st.sampled_from([1, 2, 10, 30]),
    min_term=st.integers(min_value=1, max_value=4),
    extra_terms=st.integers(min_value=0, max_value=6),
    frequency=st.sampled_from(["weekly", "monthly"]),
    aligned=st.booleans(),
    method=st.sampled_from(["flat", "declining"]),
    shape=st.sampled_from(["equal_instalments", "equal_principal"]),
    rate=st.integers(min_value=800, max_value=2_400),
    fee_bps=st.sampled_from([0, 25, 50, 100]),
    fee_fixed=st.sampled_from([0, 100, 500]),
    data=st.data(),
)
def test_a_valid_product_never_quotes_above_the_ceiling(
    min_amount,
    spread,
    min_term,
    extra_terms,
    frequency,
    aligned,
    method,
    shape,
    rate,
    fee_bps,
    fee_fixed,
    data,
):
    product = _product(
        min_amount=min_amount,
        max_amount=min_amount * spread,
        min_term=min_term,
        max_term=min_term + extra_terms,
        frequency=frequency,
        align_to_rent_date=aligned,
        interest_method=method,
        amortization=shape,
        annual_rate_bps=rate,
        upfront_fee_bps=fee_bps,
        upfront_fee_fixed=fee_fixed,
    )
    if products.problems(product):
        return
    for _ in range(5):
        quote = products.quote(
            product,
            amount=data.draw(st.integers(min_value=product.min_amount, max_value=product.max_amount)),
            term=data.draw(st.integers(min_value=product.min_term, max_value=product.max_term)),
            start=data.draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31))),
            rent_day=data.draw(st.integers(min_value=1, max_value=31)),
        )
        assert quote.within_ceiling, (quote.teg_bps, quote.amount, quote.term)
        assert all(line.total > 0 for line in quote.schedule.lines)
