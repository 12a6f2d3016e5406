"""Payment intents: create, attempt, apply what the provider says, refund, cancel, expire,
and the offline methods (cash by an agent, bank transfer by staff, the Hokwe wallet).

Money moves through apps.ledger.api inside the same transaction as the state change, and
events go to the outbox in that transaction. The intent row is locked (SELECT … FOR
UPDATE) while it changes, so a replayed webhook, the browser's callback and a
reconciliation run racing each other apply a success once; the ledger's idempotency keys
and the one-success constraint are the second and third lines of defence.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.core.audit import AuditCategory, audit_record
from apps.core.errors import IdempotencyConflict, NotFound
from apps.core.idempotency import fingerprint_of
from apps.core.money import EXPONENTS, Money
from apps.core.numbering import next_number
from apps.core.outbox import publish
from apps.core.statemachine import StateMachine
from apps.identity import api as identity
from apps.kyc import api as kyc
from apps.ledger import api as ledger
from apps.ledger.contracts import AccountCode, Leg, OwnerType

from .. import config, limits, metrics
from ..contracts import (
    OPEN_STATUSES,
    PAID_STATUSES,
    TRANSITIONS,
    AttemptStatus,
    FeeRule,
    IntentStatus,
    Method,
    PayoutStatus,
)
from ..errors import (
    CurrencyNotSupported,
    IntentNotPayable,
    InvalidPayment,
    InvalidTransition,
    NotRefundable,
    PaymentAmountAboveLimit,
    ProviderDown,
    RefundExceedsPaid,
    UnsupportedOperation,
)
from ..events import PaymentFailed, PaymentRefunded, PaymentRefundFailed, PaymentSucceeded
from ..models import PaymentAttempt, PaymentIntent, ReconciliationItem, Refund
from ..providers import REGISTRY as PROVIDERS
from ..providers.base import (
    Capability,
    Checkout,
    CheckoutRequest,
    NotSupported,
    ProviderRejected,
    ProviderUnavailable,
    TransactionInfo,
    TxStatus,
)
from ..providers.http import open_transaction
from . import ledgering, payouts

logger = logging.getLogger("hokwe.payments")

MAX_AMOUNT = 10**12
PURPOSE_RE = re.compile(r"^[a-z][a-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$")


# --- small helpers ----------------------------------------------------------------------------


def _token(n: int = 16) -> str:
    return secrets.token_urlsafe(n)[: int(n * 4 / 3)]


def _receipt_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


# contracts.TRANSITIONS (the table, stdlib only) checked by core's state machine.
INTENT_STATES = StateMachine(TRANSITIONS, error=InvalidTransition)


def transition(intent: PaymentIntent, to: IntentStatus) -> None:
    """Move the (locked) intent to `to`, or refuse (InvalidTransition, 409)."""
    current = IntentStatus(intent.status)
    if not INTENT_STATES.can(current, to):
        raise INTENT_STATES.error(
            _("A payment that is %(current)s cannot become %(to)s.")
            % {"current": current.value, "to": to.value}
        )
    intent.status = to.value


def _locked(intent_id: int) -> PaymentIntent:
    return PaymentIntent.objects.select_for_update().select_related("organization").get(pk=intent_id)


def fee_for(amount: int, currency: str, rule: FeeRule) -> int:
    if rule.basis_points < 0 or rule.fixed < 0 or rule.basis_points > 10_000:
        raise InvalidPayment(_("The fee rule is not valid."), field="fee_rule")
    fee = Money(amount, currency).percent(rule.basis_points).amount + rule.fixed
    return min(fee, amount)


def default_fee_rule() -> FeeRule:
    return FeeRule(basis_points=settings.PAYMENT_FEE_BASIS_POINTS, fixed=settings.PAYMENT_FEE_FIXED)


def _check_amount(amount, currency) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidPayment(_("Amounts are whole numbers of the currency's smallest unit."), field="amount")
    if amount <= 0 or amount > MAX_AMOUNT:
        raise InvalidPayment(_("The amount must be positive."), field="amount")
    if currency not in EXPONENTS:
        raise InvalidPayment(_("Unknown currency: %(currency)s.") % {"currency": currency}, field="currency")


# The currencies each online provider collects and pays out in. A provider class may declare
# its own (`currencies = frozenset({...})`); these are the documented ones otherwise. The
# sandbox stands in for any provider, so it takes every currency Hokwe handles.
PROVIDER_CURRENCIES: dict[str, frozenset[str]] = {
    "kkiapay": frozenset({"XOF"}),
    "fedapay": frozenset({"XOF", "GNF"}),
    "sandbox": frozenset(EXPONENTS),
}
ONLINE_METHODS = ("mobile_money", "card")


def provider_currencies(name: str) -> frozenset[str]:
    declared = getattr(PROVIDERS.get(name), "currencies", None)
    return frozenset(declared) if declared else PROVIDER_CURRENCIES.get(name, frozenset())


def currency_served(*, currency: str, country: str, organization_id: int | None) -> bool:
    """True when the provider an online method is routed to for this organization and
    country settles `currency` (config.route: the organization's routes, the platform's,
    PAYMENT_ROUTES, then the first online provider). Reads the routing table only."""
    served = config.routes(methods=ONLINE_METHODS, country=country, organization_id=organization_id)
    return any(currency in provider_currencies(provider) for provider in served.values())


def check_currency(organization, currency: str) -> None:
    """Refuse (CurrencyNotSupported, field `currency`) a payment in a currency the
    organization does not take money in, or that no enabled provider route settles.
    `organization` is identity's OrganizationInfo. Called before anything is written:
    a refused currency never opens a ledger account."""
    if currency not in (organization.currencies or ()):
        raise CurrencyNotSupported(
            _("%(organization)s does not take payments in %(currency)s (its currencies: %(currencies)s).")
            % {
                "organization": organization.name,
                "currency": currency,
                "currencies": ", ".join(organization.currencies) or "-",
            },
            field="currency",
            currency=currency,
            currencies=list(organization.currencies),
        )
    if not currency_served(
        currency=currency, country=organization.country or "BJ", organization_id=organization.id
    ):
        raise CurrencyNotSupported(
            _("No payment provider available to %(organization)s settles %(currency)s.")
            % {"organization": organization.name, "currency": currency},
            field="currency",
            currency=currency,
            currencies=list(organization.currencies),
        )


def check_instrument_cap(*, amount: int, currency: str, country: str) -> None:
    """Refuse a payment from an outside instrument (mobile money, card, bank transfer,
    cash) above the country's per-payment cap (PAYMENT_MAX_AMOUNT): Hokwe's anti-fraud /
    AML ceiling. Never kyc's e-money tiers: the payer's operator or bank did its own KYC.
    Reads settings only (safe under a row lock)."""
    maximum = limits.max_amount(settings.PAYMENT_MAX_AMOUNT, country=country, currency=currency)
    if maximum is None or amount <= maximum:
        return
    language = get_language() or "fr"
    raise PaymentAmountAboveLimit(
        _(
            "%(amount)s is above the largest single payment Hokwe accepts (%(maximum)s). "
            "Pay it in several payments, or contact the agency."
        )
        % {
            "amount": Money(amount, currency).format(language),
            "maximum": Money(maximum, currency).format(language),
        },
        field="amount",
        maximum=maximum,
        currency=currency,
    )


RECEIPT_SERIES = "payments.receipt"


def _next_receipt_number(organization_id: int) -> str:
    """`R2026-000123`: gap-free per organization and year (core numbering, inside the
    transaction that records the success)."""
    return next_number(
        series=RECEIPT_SERIES,
        scope=str(organization_id),
        year=timezone.localdate().year,
        template="R{year}-{n:06d}",
    )


# --- create -------------------------------------------------------------------------------------


def intent_create(
    *,
    organization_id: int,
    amount: int,
    currency: str,
    purpose_type: str,
    purpose_id: str = "",
    description: str,
    credit_account: UUID | None = None,
    payer_id: int | None = None,
    payer_phone: str = "",
    payer_name: str = "",
    fee_rule: FeeRule | None = None,
    metadata: dict | None = None,
    expires_at=None,
    idempotency_key: str = "",
    created_by=None,
    credit_account_owned_by_payee: bool = False,
    organization=None,
) -> PaymentIntent:
    """A payment to collect. `credit_account` (a ledger account public id) receives the
    amount minus Hokwe's fee on success; by default the organization's owners' payable.
    `credit_account_owned_by_payee`: refuse an account the payee organization does not own
    (set by the public transports, whose callers are not trusted code). `organization`:
    identity's OrganizationInfo of `organization_id` when the caller has just read it."""
    _check_amount(amount, currency)
    if organization is None or organization.id != organization_id:
        organization = identity.get_organization(id=organization_id)
    if not organization.is_active:
        raise InvalidPayment(_("This organization cannot receive payments."), field="organization")
    check_currency(organization, currency)
    description = (description or "").strip()
    if not description or len(description) > 200:
        raise InvalidPayment(_("Describe what is paid (at most 200 characters)."), field="description")
    if not isinstance(purpose_type, str) or not PURPOSE_RE.match(purpose_type) or len(purpose_type) > 100:
        raise InvalidPayment(_("The purpose type looks like 'module.Entity'."), field="purpose_type")
    if len(str(purpose_id)) > 100:
        raise InvalidPayment(_("The purpose id is too long."), field="purpose_id")
    metadata = dict(metadata or {})
    try:
        encoded = json.dumps(metadata)
    except (TypeError, ValueError):
        raise InvalidPayment(_("Metadata must be JSON values."), field="metadata") from None
    if len(encoded) > 4000:
        raise InvalidPayment(_("Metadata is too large."), field="metadata")
    rule = fee_rule or default_fee_rule()
    fee = fee_for(amount, currency, rule)
    if credit_account is None:
        account = ledgering.owners_payable_account(organization.public_id, currency)
        credit_account = account.public_id
    else:
        try:
            account = ledger.account(account=credit_account)
        except (ledger.AccountNotFound, ValueError):
            raise InvalidPayment(_("This ledger account does not exist."), field="credit_account") from None
    if account.currency != currency:
        raise InvalidPayment(_("The account's currency is not the payment's."), field="credit_account")
    if account.closed:
        raise InvalidPayment(_("This account is closed."), field="credit_account")
    if credit_account_owned_by_payee and account.owner_id != organization.public_id:
        raise InvalidPayment(_("The payee organization does not own this account."), field="credit_account")
    now = timezone.now()
    if expires_at is None:
        expires_at = now + timedelta(hours=settings.PAYMENT_INTENT_TTL_HOURS)
    elif expires_at <= now:
        raise InvalidPayment(_("The expiry must be in the future."), field="expires_at")
    payer_user = identity.get_user(id=payer_id) if payer_id else None
    country = organization.country or "BJ"
    # The method is chosen later: the outside-instrument cap now (every method but the
    # wallet is one); the e-money limits when the wallet is used (wallet_pay). An intent
    # that credits a user's wallet is a top-up: money into e-money, kyc's inflow limits.
    check_instrument_cap(amount=amount, currency=currency, country=country)
    if account.owner_type == OwnerType.USER and account.code == AccountCode.WALLET:
        kyc.check(user=str(account.owner_id), operation="wallet_topup", amount=amount, currency=currency)
    fingerprint = fingerprint_of(
        amount, currency, purpose_type, str(purpose_id), description, str(credit_account), payer_id
    )
    fields = dict(
        organization_id=organization_id,
        amount=amount,
        currency=currency,
        fee_amount=fee,
        fee_basis_points=rule.basis_points,
        fee_fixed=rule.fixed,
        purpose_type=purpose_type,
        purpose_id=str(purpose_id),
        description=description,
        credit_account=credit_account,
        metadata=metadata,
        country=country,
        payer_id=payer_id,
        payer_phone=payer_phone or (payer_user.phone if payer_user and payer_user.phone else ""),
        payer_name=payer_name or (payer_user.full_name if payer_user else ""),
        expires_at=expires_at,
        pay_token=_token(16),
        idempotency_key=idempotency_key,
        request_fingerprint=fingerprint,
        created_by=created_by if getattr(created_by, "pk", None) else None,
    )
    try:  # a known key fails on the unique index: the retry is answered below
        with transaction.atomic():
            intent = PaymentIntent.objects.create(**fields)
    except IntegrityError:
        existing = PaymentIntent.objects.filter(
            organization_id=organization_id, idempotency_key=idempotency_key
        ).first()
        if not idempotency_key or existing is None:
            raise
        if existing.request_fingerprint != fingerprint:
            raise IdempotencyConflict(field="Idempotency-Key") from None
        return existing
    metrics.INTENTS_CREATED.inc()
    return intent


# --- attempts at online providers ---------------------------------------------------------------


def expire_if_due(intent_pk: int) -> None:
    """Record the expiry in its own transaction, so the refusal that follows keeps it."""
    with transaction.atomic():
        intent = _locked(intent_pk)
        if intent.status in OPEN_STATUSES and intent.expires_at <= timezone.now():
            transition(intent, IntentStatus.EXPIRED)
            intent.closed_at = timezone.now()
            intent.save(update_fields=["status", "closed_at", "updated_at"])


def _ensure_payable(intent: PaymentIntent) -> None:
    if intent.status in OPEN_STATUSES and intent.expires_at <= timezone.now():
        raise IntentNotPayable(_("This payment link has expired."))
    if intent.status not in OPEN_STATUSES:
        raise IntentNotPayable()


def _new_attempt(
    intent: PaymentIntent, *, method: str, provider: str, recorded_by=None, starting: bool = False
) -> PaymentAttempt:
    transition(intent, IntentStatus.PENDING)
    intent.save(update_fields=["status", "updated_at"])
    return PaymentAttempt.objects.create(
        intent=intent,
        method=method,
        provider=provider,
        token=_token(16),
        recorded_by=recorded_by,
        provider_call="starting" if starting else "",
        provider_call_at=timezone.now() if starting else None,
    )


def _checkout_request(
    intent: PaymentIntent, attempt: PaymentAttempt, *, return_url: str = "", phone: str = ""
) -> CheckoutRequest:
    return CheckoutRequest(
        attempt_token=attempt.token,
        amount=intent.amount,
        currency=intent.currency,
        description=intent.description,
        payer_phone=phone or intent.payer_phone,
        payer_name=intent.payer_name,
        return_url=return_url,
        method=attempt.method,
    )


def _begin_attempt(
    intent: PaymentIntent, *, method: str, capability: Capability, provider: str | None = None
):
    """Step 1 of a checkout: lock the intent, check it, record a `starting` attempt, commit.
    Returns (attempt, intent, adapter); the caller then calls the provider with no lock."""
    expire_if_due(intent.pk)
    with transaction.atomic():
        intent = _locked(intent.pk)
        _ensure_payable(intent)
        check_instrument_cap(amount=intent.amount, currency=intent.currency, country=intent.country)
        name = provider or config.route(
            method=method, country=intent.country, organization_id=intent.organization_id
        )
        adapter = config.provider_for(name, organization_id=intent.organization_id)
        if capability == Capability.PUSH:
            if not adapter.supports(Capability.PUSH):
                raise UnsupportedOperation(_("This provider cannot push a payment request to a phone."))
        elif not adapter.online or not adapter.supports(Capability.COLLECT) or method not in adapter.methods:
            raise InvalidPayment(_("This provider does not take this payment method."), field="provider")
        attempt = _new_attempt(intent, method=method, provider=name, starting=True)
    return attempt, intent, adapter


def _call_checkout(attempt: PaymentAttempt, call) -> Checkout:
    """Step 2 and 3: call the provider (no transaction open), then apply its answer in a
    new transaction. A refusal fails the attempt; a timeout or an outage leaves it
    `starting` for the sweeper, which asks the provider what became of it."""
    try:
        checkout = call()
    except ProviderUnavailable as exc:
        raise ProviderDown() from exc
    except ProviderRejected as exc:
        start_failed(attempt_id=attempt.pk, code="provider_rejected", message=str(exc))
        raise InvalidPayment(_("The payment provider refused the request.")) from exc
    start_apply(attempt_id=attempt.pk, provider_reference=checkout.provider_reference)
    return checkout


def start_apply(*, attempt_id: int, provider_reference: str = "") -> bool:
    """The provider answered a checkout: bind its transaction id and end `starting`.
    Idempotent: an attempt no longer `starting` (a webhook or the sweeper settled it
    first) is left as it is. Returns whether anything changed."""
    with transaction.atomic():
        intent_id = PaymentAttempt.objects.filter(pk=attempt_id).values_list("intent_id", flat=True).get()
        _locked(intent_id)  # intent first, then attempt: one lock order
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_id)
        if attempt.provider_call != "starting":
            return False
        fields = ["provider_call", "provider_call_at", "updated_at"]
        if provider_reference and not attempt.provider_reference:
            taken = PaymentAttempt.objects.filter(
                provider=attempt.provider, provider_reference=provider_reference
            )
            if not taken.exists():
                attempt.provider_reference = provider_reference[:100]
                fields.append("provider_reference")
        attempt.provider_call = ""
        attempt.provider_call_at = None
        attempt.save(update_fields=fields)
    return True


def start_failed(*, attempt_id: int, code: str, message: str = "") -> bool:
    """The checkout never reached the payer (refused, or the sweeper found nothing at the
    provider): the attempt fails and the intent can be paid again. Idempotent."""
    with transaction.atomic():
        intent_id = PaymentAttempt.objects.filter(pk=attempt_id).values_list("intent_id", flat=True).get()
        intent = _locked(intent_id)
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_id)
        if attempt.provider_call != "starting":
            return False
        attempt.provider_call = ""
        attempt.provider_call_at = None
        if attempt.status != AttemptStatus.PENDING:
            attempt.save(update_fields=["provider_call", "provider_call_at", "updated_at"])
            return False
        _fail(intent, attempt, code=code, message=message)
    return True


def attempt_start(
    *,
    intent: PaymentIntent,
    method: str = Method.MOBILE_MONEY,
    provider: str | None = None,
    return_url: str = "",
) -> tuple[PaymentAttempt, Checkout]:
    """Start paying with an online provider: returns the attempt and what the client opens
    (Kkiapay's widget, FedaPay's page, the sandbox page). The attempt is recorded and
    committed before the provider is called; no lock is held during the call."""
    if method not in (Method.MOBILE_MONEY, Method.CARD):
        raise InvalidPayment(
            _("Use the wallet, cash or bank transfer actions for these methods."), field="method"
        )
    attempt, intent, adapter = _begin_attempt(
        intent, method=method, capability=Capability.COLLECT, provider=provider
    )
    request = _checkout_request(intent, attempt, return_url=return_url)
    checkout = _call_checkout(attempt, lambda: adapter.start_checkout(request))
    attempt.refresh_from_db()
    return attempt, checkout


def attempt_push(
    *, intent: PaymentIntent, phone: str, operator: str = "", actor=None
) -> tuple[PaymentAttempt, Checkout]:
    """Merchant point of sale: ask the payer's phone to approve a mobile money debit.
    `actor`: the agent, who needs `payments.merchant.collect` on the intent (NotFound
    otherwise); None for a system caller."""
    if actor is not None:
        identity.require(actor, "payments.merchant.collect", intent, hide=True)
    phone = (phone or "").strip()
    if not phone:
        raise InvalidPayment(_("The phone that will approve the payment."), field="phone")
    attempt, intent, adapter = _begin_attempt(intent, method=Method.MOBILE_MONEY, capability=Capability.PUSH)
    request = _checkout_request(intent, attempt, phone=phone)
    checkout = _call_checkout(attempt, lambda: adapter.push(request, phone=phone, operator=operator))
    attempt.refresh_from_db()
    return attempt, checkout


# --- applying the provider's word ---------------------------------------------------------------


def to_suspense(
    *,
    provider: str,
    reference: str,
    amount: int,
    currency: str,
    kind: str,
    detail: str,
    intent: PaymentIntent | None = None,
    attempt: PaymentAttempt | None = None,
    refund_due: bool = False,
    report=None,
) -> ReconciliationItem:
    """Money the provider holds for us that we cannot credit: clearing → suspense, flagged."""
    transfer = None
    if amount and amount > 0 and currency in EXPONENTS:
        transfer = ledger.transfer(
            idempotency_key=f"payments:suspense:{provider}:{reference}",
            code="payment_suspense",
            legs=[
                Leg.debit(ledgering.clearing(provider, currency), amount, currency),
                Leg.credit(ledgering.suspense(currency), amount, currency),
            ],
            description=detail[:200],
            reference=f"payments.PaymentAttempt:{attempt.public_id}"
            if attempt
            else f"{provider}:{reference}",
        ).public_id
    item, created = ReconciliationItem.objects.get_or_create(
        provider=provider,
        provider_reference=reference,
        kind=kind,
        defaults=dict(
            intent=intent,
            attempt=attempt,
            amount_provider=amount,
            amount_expected=intent.amount if intent else None,
            currency=currency or "",
            detail=detail[:300],
            suspense_transfer=transfer,
            refund_due=refund_due,
            report=report,
        ),
    )
    if created:
        metrics.RECON_ITEMS.labels(provider=provider, kind=kind).inc()
    return item


def _succeed(intent: PaymentIntent, attempt: PaymentAttempt, *, debit_account: UUID) -> None:
    """The one place an intent becomes paid (intent and attempt locked by the caller)."""
    transition(intent, IntentStatus.SUCCEEDED)
    now = timezone.now()
    result = ledger.transfer(
        idempotency_key=f"payments:intent:{intent.public_id}:success",
        code="payment",
        legs=ledgering.success_legs(
            debit=debit_account,
            credit=intent.credit_account,
            amount=intent.amount,
            fee=intent.fee_amount,
            currency=intent.currency,
        ),
        description=intent.description[:200],
        reference=f"payments.PaymentIntent:{intent.public_id}",
        metadata={"purpose": f"{intent.purpose_type}:{intent.purpose_id}", "attempt": str(attempt.public_id)},
    )
    attempt.status = AttemptStatus.SUCCEEDED
    attempt.debit_account = debit_account
    attempt.completed_at = now
    attempt.save()
    intent.succeeded_at = now
    intent.provider = attempt.provider
    intent.method = attempt.method
    intent.success_transfer = result.public_id
    intent.receipt_number = _next_receipt_number(intent.organization_id)
    intent.receipt_code = _receipt_code()
    intent.save()
    payer_public_id = None
    if intent.payer_id:
        payer_public_id = str(identity.get_user(id=intent.payer_id).public_id)
    publish(
        PaymentSucceeded(
            intent_id=str(intent.public_id),
            organization_id=str(intent.organization.public_id),
            amount=intent.amount,
            currency=intent.currency,
            fee_amount=intent.fee_amount,
            credit_account=str(intent.credit_account),
            purpose_type=intent.purpose_type,
            purpose_id=intent.purpose_id,
            provider=attempt.provider,
            method=attempt.method,
            payer_id=payer_public_id,
            receipt_number=intent.receipt_number,
            succeeded_at=now.isoformat(),
            ledger_transfer=str(result.public_id),
            metadata=intent.metadata,
        )
    )
    metrics.PAYMENTS.labels(provider=attempt.provider, outcome="succeeded").inc()


def _fail(
    intent: PaymentIntent,
    attempt: PaymentAttempt,
    *,
    code: str,
    message: str = "",
    status=AttemptStatus.FAILED,
) -> None:
    attempt.status = status
    attempt.failure_code = code[:60]
    attempt.failure_message = message[:300]
    attempt.completed_at = timezone.now()
    attempt.save()
    others_pending = intent.attempts.filter(status=AttemptStatus.PENDING).exclude(pk=attempt.pk).exists()
    if intent.status == IntentStatus.PENDING and not others_pending:
        transition(intent, IntentStatus.FAILED)
        intent.save(update_fields=["status", "updated_at"])
    publish(
        PaymentFailed(
            intent_id=str(intent.public_id),
            attempt_id=str(attempt.public_id),
            organization_id=str(intent.organization.public_id),
            purpose_type=intent.purpose_type,
            purpose_id=intent.purpose_id,
            provider=attempt.provider,
            reason=code,
            method=str(attempt.method or ""),
        )
    )
    metrics.PAYMENTS.labels(provider=attempt.provider, outcome=code).inc()


def attempt_apply(*, attempt_id: int, info: TransactionInfo) -> str:
    """Apply what the provider's API says about an attempt's transaction. Idempotent: the
    same (or an older) answer applied twice changes nothing the second time. Returns what
    happened: "succeeded", "failed", "suspense", "unchanged"."""
    with transaction.atomic():
        intent_id = PaymentAttempt.objects.filter(pk=attempt_id).values_list("intent_id", flat=True).get()
        intent = _locked(intent_id)  # always intent first, then attempt: one lock order
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_id)
        if info.reference and not attempt.provider_reference:
            if PaymentAttempt.objects.filter(
                provider=attempt.provider, provider_reference=info.reference
            ).exists():
                logger.warning("payments_reference_bound_elsewhere", extra={"reference": info.reference})
                return "unchanged"
            attempt.provider_reference = info.reference
        if attempt.provider_call == "starting":  # the provider has the transaction: started
            attempt.provider_call = ""
            attempt.provider_call_at = None
        attempt.provider_data = dict(info.raw) if info.raw else {}
        if info.amount is not None:
            attempt.amount_reported = info.amount
        if info.currency:
            attempt.currency_reported = info.currency
        if info.fees is not None:
            attempt.provider_fees = info.fees
        attempt.save()

        if info.status == TxStatus.SUCCEEDED:
            if attempt.status == AttemptStatus.SUCCEEDED or attempt.status in (
                AttemptStatus.MISMATCH,
                AttemptStatus.LATE,
            ):
                return "unchanged"
            reference = attempt.provider_reference or attempt.token
            currency = info.currency or intent.currency
            amount = info.amount if info.amount is not None else intent.amount
            if amount != intent.amount or currency != intent.currency:
                attempt.status = AttemptStatus.MISMATCH
                attempt.completed_at = timezone.now()
                attempt.save()
                to_suspense(
                    provider=attempt.provider,
                    reference=reference,
                    amount=amount if currency == intent.currency else 0,
                    currency=currency,
                    kind=ReconciliationItem.Kind.AMOUNT_MISMATCH,
                    detail=f"expected {intent.amount} {intent.currency}, provider says {amount} {currency}",
                    intent=intent,
                    attempt=attempt,
                    refund_due=True,
                )
                if intent.status == IntentStatus.PENDING:
                    _fail(intent, attempt, code="amount_mismatch", status=AttemptStatus.MISMATCH)
                return "suspense"
            late = (
                intent.status in (IntentStatus.EXPIRED, IntentStatus.CANCELED)
                or intent.status in PAID_STATUSES
            )
            if not late and intent.expires_at <= timezone.now():
                transition(intent, IntentStatus.EXPIRED)
                intent.closed_at = timezone.now()
                intent.save(update_fields=["status", "closed_at", "updated_at"])
                late = True
            if late:
                attempt.status = AttemptStatus.LATE
                attempt.completed_at = timezone.now()
                attempt.save()
                to_suspense(
                    provider=attempt.provider,
                    reference=reference,
                    amount=amount,
                    currency=currency,
                    kind=ReconciliationItem.Kind.LATE,
                    detail=f"paid while the intent was {intent.status}",
                    intent=intent,
                    attempt=attempt,
                    refund_due=True,
                )
                return "suspense"
            if intent.status == IntentStatus.FAILED:
                transition(intent, IntentStatus.PENDING)  # a late success of a failed try
            _succeed(intent, attempt, debit_account=ledgering.clearing(attempt.provider, intent.currency))
            return "succeeded"

        if info.status in (TxStatus.FAILED, TxStatus.REVERTED) and attempt.status == AttemptStatus.PENDING:
            _fail(
                intent,
                attempt,
                code="declined" if info.status == TxStatus.FAILED else "reverted",
                message=info.reason,
            )
            return "failed"
        return "unchanged"


def attempt_verify(*, attempt: PaymentAttempt, reference: str = "") -> str:
    """Ask the provider about an attempt and apply the answer (the browser's callback, a
    webhook's confirmation, reconciliation). ProviderUnavailable propagates (retry later)."""
    reference = reference or attempt.provider_reference
    if not reference:
        return "unchanged"
    adapter = config.provider_for(attempt.provider, organization_id=attempt.intent.organization_id)
    info = adapter.verify(reference)
    if info.status == TxStatus.NOT_FOUND:
        return "unchanged"
    if not attempt.provider_reference:
        # Binding a transaction the browser named: it must be ours (the provider echoes our
        # attempt token) or, when the provider echoes nothing, for exactly this amount.
        if info.partner_reference and info.partner_reference != attempt.token:
            return "unchanged"
        if not info.partner_reference and info.amount not in (None, attempt.intent.amount):
            return "unchanged"
    return attempt_apply(attempt_id=attempt.pk, info=info)


def callback_confirm(*, intent: PaymentIntent, provider: str, reference: str) -> str:
    """The browser (or the app) says "paid, transaction X". Never trusted: verified with
    the provider's API, then applied like a webhook."""
    reference = (reference or "").strip()[:100]
    if not reference:
        raise InvalidPayment(_("The transaction reference is missing."), field="transaction_id")
    attempt = (
        PaymentAttempt.objects.select_related("intent")
        .filter(provider=provider, provider_reference=reference)
        .first()
    )
    if attempt is not None and attempt.intent_id != intent.pk:
        raise NotFound()
    if attempt is None:
        attempt = (
            intent.attempts.select_related("intent")
            .filter(provider=provider, provider_reference="")
            .order_by("-created_at")
            .first()
        )
    if attempt is None:
        raise NotFound()
    if open_transaction():
        # The caller holds a transaction (a transport that wraps its work in one): asking the
        # provider now would keep it open for the length of the call. Ask after commit.
        attempt_pk = attempt.pk
        transaction.on_commit(lambda: _enqueue("payments.confirm_payment", attempt_pk, reference))
        return "deferred"
    try:
        return attempt_verify(attempt=attempt, reference=reference)
    except ProviderUnavailable:
        return "unchanged"  # the webhook or reconciliation will settle it


def _enqueue(task: str, *args) -> None:
    from celery import current_app  # the tasks live in tasks.py, above services

    try:
        current_app.tasks[task].delay(*args)
    except Exception:  # broker down: the sweeper or reconciliation settles it later
        logger.warning("payments_enqueue_failed", extra={"task": task}, exc_info=True)


# --- offline methods ---------------------------------------------------------------------------


def cash_record(*, actor, intent: PaymentIntent) -> PaymentIntent:
    """An agent received cash for this intent: it is paid at once (numbered receipt), the
    money sits on the agent's cash account until deposited."""
    identity.require(actor, "payments.merchant.collect", intent, hide=True)
    expire_if_due(intent.pk)
    with transaction.atomic():
        intent = _locked(intent.pk)
        _ensure_payable(intent)
        check_instrument_cap(amount=intent.amount, currency=intent.currency, country=intent.country)
        attempt = _new_attempt(intent, method=Method.CASH, provider="cash", recorded_by=actor)
        _succeed(intent, attempt, debit_account=ledgering.agent_cash(actor.public_id, intent.currency))
    return intent


def bank_transfer_record(*, actor, intent: PaymentIntent, reference: str) -> PaymentIntent:
    """Finance staff saw the transfer on Hokwe's bank account."""
    identity.require(actor, "payments.admin.change")
    expire_if_due(intent.pk)
    with transaction.atomic():
        intent = _locked(intent.pk)
        _ensure_payable(intent)
        check_instrument_cap(amount=intent.amount, currency=intent.currency, country=intent.country)
        attempt = _new_attempt(
            intent, method=Method.BANK_TRANSFER, provider="bank_transfer", recorded_by=actor
        )
        attempt.provider_reference = (reference or "").strip()[:100]
        attempt.save(update_fields=["provider_reference", "updated_at"])
        _succeed(intent, attempt, debit_account=ledgering.clearing("bank_transfer", intent.currency))
    return intent


def wallet_pay(*, actor, intent: PaymentIntent) -> PaymentAttempt:
    """Pay from the actor's Hokwe wallet: a ledger debit, at once. An insufficient balance
    records a failed attempt (the intent stays payable by another method). E-money: kyc's
    limits of the actor's tier apply (single transaction, daily outflow), checked before
    any lock (kyc reads its tables and the wallet usage; no network)."""
    if intent.payer_id not in (None, actor.pk):
        raise NotFound()
    kyc.check(
        user=str(actor.public_id), operation="wallet_payment", amount=intent.amount, currency=intent.currency
    )
    expire_if_due(intent.pk)
    with transaction.atomic():
        intent = _locked(intent.pk)
        _ensure_payable(intent)
        if intent.payer_id is None:
            intent.payer_id = actor.pk
            intent.save(update_fields=["payer", "updated_at"])
        attempt = _new_attempt(intent, method=Method.WALLET, provider="wallet", recorded_by=actor)
        try:
            with transaction.atomic():
                _succeed(intent, attempt, debit_account=ledgering.wallet(actor.public_id, intent.currency))
        except ledger.InsufficientFunds:
            intent.refresh_from_db()
            attempt.refresh_from_db()
            _fail(intent, attempt, code="insufficient_funds", message=_("The wallet balance is too low."))
    return attempt


# --- refunds, cancel, expiry -------------------------------------------------------------------


def intent_refund(
    *,
    actor,
    intent: PaymentIntent,
    amount: int | None,
    reason: str = "",
    step_up_token: str | None,
    idempotency_key: str = "",
) -> Refund:
    """Refund some or all of a paid intent (managers, owners, finance staff; step-up OTP
    bound to the intent and the amount). Never more than what was paid and not refunded
    (refunds under way count).

    At an online provider, in three steps (docs/payments.md, "Calling a provider"): the
    refund is recorded `requested` with a ledger hold on the caller's account and
    committed; the provider is called with no transaction open; its answer is applied in a
    new transaction (hold posted, or voided on a refusal). A provider that does not answer
    leaves the refund `requested`: the sweeper sends it again under the same key. Called
    inside the caller's own transaction, the provider is called after that commits."""
    identity.require(
        actor, "payments.intent.refund", intent, hide=not identity.can(actor, "payments.intent.view", intent)
    )
    if idempotency_key:
        existing = Refund.objects.filter(intent=intent, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0):
        raise InvalidPayment(_("The amount must be positive."), field="amount")
    in_callers_transaction = open_transaction()  # before ours: inside it, one is always open
    with transaction.atomic():
        intent = _locked(intent.pk)
        if idempotency_key:  # a concurrent copy of this request committed while we waited
            existing = Refund.objects.filter(intent=intent, idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        if intent.status not in (IntentStatus.SUCCEEDED, IntentStatus.PARTIALLY_REFUNDED):
            raise NotRefundable()
        under_way = list(
            intent.refunds.filter(status=Refund.Status.REQUESTED).values_list("amount", "fee_amount")
        )
        refunded_before = intent.amount_refunded + sum(a for a, _f in under_way)
        fee_refunded_before = intent.fee_refunded + sum(f for _a, f in under_way)
        remaining = intent.amount - refunded_before
        amount = remaining if amount is None else amount
        if amount <= 0:
            raise RefundExceedsPaid(field="amount")
        if amount > remaining:
            raise RefundExceedsPaid(field="amount")
        attempt = intent.attempts.get(status=AttemptStatus.SUCCEEDED)
        adapter = config.provider_for(attempt.provider, organization_id=intent.organization_id)
        # What the collecting provider cannot give back (a part of a Kkiapay payment, any
        # FedaPay payment) is paid to the payer's mobile money number by a payout, with the
        # same hold, statuses and step-up (docs/payments.md, "Refunds paid by a payout").
        via_payout = adapter.online and not adapter.can_refund(full=amount == intent.amount)
        if via_payout:
            payee_phone, payee_operator = payouts.refund_destination(
                _payer_phone(intent), country=intent.country
            )
            payout_provider = payouts.refund_payout_provider(intent.organization_id).name
        identity.require_step_up(
            actor=actor,
            action="payments.intent.refund",
            target=str(intent.public_id),
            amount=amount,
            currency=intent.currency,
            token=step_up_token,
        )
        caller_part, fee_part = ledgering.refund_split(
            amount=intent.amount,
            fee=intent.fee_amount,
            refund=amount,
            refunded_before=refunded_before,
            fee_refunded_before=fee_refunded_before,
        )
        refund = Refund.objects.create(
            intent=intent,
            amount=amount,
            currency=intent.currency,
            fee_amount=fee_part,
            reason=(reason or "")[:300],
            requested_by=actor,
            idempotency_key=idempotency_key,
            status=Refund.Status.REQUESTED,
            provider_call_at=timezone.now() if adapter.online and not via_payout else None,
            via="payout" if via_payout else "provider",
        )
        legs = ledgering.refund_legs(
            # the money leaves from the payout provider's balance when a payout carries it
            debit_account=ledgering.clearing(payout_provider, intent.currency)
            if via_payout
            else attempt.debit_account,
            credit=intent.credit_account,
            refund=amount,
            caller_part=caller_part,
            fee_part=fee_part,
            currency=intent.currency,
        )
        ledger_fields = dict(
            idempotency_key=f"payments:refund:{refund.public_id}",
            code="payment_refund",
            legs=legs,
            description=(reason or intent.description)[:200],
            reference=f"payments.PaymentIntent:{intent.public_id}",
        )
        audit_record(
            action="payments.intent.refunded",
            category=AuditCategory.MONEY,
            actor=actor,
            organization=intent.organization.public_id,
            target=intent,
            target_label=intent.description,
            after={
                "amount": amount,
                "currency": intent.currency,
                "reason": reason[:200],
                "via": refund.via,
            },
            reason="step-up OTP verified",
        )
        if not adapter.online:
            # Cash, bank transfer, wallet: a ledger posting only, no outside call.
            result = ledger.transfer(**ledger_fields)
            _refund_succeeded(intent, refund, transfer=result.public_id)
            return refund
        # Reserve the money now (InsufficientFunds before anything is asked of the provider).
        refund.hold = ledger.hold(**ledger_fields).public_id
        refund.save(update_fields=["hold", "updated_at"])
        if via_payout:
            # sent by the payout provider after the commit (payments.send_payout); the refund
            # stays `requested` until the payout is paid (succeeded) or fails (failed, hold voided)
            payouts.refund_payout_record(
                refund=refund,
                intent=intent,
                phone=payee_phone,
                operator=payee_operator,
                name=intent.payer_name or "",
                actor=actor,
            )
            return refund
        if in_callers_transaction:
            refund_pk = refund.pk
            transaction.on_commit(lambda: _enqueue("payments.send_refund", refund_pk))
            return refund
    refund = refund_send(refund_pk=refund.pk)
    if refund.status == Refund.Status.FAILED:
        raise UnsupportedOperation(refund.failure_reason or _("The payment provider refused the refund."))
    return refund


def refund_send(*, refund_pk: int) -> Refund:
    """Ask the provider for a `requested` refund (no transaction open) and apply its answer.
    Safe to repeat: the provider refunds once per key (our refund's public id). A provider
    that does not answer leaves the refund `requested` for the sweeper."""
    refund = Refund.objects.select_related("intent").get(pk=refund_pk)
    if refund.status != Refund.Status.REQUESTED:
        return refund
    if refund.via == "payout":  # carried by a payout: send (or follow) it
        payout = refund.payouts.order_by("-id").first()
        if payout is not None:
            if payouts.payout_send(payout_pk=payout.pk) == PayoutStatus.PROCESSING:
                payouts.payout_sync(payout=type(payout).objects.get(pk=payout.pk))
        return Refund.objects.get(pk=refund.pk)
    intent = refund.intent
    attempt = intent.attempts.get(status=AttemptStatus.SUCCEEDED)
    adapter = config.provider_for(attempt.provider, organization_id=intent.organization_id)
    Refund.objects.filter(pk=refund.pk).update(provider_call_at=timezone.now())  # autocommit
    try:
        result = adapter.refund(
            attempt.provider_reference,
            amount=refund.amount,
            full=refund.amount == intent.amount,
            key=str(refund.public_id),
        )
    except ProviderUnavailable:
        logger.warning("payments_refund_unanswered", extra={"refund": str(refund.public_id)})
        return refund
    except NotSupported:
        return refund_apply(
            refund_pk=refund.pk, succeeded=False, reason=_("This provider only refunds the whole payment.")
        )
    except ProviderRejected as exc:
        logger.warning("payments_refund_refused", extra={"refund": str(refund.public_id), "error": str(exc)})
        return refund_apply(
            refund_pk=refund.pk, succeeded=False, reason=_("The payment provider refused the refund.")
        )
    return refund_apply(refund_pk=refund.pk, succeeded=True, provider_reference=result.reference)


def refund_apply(
    *, refund_pk: int, succeeded: bool, provider_reference: str = "", reason: str = ""
) -> Refund:
    """Apply the provider's answer to a `requested` refund, in its own transaction.
    Idempotent: a refund already applied is returned as it is."""
    with transaction.atomic():
        intent_id = Refund.objects.filter(pk=refund_pk).values_list("intent_id", flat=True).get()
        intent = _locked(intent_id)  # intent first, then the refund: one lock order
        refund = Refund.objects.select_for_update().get(pk=refund_pk)
        if refund.status != Refund.Status.REQUESTED:
            return refund
        refund.provider_reference = (provider_reference or "")[:100]
        if not succeeded:
            ledger.void_hold(hold=refund.hold)
            refund.status = Refund.Status.FAILED
            refund.failure_reason = str(reason or _("The payment provider refused the refund."))[:300]
            refund.completed_at = timezone.now()
            refund.save()
            publish_refund_failed(intent, refund)
            metrics.PAYMENTS.labels(provider=intent.provider, outcome="refund_failed").inc()
            return refund
        result = ledger.post_hold(hold=refund.hold)
        _refund_succeeded(intent, refund, transfer=result.public_id)
    return refund


def publish_refund_failed(intent: PaymentIntent, refund: Refund) -> None:
    """PaymentRefundFailed, in the transaction that marked the refund failed."""
    publish(
        PaymentRefundFailed(
            intent_id=str(intent.public_id),
            refund_id=str(refund.public_id),
            organization_id=str(intent.organization.public_id),
            amount=refund.amount,
            currency=refund.currency,
            via=refund.via,
            reason=refund.failure_reason,
            purpose_type=intent.purpose_type,
            purpose_id=intent.purpose_id,
        )
    )


def refund_route(intent: PaymentIntent, amount: int) -> tuple[str, str]:
    """How a refund of `amount` would go back, for a confirmation page (reads only, no lock):
    ("provider", "") — the collecting provider (or the ledger, offline) gives it back — or
    ("payout", "+229…") — paid to the payer's mobile money number by a payout. Raises
    RefundDestinationUnknown when it would need a payout and the number is unknown."""
    attempt = intent.attempts.filter(status=AttemptStatus.SUCCEEDED).first()
    if attempt is None:
        return "provider", ""
    adapter = config.provider_for(attempt.provider, organization_id=intent.organization_id)
    if not adapter.online or adapter.can_refund(full=amount == intent.amount):
        return "provider", ""
    phone, _operator = payouts.refund_destination(_payer_phone(intent), country=intent.country)
    return "payout", phone


def _payer_phone(intent: PaymentIntent) -> str:
    """The payer's mobile money number: the one given with the payment, else their account's."""
    if intent.payer_phone:
        return str(intent.payer_phone)
    if intent.payer_id is not None:
        return identity.get_user(id=intent.payer_id).phone or ""
    return ""


def _refund_succeeded(intent: PaymentIntent, refund: Refund, *, transfer: UUID) -> None:
    """The money went back (intent and refund locked by the caller)."""
    refund.transfer = transfer
    refund.status = Refund.Status.SUCCEEDED
    refund.completed_at = timezone.now()
    refund.save()
    intent.amount_refunded += refund.amount
    intent.fee_refunded += refund.fee_amount
    transition(
        intent,
        IntentStatus.REFUNDED if intent.amount_refunded == intent.amount else IntentStatus.PARTIALLY_REFUNDED,
    )
    intent.save()
    publish(
        PaymentRefunded(
            intent_id=str(intent.public_id),
            refund_id=str(refund.public_id),
            organization_id=str(intent.organization.public_id),
            amount=refund.amount,
            currency=intent.currency,
            amount_refunded=intent.amount_refunded,
            fully_refunded=intent.status == IntentStatus.REFUNDED,
            purpose_type=intent.purpose_type,
            purpose_id=intent.purpose_id,
            ledger_transfer=str(transfer),
        )
    )
    metrics.REFUNDS.inc()


def intent_cancel(
    *, actor, intent: PaymentIntent | None = None, intent_id: int | None = None
) -> PaymentIntent:
    """Cancel an unpaid intent (its pay link stops working). `actor=None`: a system caller."""
    with transaction.atomic():
        intent = _locked(intent.pk if intent is not None else intent_id)
        if actor is not None:
            identity.require(
                actor,
                "payments.intent.cancel",
                intent,
                hide=not identity.can(actor, "payments.intent.view", intent),
            )
        transition(intent, IntentStatus.CANCELED)
        intent.closed_at = timezone.now()
        intent.save(update_fields=["status", "closed_at", "updated_at"])
    return intent


def intents_expire(*, now=None, limit: int = 1000) -> int:
    """Open intents past their expiry become expired. A provider payment still under way
    that completes later is put in suspense and flagged for refund."""
    now = now or timezone.now()
    ids = list(
        PaymentIntent.objects.filter(
            status__in=[s.value for s in OPEN_STATUSES], expires_at__lte=now
        ).values_list("id", flat=True)[:limit]
    )
    count = 0
    for intent_id in ids:
        with transaction.atomic():
            intent = _locked(intent_id)
            if intent.status in OPEN_STATUSES and intent.expires_at <= now:
                transition(intent, IntentStatus.EXPIRED)
                intent.closed_at = now
                intent.save(update_fields=["status", "closed_at", "updated_at"])
                count += 1
    return count


def settlement_record(*, provider: str, currency: str, gross: int, fees: int, reference: str):
    """The provider paid our balance out to Hokwe's bank: clearing → bank (and its fees)."""
    _check_amount(gross, currency)
    if fees < 0 or fees > gross:
        raise InvalidPayment(_("The fees must be between zero and the gross amount."), field="fees")
    legs = [
        Leg.credit(ledgering.clearing(provider, currency), gross, currency),
        Leg.debit(ledgering.bank(currency), gross - fees, currency),
    ]
    if fees:
        legs.append(Leg.debit(ledgering.provider_fees(provider, currency), fees, currency))
    if gross == fees:
        legs = [legs[0], legs[2]]
    return ledger.transfer(
        idempotency_key=f"payments:settlement:{provider}:{reference}",
        code="provider_settlement",
        legs=legs,
        description=f"{provider} settlement {reference}"[:200],
        reference=f"{provider}:{reference}",
    )


def account_pay(*, actor, intent: PaymentIntent, account: UUID) -> PaymentAttempt:
    """Pay from any ledger account the calling module controls (a user's wallet, a tontine pot,
    a HokweSplit vault: `payments.api.pay_from_account`): `wallet_pay` generalised, with the
    same failure handling (an insufficient balance records a failed attempt; the intent stays
    payable by another method). The caller (the wallet module) has checked that the actor may
    spend from `account` and kyc's e-money limits; payments checks the account exists, is open
    and is in the intent's currency."""
    if intent.payer_id not in (None, actor.pk):
        raise NotFound()
    try:
        info = ledger.account(account=account)
    except (ledger.AccountNotFound, ValueError):
        raise InvalidPayment(_("This ledger account does not exist."), field="account") from None
    if info.currency != intent.currency:
        raise InvalidPayment(_("The account's currency is not the payment's."), field="account")
    if info.closed:
        raise InvalidPayment(_("This account is closed."), field="account")
    expire_if_due(intent.pk)
    with transaction.atomic():
        intent = _locked(intent.pk)
        _ensure_payable(intent)
        if intent.payer_id is None:
            intent.payer_id = actor.pk
            intent.save(update_fields=["payer", "updated_at"])
        attempt = _new_attempt(intent, method=Method.WALLET, provider="wallet", recorded_by=actor)
        try:
            with transaction.atomic():
                _succeed(intent, attempt, debit_account=info.public_id)
        except ledger.InsufficientFunds:
            intent.refresh_from_db()
            attempt.refresh_from_db()
            _fail(intent, attempt, code="insufficient_funds", message=_("The account balance is too low."))
    return attempt
