"""A duplicated beat: four daily runs of the same day started at the same instant (real
PostgreSQL connections, one per thread) over several savers' instalments, in small batches.
Every instalment is taken once, every vault holds exactly its instalment, Σ = 0."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from apps.ledger import api as ledger
from apps.ledger import verify
from apps.wallet.models import SplitInstalment
from apps.wallet.services import split
from apps.wallet.services.split_schedule import SplitRunResult, run_due_debits
from apps.wallet.services.wallets import wallet_for
from tests.fixtures.estate import agency_property, first_of_month, lease_for, open_dues
from tests.identity.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

RUNS = 4
SAVERS = 6


def test_duplicated_daily_runs_move_each_instalment_once(fund):
    from django.utils import timezone

    today = timezone.localdate()
    owner = MembershipFactory(role="owner")
    prop = agency_property(owner.user, owner.organization.pk, name="Résidence Concurrente")
    plans = []
    for index in range(SAVERS):
        tenant = UserFactory()
        lease = lease_for(
            owner.user,
            prop,
            tenant,
            unit_label=f"U{index}",
            start_date=first_of_month(today, -1),
            deposit_months=0,
        )
        plan = split.plan_create(
            actor=tenant, due=open_dues(lease)[0].public_id, frequency="daily", today=today
        )
        fund(wallet_for(tenant), 50_000)
        plans.append(plan)
    barrier = threading.Barrier(RUNS)

    def worker(_index):
        try:
            barrier.wait()
            return run_due_debits(today, batch=2)
        except Exception as exc:  # a failed run shows in the assertion below
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=RUNS) as pool:
        results = list(pool.map(worker, range(RUNS)))
    assert all(isinstance(r, SplitRunResult) for r in results), results
    assert sum(r.debited for r in results) == SAVERS
    for plan in plans:
        first = SplitInstalment.objects.get(plan=plan, seq=1)
        assert first.status == "paid" and first.attempts == 1
        assert ledger.balance(account=plan.vault).posted == first.amount
        assert ledger.balance(account=plan.wallet.account).posted == 50_000 - first.amount
    assert verify.run().ok
