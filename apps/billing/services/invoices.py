"""The invoice core every part uses (docs/billing.md, "Invoices"): drafts, lines and TVA,
finalization (gapless number per country and year, frozen, posted to the ledger, prepaid
credits applied), payment, credit notes, void and uncollectible.

TVA is computed per line (`tax_of`, half up to the franc) and the invoice's TVA is the sum of
its lines' TVA, so the PDF's per-line and total figures always agree. A finalized invoice is
never edited: a correction is a credit note."""

from __future__ import annotations

import functools
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.bulk import update_rows
from apps.core.numbering import next_number, next_numbers
from apps.core.outbox import publish, publish_many
from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, Leg, OwnerType, TransferRequest

from ..contracts import CreditNoteReason, InvoiceKind, InvoiceStatus, LineKind, LineSpec
from ..errors import BillingError, CreditTooLarge, InvalidInvoiceState, InvoiceNotEditable
from ..events import InvoiceFinalized, InvoicePaid
from ..models import CreditNote, CreditNoteLine, Customer, Invoice, InvoiceLine
from . import accounts

__all__ = [
    "credit",
    "customer_for",
    "draft",
    "draft_many",
    "add_lines",
    "finalize",
    "finalize_many",
    "mark_paid",
    "mark_uncollectible",
    "pay_from_credits",
    "recompute",
    "tax_of",
    "tva_rate",
    "void",
]


def tax_of(amount: int, rate_bps: int) -> int:
    """`rate_bps` of `amount`, rounded half away from zero to the unit (a discount line's
    negative amount gives a negative TVA)."""
    sign = -1 if amount < 0 else 1
    return sign * ((abs(amount) * rate_bps + 5_000) // 10_000)


def tva_rate(country: str) -> int:
    try:
        return int(settings.BILLING_TVA_BPS[country])
    except KeyError:
        raise BillingError(
            _("No TVA rate is set for the country %(country)s.") % {"country": country}
        ) from None


def customer_for(organization_id: int) -> Customer:
    """The organization's billing customer, created from its identity on first use (the
    billing page then completes the IFU, RCCM and address)."""
    customer = Customer.objects.filter(organization_id=organization_id).first()
    if customer:
        return customer
    org = identity.get_organization(id=organization_id)
    customer, _created = Customer.objects.get_or_create(
        organization_id=organization_id,
        defaults={
            "legal_name": org.name,
            "country": org.country,
            "currency": (org.currencies or ("XOF",))[0],
        },
    )
    return customer


# --- drafts --------------------------------------------------------------------------------


@transaction.atomic
def draft(
    *,
    customer: Customer,
    kind: InvoiceKind,
    origin_key: str,
    lines: list[LineSpec] = (),
    subscription=None,
    period_start: date | None = None,
    period_end: date | None = None,
) -> Invoice:
    """A draft invoice, once per `origin_key` ("renewal:<sub>:<period start>",
    "change:<key>", …): the same key returns the invoice made the first time, lines untouched."""
    invoice, created = Invoice.objects.get_or_create(
        origin_key=origin_key,
        defaults={
            "customer": customer,
            "subscription": subscription,
            "kind": kind,
            "currency": customer.currency,
            "country": customer.country,
            "period_start": period_start,
            "period_end": period_end,
        },
    )
    if created and lines:
        add_lines(invoice, list(lines))
    return invoice


def add_lines(invoice: Invoice, lines: list[LineSpec]) -> None:
    if invoice.status != InvoiceStatus.DRAFT:
        raise InvoiceNotEditable()
    rate = tva_rate(invoice.country)
    start = invoice.lines.count()
    rows = []
    for i, spec in enumerate(lines):
        line_rate = 0 if spec.tax_exempt else rate
        rows.append(
            InvoiceLine(
                invoice=invoice,
                position=start + i,
                kind=spec.kind,
                description=spec.description[:300],
                quantity=spec.quantity,
                unit_amount=spec.unit_amount,
                amount=spec.amount,
                tax_rate_bps=line_rate,
                tax=tax_of(spec.amount, line_rate),
                period_start=spec.period_start,
                period_end=spec.period_end,
                metric=spec.metric,
                price=spec.price,
            )
        )
    InvoiceLine.objects.bulk_create(rows)
    recompute(invoice)


def recompute(invoice: Invoice) -> None:
    """The totals from the lines (drafts only: a finalized invoice's totals are frozen)."""
    if invoice.status != InvoiceStatus.DRAFT:
        raise InvoiceNotEditable()
    subtotal = discount = tax = 0
    for amount, kind, line_tax in invoice.lines.values_list("amount", "kind", "tax"):
        if kind == LineKind.DISCOUNT:
            discount -= amount
        else:
            subtotal += amount
        tax += line_tax
    invoice.subtotal, invoice.discount, invoice.tax = subtotal, discount, tax
    invoice.total = subtotal - discount + tax
    invoice.amount_due = max(invoice.total - invoice.credits_applied - invoice.amount_paid, 0)
    invoice.save(update_fields=["subtotal", "discount", "tax", "total", "amount_due", "updated_at"])


# --- finalization --------------------------------------------------------------------------


def _seller(country: str) -> dict:
    seller = settings.BILLING_SELLER.get(country) or settings.BILLING_SELLER.get("BJ", {})
    return dict(seller)


def _buyer(customer: Customer) -> dict:
    return {
        "name": customer.legal_name,
        "tax_id": customer.tax_id,
        "rccm": customer.rccm,
        "address": customer.address,
        "country": customer.country,
        "email": customer.email,
    }


@transaction.atomic
def finalize(invoice: Invoice, *, today: date | None = None) -> Invoice:
    """Number, freeze and post the draft; apply prepaid credits when the customer wants it.
    Finalizing twice is one invoice with one number (the second call returns it as is)."""
    invoice = Invoice.objects.select_for_update().select_related("customer").get(pk=invoice.pk)
    if invoice.status != InvoiceStatus.DRAFT:
        return invoice
    if invoice.total < 0:
        raise BillingError(_("An invoice cannot total less than zero: issue a credit note instead."))
    today = today or timezone.localdate()
    customer = invoice.customer
    invoice.number = next_number(
        series="billing.invoice",
        scope=invoice.country,
        year=today.year,
        template=f"FA-{invoice.country}-" + "{year}-{n:06d}",
    )
    invoice.status = InvoiceStatus.OPEN
    invoice.issued_on = today
    invoice.due_on = today + timedelta(days=settings.BILLING_PAYMENT_TERMS_DAYS)
    invoice.seller = _seller(invoice.country)
    invoice.buyer = _buyer(customer)
    invoice.finalized_at = timezone.now()
    invoice.save()
    _post_invoice(invoice, customer)
    from ..vault import file_invoice

    file_invoice(invoice, organization_id=customer.organization_id)
    publish(
        InvoiceFinalized(
            invoice=str(invoice.public_id),
            number=invoice.number,
            organization=str(identity.get_organization(id=customer.organization_id).public_id),
            total=invoice.total,
            amount_due=invoice.amount_due,
            currency=invoice.currency,
            due_on=invoice.due_on.isoformat(),
        )
    )
    if invoice.total == 0:
        _settle(invoice, method="none")
    elif customer.use_credits_first and invoice.kind != InvoiceKind.CREDITS:
        pay_from_credits(invoice)
    return invoice


def _post_invoice(invoice: Invoice, customer: Customer) -> None:
    """Receivable (total) against revenue (before tax), TVA payable and, for prepaid credits
    bought, the credit wallet."""
    if invoice.total == 0:
        return
    to_credits = sum(invoice.lines.filter(kind=LineKind.CREDITS).values_list("amount", flat=True))
    ledger.transfer(**_posting(invoice, customer, to_credits))


def _posting(invoice: Invoice, customer: Customer, to_credits: int = 0, *, system=accounts.system) -> dict:
    """The finalized invoice's ledger transfer (`ledger.transfer` keywords)."""
    currency = invoice.currency
    revenue = invoice.subtotal - invoice.discount - to_credits
    legs = [Leg.debit(accounts.receivable(customer), invoice.total, currency)]
    if revenue:
        legs.append(Leg.credit(system("billing.revenue", currency), revenue, currency))
    if invoice.tax:
        legs.append(Leg.credit(system("billing.tva_payable", currency), invoice.tax, currency))
    if to_credits:
        legs.append(Leg.credit(accounts.credits(customer), to_credits, currency))
    return {
        "idempotency_key": f"billing.invoice:{invoice.public_id}",
        "code": "billing_invoice",
        "legs": legs,
        "description": f"Invoice {invoice.number}",
        "reference": f"billing.Invoice:{invoice.public_id}",
    }


# --- payment -------------------------------------------------------------------------------


@transaction.atomic
def pay_from_credits(invoice: Invoice) -> int:
    """Pay what the invoice owes from the customer's prepaid credits, as far as they go.
    Returns what was applied."""
    invoice = Invoice.objects.select_for_update().select_related("customer").get(pk=invoice.pk)
    if invoice.status not in (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE) or invoice.amount_due == 0:
        return 0
    customer = invoice.customer
    applied = min(_usable_credits(customer), invoice.amount_due)
    if applied <= 0:
        return 0
    ledger.transfer(
        idempotency_key=f"billing.credits_applied:{invoice.public_id}:{invoice.credits_applied}",
        code="billing_credits_applied",
        legs=[
            Leg.debit(accounts.credits(customer), applied, invoice.currency),
            Leg.credit(accounts.receivable(customer), applied, invoice.currency),
        ],
        description=f"Prepaid credits on {invoice.number}",
        reference=f"billing.Invoice:{invoice.public_id}",
    )
    invoice.credits_applied += applied
    invoice.amount_due -= applied
    invoice.save(update_fields=["credits_applied", "amount_due", "updated_at"])
    if invoice.amount_due == 0:
        _settle(invoice, method="credits")
    return applied


def _usable_credits(customer: Customer) -> int:
    """The credit wallet less the credits bought on invoices not paid yet: a credits invoice
    posts them to the wallet when it is finalized, they pay nothing until it is paid."""
    unpaid = sum(
        Invoice.objects.filter(
            customer=customer,
            kind=InvoiceKind.CREDITS,
            status__in=(InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE),
        ).values_list("amount_due", flat=True)
    )
    return max(accounts.credits_balance(customer) - unpaid, 0)


@transaction.atomic
def mark_paid(
    invoice: Invoice, *, amount: int, method: str, intent=None, paid_on: date | None = None
) -> Invoice:
    """A payment of `amount` reached the customer's receivable (a payment intent credits it
    directly; staff record a bank transfer with method "manual", which this posts). The same
    intent applied twice counts once."""
    invoice = Invoice.objects.select_for_update().select_related("customer").get(pk=invoice.pk)
    if intent is not None and invoice.payment_intent == intent and invoice.status == InvoiceStatus.PAID:
        return invoice
    if invoice.status not in (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE):
        raise InvalidInvoiceState()
    if amount <= 0 or amount > invoice.amount_due:
        raise BillingError(_("The payment must be between 1 and what the invoice still owes."))
    customer = invoice.customer
    if method == "manual":
        ledger.transfer(
            idempotency_key=f"billing.manual_payment:{invoice.public_id}:{invoice.amount_paid}",
            code="billing_manual_payment",
            legs=_manual_legs(customer, amount, invoice.currency),
            description=f"Payment of {invoice.number}",
            reference=f"billing.Invoice:{invoice.public_id}",
        )
    if invoice.status == InvoiceStatus.UNCOLLECTIBLE:
        # recovered after the write-off: the receivable was cleared against bad debt, so the
        # payment that credited it is matched back to the bad-debt expense
        ledger.transfer(
            idempotency_key=f"billing.recovered:{invoice.public_id}:{invoice.amount_paid}",
            code="billing_bad_debt_recovered",
            legs=[
                Leg.debit(accounts.receivable(customer), amount, invoice.currency),
                Leg.credit(accounts.system("billing.bad_debt", invoice.currency), amount, invoice.currency),
            ],
            reference=f"billing.Invoice:{invoice.public_id}",
        )
    invoice.amount_paid += amount
    invoice.amount_due -= amount
    if intent is not None:
        invoice.payment_intent = intent
    invoice.save(update_fields=["amount_paid", "amount_due", "payment_intent", "updated_at"])
    if invoice.amount_due == 0:
        _settle(invoice, method=method, paid_on=paid_on)
    return invoice


def _manual_legs(customer, amount: int, currency: str) -> list[Leg]:
    """A payment staff record (bank transfer, cash at the office) lands in Hokwe's bank
    clearing account of the currency."""
    clearing = ledger.create_account(
        code="billing.bank_clearing",
        name="Billing payments received by bank transfer",
        currency=currency,
        kind=AccountKind.ASSET,
        owner_type=OwnerType.SYSTEM,
    ).public_id
    return [
        Leg.debit(clearing, amount, currency),
        Leg.credit(accounts.receivable(customer), amount, currency),
    ]


def _settle(invoice: Invoice, *, method: str, paid_on: date | None = None) -> None:
    invoice.status = InvoiceStatus.PAID
    invoice.paid_at = timezone.now()
    invoice.paid_with = method[:14]
    invoice.save(update_fields=["status", "paid_at", "paid_with", "updated_at"])
    publish(
        InvoicePaid(
            invoice=str(invoice.public_id),
            number=invoice.number,
            organization=str(identity.get_organization(id=invoice.customer.organization_id).public_id),
            total=invoice.total,
            currency=invoice.currency,
            paid_on=(paid_on or timezone.localdate()).isoformat(),
            method=method,
        )
    )


# --- credit notes, void, uncollectible -----------------------------------------------------


@transaction.atomic
def credit(
    invoice: Invoice,
    *,
    lines: list[LineSpec],
    reason: CreditNoteReason,
    origin_key: str,
    note: str = "",
    today: date | None = None,
) -> CreditNote:
    """A credit note on a finalized invoice: `lines` carry the amounts credited before tax
    (positive), taxed at the invoice's rate. What it credits first reduces what the invoice
    still owes, the rest goes to the customer's prepaid credits. Once per `origin_key`."""
    existing = CreditNote.objects.filter(origin_key=origin_key).first()
    if existing:
        return existing
    invoice = Invoice.objects.select_for_update().select_related("customer").get(pk=invoice.pk)
    if invoice.status == InvoiceStatus.DRAFT:
        raise InvalidInvoiceState(_("A draft invoice is edited, not credited."))
    if invoice.kind == InvoiceKind.CREDITS and invoice.status != InvoiceStatus.OPEN:
        raise InvalidInvoiceState(_("Prepaid credits already paid for are refunded, not credited."))
    if invoice.status == InvoiceStatus.VOID:
        raise InvalidInvoiceState()
    rate = tva_rate(invoice.country)
    if any(spec.amount <= 0 for spec in lines) or not lines:
        raise BillingError(_("Each credited line needs an amount above zero."))
    taxed = [(spec, tax_of(spec.amount, 0 if spec.tax_exempt else rate)) for spec in lines]
    subtotal = sum(spec.amount for spec, _t in taxed)
    tax = sum(t for _s, t in taxed)
    total = subtotal + tax
    already = sum(invoice.credit_notes.values_list("total", flat=True))
    if total > invoice.total - already:
        raise CreditTooLarge()
    today = today or timezone.localdate()
    to_invoice = min(total, invoice.amount_due) if invoice.status != InvoiceStatus.PAID else 0
    to_credits = total - to_invoice
    customer = invoice.customer
    note_row = CreditNote.objects.create(
        invoice=invoice,
        customer=customer,
        origin_key=origin_key,
        number=next_number(
            series="billing.credit_note",
            scope=invoice.country,
            year=today.year,
            template=f"AV-{invoice.country}-" + "{year}-{n:06d}",
        ),
        reason=reason,
        currency=invoice.currency,
        country=invoice.country,
        subtotal=subtotal,
        tax=tax,
        total=total,
        to_credits=to_credits,
        to_invoice=to_invoice,
        issued_on=today,
        note=note[:300],
    )
    CreditNoteLine.objects.bulk_create(
        CreditNoteLine(
            credit_note=note_row,
            position=i,
            description=spec.description[:300],
            amount=spec.amount,
            tax_rate_bps=0 if spec.tax_exempt else rate,
            tax=t,
        )
        for i, (spec, t) in enumerate(taxed)
    )
    currency = invoice.currency
    # a credits invoice put its amount in the credit wallet, not in revenue: crediting it
    # (voiding unpaid credits) takes them back out of the wallet
    reversed_from = (
        accounts.credits(customer)
        if invoice.kind == InvoiceKind.CREDITS
        else accounts.system("billing.revenue", currency)
    )
    legs = [Leg.debit(reversed_from, subtotal, currency)]
    if tax:
        legs.append(Leg.debit(accounts.system("billing.tva_payable", currency), tax, currency))
    if to_invoice:
        legs.append(Leg.credit(accounts.receivable(customer), to_invoice, currency))
    if to_credits:
        legs.append(Leg.credit(accounts.credits(customer), to_credits, currency))
    ledger.transfer(
        idempotency_key=f"billing.credit_note:{note_row.public_id}",
        code="billing_credit_note",
        legs=legs,
        description=f"Credit note {note_row.number} on {invoice.number}",
        reference=f"billing.Invoice:{invoice.public_id}",
    )
    if to_invoice:
        invoice.amount_due -= to_invoice
        invoice.save(update_fields=["amount_due", "updated_at"])
        if invoice.amount_due == 0 and reason != CreditNoteReason.VOID:
            _settle(invoice, method="credit_note")
    return note_row


@transaction.atomic
def void(invoice: Invoice, *, note: str = "") -> Invoice:
    """Cancel a finalized invoice nothing was paid on by payment: a credit note of its whole
    remaining total reverses it (prepaid credits applied to it go back to the wallet)."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status == InvoiceStatus.VOID:
        return invoice
    if invoice.status != InvoiceStatus.OPEN or invoice.amount_paid:
        raise InvalidInvoiceState(_("Only an unpaid finalized invoice can be voided; credit a paid one."))
    remaining = invoice.total - sum(invoice.credit_notes.values_list("total", flat=True))
    if remaining > 0:
        rate = tva_rate(invoice.country)
        before_tax = remaining * 10_000 // (10_000 + rate) if invoice.tax else remaining
        # the credit note's own rounding must land on `remaining` exactly: put the difference
        # on a tax-exempt line
        base = [
            LineSpec(
                kind=LineKind.OTHER,
                description=_("Cancellation of invoice %(n)s") % {"n": invoice.number},
                amount=before_tax,
                tax_exempt=not invoice.tax,
            )
        ]
        gap = remaining - before_tax - (tax_of(before_tax, rate) if invoice.tax else 0)
        if gap:
            base.append(LineSpec(kind=LineKind.OTHER, description=_("Rounding"), amount=gap, tax_exempt=True))
        credit(
            invoice,
            lines=base,
            reason=CreditNoteReason.VOID,
            origin_key=f"void:{invoice.public_id}",
            note=note,
        )
    invoice.refresh_from_db()
    invoice.status = InvoiceStatus.VOID
    invoice.voided_at = timezone.now()
    invoice.save(update_fields=["status", "voided_at", "updated_at"])
    return invoice


@transaction.atomic
def mark_uncollectible(invoice: Invoice) -> Invoice:
    """Give up on what the invoice still owes (it stays payable): the receivable is cleared
    against the bad-debt expense."""
    invoice = Invoice.objects.select_for_update().select_related("customer").get(pk=invoice.pk)
    if invoice.status == InvoiceStatus.UNCOLLECTIBLE:
        return invoice
    if invoice.status != InvoiceStatus.OPEN:
        raise InvalidInvoiceState()
    ledger.transfer(
        idempotency_key=f"billing.uncollectible:{invoice.public_id}",
        code="billing_bad_debt",
        legs=[
            Leg.debit(
                accounts.system("billing.bad_debt", invoice.currency), invoice.amount_due, invoice.currency
            ),
            Leg.credit(accounts.receivable(invoice.customer), invoice.amount_due, invoice.currency),
        ],
        reference=f"billing.Invoice:{invoice.public_id}",
    )
    invoice.status = InvoiceStatus.UNCOLLECTIBLE
    invoice.save(update_fields=["status", "updated_at"])
    return invoice


# --- batches (the billing run) -------------------------------------------------------------


def draft_many(specs: list[dict]) -> list[Invoice]:
    """`draft()` for many invoices at once (the billing run's chunk): each spec holds
    draft()'s keywords. The lines and totals are the same as draft() + add_lines() would
    write, in two INSERTs. An origin key already used returns the invoice made the first
    time, lines untouched. Call it inside the caller's transaction."""
    keys = [spec["origin_key"] for spec in specs]
    existing = {inv.origin_key: inv for inv in Invoice.objects.filter(origin_key__in=keys)}
    fresh, rows = [], []
    for spec in specs:
        if spec["origin_key"] in existing:
            continue
        customer = spec["customer"]
        rate = tva_rate(customer.country)
        lines = []
        for i, line in enumerate(spec.get("lines") or ()):
            line_rate = 0 if line.tax_exempt else rate
            lines.append(
                InvoiceLine(
                    position=i,
                    kind=line.kind,
                    description=line.description[:300],
                    quantity=line.quantity,
                    unit_amount=line.unit_amount,
                    amount=line.amount,
                    tax_rate_bps=line_rate,
                    tax=tax_of(line.amount, line_rate),
                    period_start=line.period_start,
                    period_end=line.period_end,
                    metric=line.metric,
                    price=line.price,
                )
            )
        subtotal = sum(row.amount for row in lines if row.kind != LineKind.DISCOUNT)
        discount = -sum(row.amount for row in lines if row.kind == LineKind.DISCOUNT)
        tax = sum(row.tax for row in lines)
        total = subtotal - discount + tax
        fresh.append(
            Invoice(
                customer=customer,
                subscription=spec.get("subscription"),
                kind=spec["kind"],
                origin_key=spec["origin_key"],
                currency=customer.currency,
                country=customer.country,
                period_start=spec.get("period_start"),
                period_end=spec.get("period_end"),
                subtotal=subtotal,
                discount=discount,
                tax=tax,
                total=total,
                amount_due=max(total, 0),
            )
        )
        rows.append(lines)
    Invoice.objects.bulk_create(fresh, batch_size=1000)
    for invoice, lines in zip(fresh, rows, strict=True):
        for line in lines:
            line.invoice = invoice
    InvoiceLine.objects.bulk_create([line for lines in rows for line in lines], batch_size=5000)
    made = {inv.origin_key: inv for inv in fresh}
    return [existing.get(key) or made[key] for key in keys]


@transaction.atomic
def finalize_many(invoices: list[Invoice], *, today: date | None = None) -> list[Invoice]:
    """`finalize()` for many drafts at once (the billing run's chunk): the same numbers,
    frozen parties, postings and events, with one UPDATE, one set-based ledger batch
    (`ledger.transfer_many`) and one outbox batch. An invoice that totals zero or less, buys
    credits, or whose customer pays from a prepaid-credit wallet goes through finalize() one
    by one. Returns the invoices, finalized (those already finalized as they are)."""
    today = today or timezone.localdate()
    ids = [inv.pk for inv in invoices]
    rows = list(
        Invoice.objects.select_for_update(of=("self",))
        .select_related("customer")
        .filter(pk__in=ids, status=InvoiceStatus.DRAFT)
        .order_by("pk")
    )
    batch, single = [], []
    for invoice in rows:
        customer = invoice.customer
        plain = (
            invoice.total > 0
            and invoice.kind != InvoiceKind.CREDITS
            and not (customer.use_credits_first and customer.credits_account)
        )
        (batch if plain else single).append(invoice)
    now = timezone.now()
    due_on = today + timedelta(days=settings.BILLING_PAYMENT_TERMS_DAYS)
    by_country: dict[str, list[Invoice]] = {}
    for invoice in batch:
        by_country.setdefault(invoice.country, []).append(invoice)
    for country, group in by_country.items():  # one block of consecutive numbers per country
        numbers = next_numbers(
            series="billing.invoice",
            scope=country,
            year=today.year,
            count=len(group),
            template=f"FA-{country}-" + "{year}-{n:06d}",
        )
        for invoice, number in zip(group, numbers, strict=True):
            invoice.number = number
    for invoice in batch:
        invoice.status = InvoiceStatus.OPEN
        invoice.issued_on, invoice.due_on = today, due_on
        invoice.seller, invoice.buyer = _seller(invoice.country), _buyer(invoice.customer)
        invoice.finalized_at = invoice.updated_at = now
    update_rows(
        Invoice,
        batch,
        ["number", "status", "issued_on", "due_on", "seller", "buyer", "finalized_at", "updated_at"],
    )
    if batch:
        system = functools.cache(accounts.system)  # the chart's accounts, once per chunk
        ledger.transfer_many(
            TransferRequest(**{**posting, "legs": tuple(posting["legs"])})
            for posting in (_posting(invoice, invoice.customer, system=system) for invoice in batch)
        )
        organizations = identity.organization_public_ids({inv.customer.organization_id for inv in batch})
        publish_many(
            [
                InvoiceFinalized(
                    invoice=str(invoice.public_id),
                    number=invoice.number,
                    organization=str(organizations[invoice.customer.organization_id]),
                    total=invoice.total,
                    amount_due=invoice.amount_due,
                    currency=invoice.currency,
                    due_on=invoice.due_on.isoformat(),
                )
                for invoice in batch
            ]
        )
    done = {invoice.pk: invoice for invoice in batch}
    for invoice in single:
        done[invoice.pk] = finalize(invoice, today=today)
    return [done.get(inv.pk) or Invoice.objects.get(pk=inv.pk) for inv in invoices]
