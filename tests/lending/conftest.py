"""Lending fixtures (each part appends its own)."""


# --- emergency fund, guarantors and pledged savings ---
import pytest


@pytest.fixture
def fund_topup(db):
    """fund_topup(user, amount, currency="XOF"): money into the user's wallet as a top-up
    brings it (from the sandbox clearing account, no kyc check)."""
    import uuid as _uuid

    from apps.ledger import api as _ledger
    from apps.wallet.services import wallets as _wallets

    def top_up(user, amount, currency="XOF"):
        wallet = _wallets.wallet_for(user, currency)
        clearing = _ledger.system_account(code="provider_clearing.sandbox", currency=currency).public_id
        _wallets.move(
            idempotency_key=f"test:lending:topup:{_uuid.uuid4()}",
            code="wallet.topup",
            debit=clearing,
            credit=wallet.account,
            amount=amount,
            currency=currency,
            into=wallet,
        )
        return wallet

    return top_up


@pytest.fixture
def fund_saver(db, fund_topup):
    """A user with 200 000 XOF in the wallet and an open emergency fund (no lock) holding
    50 000."""
    from apps.lending.services import fund as fund_service
    from tests.identity.factories import UserFactory

    user = UserFactory()
    fund_topup(user, 200_000)
    fund = fund_service.open_fund(actor=user, currency="XOF", goal=300_000)
    fund_service.deposit(actor=user, fund=fund, amount=50_000, idempotency_key="first")
    return user, fund


@pytest.fixture
def fund_sms():
    """An SMS inbox for identity's codes: `fund_sms.last_code(phone)`."""
    from apps.identity import api as identity
    from tests.identity.conftest import SmsInbox

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)
