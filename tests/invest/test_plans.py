"""Monthly plans, rent first: on its day a plan invests from the wallet only what the wallet
holds beyond the coming rent (an open due of the tenant's lease); short of it, the plan pauses
itself and says so; resumed, it invests, once per date, and moves to the next month."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.invest.models import InvestorProfile, Order, Plan
from apps.invest.services import plans
from apps.kyc.models import KycProfile
from apps.notifications.models import Message
from tests.fixtures.estate import agency_property, first_of_month, lease_for
from tests.identity.factories import MembershipFactory, UserFactory
from tests.invest import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant(settings):
    """A tenant at kyc tier 2 with a profile whose lease starts next month (80 000 due on the
    5th, inside the rent-first window), and an empty wallet."""
    settings.INVEST_RENT_RESERVE_DAYS = 60
    membership = MembershipFactory(role="owner")
    prop = agency_property(membership.user, membership.organization.pk, name="Résidence Placement")
    user = UserFactory(full_name="Awa Investisseuse")
    lease_for(
        membership.user, prop, user, start_date=first_of_month(timezone.localdate(), -1), deposit_months=0
    )
    KycProfile.objects.update_or_create(user=user, defaults={"tier": 2})
    InvestorProfile.objects.create(
        user=user, answers={}, score=10, profile="balanced", max_risk=5, completed_at=timezone.now()
    )
    return user


def test_the_rent_first_rule_pauses_then_the_plan_invests_once_a_month(tenant):
    from apps.estate import api as estate

    product = world.fund()
    plan = plans.create_plan(
        actor=tenant, product=product, amount=15_000, day=min(28, timezone.localdate().day)
    )
    day = plan.next_on
    dues = [d for d in estate.tenant_open_dues(tenant.public_id) if d.due_date <= day + timedelta(days=60)]
    rent = sum(d.outstanding for d in dues)
    assert rent >= 80_000  # at least the first month's rent and charges
    world.top_up(tenant, rent + 10_000)
    assert plans.investable(tenant, "XOF", today=day) == 10_000  # the rent is kept

    assert plans.run_plans(today=day) == {"invested": 0, "paused": 1}
    plan.refresh_from_db()
    assert (plan.status, plan.paused_reason) == (Plan.Status.PAUSED, plans.PAUSED_RENT)
    assert not Order.objects.filter(user=tenant).exists()
    assert Message.objects.filter(user=tenant, template_key="invest.plan_paused", channel="sms").exists()

    world.top_up(tenant, 10_000)
    plans.set_plan_status(actor=tenant, plan=plan.public_id, status=Plan.Status.ACTIVE)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE and plan.paused_reason == ""
    run_on = plan.next_on
    assert plans.run_plans(today=run_on) == {"invested": 1, "paused": 0}
    assert plans.run_plans(today=run_on) == {"invested": 0, "paused": 0}  # moved to next month
    (order,) = Order.objects.filter(user=tenant)
    assert (order.amount, order.plan_id, order.held) == (15_000, plan.pk, 15_000)
    plan.refresh_from_db()
    assert plan.next_on > run_on and plan.next_on.day == plan.day
    assert world.balance(tenant)[1] == rent + 20_000 - 15_000


def test_next_date_stays_on_the_plan_day():
    assert plans.next_date(5, date(2026, 1, 4)) == date(2026, 1, 5)
    assert plans.next_date(5, date(2026, 1, 5)) == date(2026, 2, 5)
    assert plans.next_date(28, date(2026, 12, 28)) == date(2027, 1, 28)
    for start in (date(2026, 1, 31) + timedelta(days=n) for n in range(400)):
        following = plans.next_date(28, start)
        assert following > start and following.day == 28
