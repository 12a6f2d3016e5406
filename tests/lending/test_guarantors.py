"""Guarantors: invited by phone, accept with the step-up code (bound to the guarantee and the
loan's principal), decline without one; a pledge of their own savings with the acceptance."""

import pytest

from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.lending.errors import (
    GuarantorAlreadyAnswered,
    GuarantorInvalid,
    GuarantorNotFound,
    GuarantorsMissing,
    InvalidLoanState,
    LoanNotFound,
)
from apps.lending.models import Guarantor, Pledge
from apps.lending.services import fund as fund_service
from apps.lending.services import guarantors, pledges
from apps.notifications.models import Message
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def _token(inbox, user, guarantee):
    amount, currency = guarantors.step_up_amount(guarantee)
    challenge = identity.step_up_start(
        actor=user,
        action=guarantors.STEP_UP_ACTION,
        target=str(guarantee.public_id),
        amount=amount,
        currency=currency,
    )
    return identity.step_up_verify(
        actor=user, challenge_id=challenge.challenge_id, code=inbox.last_code(user.phone)
    ).token


def test_invite_sends_an_sms_to_the_number_once(fund_saver, fund_loan, django_capture_on_commit_callbacks):
    borrower, _fund = fund_saver
    loan = fund_loan(borrower, requires_guarantor=True)
    friend = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = guarantors.invite(actor=borrower, loan=loan, phone=str(friend.phone), name="Koffi")
        again = guarantors.invite(actor=borrower, loan=loan, phone=str(friend.phone))
    assert first == again and first.status == Guarantor.Status.INVITED
    sent = Message.objects.filter(template_key="lending.guarantor_invited")
    assert [m.address for m in sent] == [str(friend.phone)]
    assert not guarantors.guarantors_ready(loan)
    with pytest.raises(GuarantorsMissing):
        guarantors.require_guarantors(loan)


def test_only_the_borrower_invites_never_themselves_never_after_acceptance(fund_saver, fund_loan):
    borrower, _fund = fund_saver
    loan = fund_loan(borrower)
    with pytest.raises(LoanNotFound):
        guarantors.invite(actor=UserFactory(), loan=loan, phone="+2290160999999")
    with pytest.raises(GuarantorInvalid):
        guarantors.invite(actor=borrower, loan=loan, phone=str(borrower.phone))
    loan.status = "active"
    loan.save()
    with pytest.raises(InvalidLoanState):
        guarantors.invite(actor=borrower, loan=loan, phone="+2290160999999")


def test_accept_needs_the_code_then_pledges_the_guarantors_savings(
    fund_saver, fund_loan, fund_topup, fund_sms, django_capture_on_commit_callbacks
):
    borrower, _fund = fund_saver
    loan = fund_loan(borrower, principal=100_000, pledge_bps=3000, requires_guarantor=True)
    friend = UserFactory()
    fund_topup(friend, 40_000)
    friends_fund = fund_service.open_fund(actor=friend)
    fund_service.deposit(actor=friend, fund=friends_fund, amount=40_000, idempotency_key="f")
    guarantee = guarantors.invite(actor=borrower, loan=loan, phone=str(friend.phone))
    # another person with the link cannot answer
    with pytest.raises(GuarantorNotFound):
        guarantors.accept(actor=UserFactory(), guarantor=guarantee, step_up_token="x")
    with pytest.raises(identity.StepUpRequired):
        guarantors.accept(actor=friend, guarantor=guarantee, step_up_token=None)
    token = _token(fund_sms, friend, guarantee)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = guarantors.accept(actor=friend, guarantor=guarantee, step_up_token=token, pledge=20_000)
    assert accepted.status == Guarantor.Status.ACCEPTED and accepted.user_id == friend.pk
    assert guarantors.guarantors_ready(loan)
    assert ledger.balance(account=friends_fund.account).available == 20_000
    # the borrower pledges only what the guarantor's pledge does not cover: 30 000 - 20 000
    held = pledges.hold_for_acceptance(loan)
    mine = [p for p in held if p.guarantor_id is None]
    assert [p.amount for p in mine] == [10_000]
    with pytest.raises(GuarantorAlreadyAnswered):
        guarantors.decline(actor=friend, guarantor=guarantee)
    told = Message.objects.filter(template_key="lending.guarantor_accepted", channel="sms")
    assert [m.recipient_key for m in told] == [str(borrower.public_id)]


def test_decline_needs_no_code_and_revoke_releases_a_pledge(fund_saver, fund_loan, fund_topup, fund_sms):
    borrower, _fund = fund_saver
    loan = fund_loan(borrower, principal=50_000, requires_guarantor=True)
    no, yes = UserFactory(), UserFactory()
    fund_topup(yes, 10_000)
    yes_fund = fund_service.open_fund(actor=yes)
    fund_service.deposit(actor=yes, fund=yes_fund, amount=10_000, idempotency_key="f")
    declined = guarantors.decline(
        actor=no, guarantor=guarantors.invite(actor=borrower, loan=loan, phone=str(no.phone))
    )
    assert declined.status == Guarantor.Status.DECLINED
    guarantee = guarantors.invite(actor=borrower, loan=loan, phone=str(yes.phone))
    guarantors.accept(
        actor=yes, guarantor=guarantee, step_up_token=_token(fund_sms, yes, guarantee), pledge=10_000
    )
    assert ledger.balance(account=yes_fund.account).available == 0
    guarantors.revoke(actor=borrower, guarantor=guarantee)
    assert ledger.balance(account=yes_fund.account).available == 10_000
    assert Pledge.objects.get(guarantor=guarantee).status == Pledge.Status.RELEASED
    assert not guarantors.guarantors_ready(loan)
    assert [g.status for g in guarantors.requests_for(no)] == [Guarantor.Status.DECLINED]


def test_a_guarantee_taken_back_then_given_again_holds_the_pledge_again(
    fund_saver, fund_loan, fund_topup, fund_sms
):
    borrower, _fund = fund_saver
    loan = fund_loan(borrower, principal=50_000, requires_guarantor=True)
    friend = UserFactory()
    fund_topup(friend, 10_000)
    friends_fund = fund_service.open_fund(actor=friend)
    fund_service.deposit(actor=friend, fund=friends_fund, amount=10_000, idempotency_key="f")
    first = guarantors.invite(actor=borrower, loan=loan, phone=str(friend.phone))
    guarantors.accept(
        actor=friend, guarantor=first, step_up_token=_token(fund_sms, friend, first), pledge=8_000
    )
    guarantors.revoke(actor=borrower, guarantor=first)
    assert ledger.balance(account=friends_fund.account).available == 10_000
    again = guarantors.invite(actor=borrower, loan=loan, phone=str(friend.phone))
    guarantors.accept(
        actor=friend, guarantor=again, step_up_token=_token(fund_sms, friend, again), pledge=6_000
    )
    pledge = Pledge.objects.get(loan=loan, fund=friends_fund)
    assert pledge.status == Pledge.Status.HELD and pledge.held == 6_000 and pledge.guarantor == again
    assert ledger.balance(account=friends_fund.account).available == 4_000
