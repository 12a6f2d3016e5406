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


@pytest.fixture
def fund_loan(db):
    """fund_loan(borrower, principal=100_000, pledge_bps=0, requires_guarantor=False,
    status="approved") -> a loan row of a wallet product (no ledger: the pledge and
    guarantor services read the loan's status and balances only)."""
    import uuid as _uuid

    from apps.lending.models import Loan, LoanProduct

    def make(borrower, principal=100_000, pledge_bps=0, requires_guarantor=False, status="approved"):
        product = LoanProduct.objects.create(
            code=f"fund-test-{_uuid.uuid4().hex[:8]}",
            name="Prêt d'urgence",
            borrower_kind="tenant",
            destination="wallet",
            min_amount=10_000,
            max_amount=500_000,
            frequency="monthly",
            interest_method="declining",
            amortization="equal_instalments",
            annual_rate_bps=2400,
            pledge_bps=pledge_bps,
            requires_guarantor=requires_guarantor,
        )
        return Loan.objects.create(
            number=f"PRT-2026-{_uuid.uuid4().int % 1_000_000:06d}",
            product=product,
            borrower=borrower,
            borrower_kind="tenant",
            status=status,
            currency="XOF",
            principal=principal,
            term=4,
            frequency="monthly",
            interest_method="declining",
            amortization="equal_instalments",
            annual_rate_bps=2400,
        )

    return make


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


def good_tenant(*, tier: int = 1, months: int = 13, city: str = "Cotonou", pay: bool = True):
    """A tenant whose lease started `months` months ago, every past due paid on its date (none
    when `pay` is False), this month's due (the 5th) still open; KYC `tier`. Returns (tenant,
    lease, manager)."""
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
    lease = lease_for(
        manager, prop, tenant, unit_label="L1", start_date=first_of_month(today, months), deposit_months=0
    )
    past = RentDue.objects.filter(lease=lease, kind="rent", due_date__lt=first_of_month(today)).order_by(
        "due_date"
    )
    for i, due in enumerate(past if pay else []):
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
        annual_rate_bps=1_200,
        upfront_fee_bps=0,
    )
    return SimpleNamespace(tenant=tenant, lease=lease, manager=manager, rent=rent, emergency=emergency)


# --- delinquency: active loans put straight on the book (the disbursement's posting, no
# wallet or rent due), their schedule from the products' `build` ---


import pytest as _book_pytest  # noqa: E402


def book_product(code: str, **fields):
    """A monthly tenant product paid to the wallet (late fees and the rest as given)."""
    from apps.lending.models import LoanProduct

    values = {
        "name": "Prêt test",
        "borrower_kind": "tenant",
        "destination": "wallet",
        "currency": "XOF",
        "min_amount": 1_000,
        "max_amount": 10_000_000,
        "min_term": 1,
        "max_term": 36,
        "frequency": "monthly",
        "interest_method": "declining",
        "amortization": "equal_instalments",
        "annual_rate_bps": 2_400,
        **fields,
    }
    return LoanProduct.objects.create(code=code, **values)


@_book_pytest.fixture
def book_loan(db):
    """book_loan(principal=120_000, term=3, first_due=date, product=None, borrower=None,
    rate_bps=2_400) -> an ACTIVE loan: its account debited with the principal (Cr
    lending.funding), its instalments written from the schedule."""
    import itertools
    from datetime import date as _date

    from apps.ledger import api as _ledger
    from apps.ledger.contracts import Leg as _Leg
    from apps.lending.models import Instalment as _Instalment
    from apps.lending.models import Loan as _Loan
    from apps.lending.services import accounts as _accounts
    from apps.lending.services.schedule import build as _build
    from tests.identity.factories import UserFactory

    counter = itertools.count(1)
    products = {}

    def make(
        *,
        principal=120_000,
        term=3,
        first_due=None,
        product=None,
        borrower=None,
        rate_bps=2_400,
        **product_fields,
    ):
        n = next(counter)
        if product is None:
            key = tuple(sorted(product_fields.items()))
            if key not in products:
                products[key] = book_product(f"book-{len(products)}", **product_fields)
            product = products[key]
        first_due = first_due or _date.today()
        sched = _build(
            principal=principal,
            currency=product.currency,
            annual_rate_bps=rate_bps,
            term=term,
            frequency=product.frequency,
            interest_method=product.interest_method,
            amortization=product.amortization,
            first_due_date=first_due,
        )
        loan = _Loan.objects.create(
            number=f"PRT-TEST-{n:06d}-{_date.today().toordinal()}",
            product=product,
            borrower=borrower or UserFactory(),
            borrower_kind="tenant",
            status="active",
            single_open=False,
            currency=product.currency,
            principal=principal,
            term=term,
            frequency=product.frequency,
            interest_method=product.interest_method,
            amortization=product.amortization,
            annual_rate_bps=rate_bps,
            total_interest=sched.total_interest,
            first_due_date=first_due,
            destination=product.destination,
            disbursed_on=first_due,
            principal_outstanding=principal,
        )
        loan.account = _accounts.loan_account(loan)
        loan.save(update_fields=["account"])
        funding = _accounts.system("lending.funding", loan.currency)
        _ledger.transfer(
            idempotency_key=f"test:lending:disburse:{loan.public_id}",
            code="lending_disbursement",
            legs=[
                _Leg.debit(loan.account, principal, loan.currency),
                _Leg.credit(funding, principal, loan.currency),
            ],
        )
        _Instalment.objects.bulk_create(
            [
                _Instalment(
                    loan=loan,
                    number=line.number,
                    due_date=line.due_date,
                    principal=line.principal,
                    interest=line.interest,
                    fee=line.fee,
                )
                for line in sched.lines
            ]
        )
        return loan

    return make
