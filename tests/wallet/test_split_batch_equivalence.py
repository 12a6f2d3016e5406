"""HokweSplit's daily batch (`split_schedule._debit_batch`: one ledger batch, halved down to
the refused transfers when a wallet is short) against the one-by-one path
(`split.instalment_collect` per instalment, in order) on twin plans: yesterday's and today's
instalments due, each wallet covering none, one or both. The twins end alike: the
instalments' status, attempts and error, the plans' streaks, the vaults and the wallets."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from apps.ledger import api as ledger
from apps.wallet.models import SplitInstalment, SplitPlan
from apps.wallet.services import split, split_schedule
from apps.wallet.services.wallets import wallet_for

pytestmark = pytest.mark.django_db


def _saver(world):
    from apps.estate.models import Property
    from tests.fixtures.estate import lease_for, open_dues
    from tests.identity.factories import UserFactory

    user = UserFactory()
    prop = Property.objects.get(public_id=world.lease.unit.property.public_id)
    lease = lease_for(
        world.manager,
        prop,
        user,
        unit_label=f"S{uuid.uuid4().hex[:6]}",
        start_date=world.due.period,
        deposit_months=0,
    )
    return split.plan_create(
        actor=user, due=open_dues(lease)[0].public_id, frequency="daily", today=world.today
    )


def _state(plan) -> tuple:
    plan = SplitPlan.objects.get(pk=plan.pk)
    rows = tuple(
        (i.seq, i.status, i.attempts, i.last_error, i.paid_on)
        for i in SplitInstalment.objects.filter(plan=plan).order_by("seq")
    )
    purse = ledger.balance(account=wallet_for(plan.user).account)
    return rows, plan.streak, plan.best_streak, ledger.balance(account=plan.vault).posted, purse.posted


@settings(
    max_examples=5,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(covers=st.lists(st.sampled_from([0, 1, 2]), min_size=2, max_size=3))
def test_the_batch_takes_what_the_one_by_one_path_takes(split_world, fund, covers):
    day = split_world.today + timedelta(days=1)  # yesterday's instalment and today's are due
    one_by_one = [_saver(split_world) for _ in covers]
    after = SplitInstalment.objects.order_by("-pk").values_list("pk", flat=True).first()
    batched = [_saver(split_world) for _ in covers]
    for plans in (one_by_one, batched):
        for plan, cover in zip(plans, covers, strict=True):
            amounts = list(plan.instalments.order_by("seq").values_list("amount", flat=True)[:2])
            if cover:
                fund(wallet_for(plan.user), sum(amounts[:cover]))
    for plan in one_by_one:
        for row in plan.instalments.filter(on__lte=day).order_by("seq"):
            split.instalment_collect(instalment=row, today=day)
    result = split_schedule.SplitRunResult()
    split_schedule._debit_batch(day, after, 100, result)
    assert result.debited == sum(covers)
    assert result.missed == 2 * len(covers) - sum(covers)
    for single, batch in zip(one_by_one, batched, strict=True):
        assert _state(single)[:3] == _state(batch)[:3]
        assert _state(single)[3:] == _state(batch)[3:]
