"""Acceptance by OTP and disbursement: the key facts kept, the money to the rent due, the
wallet and the fee income, the loan's ledger account equal to what is owed, a retry or a
resumed disbursement paying once."""

import pytest

from apps.core.models import OutboxEvent
from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.lending.contracts import LoanStatus
from apps.lending.errors import InvalidLoanState, OfferExpired
from apps.lending.models import Disbursement, Loan
from apps.lending.services import acceptance, accounts, applications, disbursement
from apps.wallet import api as wallet

pytestmark = pytest.mark.django_db


def _offer(world, product=None, amount=100_000, term=3):
    loan = applications.apply(
        actor=world.tenant,
        product=product or world.rent,
        amount=amount,
        term=term,
        purpose="loyer",
        destination_ref="",
        idempotency_key=f"offer-{amount}-{term}",
    )
    assert loan.status == LoanStatus.APPROVED, loan.decision_reasons
    return loan


def _due(world, loan):
    return world.lease.dues.get(public_id=loan.destination_ref)


def test_an_advance_pays_the_rent_due_and_the_rest_goes_to_the_wallet(
    lending_world, lending_otp, django_capture_on_commit_callbacks
):
    loan = _offer(lending_world)
    due = _due(lending_world, loan)
    owed = due.total - due.paid
    token = lending_otp(lending_world.tenant, loan)
    with django_capture_on_commit_callbacks(execute=True):  # estate applies the payment to the due
        loan = acceptance.accept(actor=lending_world.tenant, loan=loan, step_up_token=token)
    assert loan.status == LoanStatus.ACTIVE
    assert loan.key_facts["principal"] == 100_000 and loan.key_facts["upfront_fee"] == 1_000
    assert len(loan.key_facts["schedule"]) == 3 and loan.key_facts["disclosures"]["fr"]
    due.refresh_from_db()
    assert due.status == "paid"
    # the loan's account holds the whole principal: the due, the rest to the wallet, the fee
    assert ledger.balance(account=loan.account).posted == 100_000 == loan.principal_outstanding
    record = Disbursement.objects.get(loan=loan)
    assert (record.to_due, record.to_wallet, record.fee) == (owed, 99_000 - owed, 1_000)
    assert wallet.wallet_info(lending_world.tenant, "XOF").balance == 99_000 - owed
    assert ledger.balance(account=accounts.system("lending.fee_income", "XOF")).posted == 1_000
    lines = list(loan.instalments.order_by("number"))
    assert [line.number for line in lines] == [1, 2, 3]
    assert sum(line.principal for line in lines) == 100_000
    assert sum(line.interest for line in lines) == loan.total_interest
    assert lines[0].due_date == loan.first_due_date
    event = OutboxEvent.objects.get(name="lending.LoanDisbursed")
    assert event.payload["loan"] == str(loan.public_id) and event.payload["principal"] == 100_000


def test_an_emergency_loan_goes_to_the_wallet(lending_world, lending_otp):
    loan = _offer(lending_world, product=lending_world.emergency, amount=50_000, term=4)
    loan = acceptance.accept(
        actor=lending_world.tenant, loan=loan, step_up_token=lending_otp(lending_world.tenant, loan)
    )
    assert loan.status == LoanStatus.ACTIVE
    assert wallet.wallet_info(lending_world.tenant, "XOF").balance == 50_000  # no upfront fee
    moved = ledger.statement(account=loan.account)
    assert loan.disbursement_transfer in {line.transfer for line in moved.lines}
    assert ledger.balance(account=loan.account).posted == 50_000
    assert loan.instalments.count() == 4


def test_a_code_for_another_amount_does_not_accept(lending_world, lending_otp):
    loan = _offer(lending_world)
    token = lending_otp(lending_world.tenant, loan, amount=10_000)
    with pytest.raises(identity.StepUpRequired):
        acceptance.accept(actor=lending_world.tenant, loan=loan, step_up_token=token)
    with pytest.raises(identity.StepUpRequired):
        acceptance.accept(actor=lending_world.tenant, loan=loan, step_up_token=None)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPROVED and not loan.key_facts


def test_an_expired_offer_cannot_be_accepted(lending_world, lending_otp):
    loan = _offer(lending_world)
    applications.expire_offers(now=loan.offer_expires_at)
    with pytest.raises(OfferExpired):
        acceptance.accept(
            actor=lending_world.tenant, loan=loan, step_up_token=lending_otp(lending_world.tenant, loan)
        )


def test_a_retry_disburses_once(lending_world, lending_otp):
    loan = _offer(lending_world)
    loan = acceptance.accept(
        actor=lending_world.tenant, loan=loan, step_up_token=lending_otp(lending_world.tenant, loan)
    )
    before = wallet.wallet_info(lending_world.tenant, "XOF").balance
    again = disbursement.disburse(loan)
    assert again.status == LoanStatus.ACTIVE
    assert wallet.wallet_info(lending_world.tenant, "XOF").balance == before
    assert ledger.balance(account=loan.account).posted == 100_000
    assert loan.instalments.count() == 3
    assert OutboxEvent.objects.filter(name="lending.LoanDisbursed").count() == 1


def test_a_disbursement_cut_after_paying_the_due_finishes_without_paying_twice(lending_world, lending_otp):
    """The process died after the due was paid (the intent recorded and paid) and before
    the wallet and the loan were updated: the next call finishes from there."""
    loan = _offer(lending_world)
    token = lending_otp(lending_world.tenant, loan)
    # accept without the automatic disbursement: the loan as a crash left it
    Loan.objects.filter(pk=loan.pk).update(status=LoanStatus.ACCEPTED)
    identity.require_step_up(
        actor=lending_world.tenant,
        action=acceptance.STEP_UP_ACTION,
        target=str(loan.public_id),
        amount=loan.principal,
        currency=loan.currency,
        token=token,
    )
    row, record = disbursement._record(loan)
    paid = disbursement._pay_rent_due(row, record)
    record.refresh_from_db()
    assert record.intent is not None and record.status == Disbursement.Status.PENDING
    finished = disbursement.disburse(loan)
    assert finished.status == LoanStatus.ACTIVE
    record.refresh_from_db()
    assert record.to_due == paid and record.attempts == 2
    assert ledger.balance(account=finished.account).posted == 100_000
    assert wallet.wallet_info(lending_world.tenant, "XOF").balance == 99_000 - paid


def test_only_an_accepted_loan_is_disbursed(lending_world):
    loan = _offer(lending_world)
    with pytest.raises(InvalidLoanState):
        disbursement.disburse(loan)
    assert not Disbursement.objects.exists()


def test_a_disbursed_loan_cannot_be_withdrawn(lending_world, lending_otp):
    loan = _offer(lending_world)
    loan = acceptance.accept(
        actor=lending_world.tenant, loan=loan, step_up_token=lending_otp(lending_world.tenant, loan)
    )
    with pytest.raises(InvalidLoanState):
        applications.withdraw(actor=lending_world.tenant, loan=loan)


def test_the_disbursement_rescores_the_borrower_once(
    lending_world, lending_otp, django_capture_on_commit_callbacks
):
    from apps.scoring import api as scoring
    from apps.scoring.models import ProcessedEvent, ScoreHistory

    loan = _offer(lending_world, product=lending_world.emergency, amount=50_000, term=4)
    token = lending_otp(lending_world.tenant, loan)
    with django_capture_on_commit_callbacks(execute=True):  # the outbox dispatches after commit
        acceptance.accept(actor=lending_world.tenant, loan=loan, step_up_token=token)
    event = OutboxEvent.objects.get(name="lending.LoanDisbursed")
    processed = ProcessedEvent.objects.filter(event_id=event.event_id, name="lending.LoanDisbursed")
    assert processed.count() == 1 and processed.get().user_id == lending_world.tenant.pk
    history = ScoreHistory.objects.filter(user=lending_world.tenant).count()
    # delivered again (at-least-once): scoring finds the event id and changes nothing
    again = scoring.rescore_users(
        [str(lending_world.tenant.public_id)], event_id=str(event.event_id), event_name=event.name
    )
    assert again == 0 and processed.count() == 1
    assert ScoreHistory.objects.filter(user=lending_world.tenant).count() == history


def test_a_loan_with_a_guarantor_and_a_pledge_waits_for_them(lending_world, fund_topup):
    """The product asks a guarantor and 20 % of savings pledged: the offer cannot be accepted
    before a guarantor has; then the acceptance holds the borrower's pledge and the loan is paid."""
    from apps.lending.errors import GuarantorsPending
    from apps.lending.models import Pledge
    from apps.lending.services import fund, guarantors
    from tests.identity.conftest import SmsInbox
    from tests.identity.factories import UserFactory
    from tests.lending.conftest import lifecycle_product

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    try:
        tenant = lending_world.tenant
        product = lifecycle_product(
            "guaranteed", destination="wallet", requires_guarantor=True, pledge_bps=2_000, upfront_fee_bps=0
        )
        fund_topup(tenant, 20_000)
        savings = fund.open_fund(actor=tenant)
        fund.deposit(actor=tenant, fund=savings, amount=15_000, idempotency_key="pledge")
        loan = applications.apply(actor=tenant, product=product, amount=50_000, term=2, idempotency_key="g1")
        assert loan.status == LoanStatus.APPROVED, loan.decision_reasons
        with pytest.raises(GuarantorsPending):
            acceptance.accept(actor=tenant, loan=loan, step_up_token=None)
        friend = UserFactory(full_name="Ami Garant")
        request = guarantors.invite(actor=tenant, loan=loan, phone=str(friend.phone))
        challenge = identity.step_up_start(
            actor=friend,
            action=guarantors.STEP_UP_ACTION,
            target=str(request.public_id),
            amount=50_000,
            currency="XOF",
        )
        proof = identity.step_up_verify(
            actor=friend, challenge_id=challenge.challenge_id, code=inbox.last_code(friend.phone)
        )
        guarantors.accept(actor=friend, guarantor=request, step_up_token=proof.token)
        challenge = identity.step_up_start(
            actor=tenant,
            action=acceptance.STEP_UP_ACTION,
            target=str(loan.public_id),
            amount=50_000,
            currency="XOF",
        )
        proof = identity.step_up_verify(
            actor=tenant, challenge_id=challenge.challenge_id, code=inbox.last_code(tenant.phone)
        )
        loan = acceptance.accept(actor=tenant, loan=loan, step_up_token=proof.token)
    finally:
        identity.set_otp_sender(None)
    assert loan.status == LoanStatus.ACTIVE
    pledge = Pledge.objects.get(loan=loan)
    assert pledge.amount == 10_000 and pledge.fund == savings
    assert ledger.balance(account=savings.account).available == 5_000  # 15 000 less the 10 000 held


def test_the_sweeper_pays_out_an_accepted_loan_left_behind(lending_world):
    """An acceptance whose disbursement never ran (the process died in between): the beat's
    sweeper pays it out, once."""
    from apps.lending import tasks

    loan = _offer(lending_world, product=lending_world.emergency, amount=50_000, term=4)
    Loan.objects.filter(pk=loan.pk).update(status=LoanStatus.ACCEPTED)
    assert tasks.disburse_pending() == {"disbursed": 1, "waiting": 0}
    assert tasks.disburse_pending() == {"disbursed": 0, "waiting": 0}
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE
    assert wallet.wallet_info(lending_world.tenant, "XOF").balance == 50_000


def test_a_loan_never_disbursed_gives_the_pledged_savings_back(lending_world, fund_topup):
    """A guarantor pledged savings to an offer; the borrower withdraws it: the hold is
    released. Again with an offer that expires."""
    from apps.lending.models import Pledge
    from apps.lending.services import fund, guarantors
    from tests.identity.conftest import SmsInbox
    from tests.identity.factories import UserFactory
    from tests.lending.conftest import lifecycle_product

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    tenant = lending_world.tenant
    friend = UserFactory(full_name="Ami Garant")
    fund_topup(friend, 20_000)
    savings = fund.open_fund(actor=friend)
    fund.deposit(actor=friend, fund=savings, amount=20_000, idempotency_key="friend")
    product = lifecycle_product("guarded", destination="wallet", requires_guarantor=True, upfront_fee_bps=0)

    def guaranteed_offer(key):
        loan = applications.apply(actor=tenant, product=product, amount=50_000, term=2, idempotency_key=key)
        request = guarantors.invite(actor=tenant, loan=loan, phone=str(friend.phone))
        challenge = identity.step_up_start(
            actor=friend,
            action=guarantors.STEP_UP_ACTION,
            target=str(request.public_id),
            amount=50_000,
            currency="XOF",
        )
        proof = identity.step_up_verify(
            actor=friend, challenge_id=challenge.challenge_id, code=inbox.last_code(friend.phone)
        )
        guarantors.accept(actor=friend, guarantor=request, step_up_token=proof.token, pledge=10_000)
        assert ledger.balance(account=savings.account).available == 10_000
        return loan

    try:
        loan = guaranteed_offer("w1")
        applications.withdraw(actor=tenant, loan=loan)
        assert ledger.balance(account=savings.account).available == 20_000
        assert not Pledge.objects.filter(loan=loan, status="held").exists()
        loan = guaranteed_offer("w2")
        assert applications.expire_offers(now=loan.offer_expires_at) == 1
        assert ledger.balance(account=savings.account).available == 20_000
        assert not Pledge.objects.filter(loan=loan, status="held").exists()
    finally:
        identity.set_otp_sender(None)
