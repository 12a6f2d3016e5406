"""The wallet's reads (each part appends its block; scoped reads for the transports)."""


# --- P2P transfers: what a user sent and received ---


def p2p_transfers_of(user):
    """The user's P2P transfers, sent or received (a held transfer shows on the receiver's
    side once claimed), newest first."""
    from django.db.models import Q

    from .models import P2pTransfer

    if not getattr(user, "pk", None):
        return P2pTransfer.objects.none()
    return (
        P2pTransfer.objects.filter(Q(sender_id=user.pk) | Q(receiver_id=user.pk))
        .select_related("sender", "receiver")
        .order_by("-created_at", "-id")
    )


def p2p_transfer_get(user, public_id):
    """One transfer of the user (sender or receiver), else NotFound (another's is not shown)."""
    import uuid

    from apps.core.errors import NotFound

    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound(field="transfer_id") from None
    row = p2p_transfers_of(user).filter(public_id=key).first()
    if row is None:
        raise NotFound(field="transfer_id")
    return row


# --- wallet core: the user's own wallet, top-ups and withdrawals ---


def own_wallet(user, currency: str = "XOF"):
    """The signed-in user's wallet in `currency` (never another's), created on first use as
    services.wallets.wallet_for does (kept here for the pages: selectors sit below services)."""
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from apps.ledger import api as ledger

    from .models import Wallet, WalletUsage

    found = Wallet.objects.filter(user_id=user.pk, currency=currency).first()
    if found is not None:
        return found
    account = ledger.user_wallet(user=user.public_id, currency=currency)
    try:
        with transaction.atomic():
            wallet = Wallet.objects.create(
                user_id=user.pk, currency=currency, account=account.public_id, last_activity_at=timezone.now()
            )
            WalletUsage.objects.create(wallet=wallet)
    except IntegrityError:
        wallet = Wallet.objects.get(user_id=user.pk, currency=currency)
    return wallet


def own_topups(user, currency: str = "XOF"):
    from .models import TopUp

    return TopUp.objects.filter(wallet__user_id=user.pk, currency=currency).order_by("-created_at", "-id")


def own_withdrawals(user, currency: str = "XOF"):
    from .models import Withdrawal

    return Withdrawal.objects.filter(wallet__user_id=user.pk, currency=currency).order_by(
        "-created_at", "-id"
    )


# --- HokweSplit: the saver's own plans ---


def split_plans_of(user):
    """The user's HokweSplit plans, newest first (never another's)."""
    from .models import SplitPlan

    if not getattr(user, "pk", None):
        return SplitPlan.objects.none()
    return (
        SplitPlan.objects.filter(user_id=user.pk)
        .select_related("wallet", "user")
        .order_by("-created_at", "-id")
    )


def split_plan_get(user, public_id, *, field: str = "plan_id"):
    """One plan of the user, else NotFound (another's is not shown)."""
    import uuid

    from apps.core.errors import NotFound

    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound(field=field) from None
    row = split_plans_of(user).filter(public_id=key).first()
    if row is None:
        raise NotFound(field=field)
    return row
