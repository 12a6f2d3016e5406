"""Landlord advances (« Avance sur loyers »): the limit from the rents under management, the
decision, the disbursement to the owner's balance, and the repayment from the rents collected
before the owner's payout (the issue's second « Done when »)."""

from __future__ import annotations

import datetime as dt
from datetime import date
from types import SimpleNamespace

import pytest
from django.test import TestCase
from django.utils import timezone

from apps.core.errors import NotFound
from apps.ledger import api as ledger
from apps.lending.models import Loan, Repayment
from apps.lending.services import advance
from apps.payments import services as payments_services
from apps.payments.models import Payout, PayoutAccount, PayoutSchedule
from tests.fixtures.estate import first_of_month, lease_for, managed_property, pay_rent
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .conftest import lifecycle_product

pytestmark = pytest.mark.django_db

RENT = 100_000  # a month, no charges; the agency keeps 10 %: 90 000 net to the owner


def on_commit():
    return TestCase.captureOnCommitCallbacks(execute=True)


def landlord_product(**fields):
    values = {
        "name": "Avance sur loyers",
        "name_en": "Advance on rents",
        "borrower_kind": "landlord",
        "destination": "payout",
        "min_amount": 50_000,
        "max_amount": 2_000_000,
        "min_term": 1,
        "max_term": 6,
        "interest_method": "flat",
        "amortization": "equal_instalments",
        "annual_rate_bps": 1_200,
        "upfront_fee_bps": 0,
        "min_kyc_tier": 0,
        "align_to_rent_date": False,
        **fields,
    }
    return lifecycle_product("avance-sur-loyers-test", **values)


def landlord_world(*, months_paid: int = 13):
    """An owner organization (its owner `landlord`) whose property an agency manages at 10 %:
    one lease of 100 000 a month started 13 months ago, the `months_paid` oldest dues paid
    today."""
    today = date.today()
    agency = OrganizationFactory(name="Agence Avance", kind="agency")
    manager = MembershipFactory(organization=agency, role="owner").user
    prop = managed_property(agency, name="Résidence des Avances", since=date(2020, 1, 1))
    owner = prop.owner
    landlord = MembershipFactory(organization=owner, role="owner").user
    lease = lease_for(
        manager,
        prop,
        UserFactory(),
        unit_label="AV1",
        start_date=first_of_month(today, 13),
        rent=RENT,
        charges=0,
        deposit_months=0,
        due_day=1,
        grace_days=0,
    )
    if months_paid:
        with on_commit():
            pay_rent(manager, lease, RENT * months_paid)
    return SimpleNamespace(
        agency=agency,
        manager=manager,
        owner=owner,
        landlord=landlord,
        lease=lease,
        product=landlord_product(),
    )


def test_the_limit_is_three_months_of_net_rent():
    world = landlord_world()
    limit = advance.limit_for(world.owner.public_id, currency="XOF")
    assert limit.reasons == ()
    assert limit.monthly_net == 90_000 and limit.expected_net == 270_000
    assert limit.limit == 270_000 and limit.owed == 0
    found = advance.eligibility(
        actor=world.landlord, organization=world.owner.public_id, product=world.product
    )
    assert found.eligible and found.maximum == 270_000


def test_a_short_history_is_not_eligible_and_an_outsider_sees_nothing():
    world = landlord_world(months_paid=3)  # the three oldest: outside the last 12 months but one
    limit = advance.limit_for(world.owner.public_id, currency="XOF")
    assert limit.reasons == ("advance_history_short",) and limit.limit == 0
    with pytest.raises(NotFound):
        advance.eligibility(actor=world.manager, organization=world.owner.public_id, product=world.product)
    with pytest.raises(NotFound):
        advance.advance_apply(
            actor=world.manager,
            organization=world.owner.public_id,
            product=world.product,
            amount=100_000,
            term=2,
            idempotency_key="k",
        )


def test_an_amount_above_the_limit_is_declined_with_its_reason():
    world = landlord_world()
    loan = advance.advance_apply(
        actor=world.landlord,
        organization=world.owner.public_id,
        product=world.product,
        amount=300_000,
        term=3,
        idempotency_key="too-much",
    )
    assert loan.status == "declined"
    assert [r["code"] for r in loan.decision_reasons] == ["advance_above_limit"]


def accept_token(user, loan) -> str:
    """The step-up proof accepting `loan` (identity's strong factor for a money action: a TOTP
    app enrolled and answered, else the SMS code)."""
    from apps.identity import api as identity
    from apps.identity.services import protection
    from apps.lending.services.acceptance import STEP_UP_ACTION
    from tests.helpers import enrol_totp, totp_code
    from tests.identity.conftest import SmsInbox

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    try:
        strong = protection.needs_strong_factor(user, action=STEP_UP_ACTION, amount=loan.principal)
        device = enrol_totp(user) if strong else None
        challenge = identity.step_up_start(
            actor=user,
            action=STEP_UP_ACTION,
            target=str(loan.public_id),
            amount=loan.principal,
            currency=loan.currency,
        )
        code = totp_code(device) if challenge.method == "totp" else inbox.last_code(user.phone)
        return identity.step_up_verify(actor=user, challenge_id=challenge.challenge_id, code=code).token
    finally:
        identity.set_otp_sender(None)


def _accepted_advance(world, lending_otp, amount=200_000, term=2):
    loan = advance.advance_apply(
        actor=world.landlord,
        organization=world.owner.public_id,
        product=world.product,
        amount=amount,
        term=term,
        purpose="Toiture",
        idempotency_key="advance-1",
    )
    assert loan.status == "approved", loan.decision_reasons
    assert loan.organization == world.owner.public_id and loan.borrower_kind == "landlord"
    from apps.lending.services.acceptance import accept

    with on_commit():
        loan = accept(actor=world.landlord, loan=loan, step_up_token=accept_token(world.landlord, loan))
    loan.refresh_from_db()
    assert loan.status == "active"
    return loan


def _owners_payable(world):
    return ledger.organization_account(
        organization=world.owner.public_id, code="owners_payable", currency="XOF"
    ).public_id


def test_the_advance_counts_against_the_limit(lending_otp):
    world = landlord_world()
    loan = _accepted_advance(world, lending_otp)
    limit = advance.limit_for(world.owner.public_id, currency="XOF")
    assert limit.owed == loan.outstanding
    assert limit.limit == 270_000 - loan.outstanding
    assert list(advance.advances_of(world.landlord)) == [loan]
    assert list(advance.advances_of(world.manager)) == []  # the agency does not see the owner's loans


def test_the_advance_is_repaid_from_collected_rents_before_the_payout(lending_otp, settings):
    settings.PAYMENT_PROVIDERS = ["sandbox"]
    settings.PAYMENT_ROUTES = ""
    settings.PAYMENT_PAYOUT_PROVIDER = "sandbox"
    settings.PAYOUT_MIN_AMOUNT = 1_000
    world = landlord_world()  # a year of rent collected today, not yet on the owner's statement
    loan = _accepted_advance(world, lending_otp)
    payable = _owners_payable(world)
    assert ledger.balance(account=payable).available == loan.principal  # disbursed to the owner's balance
    from apps.kyc.models import Submission

    Submission.objects.create(
        subject="business", user=world.landlord, organization=world.owner, status="approved"
    )
    account = PayoutAccount.objects.create(
        organization=world.owner,
        kind="mobile_money",
        phone="+2290196000123",
        operator="mtn",
        holder_name="Famille Propriétaire",
        verified_at=timezone.now(),
    )
    PayoutSchedule.objects.create(organization=world.owner, payout_account=account, frequency="weekly")
    first = loan.instalments.order_by("number").first()

    # a Monday before the first instalment: nothing is due, the advance is paid out whole
    monday_before = first.due_date - dt.timedelta(days=first.due_date.weekday() + 7)
    with on_commit():
        assert payments_services.scheduled_payouts_run(today=monday_before) == 1
    assert not Repayment.objects.filter(loan=loan).exists()
    assert Payout.objects.get(organization=world.owner).amount == loan.principal
    assert ledger.balance(account=payable).available == 0

    # the agency closes the owner's statement: the rents collected land on the owner's balance
    from apps.estate import services as estate_services

    statement = estate_services.statement_get_or_refresh(
        actor=world.manager,
        organization_id=world.agency.pk,
        owner_id=world.owner.pk,
        period=timezone.localdate(),
    )
    estate_services.statement_close(actor=world.manager, statement=statement)
    rents = ledger.balance(account=payable).available
    assert rents == 13 * 90_000

    # the first Monday on or after the first instalment: the payout takes the instalment first
    monday = first.due_date + dt.timedelta(days=(7 - first.due_date.weekday()) % 7)
    with on_commit():
        assert payments_services.scheduled_payouts_run(today=monday) == 1
    repayment = Repayment.objects.get(loan=loan)
    assert repayment.channel == "rents" and repayment.source_account == payable
    first.refresh_from_db()
    assert first.status == "paid" and repayment.amount == first.total
    payout = Payout.objects.filter(organization=world.owner).order_by("-id").first()
    assert payout.amount == rents - first.total  # the rest of the rents, paid out after
    assert ledger.balance(account=payable).available == 0
    loan.refresh_from_db()
    assert ledger.balance(account=loan.account).posted == loan.outstanding
    # the second instalment's interest is billed on its due date: its principal is what is owed
    assert loan.principal_outstanding == sum(i.principal - i.paid_principal for i in loan.instalments.all())

    # the same day again: nothing more is due, nothing taken twice
    with on_commit():
        payments_services.scheduled_payouts_run(today=monday)
    assert Repayment.objects.filter(loan=loan).count() == 1


def test_the_daily_run_takes_what_is_due_as_soon_as_rents_come_in(lending_otp):
    world = landlord_world()
    loan = _accepted_advance(world, lending_otp, amount=100_000, term=1)
    payable = _owners_payable(world)
    assert ledger.balance(account=payable).available == 100_000  # the advance itself
    first = loan.instalments.get()
    result = advance.rents_deduction_daily(today=first.due_date)
    loan.refresh_from_db()
    assert result["organizations"] == 1 and result["taken"] == 100_000
    # the balance held only the advance: what is left of the instalment stays due
    first.refresh_from_db()
    assert first.owed == first.total - 100_000
    assert Loan.objects.get(pk=loan.pk).status == "active"


def test_the_demo_leaves_the_landlord_an_offer_once():
    from apps.core.management.commands.seed_demo import DemoContext
    from apps.lending.demo import _seed_advance

    world = landlord_world()
    world.product.code = "avance-sur-loyers"
    world.product.save(update_fields=["code"])
    ctx = DemoContext()
    ctx["organizations"] = {"landlord0": world.owner}
    _seed_advance(ctx)
    _seed_advance(ctx)
    loan = Loan.objects.get(idempotency_key="demo:advance")
    assert loan.status == "approved" and loan.principal == 270_000 and loan.borrower == world.landlord
    assert ctx["lending_advance"] == loan.number
