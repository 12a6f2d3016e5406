"""Reactions to the events of the modules below (thin: call a service). Each part appends its own."""

from apps.core.events import on
from apps.identity.events import UserRegistered

# --- P2P transfers: money held for a number is claimed when that number signs up ---


@on(UserRegistered)
def claim_held_p2p_transfers(event: UserRegistered, *, event_id: str) -> None:
    from django.contrib.auth import get_user_model

    from .services.p2p import p2p_claim_for

    user = get_user_model().objects.filter(public_id=event.user_public_id).first()
    if user is not None:
        p2p_claim_for(user)


# --- P2P transfers: the receiver told (or the number invited) once the transfer committed ---
from .events import P2pTransferSent  # noqa: E402


@on(P2pTransferSent)
def tell_the_p2p_receiver(event: P2pTransferSent, *, event_id: str) -> None:
    from .services.p2p import p2p_tell_receiver

    p2p_tell_receiver(event.transfer_id)


# --- wallet core: a top-up's intent paid or failed; a withdrawal's payout finished ---
from apps.payments.events import PaymentFailed, PaymentSucceeded, PayoutCompleted  # noqa: E402


@on(PaymentSucceeded)
def count_topup(event: PaymentSucceeded, *, event_id: str) -> None:
    from .services.topups import PURPOSE_TOPUP, topup_succeeded

    if event.purpose_type != PURPOSE_TOPUP:
        return
    topup_succeeded(
        topup_id=event.purpose_id, amount=event.amount, fee=event.fee_amount, intent_id=event.intent_id
    )


@on(PaymentSucceeded)
def count_pay_page_wallet_payment(event: PaymentSucceeded, *, event_id: str) -> None:
    """payments' own wallet payment (the pay page): counted once in the payer's outflow."""
    from .services.rent import count_wallet_payment

    if event.method == "wallet":
        count_wallet_payment(
            intent_id=event.intent_id,
            payer_public_id=event.payer_id,
            amount=event.amount,
            currency=event.currency,
        )


@on(PaymentFailed)
def topup_attempt_failed(event: PaymentFailed, *, event_id: str) -> None:
    from .services.topups import PURPOSE_TOPUP, topup_failed

    if event.purpose_type == PURPOSE_TOPUP:
        topup_failed(topup_id=event.purpose_id)


@on(PayoutCompleted)
def withdrawal_finished(event: PayoutCompleted, *, event_id: str) -> None:
    from .services.withdrawals import withdrawal_completed

    withdrawal_completed(payout_id=event.payout_id, status=event.status)


# --- HokweSplit: an instalment paid by mobile money is in the vault ---
from apps.payments.events import PaymentSucceeded as _SplitPaymentSucceeded  # noqa: E402


@on(_SplitPaymentSucceeded)
def split_instalment_paid(event: _SplitPaymentSucceeded, *, event_id: str) -> None:
    if event.purpose_type != "wallet.SplitInstalment":
        return
    from .services.split_momo import instalment_paid

    instalment_paid(
        instalment_id=event.purpose_id,
        intent_id=event.intent_id,
        amount=event.amount,
        fee=event.fee_amount,
        succeeded_at=event.succeeded_at,
    )


# --- Cotis'Hokwe: a contribution paid by its pay link is in the pot ---
from apps.payments.events import PaymentSucceeded as _TontinePaymentSucceeded  # noqa: E402


@on(_TontinePaymentSucceeded)
def tontine_contribution_paid(event: _TontinePaymentSucceeded, *, event_id: str) -> None:
    from .services.tontine import PAY_LINK_PURPOSE, pay_link_settled

    if event.purpose_type != PAY_LINK_PURPOSE:
        return
    pay_link_settled(
        contribution_id=event.purpose_id,
        intent_id=event.intent_id,
        amount=event.amount - event.fee_amount,
        transfer=event.ledger_transfer,
    )
