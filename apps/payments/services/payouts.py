"""Payouts to owners and agencies: payout accounts (step-up OTP to add or remove), a
payout = a ledger hold on the organization's owners' payable, sent to a payout-capable
provider, posted when it confirms and voided when it fails. Scheduled payouts by beat."""

from __future__ import annotations

import logging
from datetime import timedelta

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditCategory, audit_record
from apps.core.errors import NotFound
from apps.core.outbox import publish
from apps.identity import api as identity
from apps.kyc import api as kyc
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg

from .. import config, metrics, selectors
from ..contracts import PayoutStatus
from ..errors import PayoutAccountInvalid, PayoutAccountNotVerified, PayoutTooSmall, ProviderDown
from ..events import PayoutCompleted
from ..models import Payout, PayoutAccount, PayoutSchedule
from ..providers.base import (
    Capability,
    NotSupported,
    PayoutDestination,
    ProviderRejected,
    ProviderUnavailable,
)
from . import ledgering

logger = logging.getLogger("hokwe.payments")
OPERATORS = ("mtn", "moov", "celtiis", "orange", "wave", "free", "togocel")


def payout_account_create(
    *,
    actor,
    organization_id: int,
    kind: str,
    holder_name: str,
    phone: str = "",
    operator: str = "",
    bank_name: str = "",
    account_number: str = "",
    step_up_token: str | None,
) -> PayoutAccount:
    organization = identity.get_organization(id=organization_id)
    identity.require(actor, "payments.payout_account.manage", organization.id, hide=True)
    holder_name = (holder_name or "").strip()
    if not holder_name or len(holder_name) > 150:
        raise PayoutAccountInvalid(_("Give the account holder's name."), field="holder_name")
    fields = {"kind": kind, "holder_name": holder_name}
    if kind == PayoutAccount.Kind.MOBILE_MONEY:
        try:
            parsed = phonenumbers.parse(phone, organization.country or "BJ")
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed):
            raise PayoutAccountInvalid(_("Enter a valid mobile money number."), field="phone")
        if operator not in OPERATORS:
            raise PayoutAccountInvalid(_("Choose the mobile money operator."), field="operator")
        fields.update(
            phone=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), operator=operator
        )
        target = fields["phone"]
    elif kind == PayoutAccount.Kind.BANK_ACCOUNT:
        number = "".join((account_number or "").split()).upper()
        if not (10 <= len(number) <= 34) or not number.isalnum() or not bank_name:
            raise PayoutAccountInvalid(
                _("Enter the bank and a valid account number (IBAN or RIB)."), field="account_number"
            )
        fields.update(account_number=number, bank_name=bank_name.strip()[:100])
        target = number
    else:
        raise PayoutAccountInvalid(_("Unknown payout account kind."), field="kind")
    with transaction.atomic():
        identity.require_step_up(
            actor=actor,
            action="payments.payout_account.create",
            target=f"{organization.public_id}:{target}",
            token=step_up_token,
        )
        account = PayoutAccount.objects.create(
            organization_id=organization_id,
            created_by=actor,
            # A mobile money number is verified by the owner's step-up OTP; a bank account
            # waits for finance staff to check the RIB (admin action).
            verified_at=timezone.now() if kind == PayoutAccount.Kind.MOBILE_MONEY else None,
            **fields,
        )
        _audit(actor, organization_id, account, "created")
    return account


def _audit(actor, organization_id: int, account: PayoutAccount, action: str) -> None:
    """Payout destinations are sensitive: every change goes to the append-only audit log."""
    organization = identity.get_organization(id=organization_id)
    audit_record(
        action=f"payments.payout_account.{action}",
        category=AuditCategory.PAYOUT_ACCOUNT,
        actor=actor,
        organization=organization.public_id,
        target=account,
        target_label=account.masked,
        after={"kind": account.kind, "destination": account.masked, "active": account.is_active},
        reason="step-up OTP verified",
    )


def payout_account_remove(*, actor, account: PayoutAccount, step_up_token: str | None) -> PayoutAccount:
    identity.require(actor, "payments.payout_account.manage", account, hide=True)
    with transaction.atomic():
        identity.require_step_up(
            actor=actor,
            action="payments.payout_account.remove",
            target=str(account.public_id),
            token=step_up_token,
        )
        account.is_active = False
        account.save(update_fields=["is_active", "updated_at"])
        PayoutSchedule.objects.filter(payout_account=account).update(is_active=False)
        _audit(actor, account.organization_id, account, "removed")
    return account


def payout_account_verify(*, actor, account: PayoutAccount) -> PayoutAccount:
    identity.require(actor, "payments.admin.change")
    account.verified_at = timezone.now()
    account.save(update_fields=["verified_at", "updated_at"])
    return account


def payout_request(
    *,
    actor,
    organization_id: int,
    account: PayoutAccount,
    amount: int,
    currency: str,
    step_up_token: str | None = None,
    scheduled: bool = False,
    idempotency_key: str = "",
) -> Payout:
    """Hold `amount` on the organization's owners' payable and queue the payout."""
    organization = identity.get_organization(id=organization_id)
    if not scheduled:
        identity.require(actor, "payments.payout.create", organization.id, hide=True)
    if account.organization_id != organization_id or not account.is_active:
        raise NotFound(field="payout_account")
    if account.verified_at is None:
        raise PayoutAccountNotVerified(field="payout_account")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise PayoutTooSmall(field="amount")
    if idempotency_key:
        existing = Payout.objects.filter(
            organization_id=organization_id, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
    kyc.check(None, "payout", amount, organization=str(organization.public_id), currency=currency)
    provider = settings.PAYMENT_PAYOUT_PROVIDER
    adapter = config.provider_for(provider, organization_id=organization_id)
    if not adapter.supports(Capability.PAYOUT):
        raise ProviderDown(_("No payout provider is configured."))
    source = ledgering.owners_payable(organization.public_id, currency)
    with transaction.atomic():
        if not scheduled:
            identity.require_step_up(
                actor=actor,
                action="payments.payout.create",
                target=str(organization.public_id),
                amount=amount,
                currency=currency,
                token=step_up_token,
            )
        payout = Payout.objects.create(
            organization_id=organization_id,
            payout_account=account,
            amount=amount,
            currency=currency,
            source_account=source,
            provider=provider,
            requested_by=actor if getattr(actor, "pk", None) else None,
            scheduled=scheduled,
            idempotency_key=idempotency_key,
        )
        hold = ledger.hold(
            idempotency_key=f"payments:payout:{payout.public_id}",
            code="payout",
            legs=[
                Leg.debit(source, amount, currency),
                Leg.credit(ledgering.clearing(provider, currency), amount, currency),
            ],
            description=f"Payout {account.masked}"[:200],
            reference=f"payments.Payout:{payout.public_id}",
        )
        payout.hold = hold.public_id
        payout.save(update_fields=["hold", "updated_at"])
        audit_record(
            action="payments.payout.requested",
            category=AuditCategory.MONEY,
            actor=actor if getattr(actor, "pk", None) else None,
            organization=organization.public_id,
            target=payout,
            target_label=account.masked,
            after={"amount": amount, "currency": currency, "scheduled": scheduled},
        )
        transaction.on_commit(lambda: _enqueue_send(payout.pk))
    return payout


def _enqueue_send(payout_pk: int) -> None:
    from celery import current_app  # the task lives in tasks.py, above services

    try:
        current_app.tasks["payments.send_payout"].delay(payout_pk)
    except Exception:
        logger.warning("payments_payout_enqueue_failed", extra={"payout": payout_pk}, exc_info=True)


def _destination(account: PayoutAccount) -> PayoutDestination:
    return PayoutDestination(
        kind=account.kind,
        phone=account.phone,
        operator=account.operator,
        account_number=account.account_number,
        bank_name=account.bank_name,
        holder_name=account.holder_name,
    )


def payout_send(*, payout_pk: int, stale_after_minutes: int | None = None) -> str:
    """Send a requested payout to the provider (task, and the sweeper for a send cut short).

    1. claim it `sending` and commit (it can no longer be canceled);
    2. call the provider with no transaction open — a re-send (a claim older than
       PAYMENT_STALE_PENDING_MINUTES) first asks the provider for a payout under our
       reference, and sends only if there is none;
    3. apply the answer in a new transaction (`processing` with the provider's id, or
       `failed` with the hold voided). No answer leaves it `sending` for the sweeper."""
    if stale_after_minutes is None:
        stale_after_minutes = settings.PAYMENT_STALE_PENDING_MINUTES
    now = timezone.now()
    with transaction.atomic():
        payout = Payout.objects.select_for_update().select_related("payout_account").get(pk=payout_pk)
        if payout.status != PayoutStatus.REQUESTED:
            return payout.status
        resend = payout.provider_call == "sending"
        if resend and payout.provider_call_at > now - timedelta(minutes=stale_after_minutes):
            return payout.status  # a send is under way (or just timed out): the sweeper decides
        payout.provider_call = "sending"
        payout.provider_call_at = now
        payout.save(update_fields=["provider_call", "provider_call_at", "updated_at"])
    adapter = config.provider_for(payout.provider, organization_id=payout.organization_id)
    reference = str(payout.public_id)
    try:
        result = adapter.find_payout(reference) if resend else None
        if result is None:
            result = adapter.payout(
                reference=reference,
                amount=payout.amount,
                currency=payout.currency,
                destination=_destination(payout.payout_account),
            )
    except ProviderUnavailable:
        logger.warning("payments_payout_unanswered", extra={"payout": reference})
        return PayoutStatus.REQUESTED
    except NotSupported:
        logger.error("payments_payout_cannot_be_looked_up", extra={"payout": reference})
        return PayoutStatus.REQUESTED
    except ProviderRejected as exc:
        return payout_send_apply(payout_pk=payout.pk, provider_reference="", reason=str(exc)[:300])
    status = payout_send_apply(payout_pk=payout.pk, provider_reference=result.reference)
    if status != PayoutStatus.PROCESSING:
        return status
    return payout_sync(payout=Payout.objects.get(pk=payout.pk))


def payout_send_apply(*, payout_pk: int, provider_reference: str, reason: str = "") -> str:
    """Apply the provider's answer to a `sending` payout (a reference: processing; none:
    refused, the hold is voided). Idempotent: a payout no longer sending is left alone."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_pk)
        if payout.status != PayoutStatus.REQUESTED or payout.provider_call != "sending":
            return payout.status
        payout.provider_call = ""
        payout.provider_call_at = None
        if not provider_reference:
            _finish(payout, PayoutStatus.FAILED, reason=reason)
            return payout.status
        payout.provider_reference = provider_reference[:100]
        payout.status = PayoutStatus.PROCESSING
        payout.save(
            update_fields=["provider_reference", "status", "provider_call", "provider_call_at", "updated_at"]
        )
    return payout.status


def payout_sync(*, payout: Payout) -> str:
    """Ask the provider how a payout went; post or void the hold accordingly."""
    if payout.status != PayoutStatus.PROCESSING or not payout.provider_reference:
        return payout.status
    adapter = config.provider_for(payout.provider, organization_id=payout.organization_id)
    try:
        result = adapter.payout_status(payout.provider_reference)
    except ProviderUnavailable:
        return payout.status
    if result.status not in ("paid", "failed"):
        return payout.status
    with transaction.atomic():
        payout = Payout.objects.select_for_update().select_related("payout_account").get(pk=payout.pk)
        if payout.status != PayoutStatus.PROCESSING:
            return payout.status
        _finish(
            payout,
            PayoutStatus.PAID if result.status == "paid" else PayoutStatus.FAILED,
            reason=result.reason,
        )
    return payout.status


def _finish(payout: Payout, status: PayoutStatus, *, reason: str = "") -> None:
    if status == PayoutStatus.PAID:
        ledger.post_hold(hold=payout.hold)
        payout.paid_at = timezone.now()
    else:
        ledger.void_hold(hold=payout.hold)
        payout.failure_reason = (reason or _("The provider refused the payout."))[:300]
    payout.status = status
    payout.save()
    organization = identity.get_organization(id=payout.organization_id)
    publish(
        PayoutCompleted(
            payout_id=str(payout.public_id),
            organization_id=str(organization.public_id),
            amount=payout.amount,
            currency=payout.currency,
            status=str(status),
        )
    )
    metrics.PAYOUTS.labels(provider=payout.provider, status=str(status)).inc()


def payout_cancel(*, actor, payout: Payout) -> Payout:
    identity.require(actor, "payments.payout.create", payout, hide=True)
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout.pk)
        if payout.status != PayoutStatus.REQUESTED or payout.provider_call == "sending":
            from ..errors import InvalidTransition

            raise InvalidTransition()
        ledger.void_hold(hold=payout.hold)
        payout.status = PayoutStatus.CANCELED
        payout.save(update_fields=["status", "updated_at"])
    return payout


def scheduled_payouts_run(*, today=None) -> int:
    """Beat: weekly schedules on Mondays, monthly on the 1st; pay out the available balance
    when it reaches the schedule's minimum (at least PAYOUT_MIN_AMOUNT)."""
    today = today or timezone.localdate()
    created = 0
    for schedule in PayoutSchedule.objects.filter(is_active=True).select_related("payout_account"):
        due = (schedule.frequency == PayoutSchedule.Frequency.WEEKLY and today.weekday() == 0) or (
            schedule.frequency == PayoutSchedule.Frequency.MONTHLY and today.day == 1
        )
        if not due:
            continue
        organization = identity.get_organization(id=schedule.organization_id)
        currency = selectors.organization_currency(organization)
        if currency is None:
            continue
        source = ledgering.owners_payable(organization.public_id, currency)
        available = ledger.balance(account=source).available
        minimum = max(schedule.minimum_amount, settings.PAYOUT_MIN_AMOUNT)
        if available < minimum:
            continue
        try:
            payout_request(
                actor=None,
                organization_id=schedule.organization_id,
                account=schedule.payout_account,
                amount=available,
                currency=currency,
                scheduled=True,
                idempotency_key=f"scheduled:{today.isoformat()}",
            )
            created += 1
        except Exception:
            logger.exception(
                "payments_scheduled_payout_failed", extra={"organization": schedule.organization_id}
            )
    return created
