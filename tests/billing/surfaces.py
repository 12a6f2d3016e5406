"""Helpers of the surfaces' tests (REST, GraphQL, pages, reports): an organization with its
owner and accountant, a subscription in a given state, finalized invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from tests.fixtures.billing import make_plan
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory


@dataclass
class Agency:
    org: object
    owner: object
    accountant: object
    collector: object
    customer: object


def agency(name: str = "Agence Les Palmiers") -> Agency:
    from apps.billing.services.invoices import customer_for

    org = OrganizationFactory(name=name, kind="agency")
    owner = MembershipFactory(organization=org, role="owner", user=UserFactory()).user
    accountant = MembershipFactory(organization=org, role="accountant", user=UserFactory()).user
    collector = MembershipFactory(organization=org, role="collector", user=UserFactory()).user
    customer = customer_for(org.id)
    customer.tax_id, customer.rccm = "3201900000123", "RB/COT/19 B 12345"
    customer.save()
    return Agency(org=org, owner=owner, accountant=accountant, collector=collector, customer=customer)


def subscription(
    customer,
    version,
    *,
    status: str = "active",
    start: date | None = None,
    trial_ends_on: date | None = None,
    canceled_on: date | None = None,
    quantities: dict | None = None,
):
    """A subscription row as the subscriptions part leaves it (no invoice made here)."""
    from apps.billing.models import Subscription

    start = start or date.today().replace(day=1)
    return Subscription.objects.create(
        customer=customer,
        version=version,
        status=status,
        started_on=start,
        trial_ends_on=trial_ends_on,
        current_period_start=start,
        current_period_end=start + relativedelta(months=1),
        canceled_on=canceled_on,
        quantities=quantities or {},
    )


def invoice(
    customer, amount: int = 15_000, *, key: str = "inv", today: date | None = None, subscription=None
):
    """A finalized invoice of one recurring line (TVA 18 %)."""
    from apps.billing.contracts import InvoiceKind, LineKind, LineSpec
    from apps.billing.services import invoices as core

    draft = core.draft(
        customer=customer,
        kind=InvoiceKind.SUBSCRIPTION,
        origin_key=key,
        subscription=subscription,
        lines=[LineSpec(kind=LineKind.RECURRING, description="Abonnement Agence", amount=amount)],
    )
    return core.finalize(draft, today=today or date.today())


def overdue(row, days: int = 3):
    row.due_on = date.today() - timedelta(days=days)
    row.save(update_fields=["due_on"])
    return row


def plans():
    essentiel = make_plan("essentiel", name="Essentiel", flat=10_000, position=1)
    pro = make_plan("pro", name="Pro", flat=40_000, position=3)
    return essentiel, pro
