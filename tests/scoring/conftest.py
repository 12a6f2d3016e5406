"""Scoring's test fixtures. Each part appends its own block."""

from dataclasses import dataclass as _s2_dataclass
from dataclasses import dataclass as _s4_dataclass
from dataclasses import field as _s4_field
from datetime import date as _s2_date
from datetime import timedelta as _s2_timedelta

import pytest

# --- the score's life: a tenant with 13 months of rent history, paid in known ways ---


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


def build_rent_history(
    tenant=None, *, agency=None, city: str = "Cotonou", country: str = "BJ"
) -> RentHistory:
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
        pay_rent(
            manager,
            lease,
            due.total,
            received_on=due.due_date + _s2_timedelta(days=late.get(i, 0)),
            reference=f"P{i}",
        )
    return RentHistory(agency=agency, manager=manager, tenant=tenant, lease=lease, as_of=as_of, dues=dues)


@pytest.fixture
def rent_history(db):
    return build_rent_history()


# --- tenant screening: an agency with a manager and a unit, an applicant, an SMS code inbox ---


@_s4_dataclass
class ScreeningCodes:
    """The codes identity sends (its OtpSender, as notifications registers the real one)."""

    sent: list = _s4_field(default_factory=list)

    def send_otp(self, *, phone, code, purpose, language):
        self.sent.append((str(phone), code, purpose))

    def send_invitation(self, **kwargs):
        pass

    def last(self, phone) -> str:
        for sent_phone, code, _purpose in reversed(self.sent):
            if sent_phone == str(phone):
                return code
        raise AssertionError(f"no code sent to {phone}")


@pytest.fixture
def screening_codes():
    from apps.identity import api as identity

    inbox = ScreeningCodes()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


@_s4_dataclass
class ScreeningWorld:
    org: object
    manager: object
    unit: object
    applicant: object
    other_org: object
    other_manager: object


@pytest.fixture
def screening_world(db):
    from django.core.cache import cache

    from tests.estate.factories import UnitFactory

    cache.clear()  # identity's OTP counters and lockouts are per phone, and factories reuse phones
    from tests.identity.factories import MembershipFactory, UserFactory

    manager = MembershipFactory(role="manager", organization__name="Agence Soleil")
    other = MembershipFactory(role="manager", organization__name="Agence Lune")
    unit = UnitFactory(property__mandate__agency=manager.organization, market_rent=90_000, label="A2")
    applicant = UserFactory(full_name="Afi Mensah", preferred_language="fr")
    return ScreeningWorld(
        org=manager.organization,
        manager=manager.user,
        unit=unit,
        applicant=applicant,
        other_org=other.organization,
        other_manager=other.user,
    )
