"""The invoice core: TVA per line, gapless numbering, finalize once, ledger postings,
prepaid credits, credit notes and void."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.billing.contracts import CreditNoteReason, InvoiceKind, InvoiceStatus, LineKind, LineSpec
from apps.billing.errors import CreditTooLarge, InvalidInvoiceState, InvoiceNotEditable
from apps.billing.services import accounts
from apps.billing.services import invoices as core
from apps.ledger import api as ledger

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


def _draft(customer, key="t1", amounts=(15_000,)):
    lines = [
        LineSpec(kind=LineKind.RECURRING, description=f"Ligne {i}", amount=a) for i, a in enumerate(amounts)
    ]
    return core.draft(customer=customer, kind=InvoiceKind.ONE_OFF, origin_key=key, lines=lines)


def test_tva_is_the_sum_of_the_lines_tva(billing_customer):
    invoice = _draft(billing_customer, amounts=(15_001, 2_499, 7))
    assert [line.tax for line in invoice.lines.all()] == [2_700, 450, 1]  # 18 %, half up
    assert invoice.tax == 3_151
    assert invoice.total == 15_001 + 2_499 + 7 + 3_151


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=-(10**9), max_value=10**9), st.sampled_from([0, 1_800, 1_900, 550]))
def test_tax_of_rounds_half_away_from_zero(amount, rate):
    exact = amount * rate / 10_000
    assert abs(core.tax_of(amount, rate) - exact) <= 0.5
    assert core.tax_of(-amount, rate) == -core.tax_of(amount, rate)


def test_finalize_twice_is_one_number_and_one_posting(billing_customer):
    invoice = _draft(billing_customer)
    first = core.finalize(invoice, today=TODAY)
    again = core.finalize(invoice, today=TODAY)
    assert first.number == again.number == "FA-BJ-2026-000001"
    assert first.status == InvoiceStatus.OPEN
    billing_customer.refresh_from_db()
    assert ledger.balance(account=billing_customer.receivable_account).posted == first.total
    second = core.finalize(_draft(billing_customer, key="t2"), today=TODAY)
    assert second.number == "FA-BJ-2026-000002"


def test_a_finalized_invoice_is_not_edited(billing_customer):
    invoice = core.finalize(_draft(billing_customer), today=TODAY)
    with pytest.raises(InvoiceNotEditable):
        core.add_lines(invoice, [LineSpec(kind=LineKind.OTHER, description="x", amount=1)])


def test_credits_pay_first_and_credit_notes_go_to_credits_when_paid(billing_customer):
    bought = core.draft(
        customer=billing_customer,
        kind=InvoiceKind.CREDITS,
        origin_key="credits-1",
        lines=[LineSpec(kind=LineKind.CREDITS, description="Crédits", amount=50_000, tax_exempt=True)],
    )
    bought = core.finalize(bought, today=TODAY)
    core.mark_paid(bought, amount=50_000, method="manual")
    billing_customer.refresh_from_db()
    assert accounts.credits_balance(billing_customer) == 50_000
    invoice = core.finalize(_draft(billing_customer, key="t3", amounts=(10_000,)), today=TODAY)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.credits_applied == 11_800
    assert accounts.credits_balance(billing_customer) == 50_000 - 11_800
    note = core.credit(
        invoice,
        lines=[LineSpec(kind=LineKind.OTHER, description="Geste", amount=1_000)],
        reason=CreditNoteReason.GOODWILL,
        origin_key="cn-1",
    )
    assert (
        note.total == 1_180
        and note.to_credits == 1_180
        and note.number == f"AV-BJ-{date.today().year}-000001"
    )
    with pytest.raises(CreditTooLarge):
        core.credit(
            invoice,
            lines=[LineSpec(kind=LineKind.OTHER, description="Trop", amount=10_000)],
            reason=CreditNoteReason.CORRECTION,
            origin_key="cn-2",
        )
    assert ledger.balance(account=billing_customer.receivable_account).posted == 0


def test_void_reverses_the_whole_invoice(billing_customer):
    billing_customer.use_credits_first = False
    billing_customer.save()
    invoice = core.finalize(_draft(billing_customer, key="t4", amounts=(12_345, 999)), today=TODAY)
    voided = core.void(invoice)
    billing_customer.refresh_from_db()
    assert voided.status == InvoiceStatus.VOID
    assert ledger.balance(account=billing_customer.receivable_account).posted == 0
    assert sum(n.total for n in voided.credit_notes.all()) == invoice.total


def test_voiding_unpaid_credits_takes_them_out_of_the_wallet_not_out_of_revenue(billing_customer):
    bought = core.finalize(
        core.draft(
            customer=billing_customer,
            kind=InvoiceKind.CREDITS,
            origin_key="credits-void",
            lines=[LineSpec(kind=LineKind.CREDITS, description="Crédits", amount=20_000, tax_exempt=True)],
        ),
        today=TODAY,
    )
    billing_customer.refresh_from_db()
    revenue = accounts.system("billing.revenue", "XOF")
    revenue_before = ledger.balance(account=revenue).posted
    voided = core.void(bought)
    assert voided.status == InvoiceStatus.VOID
    assert accounts.credits_balance(billing_customer) == 0
    assert ledger.balance(account=billing_customer.receivable_account).posted == 0
    assert ledger.balance(account=revenue).posted == revenue_before


def test_paid_credits_are_not_credited(billing_customer):
    bought = core.finalize(
        core.draft(
            customer=billing_customer,
            kind=InvoiceKind.CREDITS,
            origin_key="credits-paid",
            lines=[LineSpec(kind=LineKind.CREDITS, description="Crédits", amount=5_000, tax_exempt=True)],
        ),
        today=TODAY,
    )
    core.mark_paid(bought, amount=5_000, method="manual")
    with pytest.raises(InvalidInvoiceState):
        core.credit(
            bought,
            lines=[LineSpec(kind=LineKind.OTHER, description="x", amount=1_000, tax_exempt=True)],
            reason=CreditNoteReason.CORRECTION,
            origin_key="cn-credits",
        )
