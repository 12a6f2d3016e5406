"""P2P transfers by phone number (docs/wallet.md, "P2P transfers").

    preview = p2p_preview(actor=u, phone="97 00 00 01", amount=5_000, currency="XOF")
    # show preview.receiver_name (« Ko*** A. »), amount, fee, step_up_required
    transfer = p2p_confirm(actor=u, preview_token=preview.token, idempotency_key="…",
                           step_up_token=…)   # the proof of identity's step-up, above the threshold
    p2p_cancel(actor=u, transfer=transfer)    # a held transfer, before it is claimed

The money moves with the wallet's one primitive, `wallets.move` (usable wallets, kyc's limits
for the sender's outflow and the receiver's inflow, the stored usage totals, the ledger's
balance check under its row locks). A number with no account: the money waits in the system
account `wallet.p2p_held` (a liability that cannot go negative), an invitation SMS goes out,
and the transfer is claimed when the number signs up (`p2p_claim_for`, from identity's
UserRegistered) or returned to the sender after WALLET_P2P_CLAIM_DAYS (`p2p_settle_held`, beat).

Ledger idempotency keys, one per movement of a transfer:
    wallet:p2p:<preview id>:send      sender -> receiver's wallet, or sender -> held
    wallet:p2p:<preview id>:claim     held -> receiver's wallet
    wallet:p2p:<preview id>:back      held -> sender (returned or cancelled: one key, so a
                                      cancel racing the beat's return moves the money once)
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.errors import DomainError, IdempotencyConflict
from apps.core.idempotency import clean_key
from apps.core.outbox import publish
from apps.core.statemachine import StateMachine
from apps.identity import api as identity
from apps.kyc import api as kyc
from apps.kyc.contracts import Operation, Usage
from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, OwnerType
from apps.notifications import api as notifications

from ..contracts import P2pPreview, P2pTransferView
from ..errors import (
    InvalidAmount,
    P2pCurrencyNotInWallet,
    P2pInsufficientBalance,
    P2pNotCancellable,
    P2pPreviewExpired,
    P2pPreviewUsed,
    P2pReceiverChanged,
    P2pReceiverUnavailable,
    P2pReceiverWalletClosed,
    P2pReceiverWalletFrozen,
    P2pToSelf,
    WalletClosed,
    WalletFrozen,
)
from ..events import P2pTransferSent
from ..messages import WALLET_P2P_INVITATION, WALLET_P2P_RECEIVED, WALLET_P2P_RETURNED
from ..models import P2pTransfer, Wallet, WalletUsage
from . import wallets

logger = logging.getLogger("hokwe.wallet.p2p")

__all__ = [
    "HELD_CODE",
    "STEP_UP_ACTION",
    "P2pPreview",
    "held_account",
    "mask_name",
    "p2p_cancel",
    "p2p_claim_for",
    "p2p_confirm",
    "p2p_preview",
    "p2p_settle_held",
    "p2p_tell_receiver",
    "p2p_view",
    "P2pTransferView",
    "step_up_needed",
]

HELD_CODE = "wallet.p2p_held"
STEP_UP_ACTION = "wallet.transfer.send"  # identity's step-up names are [a-z_]+.[a-z_]+.[a-z_]+
LEDGER_CODE = "wallet.p2p"
_SALT = "wallet.p2p.preview"

S = P2pTransfer.Status
STATES = StateMachine(
    {
        S.COMPLETED: set(),
        S.HELD: {S.CLAIMED, S.RETURNED, S.CANCELLED},
        S.CLAIMED: set(),
        S.RETURNED: set(),
        S.CANCELLED: set(),
    },
    error=P2pNotCancellable,
)


# --- helpers ------------------------------------------------------------------------------


def mask_name(full_name: str) -> str:
    """« Koffi Adjovi » -> « Ko*** A. », « Koffi » -> « Ko*** », "" -> "" (enough to
    recognise the person one means, not to learn a stranger's name)."""
    words = [w for w in str(full_name or "").split() if w]
    if not words:
        return ""
    first = words[0][:2] + "***"
    if len(words) == 1:
        return first
    return f"{first} {words[-1][0].upper()}."


def mask_phone(phone: str) -> str:
    """'+2290197000001' -> '+229******01' (SMS-safe: GSM-7 characters only)."""
    text = str(phone or "")
    if len(text) < 6:
        return "**"
    return text[:4] + "*" * (len(text) - 6) + text[-2:]


def _name_of(user, reads=None) -> str:
    """The name the receiver is known by: the one on their approved identity verification,
    else their profile's (`reads`: the call's kyc limit_reads, which know the tier)."""
    name = reads.verified_name(user) if reads is not None else kyc.verified_name(user.public_id)
    return name or user.full_name or ""


def step_up_needed(amount: int) -> bool:
    return amount > settings.WALLET_P2P_STEP_UP_ABOVE


def held_account(currency: str) -> UUID:
    """The system account of money waiting for a number to sign up (created on first use)."""
    return ledger.create_account(
        code=HELD_CODE,
        name="P2P transfers held for numbers without an account",
        currency=currency,
        kind=AccountKind.LIABILITY,
        owner_type=OwnerType.SYSTEM,
        debits_must_not_exceed_credits=True,
    ).public_id


def _check_amount(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount(field="amount")
    return amount


def _user_by_phone(phone: str):
    return get_user_model().objects.filter(phone=phone).first()


def _sender_wallet(actor, currency: str) -> Wallet:
    """The actor's wallet in `currency`: refused when they hold none (a ledger wallet account
    from before the Wallet rows counts: its row is created)."""
    currency = str(currency or "").upper()
    found = Wallet.objects.filter(user_id=actor.pk, currency=currency).first()
    if found is not None:
        return found
    if any(
        a.code == wallets.WALLET_CODE and a.currency == currency
        for a in ledger.user_accounts(user=actor.public_id)
    ):
        return wallets.wallet_for(actor, currency)
    raise P2pCurrencyNotInWallet(field="currency")


def _receiver_wallet_usable(wallet: Wallet | None) -> None:
    if wallet is None:
        return
    if wallet.status == Wallet.Status.FROZEN:
        raise P2pReceiverWalletFrozen(field="phone")
    if wallet.status == Wallet.Status.CLOSED:
        raise P2pReceiverWalletClosed(field="phone")


def _parties(actor, phone: str):
    """The pks of the actor and of the owner of `phone`, as a subquery: the OR stays on the
    users table (its primary key and its phone index), and the wallets are found by their
    user's index. An OR across the join (`Q(user_id=…) | Q(user__phone=…)`) cannot use
    either index, so its cost grew with the number of wallets (P2P went from 40 to 6 a
    second between 10,000 and 100,000 wallets, bench/wallet.py)."""
    return get_user_model().objects.filter(Q(pk=actor.pk) | Q(phone=phone)).values("pk")


def _wallets_of(actor, phone: str, currency: str) -> dict[int, Wallet]:
    """{user pk: Wallet} of the actor and of the owner of `phone` in `currency`, with their
    users and usage rows: one query."""
    currency = str(currency or "").upper()
    return {
        w.user_id: w
        for w in Wallet.objects.filter(currency=currency, user_id__in=_parties(actor, phone)).select_related(
            "user", "usage"
        )
    }


def _usage_row(wallet: Wallet) -> WalletUsage:
    """The wallet's usage row when it came with the wallet (select_related), else read."""
    try:
        return wallet.usage
    except WalletUsage.DoesNotExist:
        return WalletUsage(wallet=wallet)


def _lock_parties(actor, phone: str, currency: str) -> dict[int, WalletUsage]:
    """{user pk: usage row} of the actor's and the phone owner's wallets in `currency`, the
    usage and wallet rows locked (SELECT … FOR UPDATE, in wallet order as `wallets.move`),
    with `.wallet` and `.wallet.user`: one query. Inside the caller's transaction."""
    currency = str(currency or "").upper()
    return {
        r.wallet.user_id: r
        for r in WalletUsage.objects.select_for_update(of=("self", "wallet"))
        .select_related("wallet__user")
        .filter(wallet__currency=currency, wallet__user_id__in=_parties(actor, phone))
        .order_by("wallet_id")
    }


def _receiver_of(actor, phone: str):
    receiver = _user_by_phone(phone)
    if receiver is not None and receiver.pk == actor.pk:
        raise P2pToSelf(field="phone")
    if receiver is not None and receiver.status != "active":
        raise P2pReceiverUnavailable(field="phone")
    return receiver


# --- preview ------------------------------------------------------------------------------


def p2p_preview(*, actor, phone: str, amount: int, currency: str, note: str = "") -> P2pPreview:
    """Who the money would go to (masked), what it costs, whether a step-up is needed — and
    every refusal that can be known now (to oneself, a frozen or closed wallet, a currency
    the sender has no wallet in, the balance, kyc's limits). Writes nothing."""
    identity.authenticated(actor)
    amount = _check_amount(amount)
    e164 = identity.normalize_phone(phone, field="phone")
    note = str(note or "").strip()[:140]
    # both wallets, their users and usage rows in one read (the slow paths below only for a
    # wallet without its row yet, or a number whose owner has no wallet in this currency)
    found = _wallets_of(actor, e164, currency)
    wallet = found.get(actor.pk) or _sender_wallet(actor, currency)
    wallets.ensure_usable(wallet)
    receiver_wallet = next((w for user_id, w in found.items() if user_id != actor.pk), None)
    if receiver_wallet is not None:
        receiver = receiver_wallet.user
        if receiver.status != "active":
            raise P2pReceiverUnavailable(field="phone")
    else:
        receiver = _receiver_of(actor, e164)
    _receiver_wallet_usable(receiver_wallet)
    fee = 0  # P2P between Hokwe wallets is free (docs/wallet.md)
    total = amount + fee
    if ledger.balance(account=wallet.account).available < total:
        raise P2pInsufficientBalance(field="amount")
    reads = kyc.limit_reads([actor, receiver])  # both users' tiers and limits: one query
    reads.check(
        actor,
        Operation.TRANSFER_OUT,
        total,
        currency=wallet.currency,
        usage=wallets.usage_of_wallet(wallet, row=_usage_row(wallet), with_balance=False),
    )
    if receiver is not None:
        # what kyc's usage source would say: nothing used without a wallet
        reads.check(
            receiver,
            Operation.TRANSFER_IN,
            amount,
            currency=wallet.currency,
            usage=wallets.usage_of_wallet(receiver_wallet, row=_usage_row(receiver_wallet))
            if receiver_wallet is not None
            else Usage(),
        )
    preview_id = uuid.uuid4()
    ttl = settings.WALLET_P2P_PREVIEW_TTL_SECONDS
    token = signing.dumps(
        {
            "id": str(preview_id),
            "s": str(actor.public_id),
            "p": e164,
            "r": str(receiver.public_id) if receiver is not None else "",
            "a": amount,
            "f": fee,
            "c": wallet.currency,
            "n": note,
        },
        salt=_SALT,
        compress=True,
    )
    return P2pPreview(
        preview_id=preview_id,
        token=token,
        receiver_phone=e164,
        receiver_name=mask_name(_name_of(receiver, reads)) if receiver is not None else "",
        receiver_has_account=receiver is not None,
        amount=amount,
        fee=fee,
        total=total,
        currency=wallet.currency,
        note=note,
        step_up_required=step_up_needed(amount),
        step_up_action=STEP_UP_ACTION,
        step_up_target=str(preview_id),
        expires_at=timezone.now() + timedelta(seconds=ttl),
        claim_days=settings.WALLET_P2P_CLAIM_DAYS,
    )


def _read_token(actor, token: str) -> dict:
    try:
        data = signing.loads(str(token or ""), salt=_SALT, max_age=settings.WALLET_P2P_PREVIEW_TTL_SECONDS)
    except signing.SignatureExpired:
        raise P2pPreviewExpired(field="preview_token") from None
    except signing.BadSignature:
        raise P2pPreviewExpired(field="preview_token") from None
    if data.get("s") != str(actor.public_id):
        raise P2pPreviewExpired(field="preview_token")
    return data


# --- confirm ------------------------------------------------------------------------------


def _translate_move_errors(func, *, receiver_wallet: Wallet | None):
    """Run a move; say whose wallet refused it and that the balance is too low, in words."""
    try:
        return func()
    except ledger.InsufficientFunds:
        raise P2pInsufficientBalance(field="amount") from None
    except (WalletFrozen, WalletClosed):
        if receiver_wallet is not None:
            receiver_wallet.refresh_from_db(fields=["status"])
            _receiver_wallet_usable(receiver_wallet)
        raise


def _existing(actor, preview_id: UUID, idempotency_key: str) -> P2pTransfer | None:
    """A retry of a confirmation returns its transfer; the same key for another preview is a
    conflict, another key for a used preview is refused."""
    from django.db.models import Q

    found = list(
        P2pTransfer.objects.filter(
            Q(sender_id=actor.pk, idempotency_key=idempotency_key) | Q(preview_id=preview_id)
        )[:2]
    )
    by_key = next(
        (t for t in found if t.sender_id == actor.pk and t.idempotency_key == idempotency_key), None
    )
    if by_key is not None:
        if by_key.preview_id != preview_id:
            raise IdempotencyConflict(field="Idempotency-Key")
        return by_key
    if found:
        raise P2pPreviewUsed(field="preview_token")
    return None


def p2p_confirm(
    *, actor, preview_token: str, idempotency_key: str, step_up_token: str | None = None
) -> P2pTransfer:
    """Send the previewed transfer. Above WALLET_P2P_STEP_UP_ABOVE it takes the proof of
    identity's step-up for (STEP_UP_ACTION, the preview id, the amount, the currency): a
    stale, reused or foreign proof is refused (StepUpRequired). Idempotent on
    `idempotency_key` (a retry returns the first transfer)."""
    identity.authenticated(actor)
    key = clean_key(idempotency_key)
    data = _read_token(actor, preview_token)
    preview_id = UUID(data["id"])
    amount, fee, currency, phone = int(data["a"]), int(data["f"]), data["c"], data["p"]
    found = _existing(actor, preview_id, key)
    if found is not None:
        return found
    now = timezone.now()
    # a number with no account when previewed: the money will wait in the held account (a
    # number that signed up since is refused below: P2pReceiverChanged)
    held = held_account(currency) if not data["r"] else None
    with transaction.atomic():
        # Both wallets locked and read once, with their users and usage rows (one query);
        # the move takes these rows as they are (`locked`). A wallet without its rows yet
        # (or a receiver who has no wallet in this currency) goes the way it always went.
        rows = _lock_parties(actor, phone, currency)
        sender_row = rows.get(actor.pk)
        receiver_row = next((r for user_id, r in rows.items() if user_id != actor.pk), None)
        if sender_row is not None and (receiver_row is not None or not data["r"]):
            wallet = sender_row.wallet
            if receiver_row is not None:
                receiver = receiver_row.wallet.user
                if receiver.status != "active":
                    raise P2pReceiverUnavailable(field="phone")
            else:
                receiver = _receiver_of(actor, phone)
            locked = {r.wallet_id: r for r in rows.values()}
        else:
            wallet = _sender_wallet(actor, currency)
            receiver = _receiver_of(actor, phone)
            locked = None
        if str(receiver.public_id if receiver is not None else "") != data["r"]:
            raise P2pReceiverChanged(field="preview_token")
        receiver_wallet = None
        if receiver is not None:
            if receiver_row is not None and locked is not None:
                receiver_wallet = receiver_row.wallet
            else:
                receiver_wallet = Wallet.objects.filter(user_id=receiver.pk, currency=currency).first()
            _receiver_wallet_usable(receiver_wallet)
            receiver_wallet = receiver_wallet or wallets.wallet_for(receiver, currency)
        if step_up_needed(amount):
            identity.require_step_up(
                actor=actor,
                action=STEP_UP_ACTION,
                target=str(preview_id),
                amount=amount,
                currency=currency,
                token=step_up_token,
            )
        reads = kyc.limit_reads([actor, receiver])  # both users' tiers and limits: one query
        result = _translate_move_errors(
            lambda: wallets.move(
                idempotency_key=f"wallet:p2p:{preview_id}:send",
                code=LEDGER_CODE,
                debit=wallet.account,
                credit=receiver_wallet.account if receiver_wallet is not None else held,
                amount=amount,
                currency=currency,
                out_of=wallet,
                into=receiver_wallet,
                kyc_operation=Operation.TRANSFER_OUT,
                description="P2P transfer"
                if receiver_wallet is not None
                else "P2P transfer held for sign-up",
                reference=f"wallet.P2pTransfer:{preview_id}",
                metadata={"phone": mask_phone(phone)},
                locked=locked,
                kyc_reads=reads,
                # rows locked and checked here: any refusal of the move rolls this whole
                # block back, no savepoint needed around it
                savepoint=locked is None,
            ),
            # whose wallet refused: already known under the lock on the fast path
            receiver_wallet=receiver_wallet if locked is None else None,
        )
        transfer = P2pTransfer.objects.create(
            preview_id=preview_id,
            idempotency_key=key,
            sender=actor,
            sender_wallet=wallet,
            receiver_phone=phone,
            receiver=receiver,
            receiver_wallet=receiver_wallet,
            amount=amount,
            fee=fee,
            currency=currency,
            note=data.get("n", ""),
            status=S.COMPLETED if receiver is not None else S.HELD,
            sent_transfer=result.public_id,
            claim_until=None
            if receiver is not None
            else now + timedelta(days=settings.WALLET_P2P_CLAIM_DAYS),
            settled_at=now if receiver is not None else None,
        )
        # the receiver's notice (or the number's invitation) once this commits, by the
        # outbox's handler (`p2p_tell_receiver`): one row here instead of the notice's reads,
        # writes and queueing inside the sender's request; a notice that fails is retried
        # by the outbox, never rolling the money back
        publish(
            P2pTransferSent(
                transfer_id=str(transfer.public_id),
                sender_id=str(actor.public_id),
                receiver_id=str(receiver.public_id) if receiver is not None else None,
                amount=amount,
                currency=currency,
                held=receiver is None,
            )
        )
    return transfer


def p2p_tell_receiver(transfer_public_id: str) -> None:
    """After a confirmation commits (the outbox's handler of P2pTransferSent): tell the
    receiver the money arrived (`wallet.p2p_received`), or invite the number that has no
    account (`wallet.p2p_invitation`, in the sender's language) while the money is still
    held. A transfer claimed since was told by the claim (the same notice key); one returned
    or cancelled since has nothing left to announce. Idempotent on the notices' keys: a
    replayed event sends nothing twice."""
    row = (
        P2pTransfer.objects.select_related("sender", "receiver").filter(public_id=transfer_public_id).first()
    )
    if row is None:
        return
    sender = row.sender
    sender_name = sender.full_name or mask_phone(sender.phone)
    if row.status == S.COMPLETED and row.receiver is not None:
        notifications.send(
            row.receiver.public_id,
            WALLET_P2P_RECEIVED,
            {"sender_name": sender_name, "amount": _money(row)},
            idempotency_key=f"wallet:p2p:{row.public_id}:received",
        )
    elif row.status == S.HELD:
        notifications.send(
            row.receiver_phone,
            WALLET_P2P_INVITATION,
            {
                "sender_name": sender_name,
                "amount": _money(row),
                "claim_days": settings.WALLET_P2P_CLAIM_DAYS,
                "signup_url": settings.WALLET_P2P_SIGNUP_URL,
            },
            idempotency_key=f"wallet:p2p:{row.public_id}:invitation",
            language=sender.preferred_language,
        )


# --- held money: claimed, returned, cancelled ----------------------------------------------


def _locked(transfer_id: int) -> P2pTransfer:
    return P2pTransfer.objects.select_for_update().select_related("sender_wallet").get(pk=transfer_id)


def _claim(row: P2pTransfer, receiver) -> P2pTransfer:
    """held -> claimed: the money goes from `wallet.p2p_held` into the receiver's new wallet
    (kyc's inflow limits of the receiver bind: a refusal leaves it held)."""
    STATES.check(row.status, S.CLAIMED)
    receiver_wallet = wallets.wallet_for(receiver, row.currency)
    result = wallets.move(
        idempotency_key=f"wallet:p2p:{row.preview_id}:claim",
        code=LEDGER_CODE,
        debit=held_account(row.currency),
        credit=receiver_wallet.account,
        amount=row.amount,
        currency=row.currency,
        into=receiver_wallet,
        kyc_operation=Operation.TRANSFER_IN,
        description="P2P transfer claimed at sign-up",
        reference=f"wallet.P2pTransfer:{row.preview_id}",
    )
    row.status = S.CLAIMED
    row.receiver = receiver
    row.receiver_wallet = receiver_wallet
    row.settled_transfer = result.public_id
    row.settled_at = timezone.now()
    row.save(
        update_fields=[
            "status",
            "receiver",
            "receiver_wallet",
            "settled_transfer",
            "settled_at",
            "updated_at",
        ]
    )
    notifications.send(
        receiver.public_id,
        WALLET_P2P_RECEIVED,
        {"sender_name": row.sender.full_name or mask_phone(row.sender.phone), "amount": _money(row)},
        idempotency_key=f"wallet:p2p:{row.public_id}:received",
    )
    return row


def _money(row: P2pTransfer) -> dict:
    return {"amount": row.amount, "currency": row.currency}


def _back(row: P2pTransfer, status: str) -> P2pTransfer:
    """held -> returned | cancelled: the money goes back from `wallet.p2p_held` to the
    sender's wallet. Not a new inflow of the sender (no kyc check, no usage counted): it is
    their own money coming back; a frozen wallet still gets it back (it cannot leave)."""
    STATES.check(row.status, status)
    result = wallets.move(
        idempotency_key=f"wallet:p2p:{row.preview_id}:back",
        code=LEDGER_CODE,
        debit=held_account(row.currency),
        credit=row.sender_wallet.account,
        amount=row.amount,
        currency=row.currency,
        description="P2P transfer returned" if status == S.RETURNED else "P2P transfer cancelled",
        reference=f"wallet.P2pTransfer:{row.preview_id}",
    )
    row.status = status
    row.settled_transfer = result.public_id
    row.settled_at = timezone.now()
    row.save(update_fields=["status", "settled_transfer", "settled_at", "updated_at"])
    return row


def p2p_cancel(*, actor, transfer: P2pTransfer) -> P2pTransfer:
    """The sender takes back a transfer nobody has claimed yet."""
    identity.authenticated(actor)
    with transaction.atomic():
        row = _locked(transfer.pk)
        if row.sender_id != actor.pk:
            raise P2pNotCancellable(field="transfer")
        return _back(row, S.CANCELLED)


def p2p_claim_for(user) -> list[P2pTransfer]:
    """Claim every transfer held for `user`'s phone number (identity's UserRegistered, and
    the beat for accounts created another way). One transaction per transfer: a refusal
    (the receiver's kyc limit) leaves that one held, the others are claimed."""
    phone = str(getattr(user, "phone", "") or "")
    if not phone or getattr(user, "status", "active") != "active":
        return []
    claimed = []
    for pk in (
        P2pTransfer.objects.filter(status=S.HELD, receiver_phone=phone)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        try:
            with transaction.atomic():
                row = _locked(pk)
                if row.status != S.HELD:
                    continue
                if row.sender_id == user.pk:  # the sender took that number since: it goes back
                    continue
                claimed.append(_claim(row, user))
        except DomainError as refused:
            logger.info("p2p_claim_refused", extra={"transfer": str(pk), "code": refused.code})
    return claimed


def p2p_settle_held(*, now: datetime | None = None) -> dict:
    """The beat: held transfers whose number has an account by now are claimed; those past
    their `claim_until` go back to their sender (with a message). Idempotent: run twice, it
    moves nothing more."""
    now = now or timezone.now()
    claimed = returned = 0
    phones = set(
        P2pTransfer.objects.filter(status=S.HELD).values_list("receiver_phone", flat=True).distinct()
    )
    for user in get_user_model().objects.filter(phone__in=phones, status="active"):
        claimed += len(p2p_claim_for(user))
    due = (
        P2pTransfer.objects.filter(status=S.HELD, claim_until__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in due:
        with transaction.atomic():
            row = _locked(pk)
            if row.status != S.HELD or row.claim_until > now:
                continue
            _back(row, S.RETURNED)
            notifications.send(
                row.sender.public_id,
                WALLET_P2P_RETURNED,
                {"receiver_phone": mask_phone(row.receiver_phone), "amount": _money(row)},
                idempotency_key=f"wallet:p2p:{row.public_id}:returned",
            )
            returned += 1
    return {"claimed": claimed, "returned": returned}


# --- what each side sees -------------------------------------------------------------------


def p2p_view(row: P2pTransfer, viewer) -> P2pTransferView:
    sent = row.sender_id == getattr(viewer, "pk", None)
    if sent:
        other = row.receiver
        name = mask_name(other.full_name) if other is not None else ""
        phone = row.receiver_phone
    else:
        name = mask_name(row.sender.full_name)
        phone = mask_phone(row.sender.phone)
    return P2pTransferView(
        public_id=row.public_id,
        direction="sent" if sent else "received",
        status=row.status,
        amount=row.amount,
        fee=row.fee,
        currency=row.currency,
        note=row.note,
        counterpart_name=name,
        counterpart_phone=phone,
        can_cancel=sent and row.status == S.HELD,
        created_at=row.created_at,
        claim_until=row.claim_until,
        settled_at=row.settled_at,
    )
