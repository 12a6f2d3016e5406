"""HokweSplit plans (apps/wallet/services/split.py): created for one of the tenant's dues with a
vault account, the vault pays the due on its date and the surplus goes back, a shortfall goes
back with an SMS, early withdrawal by the plan's rule (fee to Hokwe's fees revenue), MoMo
instalments; Σ = 0 after every flow."""

from datetime import timedelta

import pytest

from apps.core.errors import NotFound
from apps.estate import api as estate
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg
from apps.notifications.models import Message
from apps.wallet.errors import (
    SplitDueTooSoon,
    SplitNotOpen,
    SplitPlanExists,
    SplitVaultEmpty,
    SplitWithdrawalLocked,
)
from apps.wallet.models import SplitPlan
from apps.wallet.services import split
from apps.wallet.services.split_schedule import run_due_debits
from tests.identity.factories import UserFactory
from tests.wallet.test_split_schedule import books_balance
from tests.wallet.test_wallet_flows import sandbox_pay

pytestmark = pytest.mark.django_db


def _plan(world, frequency="daily", **kw):
    return split.plan_create(
        actor=world.tenant, due=world.due.public_id, frequency=frequency, today=world.today, **kw
    )


def _balance(account):
    return ledger.balance(account=account).posted


def _fill(plan, world, fund, extra=0):
    """Fund the wallet with the target (+ extra) and run every day until the due date."""
    fund(world.wallet, plan.target + extra)
    day = world.today
    while day < plan.due_date:
        run_due_debits(day)
        day += timedelta(days=1)


def test_a_plan_takes_the_due_s_amount_and_date_and_opens_a_locked_vault(split_world):
    plan = _plan(split_world)
    due = split_world.due
    assert (plan.target, plan.due_date, plan.currency) == (due.outstanding, due.due_date, due.currency)
    assert plan.lease == due.lease and plan.status == "active"
    vault = ledger.account(account=plan.vault)
    assert vault.code == f"wallet.vault.{plan.public_id}" and vault.debits_must_not_exceed_credits
    assert vault.kind == "liability" and vault.owner_id == split_world.tenant.public_id
    days = (due.due_date - split_world.today).days
    assert plan.instalments.count() == days
    assert sum(i.amount for i in plan.instalments.all()) == plan.target
    with pytest.raises(SplitPlanExists):
        _plan(split_world)


def test_weekly_plans_take_one_instalment_a_week(split_world):
    plan = _plan(split_world, frequency="weekly")
    days = (plan.due_date - split_world.today).days
    assert plan.instalments.count() == -(-days // 7)
    assert sum(i.amount for i in plan.instalments.all()) == plan.target


def test_another_tenant_s_due_is_not_found(split_world):
    with pytest.raises(NotFound):
        split.plan_create(
            actor=UserFactory(), due=split_world.due.public_id, frequency="daily", today=split_world.today
        )
    assert not SplitPlan.objects.exists()


def test_a_due_due_tomorrow_is_too_soon(split_world):
    with pytest.raises(SplitDueTooSoon):
        split.plan_create(
            actor=split_world.tenant,
            due=split_world.due.public_id,
            frequency="daily",
            today=split_world.due.due_date,
        )


def test_on_the_due_date_the_vault_pays_the_due_and_the_surplus_goes_back(
    split_world, fund, django_capture_on_commit_callbacks
):
    plan = _plan(split_world)
    _fill(plan, split_world, fund, extra=10_000)
    assert _balance(plan.vault) == plan.target
    fund_vault = 3_000  # the saver put more in the vault than the due needs
    ledger.transfer(
        idempotency_key="test:vault-extra",
        code="test",
        legs=[
            Leg.debit(split_world.wallet.account, fund_vault, "XOF"),
            Leg.credit(plan.vault, fund_vault, "XOF"),
        ],
    )
    wallet_before = _balance(split_world.wallet.account)
    with django_capture_on_commit_callbacks(execute=True):  # estate applies the payment on commit
        result = run_due_debits(plan.due_date)
    assert result.settled == 1
    plan.refresh_from_db()
    assert plan.status == "paid" and plan.rent_intent is not None
    assert _balance(plan.vault) == 0
    assert _balance(split_world.wallet.account) == wallet_before + fund_vault  # the surplus is back
    due = estate.rent_due(plan.due)
    assert due.status == "paid" and due.outstanding == 0
    assert run_due_debits(plan.due_date + timedelta(days=1)).settled == 0  # once
    books_balance()


def test_a_short_vault_takes_the_gap_from_the_wallet(split_world, fund, django_capture_on_commit_callbacks):
    plan = _plan(split_world)
    fund(split_world.wallet, 5_000)
    run_due_debits(split_world.today)  # one instalment only
    fund(split_world.wallet, plan.target)  # the saver has the rest in the wallet
    with django_capture_on_commit_callbacks(execute=True):
        run_due_debits(plan.due_date)
    plan.refresh_from_db()
    assert plan.status == "paid"
    assert estate.rent_due(plan.due).status == "paid"
    assert _balance(plan.vault) == 0
    books_balance()


def test_a_shortfall_on_the_due_date_goes_back_to_the_wallet_with_an_sms(split_world, fund):
    plan = _plan(split_world)
    fund(split_world.wallet, 5_000)
    run_due_debits(split_world.today)
    saved = _balance(plan.vault)
    assert 0 < saved < plan.target
    run_due_debits(plan.due_date)
    plan.refresh_from_db()
    assert plan.status == "short" and plan.closed_at is not None
    assert _balance(plan.vault) == 0 and _balance(split_world.wallet.account) == 5_000
    sms = Message.objects.get(template_key="wallet.split_short_at_due", channel="sms")
    assert sms.user == split_world.tenant
    assert estate.rent_due(plan.due).status != "paid"
    books_balance()


def test_a_due_paid_another_way_releases_the_vault(split_world, fund):
    from tests.fixtures.estate import pay_rent

    plan = _plan(split_world)
    fund(split_world.wallet, 10_000)
    run_due_debits(split_world.today)
    saved = _balance(plan.vault)
    pay_rent(split_world.manager, split_world.lease, plan.target)
    run_due_debits(plan.due_date)
    plan.refresh_from_db()
    assert plan.status == "released"
    assert _balance(plan.vault) == 0 and _balance(split_world.wallet.account) == 10_000
    assert saved > 0
    books_balance()


def test_early_withdrawal_with_a_fee_pays_hokwe_s_fees_revenue(split_world, fund, settings):
    settings.WALLET_SPLIT_EARLY_WITHDRAWAL_FEE_BPS = 250  # 2.5 %
    plan = _plan(split_world, withdrawal_rule="fee")
    fund(split_world.wallet, 50_000)
    for day in range(5):
        run_due_debits(split_world.today + timedelta(days=day))
    saved = _balance(plan.vault)
    fees = ledger.system_account(code="fees_revenue", currency="XOF").public_id
    fees_before = _balance(fees)
    wallet_before = _balance(split_world.wallet.account)
    returned, fee = split.plan_withdraw_early(
        actor=split_world.tenant, plan=plan, today=split_world.today + timedelta(days=5)
    )
    assert fee == saved * 250 // 10_000 and returned == saved - fee
    assert _balance(fees) == fees_before + fee
    assert _balance(split_world.wallet.account) == wallet_before + returned
    assert _balance(plan.vault) == 0
    plan.refresh_from_db()
    assert plan.status == "withdrawn" and not plan.instalments.exclude(status="paid").exists()
    with pytest.raises(SplitNotOpen):
        split.plan_withdraw_early(actor=split_world.tenant, plan=plan)
    books_balance()


def test_free_and_locked_withdrawal_rules(split_world, fund):
    plan = _plan(split_world, withdrawal_rule="locked")
    fund(split_world.wallet, 50_000)
    run_due_debits(split_world.today)
    with pytest.raises(SplitWithdrawalLocked):
        split.plan_withdraw_early(actor=split_world.tenant, plan=plan, today=split_world.today)
    split.plan_cancel(actor=split_world.tenant, plan=plan, today=split_world.today)
    plan.refresh_from_db()
    assert plan.status == "cancelled" and _balance(plan.vault) > 0  # locked until the due date
    run_due_debits(plan.due_date)
    plan.refresh_from_db()
    assert plan.closed_at is not None and _balance(plan.vault) == 0
    assert _balance(split_world.wallet.account) == 50_000
    books_balance()


def test_a_free_withdrawal_takes_no_fee_and_an_empty_vault_has_nothing_to_give(split_world, fund):
    plan = _plan(split_world, withdrawal_rule="free")
    with pytest.raises(SplitVaultEmpty):
        split.plan_withdraw_early(actor=split_world.tenant, plan=plan, today=split_world.today)
    fund(split_world.wallet, 50_000)
    run_due_debits(split_world.today)
    saved = _balance(plan.vault)
    assert split.plan_withdraw_early(actor=split_world.tenant, plan=plan, today=split_world.today) == (
        saved,
        0,
    )
    assert _balance(split_world.wallet.account) == 50_000


def test_someone_else_cannot_touch_a_plan(split_world):
    plan = _plan(split_world)
    stranger = UserFactory()
    for action in (split.plan_pause, split.plan_cancel, split.plan_withdraw_early):
        with pytest.raises(NotFound):
            action(actor=stranger, plan=plan, today=split_world.today)


def test_a_momo_plan_requests_each_instalment_and_the_payment_fills_the_vault(
    split_world, client, django_capture_on_commit_callbacks
):
    from apps.payments import api as payments

    plan = _plan(split_world, source="momo")
    result = run_due_debits(split_world.today)
    assert result.requested == 1 and result.debited == 0
    first = plan.instalments.get(seq=1)
    assert first.status == "requested" and first.intent is not None
    intent = payments.get_intent(first.intent)
    assert intent.credit_account == plan.vault and intent.amount == first.amount
    assert Message.objects.filter(template_key="wallet.split_momo_request", channel="sms").count() == 1
    assert run_due_debits(split_world.today).requested == 0  # once
    # the tenant pays by the sandbox (a MoMo stand-in): the handler marks the instalment paid
    with django_capture_on_commit_callbacks(execute=True):
        sandbox_pay(client, first.intent)
    first.refresh_from_db()
    assert first.status == "paid"
    assert _balance(plan.vault) == first.amount - intent.fee_amount
    books_balance()


def test_the_frequency_choices_named_for_openapi_are_the_models():
    """The OpenAPI enum names (conf.OPENAPI_ENUMS) list the same choices as the models."""
    from apps.wallet.contracts import SPLIT_FREQUENCIES, TONTINE_FREQUENCIES
    from apps.wallet.models import SplitPlan, TontineGroup

    assert tuple(SplitPlan.Frequency.values) == SPLIT_FREQUENCIES
    assert tuple(TontineGroup.Frequency.values) == TONTINE_FREQUENCIES
