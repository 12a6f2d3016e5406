"""payments' own part of the isolation suite (tests/isolation/cases.py merges it): the finance
staff pages (web/finance.py). Money in suspense belongs to no organization, but a decision
names A's payment: B's owner, an outsider and anonymous get 403 (or the login page) on every
finance page, and never see A's payment there."""

from __future__ import annotations

from tests.isolation.framework import World

SEEDERS = []


def payments_suspense(world: World) -> None:
    from apps.payments import services
    from apps.payments.models import ReconciliationItem, SuspenseDecision
    from tests.identity.factories import UserFactory

    intent = services.intent_create(
        organization_id=world.org_a.pk,
        amount=71_113,
        currency="XOF",
        purpose_type="estate.RentDue",
        purpose_id="due-of-a-suspense",
        description="Loyer en attente secret de A",
        payer_name="Payeur en attente de A",
    )
    item = services.to_suspense(
        provider="bank_transfer",
        reference="SUSP-ISOLATION-A",
        amount=71_113,
        currency="XOF",
        kind=ReconciliationItem.Kind.LATE,
        detail="late payment of A",
        intent=intent,
        refund_due=True,
    )
    decision = SuspenseDecision.objects.create(
        item=item,
        action=SuspenseDecision.Action.APPLY,
        status=SuspenseDecision.Status.AWAITING_APPROVAL,
        amount=71_113,
        currency="XOF",
        intent=intent,
        requested_by=UserFactory(is_staff=True, staff_role="finance"),
    )
    world.provide("item_id", item.public_id, "Loyer en attente secret de A", "Payeur en attente de A")
    world.provide("decision_id", decision.public_id, "71113")


SEEDERS.append(payments_suspense)
