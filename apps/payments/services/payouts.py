"""Payouts to owners and agencies: payout accounts (step-up OTP to add or remove), a
payout = a ledger hold on the organization's owners' payable, sent to a payout-capable
provider, posted when it confirms and voided when it fails. Scheduled payouts by beat."""

from __future__ import annotations

import logging
import unicodedata
from datetime import timedelta

import phonenumbers
import phonenumbers.carrier
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
from ..errors import (
    PayoutAccountInvalid,
    PayoutAccountNotVerified,
    PayoutTooSmall,
    ProviderDown,
    ProviderNotAvailable,
    RefundDestinationUnknown,
    UnsupportedOperation,
)
from ..events import PayoutCompleted
from ..models import PaymentIntent, Payout, PayoutAccount, PayoutSchedule, Refund
from ..providers import mtn
from ..providers.base import (
    Capability,
    NotSupported,
    PayoutDestination,
    ProviderRejected,
    ProviderUnavailable,
)
from ..providers.http import open_transaction
from . import ledgering
from .payout_deductions import run_payout_deductions

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
    # A landlord (an owner-kind organization, a person) is paid only into an account in their
    # own name: a mobile money number is checked with the operator's account-holder lookup
    # (after the commit: no network call under a lock), a bank account waits for staff.
    own_name = organization.kind == "owner"
    in_callers_transaction = open_transaction()
    with transaction.atomic():
        identity.require_step_up(
            actor=actor,
            action="payments.payout_account.create",
            target=f"{organization.public_id}:{target}",
            token=step_up_token,
        )
        verified_now = kind == PayoutAccount.Kind.MOBILE_MONEY and not own_name
        if own_name:
            note = (
                _("Checking the account holder's name with the operator.")
                if kind == PayoutAccount.Kind.MOBILE_MONEY
                else _(
                    "A bank account is checked by Hokwe staff against the name on your identity verification."
                )
            )
        else:
            note = "" if verified_now else _("A bank account is checked by Hokwe staff (RIB).")
        account = PayoutAccount.objects.create(
            organization_id=organization_id,
            created_by=actor,
            # An agency's mobile money number is verified by the owner's step-up OTP; a bank
            # account waits for finance staff to check the RIB (admin action).
            verified_at=timezone.now() if verified_now else None,
            verified_via="step_up" if verified_now else "",
            verification_note=str(note)[:300],
            **fields,
        )
        _audit(actor, organization_id, account, "created")
        if own_name and kind == PayoutAccount.Kind.MOBILE_MONEY and in_callers_transaction:
            name_check_after_commit(account.pk)
    if own_name and kind == PayoutAccount.Kind.MOBILE_MONEY and not in_callers_transaction:
        account = payout_account_check_name(account_pk=account.pk)
    return account


def name_check_after_commit(account_pk: int) -> None:
    """Ask the operator for the holder's name of this account once the current transaction
    commits (task `payments.check_payout_account`): never a provider call under a lock."""
    transaction.on_commit(lambda: _enqueue("payments.check_payout_account", account_pk))


def _fold(name: str) -> list[str]:
    """Words of a name without accents, case or punctuation: « Mathïeu  ADJOVI-K. » →
    ["adjovi", "k", "mathieu"]."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return sorted(words)


def names_match(a: str, b: str) -> bool:
    """The same person's name, whatever the order of the names, the accents and the case. A
    middle name on one side only is tolerated when at least two names agree (« Mathieu Koffi
    Adjovi » is « Mathieu Adjovi »); one name alone must match exactly."""
    left, right = _fold(a), _fold(b)
    if not left or not right:
        return False
    if left == right:
        return True
    small, large = (left, right) if len(left) <= len(right) else (right, left)
    remaining = list(large)
    for word in small:
        if word not in remaining:
            return False
        remaining.remove(word)
    return len(small) >= 2


def lookup_provider(operator: str, *, organization_id: int | None = None):
    """Who can tell a mobile money account's holder: MTN's Open API for an MTN number when
    it is configured; else the payout provider if it can (the sandbox); else None."""
    if operator == "mtn" and mtn.configured():
        return mtn.MtnMomoProvider()
    try:
        adapter = config.provider_for(settings.PAYMENT_PAYOUT_PROVIDER, organization_id=organization_id)
    except ProviderNotAvailable:
        return None
    return adapter if adapter.supports(Capability.ACCOUNT_LOOKUP) else None


def _owner_of(organization_id: int):
    owners = identity.members_of(organization_id=organization_id, roles=[identity.OrgRole.OWNER])
    return owners[0] if owners else None


def payout_account_check_name(*, account_pk: int) -> PayoutAccount:
    """Check a landlord's mobile money number: the operator's holder name against the name on
    the owner's approved identity verification. A match verifies the account; a mismatch, no
    verified identity, a number the operator does not know or an operator without a lookup
    leave it for staff review with the reason shown. Called with no transaction open (the
    lookup is a network call); the answer is applied in its own transaction, once."""
    account = PayoutAccount.objects.get(pk=account_pk)
    if account.verified_at is not None or account.kind != PayoutAccount.Kind.MOBILE_MONEY:
        return account
    if identity.get_organization(id=account.organization_id).kind != "owner":
        return account  # an agency's or a merchant's number: the owner's step-up, or staff
    owner = _owner_of(account.organization_id)
    expected = kyc.verified_name(owner.public_id) if owner else None
    holder, looked_up, note, verified = None, "", "", False
    if expected is None:
        note = _(
            "Your identity is not verified yet (an ID document in the Hokwe app): Hokwe staff will check this account."
        )
    else:
        adapter = lookup_provider(account.operator, organization_id=account.organization_id)
        if adapter is None:
            note = _(
                "The operator offers no name check: Hokwe staff will check that this account is in your name."
            )
        else:
            try:
                holder = adapter.account_holder(account.phone)
            except (ProviderUnavailable, ProviderRejected, NotSupported):
                logger.warning("payments_account_lookup_failed", extra={"account": str(account.public_id)})
                note = _(
                    "The operator could not be asked the holder's name: Hokwe staff will check this account."
                )
            if holder is None and not note:
                note = _("The operator knows no account for this number: Hokwe staff will check it.")
            elif holder is not None:
                looked_up = holder.full_name
                if holder.simulated:
                    looked_up = f"{looked_up} (sandbox)"
                if names_match(holder.full_name, expected):
                    verified = True
                    note = _(
                        "The operator's account holder is %(name)s, the name on your identity verification."
                    ) % {"name": holder.full_name}
                else:
                    note = _(
                        "The operator's account holder (%(holder)s) is not the name on your identity verification "
                        "(%(name)s): Hokwe staff will check this account."
                    ) % {"holder": holder.full_name or "?", "name": expected}
    with transaction.atomic():
        account = PayoutAccount.objects.select_for_update().get(pk=account_pk)
        if account.verified_at is not None:
            return account
        account.looked_up_name = looked_up[:150]
        account.verification_note = str(note)[:300]
        if verified:
            account.verified_at = timezone.now()
            account.verified_via = "name_lookup"
        account.save(
            update_fields=["looked_up_name", "verification_note", "verified_at", "verified_via", "updated_at"]
        )
        audit_record(
            action="payments.payout_account.name_checked",
            category=AuditCategory.PAYOUT_ACCOUNT,
            actor=None,
            organization=identity.get_organization(id=account.organization_id).public_id,
            target=account,
            target_label=account.masked,
            after={"verified": verified, "holder": account.looked_up_name, "note": account.verification_note},
            reason="account holder lookup",
        )
    return account


def _enqueue(task: str, *args) -> None:
    from celery import current_app  # the tasks live in tasks.py, above services

    try:
        current_app.tasks[task].delay(*args)
    except Exception:
        logger.warning("payments_enqueue_failed", extra={"task": task}, exc_info=True)


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
    account.verified_via = "staff"
    account.save(update_fields=["verified_at", "verified_via", "updated_at"])
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
        # what modules above registered (a landlord's rent advance) is taken first
        run_payout_deductions(
            organization=organization.public_id,
            currency=currency,
            source_account=source,
            today=timezone.localdate(),
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


def _destination(payout: Payout) -> PayoutDestination:
    account = payout.payout_account
    if account is None:  # a refund paid to the payer's own number
        return PayoutDestination(
            kind=PayoutAccount.Kind.MOBILE_MONEY,
            phone=payout.payee_phone,
            operator=payout.payee_operator,
            holder_name=payout.payee_name,
        )
    return PayoutDestination(
        kind=account.kind,
        phone=account.phone,
        operator=account.operator,
        account_number=account.account_number,
        bank_name=account.bank_name,
        holder_name=account.holder_name,
    )


# --- refunds paid by a payout ------------------------------------------------------------------


def refund_destination(phone: str, *, country: str = "BJ") -> tuple[str, str]:
    """(E.164 number, operator) of a payer's mobile money number, or RefundDestinationUnknown:
    a refund the collecting provider cannot make is paid to this number by a payout."""
    try:
        parsed = phonenumbers.parse(phone or "", country or "BJ")
    except phonenumbers.NumberParseException:
        parsed = None
    if not phone:
        raise RefundDestinationUnknown(
            _(
                "This provider cannot give this amount back and the payer's mobile money number is unknown: "
                "refund the payer another way."
            ),
            field="amount",
        )
    mobile = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    if (
        parsed is None
        or not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed) not in mobile
    ):
        raise RefundDestinationUnknown(
            _(
                "This provider cannot give this amount back and the payer's number is not a mobile money "
                "number: refund the payer another way."
            ),
            field="amount",
        )
    carrier = (phonenumbers.carrier.name_for_number(parsed, "en") or "").split()[0:1]
    operator = carrier[0].lower() if carrier else ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), (
        operator if operator in OPERATORS else ""
    )


def refund_payout_record(*, refund, intent, phone: str, operator: str, name: str, actor=None) -> Payout:
    """Inside the refund's transaction (intent and refund rows locked, the refund's ledger
    hold taken, crediting the payout provider's clearing): the payout that carries it. It is
    sent after the commit by the `payments.send_payout` task, like any payout."""
    payout = Payout.objects.create(
        organization_id=intent.organization_id,
        purpose=Payout.Purpose.REFUND,
        refund=refund,
        payee_phone=phone,
        payee_operator=operator,
        payee_name=(name or "")[:150],
        amount=refund.amount,
        currency=refund.currency,
        source_account=intent.credit_account,
        hold=refund.hold,
        provider=settings.PAYMENT_PAYOUT_PROVIDER,
        requested_by=actor if getattr(actor, "pk", None) else None,
        idempotency_key=f"refund:{refund.public_id}:{refund.payouts.count() + 1}",
    )
    payout_pk = payout.pk
    transaction.on_commit(lambda: _enqueue_send(payout_pk))
    return payout


def refund_payout_provider(organization_id: int):
    """The payout provider that will carry a refund, or UnsupportedOperation."""
    try:
        adapter = config.provider_for(settings.PAYMENT_PAYOUT_PROVIDER, organization_id=organization_id)
    except ProviderNotAvailable:
        adapter = None
    if adapter is None or not adapter.supports(Capability.PAYOUT):
        raise UnsupportedOperation(
            _("This provider cannot give this amount back and no payout provider is configured.")
        )
    return adapter


def _lock_payout(payout_pk: int) -> Payout:
    """Lock a payout; for a refund's payout, its intent first (one lock order: intent, then
    refund or payout)."""
    intent_id = Payout.objects.filter(pk=payout_pk).values_list("refund__intent_id", flat=True).get()
    if intent_id is not None:
        PaymentIntent.objects.select_for_update().get(pk=intent_id)
    return Payout.objects.select_for_update(of=("self",)).select_related("payout_account").get(pk=payout_pk)


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
        payout = _lock_payout(payout_pk)
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
                destination=_destination(payout),
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
        payout = _lock_payout(payout_pk)
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
        payout = _lock_payout(payout.pk)
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
        transfer = ledger.post_hold(hold=payout.hold)
        payout.paid_at = timezone.now()
    else:
        ledger.void_hold(hold=payout.hold)
        payout.failure_reason = (reason or _("The provider refused the payout."))[:300]
    payout.status = status
    payout.save()
    if payout.refund_id is not None:
        # A refund paid by this payout: the refund follows it (its hold is the payout's).
        _finish_refund(payout, transfer.public_id if status == PayoutStatus.PAID else None)
        metrics.PAYOUTS.labels(provider=payout.provider, status=str(status)).inc()
        return
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


def _finish_refund(payout: Payout, transfer) -> None:
    """The payout of a refund ended (intent and payout locked): the refund succeeds (the intent
    is refunded, PaymentRefunded) or fails with the payout's reason (the hold was voided; a
    new refund, or `refund_retry`, may try again)."""
    from .intents import _refund_succeeded, publish_refund_failed  # intents imports this module

    refund = Refund.objects.select_for_update().get(pk=payout.refund_id)
    if refund.status != Refund.Status.REQUESTED:
        return
    intent = PaymentIntent.objects.get(pk=refund.intent_id)
    refund.provider_reference = payout.provider_reference[:100]
    if transfer is not None:
        _refund_succeeded(intent, refund, transfer=transfer)
        return
    refund.status = Refund.Status.FAILED
    refund.failure_reason = (payout.failure_reason or _("The payout to the payer failed."))[:300]
    refund.completed_at = timezone.now()
    refund.save()
    publish_refund_failed(intent, refund)


def payout_cancel(*, actor, payout: Payout) -> Payout:
    identity.require(actor, "payments.payout.create", payout, hide=True)
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout.pk)
        if payout.refund_id is not None:  # a refund's payout follows its refund
            from ..errors import InvalidTransition

            raise InvalidTransition()
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
        try:  # the registered deductions first: what is left is paid out
            run_payout_deductions(
                organization=organization.public_id, currency=currency, source_account=source, today=today
            )
        except Exception:
            logger.exception(
                "payments_payout_deduction_failed", extra={"organization": schedule.organization_id}
            )
            continue
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


# --- a user's payout from a ledger account (the wallet's withdrawal) ----------------------------


def user_payout_request(
    *,
    actor,
    organization_id: int,
    source_account,
    amount: int,
    currency: str,
    phone: str,
    idempotency_key: str,
    description: str = "",
) -> Payout:
    """Money out of a ledger account the calling module controls (a user's wallet) to the
    actor's OWN mobile money number: their login phone. The destination is a payout account of
    `organization_id` (the operator of the e-money: Hokwe's issuer organization), verified by
    the login phone (`verified_via="login_phone"`), one per number, reused. A ledger hold
    (source → the payout provider's clearing) is taken at once; the payout is sent after the
    commit like any payout, posted on the provider's confirmation and voided on failure
    (PayoutCompleted). Idempotent on (organization, idempotency_key). The caller checks
    kyc's limits and the step-up."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise PayoutTooSmall(field="amount")
    if idempotency_key:
        existing = Payout.objects.filter(
            organization_id=organization_id, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
    me = identity.get_user(id=actor.pk)
    number, operator = refund_destination(phone, country="BJ")
    own, _op = refund_destination(me.phone or "", country="BJ") if me.phone else ("", "")
    if not own or number != own:
        raise PayoutAccountNotVerified(
            _("Withdrawals go only to your own mobile money number (the one you sign in with)."),
            field="phone",
        )
    provider = settings.PAYMENT_PAYOUT_PROVIDER
    adapter = config.provider_for(provider, organization_id=organization_id)
    if not adapter.supports(Capability.PAYOUT):
        raise ProviderDown(_("No payout provider is configured."))
    with transaction.atomic():
        account = (
            PayoutAccount.objects.filter(
                organization_id=organization_id,
                kind=PayoutAccount.Kind.MOBILE_MONEY,
                phone=number,
                is_active=True,
                verified_via="login_phone",
            )
            .order_by("id")
            .first()
        )
        if account is None:
            account = PayoutAccount.objects.create(
                organization_id=organization_id,
                kind=PayoutAccount.Kind.MOBILE_MONEY,
                phone=number,
                operator=operator,
                holder_name=(me.full_name or number)[:150],
                verified_at=timezone.now(),
                verified_via="login_phone",
                created_by_id=actor.pk,
            )
        payout = Payout.objects.create(
            organization_id=organization_id,
            payout_account=account,
            payee_phone=number,
            payee_operator=operator,
            payee_name=(me.full_name or "")[:150],
            amount=amount,
            currency=currency,
            source_account=source_account,
            provider=provider,
            requested_by_id=actor.pk,
            idempotency_key=idempotency_key,
        )
        hold = ledger.hold(
            idempotency_key=f"payments:payout:{payout.public_id}",
            code="payout",
            legs=[
                Leg.debit(source_account, amount, currency),
                Leg.credit(ledgering.clearing(provider, currency), amount, currency),
            ],
            description=(description or f"Payout {account.masked}")[:200],
            reference=f"payments.Payout:{payout.public_id}",
        )
        payout.hold = hold.public_id
        payout.save(update_fields=["hold", "updated_at"])
        audit_record(
            action="payments.payout.requested",
            category=AuditCategory.MONEY,
            actor=actor if getattr(actor, "pk", None) else None,
            organization=identity.get_organization(id=organization_id).public_id,
            target=payout,
            target_label=account.masked,
            after={"amount": amount, "currency": currency, "user_payout": True},
        )
        payout_pk = payout.pk
        transaction.on_commit(lambda: _enqueue_send(payout_pk))
    return payout
