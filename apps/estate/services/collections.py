"""Collecting rent: pay links for dues (payment intents), payments recorded by managers
(cash through payments, bank transfers and history through the ledger), applying a payment
to dues oldest first, tenant credit (never lost), refunds, and the rent receipt.

A payment through payments arrives as PaymentSucceeded (handlers.py) — or synchronously
when a manager records cash — and is applied once per intent (RentPayment.intent is unique).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.core.logging import get_logger
from apps.core.money import format_amount
from apps.core.outbox import publish
from apps.identity import api as identity
from apps.ledger.contracts import Leg
from apps.payments import api as payments
from apps.payments.contracts import IntentStatus, PurposeRef

from .. import domain, metrics
from ..contracts import MOVE_IN_KINDS, OPEN_DUE_STATUSES, DueKind, DueStatus, PaymentMethod
from ..errors import AmountAboveBalance, InvalidInput, NegativeAmount, NothingDue, PartBelowFloor
from ..events import RentDuePaid, RentPaymentApplied
from ..models import (
    CreditMovement,
    DepositSettlement,
    Lease,
    PaymentAllocation,
    Quittance,
    RentDue,
    RentPayment,
)
from . import ledgering
from .common import code, document_number, require
from .dues import period_label, refresh_statuses

logger = get_logger("hokwe.estate")

PURPOSE_DUE = "estate.RentDue"
PURPOSE_LEASE = "estate.Lease"
PURPOSE_DEPOSIT = "estate.Deposit"
PURPOSES = (PURPOSE_DUE, PURPOSE_LEASE, PURPOSE_DEPOSIT)
OFFLINE_METHODS = (PaymentMethod.BANK_TRANSFER, PaymentMethod.IMPORT)


def _lease_locked(lease_id: int) -> Lease:
    return (
        Lease.objects.select_for_update(of=("self",))
        .select_related("organization", "unit__property__owner")
        .get(pk=lease_id)
    )


# --- applying money to dues -----------------------------------------------------------------------


def _allocate(
    lease: Lease,
    amount: int,
    *,
    applied_on: date,
    payment: RentPayment | None,
    first_due_id: int | None = None,
    from_credit: bool = False,
) -> int:
    """Apply `amount` to the lease's open dues, oldest due date first (`first_due_id` first
    when the payer named a due). Returns what is left (the caller keeps it as credit)."""
    dues = list(
        RentDue.objects.select_for_update()
        .filter(lease=lease, status__in=OPEN_DUE_STATUSES)
        .order_by("due_date", "id")
    )
    by_id = {d.pk: d for d in dues}
    lines, remainder = domain.allocate(
        amount,
        [domain.OpenDue(d.pk, d.due_date, d.outstanding) for d in dues],
        first=first_due_id,
    )
    rows, paid_now = [], []
    for due_id, part in lines:
        due = by_id[due_id]
        before = due.paid
        due.paid += part
        rows.append(
            PaymentAllocation(
                due=due,
                payment=payment,
                amount=part,
                commission=domain.commission_of(due.paid, due.commission_bps)
                - domain.commission_of(before, due.commission_bps),
                from_credit=from_credit,
                applied_on=applied_on,
            )
        )
        if due.paid >= due.total:
            due.paid_at = timezone.now()
            paid_now.append(due)
    if rows:
        PaymentAllocation.objects.bulk_create(rows)
        touched = [by_id[due_id] for due_id, _part in lines]
        RentDue.objects.bulk_update(touched, ["paid", "paid_at"])
        refresh_statuses(touched)
        deposit = sum(part for due_id, part in lines if by_id[due_id].kind == DueKind.DEPOSIT)
        if deposit:
            _deposit_moved(lease, deposit, intent=payment.intent if payment is not None else None)
    for due in paid_now:
        quittance_issue(due)
    return remainder


def _deposit_moved(lease: Lease, amount: int, *, intent: UUID | None = None) -> None:
    """Money applied to (amount > 0) or taken back from (< 0) a deposit due: the deposit held
    on the lease follows (the ledger already has it in deposits_held through the due's
    accrual); the paying intent is the one a move-out refund goes back through."""
    lease.deposit_paid = max(lease.deposit_paid + amount, 0)
    fields = {"deposit_paid": lease.deposit_paid}
    if amount > 0 and intent is not None:
        lease.deposit_intent = fields["deposit_intent"] = intent
    Lease.objects.filter(pk=lease.pk).update(**fields)


def _credit(lease: Lease, amount: int, *, payment=None, due=None, reason: str) -> None:
    if amount == 0:
        return
    CreditMovement.objects.create(lease=lease, amount=amount, payment=payment, due=due, reason=reason)
    lease.credit += amount
    Lease.objects.filter(pk=lease.pk).update(credit=lease.credit)


def credit_apply(*, lease_id: int) -> int:
    """Use the tenant's credit on open dues (oldest first). Returns the amount used."""
    lease = _lease_locked(lease_id)
    if lease.credit <= 0:
        return 0
    left = _allocate(lease, lease.credit, applied_on=timezone.localdate(), payment=None, from_credit=True)
    used = lease.credit - left
    _credit(lease, -used, reason="applied to dues")
    return used


def move_excess_to_credit(due: RentDue, *, new_total: int) -> None:
    """A discount brought the due below what was paid: the excess becomes tenant credit."""
    excess = due.paid - new_total
    lease = _lease_locked(due.lease_id)
    PaymentAllocation.objects.create(
        due=due,
        payment=None,
        amount=-excess,
        commission=domain.commission_of(new_total, due.commission_bps)
        - domain.commission_of(due.paid, due.commission_bps),
        from_credit=True,
        applied_on=timezone.localdate(),
    )
    due.paid = new_total
    due.save(update_fields=["paid", "updated_at"])
    if due.kind == DueKind.DEPOSIT:
        _deposit_moved(lease, -excess)
    _credit(lease, excess, due=due, reason="discount after payment")


def _apply_payment(
    *,
    lease: Lease,
    amount: int,
    method: str,
    received_on: date,
    intent: UUID | None = None,
    first_due_id: int | None = None,
    reference: str = "",
    receipt_number: str = "",
    recorded_by=None,
    ledger_transfer: UUID | None = None,
    idempotency_key: str | None = None,
    metadata: dict | None = None,
) -> RentPayment:
    payment = RentPayment.objects.create(
        organization_id=lease.organization_id,
        lease=lease,
        amount=amount,
        currency=lease.currency,
        method=method,
        received_on=received_on,
        intent=intent,
        reference=reference[:100],
        receipt_number=receipt_number[:30],
        recorded_by=recorded_by if getattr(recorded_by, "pk", None) else None,
        ledger_transfer=ledger_transfer,
        idempotency_key=idempotency_key,
    )
    # A back-dated payment may settle past dues first; new money never skips an older debt.
    remainder = _allocate(lease, amount, applied_on=received_on, payment=payment, first_due_id=first_due_id)
    if remainder:
        payment.to_credit = remainder
        payment.save(update_fields=["to_credit"])
        _credit(lease, remainder, payment=payment, reason="overpayment")
    metrics.PAYMENTS_APPLIED.labels(method=method).inc()
    outstanding = sum(
        d.outstanding for d in RentDue.objects.filter(lease=lease, status__in=OPEN_DUE_STATUSES)
    )
    publish(
        RentPaymentApplied(
            payment_id=str(payment.public_id),
            lease_id=str(lease.public_id),
            organization_id=str(lease.organization.public_id),
            amount=amount,
            currency=lease.currency,
            method=str(method),
            received_on=received_on.isoformat(),
            outstanding=outstanding,
            intent_id=str(intent or ""),
            metadata={k: v for k, v in (metadata or {}).items() if isinstance(v, str)},
        )
    )
    return payment


# --- from payments (handlers.py, and the synchronous cash path) ------------------------------------


def _fee_absorbed(lease: Lease, *, fee: int, key: str, credit_to: UUID) -> None:
    """payments credited amount − Hokwe's fee; the tenant paid the amount: the manager bears
    the fee out of its commission, so the receivable drops by the full amount."""
    if fee <= 0:
        return
    accounts = ledgering.Accounts()
    org = lease.organization.public_id
    ledgering.post_legs(
        key=key,
        code="estate_payment_fee",
        legs=[
            Leg.debit(accounts.commission(org, lease.currency), fee, lease.currency),
            Leg.credit(credit_to, fee, lease.currency),
        ],
        reference=f"estate.Lease:{lease.public_id}",
        description="Hokwe fee borne by the manager",
    )


def payment_from_intent(
    *,
    intent_id: str,
    amount: int,
    fee: int,
    currency: str,
    purpose_type: str,
    purpose_id: str,
    method: str,
    metadata: dict | None,
    receipt_number: str = "",
    recorded_by=None,
) -> RentPayment | None:
    """Apply a succeeded payment intent of ours. Idempotent on the intent."""
    if purpose_type not in PURPOSES:
        return None
    try:
        UUID(str(purpose_id))
    except ValueError:  # not one of ours (a payment created by hand with this purpose)
        logger.warning("estate_payment_unknown_purpose", intent=intent_id, purpose_id=str(purpose_id)[:100])
        return None
    metadata = metadata or {}
    with transaction.atomic():
        if purpose_type == PURPOSE_DUE:
            due = RentDue.objects.filter(public_id=purpose_id).only("id", "lease_id").first()
            if due is None:
                logger.error("estate_payment_unknown_due", intent=intent_id)
                return None
            lease_id, first = due.lease_id, due.pk
        else:
            lease_id = Lease.objects.filter(public_id=purpose_id).values_list("id", flat=True).first()
            first = None
            if lease_id is None:
                logger.error("estate_payment_unknown_lease", intent=intent_id)
                return None
        lease = _lease_locked(lease_id)
        if RentPayment.objects.filter(intent=intent_id).exists():
            return None  # applied already (the cash path, or a redelivered event)
        accounts = ledgering.Accounts()
        if purpose_type == PURPOSE_DEPOSIT:
            _fee_absorbed(
                lease,
                fee=fee,
                key=f"estate:fee:{intent_id}",
                credit_to=accounts.deposits_held(lease.organization.public_id, currency),
            )
            lease.deposit_paid += amount
            lease.deposit_intent = UUID(str(intent_id))
            lease.save(update_fields=["deposit_paid", "deposit_intent", "updated_at"])
            return None
        _fee_absorbed(
            lease,
            fee=fee,
            key=f"estate:fee:{intent_id}",
            credit_to=accounts.receivable(lease.organization.public_id, currency),
        )
        received_on = _date(metadata.get("received_on")) or timezone.localdate()
        try:
            with transaction.atomic():
                return _apply_payment(
                    lease=lease,
                    amount=amount,
                    method=method
                    if method in PaymentMethod.__members__.values()
                    else PaymentMethod.MOBILE_MONEY,
                    received_on=received_on,
                    intent=UUID(str(intent_id)),
                    first_due_id=first,
                    reference=str(metadata.get("reference", ""))[:100],
                    receipt_number=receipt_number,
                    recorded_by=recorded_by,
                    metadata=metadata,
                )
        except IntegrityError:
            return None  # the same intent applied concurrently


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def payment_refunded(*, intent_id: str, amount: int, fee_part: int = 0, refund_id: str = "") -> None:
    """A rent payment was refunded (partly): take the money back from the tenant's credit
    first, then from the newest dues it paid (their receipts are voided; a deposit due's
    part lowers the deposit held). The refund a deposit settlement made itself (its
    `refund_reference` is the refund's id) gives the deposit back at the move-out: it
    un-allocates nothing (the settlement already accounted for it)."""
    with transaction.atomic():
        payment = RentPayment.objects.filter(intent=intent_id).first()
        if payment is None:
            return
        if refund_id and DepositSettlement.objects.filter(refund_reference=str(refund_id)).exists():
            RentPayment.objects.filter(pk=payment.pk).update(refunded=F("refunded") + amount)
            return
        lease = _lease_locked(payment.lease_id)
        payment = RentPayment.objects.select_for_update().get(pk=payment.pk)
        amount = min(amount, payment.amount - payment.refunded)
        if amount <= 0:
            return
        payment.refunded += amount
        payment.save(update_fields=["refunded", "updated_at"])
        from_credit = min(amount, lease.credit, payment.to_credit)
        _credit(lease, -from_credit, payment=payment, reason="refund")
        left = amount - from_credit
        allocations = (
            PaymentAllocation.objects.filter(payment=payment, amount__gt=0)
            .select_related("due")
            .order_by("-due__due_date", "-id")
        )
        for allocation in allocations:
            if left <= 0:
                break
            due = RentDue.objects.select_for_update().get(pk=allocation.due_id)
            part = min(left, allocation.amount, due.paid)
            if part <= 0:
                continue
            before = due.paid
            due.paid -= part
            PaymentAllocation.objects.create(
                due=due,
                payment=payment,
                amount=-part,
                commission=domain.commission_of(due.paid, due.commission_bps)
                - domain.commission_of(before, due.commission_bps),
                applied_on=timezone.localdate(),
            )
            due.paid_at = None
            due.save(update_fields=["paid", "paid_at", "updated_at"])
            if due.kind == DueKind.DEPOSIT:
                _deposit_moved(lease, -part)
            if due.status == DueStatus.PAID:  # stored now: refresh_statuses saves changes only
                due.status = DueStatus.PARTIALLY_PAID
                due.save(update_fields=["status"])
            refresh_statuses([due])
            from ..vault import withdraw_quittances_of_due

            withdraw_quittances_of_due(due)
            Quittance.objects.filter(due=due, voided_at__isnull=True).update(
                voided_at=timezone.now(), void_reason="payment refunded"
            )
            left -= part
        if left > 0:  # the refund went beyond what this payment did for the lease: the
            # tenant now owes it again as credit taken back (never silently lost)
            logger.warning("estate_refund_beyond_allocation", intent=intent_id, left=left)


# --- the rent receipt ----------------------------------------------------------------------------


def quittance_issue(due: RentDue) -> Quittance:
    """Freeze the receipt of a fully paid due: names, unit, period and amounts as they are
    now. Later edits of the lease never change it."""
    existing = Quittance.objects.filter(due=due).first()
    if existing is not None:
        if existing.voided_at is not None:  # paid again after a refund: a new receipt
            existing.delete()
        else:
            return existing
    lease = (
        Lease.objects.select_related("organization", "unit__property__owner")
        .prefetch_related("lease_tenants__user")
        .get(pk=due.lease_id)
    )
    allocations = (
        PaymentAllocation.objects.filter(due=due).select_related("payment").order_by("applied_on", "id")
    )
    tenants = [
        lt.user.full_name or str(lt.user.phone)
        for lt in sorted(lease.lease_tenants.all(), key=lambda t: not t.is_primary)
    ]
    prop = lease.unit.property
    snapshot = {
        "organization": lease.organization.name,
        "organization_address": lease.organization.address,
        "owner": prop.owner.name,
        "property": prop.name,
        "address": ", ".join(p for p in (prop.address, prop.neighbourhood, prop.city) if p),
        "unit": lease.unit.label,
        "lease": lease.reference,
        "tenants": tenants,
        "period": due.period.isoformat(),
        "period_label": period_label(due.period),
        "due_reference": due.reference,
        # "rent"/"opening": a quittance de loyer; "deposit"/"fee": a receipt (reçu) of the
        # move-in deposit or agency fee, never called a rent receipt
        "kind": due.kind,
        "rent": due.rent,
        "charges": due.charges,
        "adjustments": due.adjustments,
        "total": due.total,
        "currency": due.currency,
        "payments": [
            {
                "date": a.applied_on.isoformat(),
                "amount": a.amount,
                "method": a.payment.method if a.payment else "credit",
                "receipt": a.payment.receipt_number if a.payment else "",
            }
            for a in allocations
        ],
    }
    quittance = Quittance.objects.create(
        due=due,
        organization_id=due.organization_id,
        number=document_number(organization_id=due.organization_id, kind="quittance"),
        code=code(10),
        issued_at=timezone.now(),
        snapshot=snapshot,
    )
    from ..vault import file_quittance

    file_quittance(quittance, tenant_user_ids=[lt.user_id for lt in lease.lease_tenants.all()])
    metrics.RECEIPTS_ISSUED.inc()
    publish(
        RentDuePaid(
            due_id=str(due.public_id),
            lease_id=str(lease.public_id),
            organization_id=str(lease.organization.public_id),
            amount=due.total,
            currency=due.currency,
            period=due.period.isoformat(),
            receipt_code=quittance.code,
        )
    )
    return quittance


# --- pay links -------------------------------------------------------------------------------------


def _primary_tenant(lease: Lease):
    row = lease.lease_tenants.select_related("user").order_by("-is_primary", "id").first()
    return row.user if row else None


def due_intent(due: RentDue, *, payer=None):
    """A payment intent for what is still owed on the due (reused while the amount owed is
    the same and the intent is still payable)."""
    due = RentDue.objects.select_related("lease__organization", "lease__unit__property").get(pk=due.pk)
    if due.status not in OPEN_DUE_STATUSES or due.outstanding <= 0:
        raise NothingDue()
    lease = due.lease
    payer = payer or _primary_tenant(lease)
    base_key = f"estate:due:{due.public_id}:{due.paid}:{due.total}"
    purpose = PurposeRef(PURPOSE_DUE, str(due.public_id))
    for existing in reversed(payments.intents_for(purpose)):
        if existing.amount == due.outstanding and existing.status in (
            IntentStatus.CREATED,
            IntentStatus.FAILED,
            IntentStatus.PENDING,
        ):
            if existing.expires_at > timezone.now():
                return existing
    key = base_key
    for attempt in range(5):
        info = payments.create_intent(
            organization=lease.organization.public_id,
            amount=due.outstanding,
            currency=due.currency,
            purpose=purpose,
            description=f"Loyer {period_label(due.period)} — {lease.unit.property.name}, {lease.unit.label}"[
                :200
            ],
            credit_account=ledgering.Accounts().receivable(lease.organization.public_id, due.currency),
            payer=payer.public_id if payer is not None else None,
            metadata={"lease": str(lease.public_id), "due": str(due.public_id)},
            idempotency_key=key,
        )
        if (
            info.status in (IntentStatus.CREATED, IntentStatus.FAILED, IntentStatus.PENDING)
            and info.expires_at > timezone.now()
        ):
            return info
        key = f"{base_key}:{attempt + 1}:{code(6)}"
    raise NothingDue()


def lease_debt_intent(*, lease: Lease, amount: int, idempotency_key: str, description: str, metadata: dict):
    """A pay link for part or all of what a lease owes (recovery: the debtor portal, plan
    installments). Applied to the open dues oldest first when paid."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise NegativeAmount(field="amount")
    owed = sum(d.outstanding for d in RentDue.objects.filter(lease=lease, status__in=OPEN_DUE_STATUSES))
    if owed <= 0:
        raise NothingDue()
    if amount > owed:
        raise InvalidInput(_("The amount is more than what is owed."), field="amount")
    tenant = _primary_tenant(lease)
    return payments.create_intent(
        organization=lease.organization.public_id,
        amount=amount,
        currency=lease.currency,
        purpose=PurposeRef(PURPOSE_LEASE, str(lease.public_id)),
        description=(
            description
            or f"Loyers impayés {lease.reference} — {lease.unit.property.name}, {lease.unit.label}"
        )[:200],
        credit_account=ledgering.Accounts().receivable(lease.organization.public_id, lease.currency),
        payer=tenant.public_id if tenant else None,
        metadata={"lease": str(lease.public_id), **metadata},
        idempotency_key=idempotency_key,
    )


# --- the tenant's pay link: the whole balance, a part, or the next month ahead ---------------------

PAY_BALANCE = "balance"
PAY_PART = "part"
PAY_AHEAD = "ahead"
PAY_CHOICES = (PAY_BALANCE, PAY_PART, PAY_AHEAD)
PAYABLE_INTENT_STATUSES = (IntentStatus.CREATED, IntentStatus.FAILED, IntentStatus.PENDING)


def part_payment_floor(lease: Lease) -> int:
    """The smallest part payment the pay link accepts: the agency's `min_part_payment` on
    the lease, else 10 % of the rent (rounded up to a whole unit)."""
    if lease.min_part_payment:
        return lease.min_part_payment
    return max(-(-lease.rent // 10), 1)


@dataclass(frozen=True)
class PayOptions:
    """What the pay link of a due offers (amounts in the lease's currency)."""

    lease: Lease
    due: RentDue
    balance: int  # what every open due of the lease still asks (oldest first)
    floor: int  # the smallest part payment (paying the whole balance is always allowed)
    ahead_period: date | None  # the next month the tenant may pay ahead (None: the lease ends)
    ahead_rent: int  # that month's rent and charges
    ahead_amount: int  # balance + that month, less the credit already held

    @property
    def currency(self) -> str:
        return self.lease.currency


def pay_options(due: RentDue) -> PayOptions:
    lease = Lease.objects.select_related("organization", "unit__property").get(pk=due.lease_id)
    balance = sum(d.outstanding for d in RentDue.objects.filter(lease=lease, status__in=OPEN_DUE_STATUSES))
    ahead_period, ahead_rent = _next_unbilled_period(lease)
    ahead_amount = max(balance + ahead_rent - lease.credit, 0) if ahead_period else 0
    return PayOptions(
        lease=lease,
        due=due,
        balance=balance,
        floor=part_payment_floor(lease),
        ahead_period=ahead_period,
        ahead_rent=ahead_rent,
        ahead_amount=ahead_amount,
    )


def _next_unbilled_period(lease: Lease) -> tuple[date | None, int]:
    """The first month after the last issued due that the lease still covers, and its rent
    and charges from the terms in force then."""
    from .dues import _terms_at, first_billed_period

    if lease.status != "active":
        return None, 0
    last = (
        RentDue.objects.filter(lease=lease)
        .exclude(kind__in=MOVE_IN_KINDS)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    period = (
        domain.add_months(last, 1)
        if last
        else max(first_billed_period(lease), domain.month_start(timezone.localdate()))
    )
    if not domain.covers(lease.start_date, lease.end_date, period):
        return None, 0
    rent, charges = _terms_at([lease.pk], period).get(lease.pk, (lease.rent, lease.charges))
    return period, rent + charges


def pay_link_intent(*, due: RentDue, choice: str, amount: int | None = None):
    """The intent behind the tenant's choice on the pay link. `balance`: everything the
    lease owes; `part`: `amount`, from the floor up to the balance; `ahead`: the balance and
    the next month. Paid, the money goes to the open dues oldest first and the rest is
    tenant credit (the next month's due takes it when issued). Refusals create nothing."""
    options = pay_options(due)
    lease = options.lease
    if choice == PAY_BALANCE:
        if options.balance <= 0:
            raise NothingDue()
        amount = options.balance
    elif choice == PAY_PART:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise NegativeAmount(field="amount")
        if options.balance <= 0:
            raise NothingDue()
        if amount > options.balance:
            raise AmountAboveBalance(
                _("The amount is more than what is owed (%(balance)s).")
                % {"balance": format_amount(options.balance, lease.currency)},
                field="amount",
            )
        if amount < options.floor and amount != options.balance:
            raise PartBelowFloor(
                _("A part payment is at least %(floor)s.")
                % {"floor": format_amount(options.floor, lease.currency)},
                field="amount",
            )
    elif choice == PAY_AHEAD:
        if options.ahead_period is None or options.ahead_amount <= 0:
            raise InvalidInput(_("There is no next month to pay ahead on this lease."), field="choice")
        amount = options.ahead_amount
    else:
        raise InvalidInput(field="choice")
    if choice == PAY_BALANCE and options.balance == due.outstanding and due.status in OPEN_DUE_STATUSES:
        return due_intent(due)  # only this due is owed: its own intent, as before
    label = {
        PAY_BALANCE: f"Loyers {lease.reference}",
        PAY_PART: f"Acompte loyer {lease.reference}",
        PAY_AHEAD: f"Loyer d'avance {period_label(options.ahead_period) if options.ahead_period else ''} "
        f"{lease.reference}",
    }[choice]
    base_key = f"estate:paylink:{lease.public_id}:{choice}:{amount}:{options.balance}:{lease.credit}"
    purpose = PurposeRef(PURPOSE_LEASE, str(lease.public_id))
    for existing in reversed(payments.intents_for(purpose)):
        if (
            existing.amount == amount
            and existing.status in PAYABLE_INTENT_STATUSES
            and existing.expires_at > timezone.now()
            and (existing.metadata or {}).get("pay_key") == base_key
        ):
            return existing
    tenant = _primary_tenant(lease)
    key = base_key
    for attempt in range(5):
        info = payments.create_intent(
            organization=lease.organization.public_id,
            amount=amount,
            currency=lease.currency,
            purpose=purpose,
            description=f"{label} — {lease.unit.property.name}, {lease.unit.label}"[:200],
            credit_account=ledgering.Accounts().receivable(lease.organization.public_id, lease.currency),
            payer=tenant.public_id if tenant else None,
            metadata={
                "lease": str(lease.public_id),
                "due": str(due.public_id),
                "choice": choice,
                "pay_key": base_key,
            },
            idempotency_key=key,
        )
        if info.status in PAYABLE_INTENT_STATUSES and info.expires_at > timezone.now():
            return info
        key = f"{base_key}:{attempt + 1}:{code(6)}"
    raise NothingDue()


def lease_pay_intent(*, lease: Lease, choice: str, amount: int | None = None):
    """The tenant app's « pay this lease »: the pay link's three choices at the lease's level
    (same rules, same intent reuse). The oldest open due carries them; with nothing open, the
    latest due (paying ahead). Paid, the money goes to the open dues oldest first, then credit."""
    due = (
        RentDue.objects.filter(lease=lease, status__in=OPEN_DUE_STATUSES).order_by("due_date", "id").first()
        or RentDue.objects.filter(lease=lease).order_by("-period", "-id").first()
    )
    if due is None:
        raise NothingDue()
    return pay_link_intent(due=due, choice=choice, amount=amount)


def lease_receipts(lease: Lease, *, limit: int = 12) -> list[Quittance]:
    """The lease's rent receipts still valid, newest period first (the pay link lists them)."""
    return list(
        Quittance.objects.filter(due__lease=lease, voided_at__isnull=True)
        .select_related("due")
        .order_by("-due__period", "-issued_at")[:limit]
    )


def due_pay_link(*, actor, due: RentDue):
    """The tenant (or a manager) asks for a pay link for a due."""
    if not (
        identity.can(actor, "estate.tenant.view", due) or identity.can(actor, "estate.portfolio.view", due)
    ):
        raise NotFound()
    payer = actor if identity.can(actor, "estate.tenant.view", due) else None
    return due_intent(due, payer=payer)


def due_by_pay_token(token: str) -> RentDue:
    due = RentDue.objects.filter(pay_token=token).first()
    if due is None:
        raise NotFound()
    return due


# --- payments recorded by a manager ---------------------------------------------------------------


def payment_record(
    *,
    actor,
    lease: Lease,
    amount: int,
    method: str,
    received_on: date | None = None,
    due: RentDue | None = None,
    reference: str = "",
    idempotency_key: str | None = None,
) -> RentPayment:
    """A manager records money received: cash goes through payments (an intent paid in cash
    at once, numbered receipt); a bank transfer to the agency's account is posted on the
    ledger (D offline collections, C receivable). `received_on` may be in the past
    (back-dated payments); the money pays the oldest dues first unless `due` is named."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise NegativeAmount(field="amount")
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise InvalidInput(_("A payment cannot be received in the future."), field="received_on")
    if received_on < lease.start_date.replace(day=1).replace(year=lease.start_date.year - 1):
        raise InvalidInput(_("This date is too long before the lease started."), field="received_on")
    if due is not None and due.lease_id != lease.pk:
        raise NotFound()
    if idempotency_key:
        existing = RentPayment.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.lease_id != lease.pk or existing.amount != amount:
                from apps.core.errors import IdempotencyConflict

                raise IdempotencyConflict(field="Idempotency-Key")
            return existing
    if method == PaymentMethod.CASH:
        require(actor, "estate.payment.record", lease)
        if not identity.can(actor, "payments.merchant.collect", lease):
            raise InvalidInput(_("Only managers and collectors record cash."), field="method")
        return _record_cash(
            actor=actor,
            lease=lease,
            amount=amount,
            received_on=received_on,
            due=due,
            reference=reference,
            idempotency_key=idempotency_key,
        )
    if method in OFFLINE_METHODS:
        require(actor, "estate.finance.manage", lease)
        return _record_offline(
            actor=actor,
            lease=lease,
            amount=amount,
            method=method,
            received_on=received_on,
            due=due,
            reference=reference,
            idempotency_key=idempotency_key,
        )
    raise InvalidInput(
        _("Record cash or a bank transfer here; other methods pay through a pay link."), field="method"
    )


def _record_cash(*, actor, lease, amount, received_on, due, reference, idempotency_key) -> RentPayment:
    with transaction.atomic():
        lease = _lease_locked(lease.pk)
        purpose = (
            PurposeRef(PURPOSE_DUE, str(due.public_id))
            if due
            else PurposeRef(PURPOSE_LEASE, str(lease.public_id))
        )
        tenant = _primary_tenant(lease)
        intent = payments.create_intent(
            organization=lease.organization.public_id,
            amount=amount,
            currency=lease.currency,
            purpose=purpose,
            description=f"Loyer {lease.reference} — {lease.unit.property.name}, {lease.unit.label}"[:200],
            credit_account=ledgering.Accounts().receivable(lease.organization.public_id, lease.currency),
            payer=tenant.public_id if tenant else None,
            metadata={
                "lease": str(lease.public_id),
                "received_on": received_on.isoformat(),
                "reference": reference[:100],
            },
            idempotency_key=f"estate:cash:{idempotency_key or code(16)}",
        )
        paid = payments.record_cash(actor=actor, intent=intent.public_id)
        payment_from_intent(
            intent_id=str(paid.public_id),
            amount=paid.amount,
            fee=paid.fee_amount,
            currency=paid.currency,
            purpose_type=purpose.type,
            purpose_id=purpose.id,
            method=PaymentMethod.CASH,
            metadata=paid.metadata,
            receipt_number=paid.receipt_number,
            recorded_by=actor,
        )
        payment = RentPayment.objects.get(intent=paid.public_id)
        if idempotency_key and payment.idempotency_key is None:
            payment.idempotency_key = idempotency_key
            payment.save(update_fields=["idempotency_key"])
        return payment


def _record_offline(
    *, actor, lease, amount, method, received_on, due, reference, idempotency_key
) -> RentPayment:
    with transaction.atomic():
        lease = _lease_locked(lease.pk)
        accounts = ledgering.Accounts()
        org = lease.organization.public_id
        key = f"estate:offline:{idempotency_key or code(16)}"
        transfer = ledgering.post_legs(
            key=key,
            code="estate_offline_payment",
            legs=[
                Leg.debit(accounts.offline(org, lease.currency), amount, lease.currency),
                Leg.credit(accounts.receivable(org, lease.currency), amount, lease.currency),
            ],
            reference=f"estate.Lease:{lease.public_id}",
            description=f"{method} {reference}".strip(),
        )
        return _apply_payment(
            lease=lease,
            amount=amount,
            method=method,
            received_on=received_on,
            first_due_id=due.pk if due else None,
            reference=reference,
            receipt_number=document_number(organization_id=lease.organization_id, kind="receipt"),
            recorded_by=actor,
            ledger_transfer=transfer,
            idempotency_key=idempotency_key,
        )


def deposit_intent(*, actor, lease: Lease):
    """A pay link for the deposit still to pay (credited to the deposits held). A lease with
    an open deposit due (its move-in invoice) is paid through that due's intent instead."""
    from .leases import open_deposit_due

    require(actor, "estate.payment.record", lease)
    due = open_deposit_due(lease)
    if due is not None:
        return due_intent(due)
    left = lease.deposit_amount - lease.deposit_paid
    if left <= 0:
        raise NothingDue(_("The deposit is fully paid."))
    tenant = _primary_tenant(lease)
    return payments.create_intent(
        organization=lease.organization.public_id,
        amount=left,
        currency=lease.currency,
        purpose=PurposeRef(PURPOSE_DEPOSIT, str(lease.public_id)),
        description=f"Caution {lease.reference} — {lease.unit.label}"[:200],
        credit_account=ledgering.Accounts().deposits_held(lease.organization.public_id, lease.currency),
        payer=tenant.public_id if tenant else None,
        idempotency_key=f"estate:deposit:{lease.public_id}:{lease.deposit_paid}",
    )
