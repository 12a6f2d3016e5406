"""The month-end run's set-based path (one INSERT … SELECT per batch on PostgreSQL) issues
the same dues and the same ledger accruals as the path that builds each due in Python
(`_insert`, the one single leases use, and the embedded SQLite profile's): amounts, the
first-month rule, due dates, terms in force, commission, references — on generated leases."""

from datetime import date, timedelta
from uuid import UUID

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.estate import services
from apps.estate.models import Lease, LeaseTerms, RentDue
from apps.ledger import api as ledger
from tests.identity.factories import OrganizationFactory

from .factories import MandateFactory, PropertyFactory, UnitFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based path is PostgreSQL's"),
]

DAY0 = date(2026, 1, 1)

lease_specs = st.fixed_dictionaries(
    {
        "start": st.integers(min_value=0, max_value=200).map(lambda d: DAY0 + timedelta(days=d)),
        "end": st.none() | st.integers(min_value=0, max_value=240).map(lambda d: DAY0 + timedelta(days=d)),
        "due_day": st.integers(min_value=1, max_value=28),
        "grace": st.integers(min_value=0, max_value=15),
        "rent": st.integers(min_value=1, max_value=500_000),
        "charges": st.integers(min_value=0, max_value=30_000),
        "rule": st.sampled_from(["prorata", "full", "next"]),
        "paid_up_to": st.none() | st.sampled_from([date(2026, 2, 28), date(2026, 4, 30)]),
        "terms": st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=7),
                st.integers(min_value=1, max_value=500_000),
                st.integers(min_value=0, max_value=30_000),
            ),
            max_size=3,
            unique_by=lambda t: t[0],
        ),
        "place": st.integers(min_value=0, max_value=2),
    }
)


class _Rollback(Exception):
    pass


def _snapshot(agency, period: date) -> tuple[list, list]:
    dues = {
        d.public_id: d
        for d in RentDue.objects.filter(organization=agency, period=period, kind="rent").order_by("lease_id")
    }
    rows = [
        (
            d.lease_id,
            d.period,
            d.due_date,
            d.grace_until,
            d.rent,
            d.charges,
            d.adjustments,
            d.total,
            d.paid,
            d.commission_bps,
            d.currency,
            d.status,
            d.reference,
            len(d.pay_token),
        )
        for d in dues.values()
    ]
    lines = []
    for account in ledger.organization_accounts(organization=agency.public_id):
        for line in ledger.statement(account=account.public_id, limit=1000).lines:
            due = dues[UUID(line.reference.split(":", 1)[1])]
            lines.append(
                (account.code, line.code, line.description, str(line.side), line.amount, due.lease_id)
            )
    return rows, sorted(lines)


def _run(agency, period: date, set_based: bool) -> tuple[int, list, list]:
    try:
        with transaction.atomic():
            result = services.month_end_run(period=period, batch_size=3, set_based=set_based)
            again = services.month_end_run(period=period, batch_size=3, set_based=set_based)
            assert again.created == 0  # a re-run of the period creates nothing
            rows, lines = _snapshot(agency, period)
            assert len(
                {d for d in RentDue.objects.filter(period=period).values_list("pay_token", flat=True)}
            ) == (len(rows))
            raise _Rollback((result.created, rows, lines))
    except _Rollback as done:
        return done.args[0]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    specs=st.lists(lease_specs, min_size=1, max_size=7),
    period=st.sampled_from([date(2026, 2, 1), date(2026, 3, 1), date(2026, 5, 1), date(2026, 7, 1)]),
)
def test_set_based_month_end_issues_what_the_python_path_issues(db, specs, period):
    try:
        with transaction.atomic():
            agency = OrganizationFactory(kind="agency")
            places = [
                PropertyFactory(mandate=MandateFactory(agency=agency, commission_bps=850)),
                PropertyFactory(mandate=MandateFactory(agency=agency, commission_bps=0)),
                # an owner managing alone: no mandate, owner and manager one organization
                PropertyFactory(organization=agency, owner=agency, mandate=None),
            ]
            for n, spec in enumerate(specs):
                end = spec["end"] if spec["end"] is None or spec["end"] >= spec["start"] else None
                lease = Lease.objects.create(
                    organization=agency,
                    unit=UnitFactory(property=places[spec["place"]]),
                    reference=f"GEN-{n}",
                    start_date=spec["start"],
                    end_date=end,
                    rent=spec["rent"],
                    charges=spec["charges"],
                    due_day=spec["due_day"],
                    grace_days=spec["grace"],
                    first_period_rule=spec["rule"],
                    paid_up_to=spec["paid_up_to"],
                )
                for months, rent, charges in spec["terms"]:
                    LeaseTerms.objects.create(
                        lease=lease,
                        effective_from=date(2026, 1 + months, 1),
                        rent=rent,
                        charges=charges,
                    )
            python = _run(agency, period, set_based=False)
            set_based = _run(agency, period, set_based=True)
            assert set_based == python
            raise _Rollback
    except _Rollback:
        pass
