"""The set-based features (one SQL text per source on PostgreSQL, the ids as one array) against
the per-user path and the ORM reads on the same data: hypothesis-generated rent histories
(several leases, co-tenants, canceled and ended leases, dues paid on time, late, in part, not
at all, written off, allocations dated after the due was marked paid), recovery cases and
promises, KYC tiers, wallet top-ups."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.estate.services import scoring_reads as estate_reads
from apps.kyc.services import scoring_reads as kyc_reads
from apps.lending.services import scoring_source as lending_source
from apps.recovery.services import scoring_reads as recovery_reads
from apps.scoring.services.features import features_for
from apps.wallet.services import scoring_reads as wallet_reads

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL path is PostgreSQL's"),
]

TODAY = date(2026, 6, 10)
_serial = itertools.count()

due = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["paid", "paid", "partially_paid", "overdue", "due", "written_off"]),
        "paid_after": st.one_of(st.none(), st.integers(-3, 90)),  # paid_at, days after the due date
        "grace": st.integers(0, 10),
        "allocations": st.lists(st.tuples(st.booleans(), st.integers(-5, 80)), max_size=2),
    }
)
lease = st.fixed_dictionaries(
    {
        "start_back": st.integers(0, 20),  # months before TODAY's
        "status": st.sampled_from(["active", "active", "ended", "canceled"]),
        "ended_after": st.integers(0, 600),  # days after its start, for an ended lease
        "dues": st.lists(due, max_size=14),
        "co_tenant": st.booleans(),  # the next tenant is on this lease too
    }
)
tenant = st.fixed_dictionaries(
    {
        "leases": st.lists(lease, max_size=2),
        "cases": st.lists(
            st.tuples(
                st.sampled_from(
                    [
                        ("open", ""),
                        ("promised", ""),
                        ("closed", "paid"),
                        ("closed", "settled"),
                        ("closed", "written_off"),
                        ("closed", "restructured"),
                    ]
                ),
                st.lists(st.sampled_from(["pending", "kept", "broken", "canceled"]), max_size=2, unique=True),
            ),
            max_size=2,
        ),
        "tier": st.one_of(st.none(), st.integers(0, 2)),
        "top_ups": st.lists(st.tuples(st.integers(0, 250), st.booleans()), max_size=3),
    }
)


def _month(back: int) -> date:
    year, month = divmod(TODAY.year * 12 + TODAY.month - 1 - back, 12)
    return date(year, month + 1, 1)


def _build(tenants: list[dict]):
    from apps.estate.models import Lease, LeaseTenant, PaymentAllocation, RentDue, Unit
    from apps.kyc.models import KycProfile
    from apps.recovery.models import Case, Promise
    from apps.wallet.models import TopUp, Wallet
    from tests.fixtures.estate import managed_property
    from tests.identity.factories import OrganizationFactory, UserFactory

    agency = OrganizationFactory(kind="agency")
    prop = managed_property(agency)
    users = [UserFactory() for _ in tenants]
    carried = None  # a lease the next tenant shares
    for t, (user, spec) in enumerate(zip(users, tenants, strict=True)):
        if carried is not None:
            LeaseTenant.objects.create(lease=carried, user=user, is_primary=False)
            carried = None
        for spec_lease in spec["leases"]:
            n = next(_serial)
            unit = Unit.objects.create(
                property=prop, organization=agency, label=f"H{n}", kind="apartment", market_rent=50_000
            )
            start = _month(spec_lease["start_back"])
            row = Lease.objects.create(
                organization=agency,
                unit=unit,
                reference=f"HYP-{n}",
                start_date=start,
                rent=50_000,
                due_day=5,
                grace_days=5,
                status=spec_lease["status"],
                ended_on=min(start + timedelta(days=spec_lease["ended_after"]), TODAY)
                if spec_lease["status"] == "ended"
                else None,
            )
            LeaseTenant.objects.create(lease=row, user=user, is_primary=True)
            if spec_lease["co_tenant"] and t + 1 < len(users):
                carried = row
            for m, spec_due in enumerate(spec_lease["dues"]):
                period = _month(spec_lease["start_back"] - m)
                due_date = period.replace(day=5)
                status = spec_due["status"]
                paid = {"paid": 50_000, "partially_paid": 20_000}.get(status, 0)
                if status == "written_off" and spec_due["grace"] % 2:
                    paid = 10_000
                paid_at = None
                if spec_due["paid_after"] is not None and status == "paid":
                    paid_at = datetime.combine(due_date, datetime.min.time(), UTC) + timedelta(
                        days=spec_due["paid_after"], hours=23
                    )
                row_due = RentDue.objects.create(
                    organization=agency,
                    lease=row,
                    period=period,
                    due_date=due_date,
                    grace_until=due_date + timedelta(days=spec_due["grace"]),
                    rent=50_000,
                    total=50_000,
                    paid=paid,
                    status=status,
                    paid_at=paid_at,
                    reference=f"HYP-{n}-{m}",
                    pay_token=f"h{n}m{m}",
                )
                for positive, after in spec_due["allocations"]:
                    PaymentAllocation.objects.create(
                        due=row_due,
                        amount=5_000 if positive else 0,
                        applied_on=due_date + timedelta(days=after),
                    )
        for k, ((status, outcome), promises) in enumerate(spec["cases"]):
            case = Case.objects.create(
                organization=agency,
                tenant=user,
                kind="rent",
                lease=uuid.uuid4(),
                currency="XOF",
                amount_at_open=50_000,
                amount_owed=50_000,
                token=f"hyp{next(_serial)}",
                opened_on=TODAY - timedelta(days=30 * (k + 1)),
                status=status,
                outcome=outcome,
                closed_at=datetime.combine(TODAY, datetime.min.time(), UTC) if status == "closed" else None,
            )
            for p in promises:
                Promise.objects.create(
                    case=case,
                    amount=10_000,
                    currency="XOF",
                    promised_on=TODAY,
                    recovered_before=0,
                    status=p,
                )
        if spec["tier"] is not None:
            KycProfile.objects.create(user=user, tier=spec["tier"])
        if spec["top_ups"]:
            wallet = Wallet.objects.create(user=user, currency="XOF", account=user.public_id)
            for days_back, succeeded in spec["top_ups"]:
                TopUp.objects.create(
                    wallet=wallet,
                    amount=1_000,
                    currency="XOF",
                    idempotency_key=f"hyp-{next(_serial)}",
                    status="succeeded" if succeeded else "failed",
                    credited_at=datetime.combine(TODAY, datetime.min.time(), UTC) - timedelta(days=days_back),
                )
    return [u.public_id for u in users]


def _counted_from_lines(lines) -> dict:
    """A user's rent lines counted in Python (the per-user path of the summaries)."""
    since = estate_reads.month_start(TODAY, 11)
    recent = [line for line in lines if line.period >= since]
    late = [line for line in recent if line.code in estate_reads.LATE_CODES]
    return {
        "months_observed": len({line.period for line in lines}),
        "on_time_12": sum(line.code == estate_reads.ON_TIME for line in recent),
        "late_12": len(late),
        "partial_12": sum(line.code == estate_reads.PARTIAL for line in recent),
        "unpaid_12": sum(line.code == estate_reads.UNPAID for line in recent),
        "days_late_sum_12": sum(line.days_late for line in late),
        "max_days_late_12": max(
            (line.days_late for line in recent if line.code != estate_reads.ON_TIME), default=0
        ),
    }


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tenants=st.lists(tenant, min_size=1, max_size=3))
def test_set_based_features_equal_the_per_user_path_and_the_orm(tenants):
    with transaction.atomic():  # each example's rows rolled back after it
        _compare(_build(tenants))
        transaction.set_rollback(True)


def _compare(ids):

    # estate: the SQL aggregate = the ORM aggregate = each user's lines counted one by one
    summaries = estate_reads.tenant_rent_summaries(ids, today=TODAY)
    assert summaries == estate_reads._summaries_orm(ids, TODAY)
    lines = estate_reads.tenant_rent_lines(ids, today=TODAY, months=12 * 100)
    for user in ids:
        if user in summaries:
            counted = {k: getattr(summaries[user], k) for k in _counted_from_lines(lines[user])}
            assert counted == _counted_from_lines(lines[user])
        else:
            assert lines[user] == []

    # the other sources: SQL = ORM
    assert recovery_reads.tenant_recovery(ids) == recovery_reads._recovery_orm(ids)
    assert wallet_reads.wallet_regularity(ids, today=TODAY) == wallet_reads._regularity_orm(ids, TODAY)
    tiers = kyc_reads.tiers_of(ids)
    assert {u: t for u, t in tiers.items() if u in kyc_reads._tiers_orm(ids)} == kyc_reads._tiers_orm(ids)
    assert lending_source.read(ids, TODAY) == lending_source._read_orm(ids, TODAY)

    # the whole features: the chunk at once = one user at a time
    together = features_for(ids, today=TODAY)
    for user in ids:
        assert together[user] == features_for([user], today=TODAY)[user]
