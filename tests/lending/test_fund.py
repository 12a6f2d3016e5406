"""The emergency fund: open, deposit, withdraw (now or after the notice), automatic savings,
the repayment debit and what underwriting reads (docs/lending.md, "Emergency fund,
guarantors and pledged savings")."""

from datetime import date, timedelta

import pytest

from apps.ledger import api as ledger
from apps.lending import api as lending
from apps.lending.contracts import WithdrawalRule
from apps.lending.errors import FundNotEnough, FundNotFound, FundRuleInvalid
from apps.lending.models import EmergencyFund, WithdrawalNotice
from apps.lending.services import fund as fund_service
from apps.wallet import api as wallet
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def _wallet_balance(user):
    return wallet.wallet_info(user, "XOF").balance


def _fund_balance(fund):
    return ledger.balance(account=fund.account).posted


def test_open_is_once_per_currency_and_the_account_is_the_users_savings(fund_saver):
    user, fund = fund_saver
    assert fund_service.open_fund(actor=user, currency="XOF") == fund
    info = ledger.account(account=fund.account)
    assert info.code == f"wallet.vault.fund.{fund.public_id}"
    assert info.owner_id == user.public_id
    # the fund counts in the user's e-money (kyc's maximum balance): wallet + own savings
    assert wallet.wallet_usage(user, "XOF").balance == 200_000


def test_deposit_moves_wallet_to_fund_once_per_key(fund_saver):
    user, fund = fund_saver
    assert _wallet_balance(user) == 150_000 and _fund_balance(fund) == 50_000
    fund_service.deposit(actor=user, fund=fund, amount=10_000, idempotency_key="k2")
    again = fund_service.deposit(actor=user, fund=fund, amount=10_000, idempotency_key="k2")
    assert again.replayed
    assert _wallet_balance(user) == 140_000 and _fund_balance(fund) == 60_000
    # a deposit is not an outflow for kyc's daily limit
    assert wallet.wallet_usage(user, "XOF").outflow_today == 0


def test_deposit_above_the_wallet_is_refused(fund_saver):
    user, fund = fund_saver
    with pytest.raises(ledger.InsufficientFunds):
        fund_service.deposit(actor=user, fund=fund, amount=150_001, idempotency_key="too-much")
    assert _fund_balance(fund) == 50_000


def test_another_users_fund_is_not_found(fund_saver):
    _user, fund = fund_saver
    stranger = UserFactory()
    with pytest.raises(FundNotFound):
        fund_service.withdraw(actor=stranger, fund=fund, amount=1_000, idempotency_key="x")


def test_withdraw_with_no_lock_is_paid_now(fund_saver):
    user, fund = fund_saver
    notice = fund_service.withdraw(actor=user, fund=fund, amount=20_000, idempotency_key="w1")
    assert notice.status == WithdrawalNotice.Status.PAID and notice.paid_amount == 20_000
    assert _fund_balance(fund) == 30_000 and _wallet_balance(user) == 170_000
    assert fund_service.withdraw(actor=user, fund=fund, amount=20_000, idempotency_key="w1") == notice
    assert _fund_balance(fund) == 30_000
    with pytest.raises(FundNotEnough):
        fund_service.withdraw(actor=user, fund=fund, amount=30_001, idempotency_key="w2")


def test_withdraw_under_notice_waits_then_is_paid_by_the_daily_run(fund_saver):
    user, fund = fund_saver
    today = date(2026, 12, 3)
    fund_service.configure(actor=user, fund=fund, withdrawal_rule="notice", notice_days=7, today=today)
    notice = fund_service.withdraw(actor=user, fund=fund, amount=20_000, idempotency_key="n1", today=today)
    assert notice.status == WithdrawalNotice.Status.PENDING
    assert notice.available_on == today + timedelta(days=7)
    assert _fund_balance(fund) == 50_000
    # what is under notice is set aside: no second withdrawal of it
    assert fund_service.available(fund) == 30_000
    with pytest.raises(FundNotEnough):
        fund_service.withdraw(actor=user, fund=fund, amount=30_001, idempotency_key="n2", today=today)
    assert fund_service.notices_run(today + timedelta(days=6)) == {"paid": 0, "failed": 0}
    assert fund_service.notices_run(today + timedelta(days=7)) == {"paid": 1, "failed": 0}
    assert fund_service.notices_run(today + timedelta(days=8)) == {"paid": 0, "failed": 0}
    notice.refresh_from_db()
    assert notice.status == WithdrawalNotice.Status.PAID
    assert _fund_balance(fund) == 30_000 and _wallet_balance(user) == 170_000


def test_a_notice_cancelled_frees_the_money(fund_saver):
    user, fund = fund_saver
    fund_service.configure(actor=user, fund=fund, withdrawal_rule="notice", notice_days=3)
    notice = fund_service.withdraw(actor=user, fund=fund, amount=50_000, idempotency_key="n1")
    assert fund_service.available(fund) == 0
    fund_service.cancel_notice(actor=user, notice=notice)
    assert fund_service.available(fund) == 50_000
    assert fund_service.notices_run(date.today() + timedelta(days=30)) == {"paid": 0, "failed": 0}


def test_a_looser_rule_binds_only_after_the_current_notice(fund_saver):
    user, fund = fund_saver
    today = date(2026, 12, 3)
    fund_service.configure(actor=user, fund=fund, withdrawal_rule="notice", notice_days=10, today=today)
    fund_service.configure(actor=user, fund=fund, withdrawal_rule="no_lock", today=today)
    fund.refresh_from_db()
    assert fund.withdrawal_rule == "notice" and fund.pending_rule == "no_lock"
    notice = fund_service.withdraw(actor=user, fund=fund, amount=1_000, idempotency_key="a", today=today)
    assert notice.available_on == today + timedelta(days=10)
    later = fund_service.withdraw(
        actor=user, fund=fund, amount=1_000, idempotency_key="b", today=today + timedelta(days=10)
    )
    assert later.status == WithdrawalNotice.Status.PAID
    with pytest.raises(FundRuleInvalid):
        fund_service.configure(actor=user, fund=fund, withdrawal_rule="notice", notice_days=0)


def test_automatic_savings_run_once_per_date_and_miss_when_the_wallet_is_short(fund_saver):
    user, fund = fund_saver
    start = date(2026, 12, 1)
    fund_service.set_automatic(actor=user, fund=fund, amount=100_000, frequency="monthly", start=start)
    assert fund_service.automatic_run(start) == {"saved": 1, "missed": 0}
    assert fund_service.automatic_run(start) == {"saved": 0, "missed": 0}
    fund.refresh_from_db()
    assert fund.auto_next_on == date(2027, 1, 1)
    assert _fund_balance(fund) == 150_000 and _wallet_balance(user) == 50_000
    assert fund_service.automatic_run(date(2027, 1, 1)) == {"saved": 0, "missed": 1}
    fund.refresh_from_db()
    assert fund.auto_missed == 1 and fund.auto_next_on == date(2027, 2, 1)
    assert _fund_balance(fund) == 150_000


def test_fund_debit_pays_an_account_and_never_takes_money_under_notice(fund_saver):
    user, fund = fund_saver
    target = ledger.system_account(code="suspense", currency="XOF").public_id
    fund_service.fund_debit(user=user, currency="XOF", amount=10_000, to_account=target, idempotency_key="r1")
    again = fund_service.fund_debit(
        user=user, currency="XOF", amount=10_000, to_account=target, idempotency_key="r1"
    )
    assert again.replayed and _fund_balance(fund) == 40_000
    fund_service.configure(actor=user, fund=fund, withdrawal_rule="notice", notice_days=5)
    fund_service.withdraw(actor=user, fund=fund, amount=35_000, idempotency_key="n")
    with pytest.raises(FundNotEnough):
        fund_service.fund_debit(
            user=user, currency="XOF", amount=5_001, to_account=target, idempotency_key="r2"
        )
    assert _fund_balance(fund) == 40_000
    with pytest.raises(FundNotFound):
        fund_service.fund_debit(
            user=UserFactory(), currency="XOF", amount=1, to_account=target, idempotency_key="r3"
        )


def test_underwriting_reads_the_fund(fund_saver):
    user, fund = fund_saver
    info = lending.emergency_fund_for(user)
    assert info.balance == 50_000 and info.available == 50_000 and info.pledged == 0
    assert info.goal == 300_000 and info.withdrawal_rule == WithdrawalRule.NO_LOCK
    assert info.months_saving == 1
    assert lending.emergency_fund_for(str(user.public_id)).public_id == str(fund.public_id)
    assert lending.emergency_fund_for(UserFactory()) is None
    assert EmergencyFund.objects.count() == 1


def test_the_wallet_moves_only_to_the_users_own_savings(fund_saver):
    from apps.core.errors import NotFound

    user, fund = fund_saver
    stranger = UserFactory()
    with pytest.raises(NotFound):
        wallet.to_own_savings(
            user=stranger,
            account=fund.account,
            amount=1_000,
            currency="XOF",
            idempotency_key="steal",
            code="lending_fund_deposit",
        )
    with pytest.raises(NotFound):
        wallet.from_own_savings(
            user=user,
            account=wallet.wallet_info(user, "XOF").account,
            amount=1_000,
            currency="XOF",
            idempotency_key="loop",
            code="lending_fund_withdrawal",
        )
    assert _fund_balance(fund) == 50_000


def test_a_notice_pays_what_is_left_when_savings_were_pledged_meanwhile(fund_saver, fund_loan):
    from apps.lending.services import pledges

    user, fund = fund_saver
    today = date(2026, 12, 3)
    fund_service.configure(actor=user, fund=fund, withdrawal_rule="notice", notice_days=2, today=today)
    notice = fund_service.withdraw(actor=user, fund=fund, amount=30_000, idempotency_key="n", today=today)
    # the notice's money is set aside: a pledge takes only what is left
    pledges.hold_for_acceptance(fund_loan(user, principal=100_000, pledge_bps=2_000))
    assert fund_service.available(fund) == 0
    assert fund_service.notices_run(today + timedelta(days=2)) == {"paid": 1, "failed": 0}
    notice.refresh_from_db()
    assert notice.paid_amount == 30_000
    assert ledger.balance(account=fund.account).posted == 20_000
    assert ledger.balance(account=fund.account).available == 0  # the pledge is still held
