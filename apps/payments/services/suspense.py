"""Money in suspense: apply it to an intent, or send it back to the payer (finance staff).

Money lands in the ledger's `suspense` account when nobody can be credited with it (a late
or duplicate payment, an amount that differs, a transaction no intent knows): a
`ReconciliationItem` with a `suspense_transfer`. Finance staff decide what becomes of it:

- **apply** (`suspense_apply`): the intent succeeds through the normal success path
  (`intents._succeed`: receipt, `PaymentSucceeded`, the caller's handler applies it, e.g.
  estate to its due), debited from `suspense` instead of a provider's clearing. Only to an
  open intent of the same currency and exactly the same amount.
- **refund** (`suspense_refund`): back to the payer, through the provider's refund when
  the original transaction is known there and the provider refunds by API, else as a
  payout to the payer's mobile money number at the payout provider (its ledger hold
  taken, `awaiting_payout`, sent under the decision's id, polled by
  `suspense_payouts_poll` until paid or failed). Money out: a step-up proof is required.

Above PAYMENT_SUSPENSE_FOUR_EYES_ABOVE a request waits for a second finance staff
member's approval (`suspense_approve`), never the requester's own. One live decision per
item (a partial unique index), every decision audited (category money), every ledger
movement under an idempotency key `payments:suspense:<decision>:…`.

Lock order: the intent, then the item, then the decision (as intents lock the intent
before its attempts and refunds).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditCategory, audit_record
from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg

from .. import config
from ..contracts import OPEN_STATUSES, PAID_STATUSES, Method
from ..errors import (
    FourEyesRequired,
    IntentNotPayable,
    InvalidPayment,
    RefundDestinationUnknown,
    SuspenseAmountMismatch,
    SuspenseCurrencyMismatch,
    SuspenseDecisionClosed,
    SuspenseItemClosed,
)
from ..models import PaymentIntent, ReconciliationItem, SuspenseDecision
from ..providers.base import (
    Capability,
    NotSupported,
    PayoutDestination,
    ProviderRejected,
    ProviderUnavailable,
)
from ..providers.http import open_transaction
from . import intents, ledgering, payouts

logger = logging.getLogger("hokwe.payments")

PERMISSION = "payments.admin.change"  # Hokwe finance staff
REFUND_ACTION = "payments.suspense.refund"  # the step-up binding of money sent back
Status = SuspenseDecision.Status
Action = SuspenseDecision.Action


def four_eyes_above() -> int:
    return int(settings.PAYMENT_SUSPENSE_FOUR_EYES_ABOVE)


def needs_second_approval(amount: int) -> bool:
    return amount > four_eyes_above()


def open_items():
    """Items still holding money in suspense (no live decision on them yet or one waiting)."""
    return (
        ReconciliationItem.objects.filter(
            resolved=False, suspense_transfer__isnull=False, amount_provider__gt=0
        )
        .exclude(decisions__status__in=[Status.DONE, Status.SENDING, Status.AWAITING_PAYOUT])
        .distinct()
    )


def in_suspense(currency: str) -> int:
    """What the items still hold (amounts of open items, awaiting approval included)."""
    return open_items().filter(currency=currency).aggregate(s=Sum("amount_provider"))["s"] or 0


def suspense_balance(currency: str) -> int:
    """The ledger's balance of the suspense account (posted; holds not counted)."""
    return ledger.balance(account=ledgering.suspense(currency)).posted


# --- checks ---------------------------------------------------------------------------------------


def _require(actor) -> None:
    identity.require(actor, PERMISSION)


def _item_locked(item_pk: int) -> ReconciliationItem:
    return ReconciliationItem.objects.select_for_update().get(pk=item_pk)


def _check_item_open(item: ReconciliationItem) -> None:
    if (
        item.resolved
        or item.suspense_transfer is None
        or not item.amount_provider
        or item.amount_provider <= 0
        or not item.currency
    ):
        raise SuspenseItemClosed()
    if item.decisions.filter(status__in=SuspenseDecision.LIVE_STATUSES).exists():
        raise SuspenseItemClosed(
            _(
                "A decision on this money is already under way or done: it cannot be applied or refunded twice."
            )
        )


def _check_intent(intent: PaymentIntent, item: ReconciliationItem) -> None:
    if intent.status in PAID_STATUSES:
        raise IntentNotPayable(
            _("This payment is already paid: the money in suspense cannot be applied to it.")
        )
    if intent.status not in OPEN_STATUSES or intent.expires_at <= timezone.now():
        raise IntentNotPayable(
            _("This payment is closed (expired or canceled): open a new one to apply the money to.")
        )
    if intent.currency != item.currency:
        raise SuspenseCurrencyMismatch(field="intent")
    if intent.amount != item.amount_provider:
        raise SuspenseAmountMismatch(field="intent")


def _create(**fields) -> SuspenseDecision:
    try:
        with transaction.atomic():
            return SuspenseDecision.objects.create(**fields)
    except IntegrityError:  # a concurrent decision on the item, or the same key twice
        raise SuspenseItemClosed() from None


def _existing(actor, idempotency_key: str) -> SuspenseDecision | None:
    if not idempotency_key:
        return None
    return SuspenseDecision.objects.filter(requested_by=actor, idempotency_key=idempotency_key).first()


def _audit(actor, decision: SuspenseDecision, action: str, *, organization=None, reason: str = "") -> None:
    audit_record(
        action=f"payments.suspense.{action}",
        category=AuditCategory.MONEY,
        actor=actor,
        organization=organization,
        target=decision,
        target_label=f"{decision.get_action_display()} {decision.amount} {decision.currency}"[:200],
        after={
            "item": str(decision.item.public_id),
            "action": decision.action,
            "status": decision.status,
            "amount": decision.amount,
            "currency": decision.currency,
            "intent": str(decision.intent.public_id) if decision.intent_id else None,
            "payee_phone": decision.payee_phone,
            "requested_by": decision.requested_by_id,
            "approved_by": decision.approved_by_id,
        },
        reason=(reason or decision.reason)[:500],
    )


# --- apply ----------------------------------------------------------------------------------------


def suspense_apply(
    *, actor, item: ReconciliationItem, intent: PaymentIntent, reason: str = "", idempotency_key: str = ""
) -> SuspenseDecision:
    """Credit the money of `item` to `intent` (same currency, same amount, open). Above the
    four-eyes threshold the request waits for another finance staff member's approval."""
    _require(actor)
    existing = _existing(actor, idempotency_key)
    if existing is not None:
        return existing
    intents.expire_if_due(intent.pk)
    with transaction.atomic():
        intent = intents._locked(intent.pk)
        item = _item_locked(item.pk)
        _check_item_open(item)
        _check_intent(intent, item)
        waits = needs_second_approval(item.amount_provider)
        decision = _create(
            item=item,
            action=Action.APPLY,
            status=Status.AWAITING_APPROVAL if waits else Status.DONE,
            amount=item.amount_provider,
            currency=item.currency,
            intent=intent,
            reason=(reason or "")[:300],
            requested_by=actor,
            idempotency_key=idempotency_key,
        )
        _audit(
            actor,
            decision,
            "apply_requested" if waits else "applied",
            organization=intent.organization.public_id,
            reason=reason,
        )
        if not waits:
            _apply(decision, intent, item)
    return decision


def _apply(decision: SuspenseDecision, intent: PaymentIntent, item: ReconciliationItem) -> None:
    """The intent succeeds, debited from suspense (intent, item and decision locked)."""
    _check_intent(intent, item)
    method = item.attempt.method if item.attempt_id else Method.MOBILE_MONEY
    attempt = intents._new_attempt(
        intent, method=method, provider=item.provider, recorded_by=decision.requested_by
    )
    attempt.provider_data = {
        "suspense_item": str(item.public_id),
        "suspense_decision": str(decision.public_id),
    }
    attempt.amount_reported = item.amount_provider
    attempt.currency_reported = item.currency
    attempt.save(update_fields=["provider_data", "amount_reported", "currency_reported", "updated_at"])
    intents._succeed(intent, attempt, debit_account=ledgering.suspense(item.currency))
    decision.status = Status.DONE
    decision.transfer = intent.success_transfer
    decision.completed_at = timezone.now()
    decision.save()
    item.resolved = True
    item.save(update_fields=["resolved", "updated_at"])


# --- refund ---------------------------------------------------------------------------------------


def _refundable_at_provider(item: ReconciliationItem):
    """The provider's adapter when the original transaction is known there and the
    provider refunds it by API (whole transaction), else None."""
    if not item.provider_reference or item.provider not in config.online_providers():
        return None
    if item.attempt_id and item.attempt.provider_reference != item.provider_reference:
        return None  # the item names our attempt's token: the provider's id is unknown
    try:
        adapter = config.provider_for(item.provider)
    except Exception:  # noqa: BLE001 -- a provider no longer configured: pay out instead
        return None
    can = getattr(adapter, "can_refund", None)
    ok = can(full=True) if callable(can) else adapter.supports(Capability.REFUND)
    return adapter if ok and adapter.online else None


def _payer_phone(item: ReconciliationItem, phone: str) -> str:
    phone = (phone or "").strip()
    if not phone and item.intent_id:
        phone = item.intent.payer_phone
    return phone[:32]


def suspense_refund(
    *,
    actor,
    item: ReconciliationItem,
    phone: str = "",
    name: str = "",
    reason: str = "",
    step_up_token: str | None = None,
    idempotency_key: str = "",
) -> SuspenseDecision:
    """Send the money of `item` back to the payer: the provider's refund of the original
    transaction when it can, else a payout to `phone` (default the intent's payer phone).
    Money out: a step-up proof for (REFUND_ACTION, the item, its amount). Above the
    four-eyes threshold the request waits for another finance staff member."""
    _require(actor)
    existing = _existing(actor, idempotency_key)
    if existing is not None:
        return existing
    in_callers_transaction = open_transaction()
    with transaction.atomic():
        item = _item_locked(item.pk)
        _check_item_open(item)
        adapter = _refundable_at_provider(item)
        phone = _payer_phone(item, phone)
        if adapter is None:
            if not phone:
                raise InvalidPayment(
                    _("The provider cannot refund this transaction: give the payer's mobile money number."),
                    field="phone",
                )
            try:
                phone, _operator = payouts.refund_destination(
                    phone, country=item.intent.country if item.intent_id else "BJ"
                )
            except RefundDestinationUnknown:
                raise InvalidPayment(
                    _("This is not a mobile money number: give the payer's mobile money number."),
                    field="phone",
                ) from None
        identity.require_step_up(
            actor=actor,
            action=REFUND_ACTION,
            target=str(item.public_id),
            amount=item.amount_provider,
            currency=item.currency,
            token=step_up_token,
        )
        waits = needs_second_approval(item.amount_provider)
        decision = _create(
            item=item,
            action=Action.REFUND,
            status=Status.AWAITING_APPROVAL if waits else Status.SENDING,
            amount=item.amount_provider,
            currency=item.currency,
            payee_phone=phone if adapter is None else "",
            payee_name=(name or (item.intent.payer_name if item.intent_id else ""))[:150],
            provider=item.provider if adapter is not None else settings.PAYMENT_PAYOUT_PROVIDER,
            reason=(reason or "")[:300],
            requested_by=actor,
            idempotency_key=idempotency_key,
        )
        _audit(actor, decision, "refund_requested" if waits else "refund_started", reason=reason)
        if not waits:
            _start_refund(decision, item, to_provider=adapter is not None)
    return _send_after_commit(decision, in_callers_transaction)


def _send_after_commit(decision: SuspenseDecision, in_callers_transaction: bool) -> SuspenseDecision:
    """Step 2 of a refund, with no transaction open (inside a caller's transaction, it is
    left to the sweeper `suspense_payouts_poll` / a « send again »)."""
    if in_callers_transaction:
        return decision
    if decision.status == Status.SENDING:
        return suspense_refund_send(decision_pk=decision.pk)
    if decision.status == Status.AWAITING_PAYOUT:
        return suspense_payout_send(decision_pk=decision.pk)
    return decision


def _start_refund(decision: SuspenseDecision, item: ReconciliationItem, *, to_provider: bool) -> None:
    """Reserve the money (a ledger hold suspense → the provider's clearing) and mark the
    decision `sending` (the provider's refund) or `awaiting_payout` (a payout to the payer)."""
    provider = item.provider if to_provider else settings.PAYMENT_PAYOUT_PROVIDER
    result = ledger.hold(
        idempotency_key=f"payments:suspense:{decision.public_id}:refund",
        code="payment_suspense_refund",
        legs=[
            Leg.debit(ledgering.suspense(decision.currency), decision.amount, decision.currency),
            Leg.credit(ledgering.clearing(provider, decision.currency), decision.amount, decision.currency),
        ],
        description=f"Suspense refund {item.provider} {item.provider_reference}"[:200],
        reference=f"payments.SuspenseDecision:{decision.public_id}",
    )
    decision.hold = result.public_id
    decision.provider = provider
    decision.status = Status.SENDING if to_provider else Status.AWAITING_PAYOUT
    decision.save()


def suspense_refund_send(*, decision_pk: int) -> SuspenseDecision:
    """Ask the provider to refund the original transaction (no transaction open), then apply
    its answer. Safe to repeat: the provider refunds once per key (the decision's id). No
    answer: the decision stays `sending` (send again later)."""
    decision = SuspenseDecision.objects.select_related("item").get(pk=decision_pk)
    if decision.status != Status.SENDING:
        return decision
    item = decision.item
    adapter = config.provider_for(decision.provider)
    try:
        result = adapter.refund(
            item.provider_reference, amount=decision.amount, full=True, key=str(decision.public_id)
        )
    except ProviderUnavailable:
        logger.warning("payments_suspense_refund_unanswered", extra={"decision": str(decision.public_id)})
        return decision
    except (NotSupported, ProviderRejected) as exc:
        return _refund_apply(
            decision_pk, succeeded=False, reason=str(exc) or _("The provider refused the refund.")
        )
    return _refund_apply(decision_pk, succeeded=True, provider_reference=result.reference)


def _refund_apply(decision_pk: int, *, succeeded: bool, provider_reference: str = "", reason: str = ""):
    with transaction.atomic():
        item_pk = SuspenseDecision.objects.filter(pk=decision_pk).values_list("item_id", flat=True).get()
        item = _item_locked(item_pk)
        decision = SuspenseDecision.objects.select_for_update().get(pk=decision_pk)
        if decision.status != Status.SENDING:
            return decision
        decision.completed_at = timezone.now()
        if not succeeded:
            ledger.void_hold(hold=decision.hold)
            decision.status = Status.FAILED  # no longer live: the item can be refunded otherwise
            decision.failure_reason = reason[:300]
            decision.save()
            _audit(None, decision, "refund_failed", reason=reason)
            return decision
        decision.transfer = ledger.post_hold(hold=decision.hold).public_id
        decision.provider_reference = (provider_reference or "")[:100]
        decision.status = Status.DONE
        decision.save()
        item.resolved = True
        item.save(update_fields=["resolved", "updated_at"])
        _audit(None, decision, "refunded")
    return decision


def suspense_payout_done(
    *, decision: SuspenseDecision, paid: bool, reason: str = "", provider_reference: str = ""
) -> SuspenseDecision:
    """The payout path reports a refund-as-payout (`awaiting_payout`): paid → the hold is
    posted and the item resolved; failed → the hold is voided, the item open again."""
    with transaction.atomic():
        item = _item_locked(decision.item_id)
        decision = SuspenseDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != Status.AWAITING_PAYOUT:
            return decision
        decision.completed_at = timezone.now()
        if provider_reference:
            decision.provider_reference = provider_reference[:100]
        if paid:
            decision.transfer = ledger.post_hold(hold=decision.hold).public_id
            decision.status = Status.DONE
            item.resolved = True
            item.save(update_fields=["resolved", "updated_at"])
        else:
            ledger.void_hold(hold=decision.hold)
            decision.status = Status.FAILED
            decision.failure_reason = (reason or "")[:300]
        decision.save()
        _audit(None, decision, "payout_paid" if paid else "payout_failed", reason=reason)
    return decision


SENDING_MARK = "sending:"  # provider_reference while a payout is claimed and being sent


def suspense_payout_send(*, decision_pk: int) -> SuspenseDecision:
    """Pay a refund-as-payout (`awaiting_payout`, its hold taken) to the payer's number at
    the payout provider, with no transaction open, under our reference (the decision's id).
    Claimed first (one sender); a claim cut short (timeout, crash) is looked up at the
    provider under the same reference by `suspense_payouts_poll` before anything is sent
    again. No answer: left for the poll."""
    claimed = SuspenseDecision.objects.filter(
        pk=decision_pk, status=Status.AWAITING_PAYOUT, provider_reference=""
    ).update(provider_reference=f"{SENDING_MARK}{int(timezone.now().timestamp())}")
    decision = SuspenseDecision.objects.select_related("item__intent").get(pk=decision_pk)
    if not claimed:
        return decision
    adapter = config.provider_for(decision.provider)
    destination = PayoutDestination(
        kind="mobile_money",
        phone=decision.payee_phone,
        operator=payouts.refund_destination(decision.payee_phone)[1],
        holder_name=decision.payee_name or "Client Hokwe",
        country=decision.item.intent.country if decision.item.intent_id else "BJ",
    )
    try:
        result = adapter.payout(
            reference=str(decision.public_id),
            amount=decision.amount,
            currency=decision.currency,
            destination=destination,
        )
    except ProviderUnavailable:
        logger.warning("payments_suspense_payout_unanswered", extra={"decision": str(decision.public_id)})
        return decision
    except (NotSupported, ProviderRejected) as exc:
        return suspense_payout_done(decision=decision, paid=False, reason=str(exc))
    return _payout_answer(decision, result)


def _payout_answer(decision: SuspenseDecision, result) -> SuspenseDecision:
    if result.status == "paid":
        return suspense_payout_done(decision=decision, paid=True, provider_reference=result.reference)
    if result.status == "failed":
        return suspense_payout_done(decision=decision, paid=False, reason=result.reason)
    SuspenseDecision.objects.filter(pk=decision.pk, status=Status.AWAITING_PAYOUT).update(
        provider_reference=result.reference[:100]
    )
    decision.refresh_from_db()
    return decision


def suspense_payouts_poll(*, stale_after_minutes: int | None = None, limit: int = 200) -> int:
    """Beat: refunds at a provider left `sending` are sent again under the same key;
    refunds-as-payouts under way are asked about (paid → posted, failed → voided);
    one never sent is sent; one whose send was cut short is looked up at the provider under
    our reference and sent only if the provider does not have it. Returns how many changed."""
    minutes = settings.PAYMENT_STALE_PENDING_MINUTES if stale_after_minutes is None else stale_after_minutes
    stale_before = timezone.now().timestamp() - minutes * 60
    changed = 0
    # refunds at the provider left `sending` (a timeout, a crash): asked again under the same
    # key (the decision's id): providers refund once per key
    stale_sending = SuspenseDecision.objects.filter(
        status=Status.SENDING, updated_at__lte=timezone.now() - timedelta(minutes=minutes)
    ).order_by("created_at")[:limit]
    for decision in stale_sending:
        changed += suspense_refund_send(decision_pk=decision.pk).status != Status.SENDING
    for decision in SuspenseDecision.objects.filter(status=Status.AWAITING_PAYOUT).order_by("created_at")[
        :limit
    ]:
        reference = decision.provider_reference
        try:
            adapter = config.provider_for(decision.provider)
            if not reference:
                after = suspense_payout_send(decision_pk=decision.pk)
            elif reference.startswith(SENDING_MARK):
                if int(reference[len(SENDING_MARK) :] or 0) > stale_before:
                    continue  # a send under way
                try:
                    found = adapter.find_payout(str(decision.public_id))
                except NotSupported:
                    continue  # cannot tell whether it left: finance checks at the provider
                if found is None:
                    SuspenseDecision.objects.filter(pk=decision.pk, provider_reference=reference).update(
                        provider_reference=""
                    )
                    after = suspense_payout_send(decision_pk=decision.pk)
                else:
                    after = _payout_answer(decision, found)
            else:
                after = _payout_answer(decision, adapter.payout_status(reference))
        except ProviderUnavailable:
            logger.warning(
                "payments_suspense_payout_poll_unanswered", extra={"decision": str(decision.public_id)}
            )
            break
        changed += after.status != Status.AWAITING_PAYOUT
    return changed


# --- four eyes ------------------------------------------------------------------------------------


def suspense_approve(
    *, actor, decision: SuspenseDecision, step_up_token: str | None = None
) -> SuspenseDecision:
    """Another finance staff member approves a request waiting for a second pair of eyes:
    it is carried out at once (a refund also needs the approver's step-up proof)."""
    _require(actor)
    if decision.requested_by_id == actor.pk:
        raise FourEyesRequired()
    in_callers_transaction = open_transaction()
    if decision.intent_id:
        intents.expire_if_due(decision.intent_id)
    with transaction.atomic():
        intent = intents._locked(decision.intent_id) if decision.intent_id else None
        item = _item_locked(decision.item_id)
        decision = SuspenseDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != Status.AWAITING_APPROVAL:
            raise SuspenseDecisionClosed()
        if item.resolved:
            raise SuspenseItemClosed()
        decision.approved_by = actor
        decision.decided_at = timezone.now()
        if decision.action == Action.APPLY:
            decision.save()
            _apply(decision, intent, item)
            organization = intent.organization.public_id
        else:
            identity.require_step_up(
                actor=actor,
                action=REFUND_ACTION,
                target=str(item.public_id),
                amount=decision.amount,
                currency=decision.currency,
                token=step_up_token,
            )
            decision.save()
            _start_refund(decision, item, to_provider=not decision.payee_phone)
            organization = None
        _audit(actor, decision, "approved", organization=organization)
    return _send_after_commit(decision, in_callers_transaction)


def suspense_reject(*, actor, decision: SuspenseDecision, reason: str = "") -> SuspenseDecision:
    """Refuse a request waiting for approval (the requester may withdraw their own): the
    money stays in suspense and the item is open again."""
    _require(actor)
    with transaction.atomic():
        decision = SuspenseDecision.objects.select_for_update().select_related("item").get(pk=decision.pk)
        if decision.status != Status.AWAITING_APPROVAL:
            raise SuspenseDecisionClosed()
        decision.status = Status.REJECTED
        decision.decided_at = timezone.now()
        if decision.requested_by_id != actor.pk:
            decision.approved_by = actor  # the one who decided (never the requester)
        decision.failure_reason = (reason or "")[:300]
        decision.save()
        _audit(actor, decision, "rejected", reason=reason)
    return decision
