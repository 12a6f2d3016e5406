"""HokweSplit's daily run and kyc's limits: an instalment (wallet -> the saver's own vault) is
neither an inflow nor an outflow (the vault counts in the balance; the due paid from it is the
outflow), so what binds is the single-transaction maximum every movement has — on the batched
path (one kyc.check_many per batch) and on the one-by-one path alike. Refused, the instalment
is missed like a short wallet's and retried by the next runs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from apps.kyc.models import TierLimit
from apps.ledger import api as ledger
from apps.wallet.models import SplitInstalment, WalletUsage
from apps.wallet.services import split
from apps.wallet.services.split_schedule import run_due_debits

pytestmark = pytest.mark.django_db


def _balance(account):
    return ledger.balance(account=account).posted


def _single_transaction_max(amount):
    TierLimit.objects.update_or_create(
        country="*",
        tier=0,
        defaults=dict(
            currency="XOF",
            max_balance=10_000_000,
            monthly_inflow=10_000_000,
            single_transaction=amount,
            daily_outflow=10_000_000,
        ),
    )


def _plan(world):
    return split.plan_create(
        actor=world.tenant, due=world.due.public_id, frequency="daily", today=world.today
    )


def test_an_instalment_above_the_single_transaction_maximum_is_missed_then_retried(split_world, fund):
    plan = _plan(split_world)
    first = plan.instalments.get(seq=1)
    fund(split_world.wallet, 50_000)
    _single_transaction_max(first.amount - 1)

    result = run_due_debits(split_world.today)

    assert (result.debited, result.missed, result.fallbacks) == (0, 1, 0)
    first.refresh_from_db()
    assert first.status == "missed" and first.last_error == "kyc_limit_exceeded"
    assert _balance(plan.vault) == 0 and _balance(split_world.wallet.account) == 50_000

    _single_transaction_max(first.amount)  # compliance raises it (or the saver is verified)
    result = run_due_debits(split_world.today + timedelta(days=1))
    assert (result.debited, result.missed) == (2, 0)  # yesterday's and today's
    assert _balance(plan.vault) == first.amount + plan.instalments.get(seq=2).amount


def test_the_one_by_one_path_refuses_it_too(split_world, fund):
    plan = _plan(split_world)
    first = plan.instalments.get(seq=1)
    fund(split_world.wallet, 50_000)
    _single_transaction_max(first.amount - 1)
    assert split.instalment_collect(instalment=first, today=split_world.today) is False
    first.refresh_from_db()
    assert first.status == "missed" and first.last_error == "kyc_limit_exceeded"
    assert _balance(plan.vault) == 0


def test_a_saving_is_not_counted_as_an_outflow(split_world, fund):
    """Saving into one's own vault leaves the day's outflow alone (paying the due will count)."""
    _plan(split_world)
    fund(split_world.wallet, 50_000)
    result = run_due_debits(split_world.today)
    assert result.debited == 1
    usage = WalletUsage.objects.filter(wallet=split_world.wallet).first()
    assert usage is None or usage.outflow_today == 0 or usage.day != split_world.today
    assert SplitInstalment.objects.filter(status="paid").count() == 1
