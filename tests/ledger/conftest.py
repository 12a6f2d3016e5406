import uuid

import pytest

from apps.ledger import api
from apps.ledger.contracts import Leg
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory


def key() -> str:
    return uuid.uuid4().hex


def fund(account_public_id, amount: int, currency: str = "XOF", *, provider: str = "sandbox"):
    """Money in from a payment provider (a top-up)."""
    clearing = api.system_account(code=f"provider_clearing.{provider}", currency=currency)
    return api.transfer(
        idempotency_key=key(),
        code="top_up",
        legs=[
            Leg.debit(clearing.public_id, amount, currency),
            Leg.credit(account_public_id, amount, currency),
        ],
    )


@pytest.fixture
def clearing(db):
    return api.system_account(code="provider_clearing.sandbox", currency="XOF")


@pytest.fixture
def fees(db):
    return api.system_account(code="fees_revenue", currency="XOF")


@pytest.fixture
def tenant(db):
    return UserFactory()


@pytest.fixture
def wallet(tenant):
    return api.user_wallet(user=tenant.public_id)


@pytest.fixture
def organization(db):
    return OrganizationFactory()


@pytest.fixture
def payable(organization):
    return api.organization_account(organization=organization.public_id, code="owners_payable")


@pytest.fixture
def member(organization):
    return MembershipFactory(organization=organization).user


@pytest.fixture
def outsider(db):
    """A member of another organization."""
    return MembershipFactory(organization=OrganizationFactory(name="Autre agence")).user


@pytest.fixture
def finance(db):
    return UserFactory(is_staff=True, staff_role="finance")
