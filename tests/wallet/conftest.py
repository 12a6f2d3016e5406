"""Fixtures of the wallet tests (each part appends its own)."""

# --- wallet core ----------------------------------------------------------------------------
import pytest


@pytest.fixture(autouse=True)
def _wallet_usage_source():
    """The wallet is kyc's usage source (apps.py ready()); a kyc test that swaps in its own
    source and then sets None must not leave the wallet's tests without it."""
    from apps.kyc import api as kyc
    from apps.wallet.services.wallets import WalletUsageSource

    kyc.set_usage_source(WalletUsageSource())
    yield


@pytest.fixture
def clearing(db):
    """The sandbox provider's clearing account (XOF): where tests' money comes from."""
    from apps.ledger import api as ledger

    return ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id


@pytest.fixture
def fund(clearing):
    """fund(wallet, amount): money into a wallet as a top-up would bring it (no kyc check)."""
    import uuid

    from apps.wallet.services import wallets

    def _fund(wallet, amount, *, kyc_operation=None):
        return wallets.move(
            idempotency_key=f"test:fund:{uuid.uuid4()}",
            code="wallet.topup",
            debit=clearing,
            credit=wallet.account,
            amount=amount,
            currency=wallet.currency,
            into=wallet,
            kyc_operation=kyc_operation,
        )

    return _fund


# --- P2P transfers ---------------------------------------------------------------------------


@pytest.fixture
def p2p_step_up():
    """p2p_step_up(user, preview) -> the step-up token of that transfer: answered with the
    authenticator app (the action is a strong one: tests.helpers.enrol_totp)."""
    from apps.identity import api as identity
    from tests.helpers import enrol_totp, totp_code

    def make(user, preview):
        device = enrol_totp(user)
        challenge = identity.step_up_start(
            actor=user,
            action=preview.step_up_action,
            target=preview.step_up_target,
            amount=preview.amount,
            currency=preview.currency,
        )
        proof = identity.step_up_verify(
            actor=user, challenge_id=challenge.challenge_id, code=totp_code(device)
        )
        return proof.token

    return make


# --- HokweSplit -----------------------------------------------------------------------------


@pytest.fixture
def split_world(db):
    """An agency's lease let to a tenant from next month (rent 75 000 + 5 000 charges, due on
    the 5th, no deposit): `tenant`, `manager`, `lease`, `due` (the first due, a DueInfo, more
    than 30 days away) and `wallet` (the tenant's, empty)."""
    from types import SimpleNamespace

    from django.utils import timezone

    from apps.wallet.services.wallets import wallet_for
    from tests.fixtures.estate import agency_property, first_of_month, lease_for, open_dues
    from tests.identity.factories import MembershipFactory, UserFactory

    membership = MembershipFactory(role="owner")
    prop = agency_property(membership.user, membership.organization.pk, name="Résidence Épargne")
    tenant = UserFactory(full_name="Awa Épargnante")
    today = timezone.localdate()
    lease = lease_for(membership.user, prop, tenant, start_date=first_of_month(today, -1), deposit_months=0)
    due = open_dues(lease)[0]
    return SimpleNamespace(
        tenant=tenant,
        manager=membership.user,
        organization=membership.organization,
        lease=lease,
        due=due,
        today=today,
        wallet=wallet_for(tenant, due.currency),
    )


# --- Cotis'Hokwe -----------------------------------------------------------------------------


@pytest.fixture
def tontine_otp():
    """tontine_otp(user, seat) -> the step-up token that accepts the seat's rules (the SMS code
    identity sends, read from a test inbox)."""
    from apps.identity import api as identity
    from tests.identity.conftest import SmsInbox

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)

    def make(user, seat):
        challenge = identity.step_up_start(
            actor=user, action="wallet.tontine.accept", target=str(seat.public_id)
        )
        proof = identity.step_up_verify(
            actor=user, challenge_id=challenge.challenge_id, code=inbox.last_code(user.phone)
        )
        return proof.token

    yield make
    identity.set_otp_sender(None)


@pytest.fixture
def tontine_group(db, fund, tontine_otp):
    """tontine_group(n=4, order="fixed", …) -> a started group: `group`, `users` (the
    organiser first), `seats` (by position), `wallets`; each wallet funded with `funds`."""
    from datetime import timedelta
    from types import SimpleNamespace

    from django.utils import timezone

    from apps.wallet.models import TontineMember
    from apps.wallet.services import tontine, wallets
    from tests.identity.factories import UserFactory

    def make(
        n=4,
        *,
        order="fixed",
        contribution=10_000,
        penalty=500,
        commission_bps=100,
        grace_days=2,
        frequency="weekly",
        funds=100_000,
        start=True,
        start_in_days=1,
        guarantee_required=True,
    ):
        users = [UserFactory(full_name=f"Membre Tontine {i}") for i in range(n)]
        group = tontine.group_create(
            actor=users[0],
            name="Tontine du quartier",
            contribution=contribution,
            currency="XOF",
            frequency=frequency,
            start_date=timezone.localdate() + timedelta(days=start_in_days),
            max_members=max(n, 3),
            order_method=order,
            late_penalty=penalty,
            grace_days=grace_days,
            commission_bps=commission_bps,
            guarantee_required=guarantee_required,
        )
        if n > 1:
            seats = tontine.invite(actor=users[0], group=group, phones=[str(u.phone) for u in users[1:]])
            for user, seat in zip(users[1:], seats, strict=True):
                tontine.invitation_accept(actor=user, member=seat, step_up_token=tontine_otp(user, seat))
        purses = [wallets.wallet_for(u, "XOF") for u in users]
        for purse in purses:
            if funds:
                fund(purse, funds)
        if start:
            group = tontine.group_start(actor=users[0], group=group)
        seats = list(TontineMember.objects.filter(group=group, status="active").order_by("position", "id"))
        return SimpleNamespace(group=group, users=users, seats=seats, wallets=purses)

    return make


@pytest.fixture
def rent_otp():
    """rent_otp(user, due_id, amount) -> the step-up token of a rent paid from the wallet above
    WALLET_RENT_STEP_UP_ABOVE (the SMS code identity sends, read from a test inbox)."""
    from apps.identity import api as identity
    from apps.wallet.services import rent
    from tests.identity.conftest import SmsInbox

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)

    def make(user, due_id, amount, currency="XOF"):
        challenge = identity.step_up_start(
            actor=user, action=rent.STEP_UP_ACTION, target=str(due_id), amount=amount, currency=currency
        )
        proof = identity.step_up_verify(
            actor=user, challenge_id=challenge.challenge_id, code=inbox.last_code(user.phone)
        )
        return proof.token

    yield make
    identity.set_otp_sender(None)
