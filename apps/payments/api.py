"""PUBLIC: what other modules call to collect money (Stripe's PaymentIntents as the model).

    from apps.payments import api as payments
    from apps.payments.contracts import PurposeRef

    intent = payments.create_intent(
        organization=agency.public_id,              # the payee
        amount=75_000, currency="XOF",
        purpose=PurposeRef("estate.RentDue", str(due.public_id)),
        description="Loyer mars 2026 — Appartement B2",
        credit_account=owners_payable.public_id,    # optional: default the org's owners' payable
        payer=tenant.public_id,                     # optional; or payer_phone / payer_name
        idempotency_key=f"rent-due:{due.public_id}",
    )
    sms(intent.pay_url)                             # /pay/<token>: the payer pays there

Then react to `apps.payments.events.PaymentSucceeded` in your handlers.py (filter on
`purpose_type`). The money is already on `credit_account` when the event is handled.
Every function returns frozen dataclasses (contracts.py) and raises DomainError subclasses.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.urls import reverse

from apps.core.errors import NotFound
from apps.identity import api as identity

from . import services
from .contracts import (
    CheckoutInfo,
    FeeRule,
    IntentInfo,
    IntentStatus,
    PayoutInfo,
    PayoutStatus,
    PurposeRef,
    RefundInfo,
    SuspenseDecisionInfo,
)
from .errors import (
    CurrencyNotSupported,
    FourEyesRequired,
    IntentNotFound,
    IntentNotPayable,
    InvalidPayment,
    InvalidTransition,
    NotRefundable,
    PaymentAmountAboveLimit,
    ProviderDown,
    ProviderNotAvailable,
    RefundDestinationUnknown,
    RefundExceedsPaid,
    SuspenseAmountMismatch,
    SuspenseCurrencyMismatch,
    SuspenseItemClosed,
    UnsupportedOperation,
)
from .models import PaymentIntent, Payout, Refund

__all__ = [
    "CurrencyNotSupported",
    "FourEyesRequired",
    "IntentNotFound",
    "IntentNotPayable",
    "InvalidPayment",
    "InvalidTransition",
    "NotRefundable",
    "PaymentAmountAboveLimit",
    "ProviderDown",
    "ProviderNotAvailable",
    "RefundDestinationUnknown",
    "RefundExceedsPaid",
    "SuspenseAmountMismatch",
    "SuspenseCurrencyMismatch",
    "SuspenseItemClosed",
    "UnsupportedOperation",
    "agent_cash_balance",
    "cancel_intent",
    "cash_handover",
    "create_intent",
    "get_intent",
    "intents_for",
    "method_label",
    "paid_intents",
    "pay_from_account",
    "payout_state",
    "pay_url",
    "pay_with_wallet",
    "record_cash",
    "refund",
    "start_payment",
    "suspense_apply",
    "suspense_refund",
    "user_payout",
    "register_payout_deduction",
]


def absolute(path: str) -> str:
    return (
        f"{settings.PAYMENT_PUBLIC_BASE_URL.rstrip('/')}{path}" if settings.PAYMENT_PUBLIC_BASE_URL else path
    )


def pay_url(intent: PaymentIntent) -> str:
    return absolute(reverse("payments:pay", args=[intent.pay_token]))


def receipt_url(intent: PaymentIntent) -> str:
    return absolute(reverse("payments:receipt", args=[intent.receipt_code])) if intent.receipt_code else ""


def intent_info(intent: PaymentIntent, *, payer_public_id: UUID | None = None) -> IntentInfo:
    if payer_public_id is None and intent.payer_id:
        payer_public_id = identity.get_user(id=intent.payer_id).public_id
    return IntentInfo(
        public_id=intent.public_id,
        status=IntentStatus(intent.status),
        amount=intent.amount,
        currency=intent.currency,
        fee_amount=intent.fee_amount,
        amount_refunded=intent.amount_refunded,
        organization=intent.organization.public_id,
        payer=payer_public_id,
        payer_phone=intent.payer_phone,
        payer_name=intent.payer_name,
        purpose=PurposeRef(intent.purpose_type, intent.purpose_id),
        description=intent.description,
        credit_account=intent.credit_account,
        metadata=dict(intent.metadata),
        expires_at=intent.expires_at,
        created_at=intent.created_at,
        succeeded_at=intent.succeeded_at,
        provider=intent.provider,
        method=intent.method,
        receipt_number=intent.receipt_number,
        pay_url=pay_url(intent),
        receipt_url=receipt_url(intent),
    )


def _row(intent: UUID) -> PaymentIntent:
    row = PaymentIntent.objects.select_related("organization").filter(public_id=intent).first()
    if row is None:
        raise IntentNotFound()
    return row


def create_intent(
    *,
    organization: UUID,
    amount: int,
    purpose: PurposeRef,
    description: str,
    currency: str | None = None,
    credit_account: UUID | None = None,
    payer: UUID | None = None,
    payer_phone: str = "",
    payer_name: str = "",
    fee_rule: FeeRule | None = None,
    metadata: dict | None = None,
    expires_at: datetime | None = None,
    idempotency_key: str = "",
) -> IntentInfo:
    """A payment to collect for `purpose`, paid to `organization`, credited (amount minus
    Hokwe's fee) to `credit_account` on success. Same idempotency key and same request:
    the first intent is returned; same key, other request: IdempotencyConflict. No
    currency given: the organization's own (its first); one it does not take money in, or
    that no provider route settles: CurrencyNotSupported."""
    org = identity.get_organization(organization)
    currency = currency or _own_currency(org)
    payer_id = identity.get_user(payer).id if payer else None
    intent = services.intent_create(
        organization_id=org.id,
        amount=amount,
        currency=currency,
        purpose_type=purpose.type,
        purpose_id=purpose.id,
        description=description,
        credit_account=credit_account,
        payer_id=payer_id,
        payer_phone=payer_phone,
        payer_name=payer_name,
        fee_rule=fee_rule,
        metadata=metadata,
        expires_at=expires_at,
        idempotency_key=idempotency_key,
    )
    return intent_info(intent, payer_public_id=payer)


def get_intent(intent: UUID) -> IntentInfo:
    return intent_info(_row(intent))


def intents_for(purpose: PurposeRef) -> list[IntentInfo]:
    rows = PaymentIntent.objects.select_related("organization").filter(
        purpose_type=purpose.type, purpose_id=purpose.id
    )
    return [intent_info(row) for row in rows.order_by("created_at")]


def paid_intents(intents) -> list[IntentInfo]:
    """The intents among `intents` (public ids) that were paid, with their receipt number
    and `receipt_url` (/r/<code>), newest payment first: one query whatever their number
    (a module listing its payer's receipts)."""
    from .contracts import PAID_STATUSES

    ids = [UUID(str(i)) for i in intents]
    if not ids:
        return []
    rows = (
        PaymentIntent.objects.select_related("organization", "payer")
        .filter(public_id__in=ids, status__in=[s.value for s in PAID_STATUSES])
        .order_by("-succeeded_at", "-id")
    )
    return [intent_info(row, payer_public_id=row.payer.public_id if row.payer_id else None) for row in rows]


def cancel_intent(intent: UUID) -> IntentInfo:
    """Cancel an unpaid intent (e.g. the due was settled another way)."""
    return intent_info(services.intent_cancel(actor=None, intent_id=_row(intent).pk))


def start_payment(
    *, intent: UUID, method: str = "mobile_money", provider: str | None = None, return_url: str = ""
) -> CheckoutInfo:
    attempt, checkout = services.attempt_start(
        intent=_row(intent), method=method, provider=provider, return_url=return_url
    )
    return CheckoutInfo(
        attempt=attempt.public_id,
        provider=attempt.provider,
        method=attempt.method,
        kind=checkout.kind,
        url=checkout.url,
        widget=dict(checkout.widget),
    )


def record_cash(*, actor, intent: UUID) -> IntentInfo:
    """An agent received cash for this intent (numbered receipt at once)."""
    return intent_info(services.cash_record(actor=actor, intent=_row(intent)))


def pay_with_wallet(*, actor, intent: UUID) -> IntentInfo:
    services.wallet_pay(actor=actor, intent=_row(intent))
    return intent_info(_row(intent))


def refund_info(refund: Refund) -> RefundInfo:
    return RefundInfo(
        public_id=refund.public_id,
        intent=refund.intent.public_id,
        amount=refund.amount,
        currency=refund.currency,
        status=refund.status,
        reason=refund.reason,
        created_at=refund.created_at,
    )


def refund(
    *,
    actor,
    intent: UUID,
    amount: int | None = None,
    reason: str = "",
    step_up_token: str | None = None,
    idempotency_key: str = "",
) -> RefundInfo:
    row = _row(intent)
    if not identity.can(actor, "payments.intent.view", row) and not identity.can(
        actor, "payments.intent.refund", row
    ):
        raise NotFound()
    return refund_info(
        services.intent_refund(
            actor=actor,
            intent=row,
            amount=amount,
            reason=reason,
            step_up_token=step_up_token,
            idempotency_key=idempotency_key,
        )
    )


def payout_info(payout: Payout) -> PayoutInfo:
    return PayoutInfo(
        public_id=payout.public_id,
        organization=payout.organization.public_id,
        amount=payout.amount,
        currency=payout.currency,
        status=PayoutStatus(payout.status),
        destination=payout.destination,
        provider=payout.provider,
        scheduled=payout.scheduled,
        failure_reason=payout.failure_reason,
        created_at=payout.created_at,
        paid_at=payout.paid_at,
    )


def _own_currency(org) -> str:
    """The organization's own currency (the first of its currencies), never a guess."""
    if not org.currencies:
        raise CurrencyNotSupported(field="currency")
    return org.currencies[0]


def agent_cash_balance(*, agent: UUID, currency: str | None = None, organization: UUID | None = None) -> int:
    """Cash an agent (a collector) has received and not yet handed over, per the ledger.
    No currency given: `organization`'s own (the agent collects for it), else the one
    currency the agent holds cash in (0 when none; several: give the currency)."""
    from apps.ledger import api as ledger

    from .services import ledgering

    if not currency and organization is not None:
        currency = _own_currency(identity.get_organization(organization))
    if not currency:
        # neither given: the currency of the cash the agent holds (none: nothing held)
        held = {a.currency for a in ledger.user_accounts(user=agent) if a.code == "cash_on_hand"}
        if not held:
            return 0
        if len(held) > 1:
            raise InvalidPayment(field="currency")
        (currency,) = held
    return ledger.balance(account=ledgering.agent_cash(agent, currency)).posted


def cash_handover(
    *, actor, agent: UUID, organization: UUID, amount: int, currency: str | None = None, idempotency_key: str
) -> UUID:
    """The agent hands `amount` of cash over to the organization (end of day): a ledger
    transfer from the agent's cash on hand to the organization's cash received. `actor`
    (a manager or finance member of the organization) confirms receipt. Returns the
    transfer's public id; the same idempotency key moves the money once."""
    from apps.core.errors import Forbidden
    from apps.ledger import api as ledger
    from apps.ledger.contracts import Leg

    from .services import ledgering

    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidPayment(field="amount")
    org = identity.get_organization(organization)
    if org.id not in identity.organization_ids_of(actor, identity.FINANCE_ROLES | identity.MANAGE_ROLES):
        raise Forbidden()
    currency = currency or _own_currency(org)
    result = ledger.transfer(
        idempotency_key=f"payments:cash-handover:{idempotency_key}",
        code="cash_handover",
        legs=[
            Leg.debit(ledgering.organization_cash(organization, currency), amount, currency),
            Leg.credit(ledgering.agent_cash(agent, currency), amount, currency),
        ],
        reference=f"identity.User:{agent}",
        description="Cash handed over by an agent",
    )
    return result.public_id


def method_label(code: str) -> str:
    """How a payment was made, as a person reads it in the active language (« espèces »,
    « Mobile Money », « carte bancaire »), never the code ("cash", "mobile_money")."""
    from .models import METHOD_LABELS

    return str(METHOD_LABELS.get(code, code))


# --- suspense (finance staff; services/suspense.py) -------------------------------------------


def _suspense_decision_info(decision) -> SuspenseDecisionInfo:
    return SuspenseDecisionInfo(
        public_id=decision.public_id,
        item=decision.item.public_id,
        action=decision.action,
        status=decision.status,
        amount=decision.amount,
        currency=decision.currency,
        intent=decision.intent.public_id if decision.intent_id else None,
        requested_by=decision.requested_by.public_id,
        approved_by=decision.approved_by.public_id if decision.approved_by_id else None,
        created_at=decision.created_at,
    )


def _suspense_item(item: UUID):
    from .models import ReconciliationItem

    row = ReconciliationItem.objects.filter(public_id=item).first()
    if row is None:
        raise NotFound()
    return row


def suspense_apply(
    *, actor, item: UUID, intent: UUID, reason: str = "", idempotency_key: str = ""
) -> SuspenseDecisionInfo:
    """Credit money held in suspense (a reconciliation item's public id) to an open intent
    of the same currency and amount: the intent succeeds (receipt, PaymentSucceeded).
    Finance staff only; above PAYMENT_SUSPENSE_FOUR_EYES_ABOVE the decision comes back
    `awaiting_approval` until another finance staff member approves it."""
    return _suspense_decision_info(
        services.suspense_apply(
            actor=actor,
            item=_suspense_item(item),
            intent=_row(intent),
            reason=reason,
            idempotency_key=idempotency_key,
        )
    )


def suspense_refund(
    *,
    actor,
    item: UUID,
    phone: str = "",
    name: str = "",
    reason: str = "",
    step_up_token: str | None = None,
    idempotency_key: str = "",
) -> SuspenseDecisionInfo:
    """Send money held in suspense back to the payer (the provider's refund, else a payout
    to `phone`); step-up proof for action `payments.suspense.refund`, the item, its amount."""
    return _suspense_decision_info(
        services.suspense_refund(
            actor=actor,
            item=_suspense_item(item),
            phone=phone,
            name=name,
            reason=reason,
            step_up_token=step_up_token,
            idempotency_key=idempotency_key,
        )
    )


# --- the wallet's additions: paying from any ledger account, a user's own payout ---------------


def pay_from_account(*, actor, intent: UUID, account: UUID) -> IntentInfo:
    """Pay an intent from a ledger account the calling module controls (a user's wallet, a
    tontine pot, a HokweSplit vault): `pay_with_wallet` generalised, same failure handling (too
    low a balance records a failed attempt; the intent stays payable another way). The caller
    has checked that `actor` may spend from `account` and kyc's e-money limits."""
    services.intents.account_pay(actor=actor, intent=_row(intent), account=account)
    return intent_info(_row(intent))


def user_payout(
    *,
    actor,
    organization: UUID,
    account: UUID,
    amount: int,
    currency: str,
    phone: str,
    idempotency_key: str,
    description: str = "",
) -> PayoutInfo:
    """Money out of ledger `account` to the actor's own mobile money number (their login phone),
    carried by the payout provider for `organization` (the e-money issuer): a hold now, posted
    on the provider's confirmation, voided on failure (then PayoutCompleted). Idempotent on
    `idempotency_key`. The caller checks kyc's limits and the step-up."""
    org = identity.get_organization(organization)
    payout = services.payouts.user_payout_request(
        actor=actor,
        organization_id=org.id,
        source_account=account,
        amount=amount,
        currency=currency,
        phone=phone,
        idempotency_key=idempotency_key,
        description=description,
    )
    return payout_info(Payout.objects.select_related("organization", "payout_account").get(pk=payout.pk))


def payout_state(payout: UUID) -> PayoutInfo:
    """One payout's state by its public id (NotFound otherwise); no access check."""
    row = Payout.objects.select_related("organization", "payout_account").filter(public_id=payout).first()
    if row is None:
        raise NotFound()
    return payout_info(row)


# --- deductions before an owner's payout (lending's landlord advances) ---


def register_payout_deduction(name: str, deduction) -> None:
    """Register `deduction(*, organization, currency, source_account, available, today) -> int`,
    run before every payout from an organization's owners' payable (manual or scheduled): it
    moves at most `available` out of `source_account` through the ledger, idempotently, and
    returns what it took; the payout is made from what is left (services/payout_deductions.py).
    Registered once at start-up (the caller's handlers.py); the same `name` replaces it."""
    from .services.payout_deductions import register_payout_deduction as register

    register(name, deduction)
