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


# --- the lifecycle: a tenant with a year of rent paid on time and this month's due open, the
# products they apply for, the step-up code of an acceptance ---

import pytest as _lifecycle_pytest  # noqa: E402


def lifecycle_product(code: str = "avance-loyer-test", **fields):
    """A tenant product (« Avance loyer » by default: paid to the rent due, monthly)."""
    from apps.lending.models import LoanProduct

    values = {
        "name": "Avance loyer",
        "name_en": "Rent advance",
        "borrower_kind": "tenant",
        "destination": "rent_due",
        "currency": "XOF",
        "min_amount": 10_000,
        "max_amount": 300_000,
        "min_term": 1,
        "max_term": 6,
        "frequency": "monthly",
        "interest_method": "declining",
        "amortization": "equal_instalments",
        "annual_rate_bps": 1_800,
        "upfront_fee_bps": 100,
        "min_score_band": "fair",
        "review_band": "weak",
        "min_kyc_tier": 1,
        "disclosures": "Coût total indiqué avant l'acceptation.",
        **fields,
    }
    return LoanProduct.objects.create(code=code, **values)


def good_tenant(*, tier: int = 1, months: int = 13, city: str = "Cotonou"):
    """A tenant whose lease started `months` months ago, every past due paid on its date, this
    month's due (the 5th) still open; KYC `tier`. Returns (tenant, lease, manager)."""
    from datetime import date

    from apps.estate.models import RentDue
    from apps.kyc.models import KycProfile
    from tests.fixtures.estate import first_of_month, lease_for, managed_property, pay_rent
    from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

    today = date.today()
    agency = OrganizationFactory(name="Agence Prêt", kind="agency")
    manager = MembershipFactory(organization=agency, role="owner").user
    prop = managed_property(agency, name=f"Résidence {city}", city=city)
    tenant = UserFactory(full_name="Locataire Prêt")
    lease = lease_for(manager, prop, tenant, unit_label="L1", start_date=first_of_month(today, months), deposit_months=0)
    past = RentDue.objects.filter(lease=lease, kind="rent", due_date__lt=first_of_month(today)).order_by("due_date")
    for i, due in enumerate(past):
        pay_rent(manager, lease, due.total, received_on=due.due_date, reference=f"P{i}")
    if tier:
        KycProfile.objects.update_or_create(user=tenant, defaults={"tier": tier})
    return tenant, lease, manager


@_lifecycle_pytest.fixture
def lending_otp():
    """lending_otp(user, loan) -> the step-up token accepting that loan's offer (the SMS code
    identity sends, read from a test inbox)."""
    from apps.identity import api as identity
    from apps.lending.services.acceptance import STEP_UP_ACTION
    from tests.identity.conftest import SmsInbox

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)

    def make(user, loan, *, amount=None):
        challenge = identity.step_up_start(
            actor=user,
            action=STEP_UP_ACTION,
            target=str(loan.public_id),
            amount=loan.principal if amount is None else amount,
            currency=loan.currency,
        )
        proof = identity.step_up_verify(
            actor=user, challenge_id=challenge.challenge_id, code=inbox.last_code(user.phone)
        )
        return proof.token

    yield make
    identity.set_otp_sender(None)


@_lifecycle_pytest.fixture
def lending_world(db):
    """A good tenant with an open rent due, « Avance loyer » (to the due) and « Prêt d'urgence »
    (to the wallet)."""
    from types import SimpleNamespace

    tenant, lease, manager = good_tenant()
    rent = lifecycle_product()
    emergency = lifecycle_product(
        "pret-urgence-test",
        name="Prêt d'urgence",
        name_en="Emergency loan",
        destination="wallet",
        frequency="weekly",
        max_term=8,
    )
    return SimpleNamespace(tenant=tenant, lease=lease, manager=manager, rent=rent, emergency=emergency)
