"""HokweSplit's back-office: finance and compliance read plans with their schedule (read-only);
only finance settles a plan whose due date has come, from the admin action."""

import pytest
from django.urls import reverse

from apps.ledger import api as ledger
from apps.wallet.services import split
from apps.wallet.services.split_schedule import run_due_debits
from tests.identity.test_admin_and_audit import admin_login, staff

pytestmark = pytest.mark.django_db


def _plan(world):
    return split.plan_create(
        actor=world.tenant, due=world.due.public_id, frequency="weekly", today=world.today
    )


def test_compliance_reads_plans_but_cannot_settle(split_world):
    plan = _plan(split_world)
    user, device = staff("compliance")
    client, _ = admin_login(user, device)
    listing = client.get(reverse("admin:wallet_splitplan_changelist"))
    assert listing.status_code == 200 and str(plan.public_id) in listing.content.decode()
    page = client.get(reverse("admin:wallet_splitplan_change", args=[plan.pk]))
    assert page.status_code == 200 and "settle_now" not in listing.content.decode()
    refused = client.post(
        reverse("admin:wallet_splitplan_changelist"), {"action": "settle_now", "_selected_action": [plan.pk]}
    )
    plan.refresh_from_db()
    assert refused.status_code in (200, 302) and plan.status == "active"


def test_finance_settles_a_plan_whose_due_date_has_come(
    split_world, fund, django_capture_on_commit_callbacks
):
    plan = _plan(split_world)
    fund(split_world.wallet, plan.target)
    run_due_debits(split_world.today)
    user, device = staff("finance")
    client, _ = admin_login(user, device)
    url = reverse("admin:wallet_splitplan_changelist")
    assert "settle_now" in client.get(url).content.decode()
    client.post(url, {"action": "settle_now", "_selected_action": [plan.pk]})
    plan.refresh_from_db()
    assert plan.status == "active"  # not due yet: nothing moves
    # the due date came and the daily run has not: finance settles it by hand
    from apps.wallet.models import SplitPlan

    SplitPlan.objects.filter(pk=plan.pk).update(due_date=split_world.today)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "settle_now", "_selected_action": [plan.pk]})
    plan.refresh_from_db()
    assert plan.status == "paid"  # one weekly instalment in the vault, the gap from the wallet
    assert ledger.balance(account=plan.vault).posted == 0
    assert ledger.balance(account=split_world.wallet.account).posted == 0
