"""Scoring's test fixtures. Each part appends its own block."""

import pytest  # noqa: F401


# --- the score's life (S2): a tenant with 13 months of rent history, paid in known ways ---
from dataclasses import dataclass as _s2_dataclass  # noqa: E402
from datetime import date as _s2_date  # noqa: E402
from datetime import timedelta as _s2_timedelta  # noqa: E402


@_s2_dataclass
class RentHistory:
    """`tenant`'s lease started 13 months before `as_of`'s month; `as_of` is the last day of the
    month before this one (every due of the history is past its grace days then). Months
    (oldest first): 9 paid on the due date, one 10 days late, one 40 days late, one half paid,
    one unpaid."""

    agency: object
    manager: object
    tenant: object
    lease: object
    as_of: object
    dues: list  # the lease's rent dues, oldest first


def build_rent_history(tenant=None, *, agency=None, city: str = "Cotonou", country: str = "BJ") -> RentHistory:
    from apps.estate.models import RentDue
    from tests.fixtures.estate import first_of_month, lease_for, managed_property, pay_rent
    from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

    today = _s2_date.today()
    as_of = first_of_month(today) - _s2_timedelta(days=1)
    agency = agency or OrganizationFactory(name="Agence Score", kind="agency")
    manager = MembershipFactory(organization=agency, role="owner").user
    prop = managed_property(agency, name=f"Résidence {city}", city=city, country=country)
    tenant = tenant or UserFactory(full_name="Locataire Score")
    lease = lease_for(
        manager, prop, tenant, unit_label="S1", start_date=first_of_month(today, 13), deposit_months=0
    )
    dues = list(RentDue.objects.filter(lease=lease, kind="rent", due_date__lte=as_of).order_by("due_date"))
    assert len(dues) == 13, [d.period for d in dues]
    late = {9: 10, 10: 40}
    for i, due in enumerate(dues):
        if i == 11:
            pay_rent(manager, lease, due.total // 2, received_on=due.due_date, reference=f"P{i}")
            break
        pay_rent(manager, lease, due.total, received_on=due.due_date + _s2_timedelta(days=late.get(i, 0)), reference=f"P{i}")
    return RentHistory(agency=agency, manager=manager, tenant=tenant, lease=lease, as_of=as_of, dues=dues)


@pytest.fixture
def rent_history(db):
    return build_rent_history()
