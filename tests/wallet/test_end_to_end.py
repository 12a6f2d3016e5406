"""Issue 19's « Done when », end to end over the REST API on the demo data (`seed_demo`): a demo
tenant tops up by the sandbox provider, sends money to another tenant, the demo tenants join
the demo tontine, a pot pays a landlord's rent due and a HokweSplit vault pays another — each
due paid and its quittance issued; the books sum to zero per currency and the day's
safeguarding report balances against the trust balance finance enters. The demo is seeded
once (40 s) and a second seed must change nothing."""

from datetime import timedelta
from uuid import uuid4

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.estate import api as estate
from apps.estate.models import Quittance, RentDue
from apps.identity.models import User
from apps.ledger import api as ledger
from apps.ledger import verify
from apps.ledger.models import Account
from apps.payments import api as payments
from apps.wallet.models import SafeguardingReport, SplitPlan, TontineGroup, TontineMember, TontineRound
from apps.wallet.services import safeguarding, split_schedule, tontine_rounds
from tests.helpers import bearer_client
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

TENANTS = ["+2290161000001", "+2290161000002", "+2290161000003", "+2290161000004"]


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--no-progress", "--quiet-logins")
    return [User.objects.get(phone=phone) for phone in TENANTS]


def _post(client, path, body=None):
    return client.post(path, body or {}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4()))


def _balance(user) -> int:
    return ledger.balance(account=ledger.user_wallet(user=user.public_id).public_id).posted


def _top_up(user, amount, capture):
    """POST /wallet/topups, then the payer approves on the sandbox provider's page."""
    api = bearer_client(user)
    response = _post(api, "/api/v1/wallet/topups", {"amount": amount})
    assert response.status_code == 201, response.content
    checkout = payments.start_payment(
        intent=response.json()["intent"], method="mobile_money", provider="sandbox"
    )
    reference = checkout.url.rstrip("/").split("/")[-1]
    with capture(execute=True):
        page = Client().post(reverse("payments:sandbox", args=[reference]), {"decision": "approve"})
    assert page.status_code in (200, 302), page.content[:500]


def _paid_with_quittance(due_id) -> RentDue:
    due = RentDue.objects.get(public_id=due_id)
    assert due.status == "paid" and due.paid == due.total, (due.status, due.paid, due.total)
    assert Quittance.objects.filter(due=due).exists()
    return due


def _sums_to_zero():
    """Σ = 0 per currency over every account (debits = credits), and ledger_verify is clean."""
    totals = Account.objects.values("currency").annotate(d=Sum("debits_posted"), c=Sum("credits_posted"))
    for row in totals:
        assert row["d"] == row["c"], row
    assert verify.run().ok


def test_a_demo_tenant_tops_up_sends_joins_the_tontine_and_pays_rent_from_a_pot_and_a_vault(
    demo, tontine_otp, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    alice, bob, carl, _dora = demo
    today = timezone.localdate()

    # 0. the demo is idempotent (a second seed_demo changes nothing) and fast the second time
    counts = (TontineGroup.objects.count(), TontineMember.objects.count(), SplitPlan.objects.count())
    balances = [_balance(u) for u in demo]
    call_command("seed_demo", "--no-progress", "--quiet-logins")
    assert (TontineGroup.objects.count(), TontineMember.objects.count(), SplitPlan.objects.count()) == counts
    assert [_balance(u) for u in demo] == balances
    assert counts[0] == 1 and counts[2] == 1
    assert TontineMember.objects.filter(status="active").get().user == alice  # the organiser

    # 1. top-up by the sandbox provider (REST), then a P2P transfer to another demo tenant
    before = _balance(alice)
    _top_up(alice, 100_000, capture)
    assert _balance(alice) == before + 100_000
    api = bearer_client(alice)
    preview = _post(
        api, "/api/v1/wallet/p2p/preview", {"phone": str(bob.phone), "amount": 5_000, "currency": "XOF"}
    )
    assert preview.status_code == 200, preview.content
    assert preview.json()["receiver_name"] and not preview.json()["step_up_required"]
    bob_before = _balance(bob)
    with capture(execute=True):
        sent = _post(api, "/api/v1/wallet/p2p/transfers", {"preview_token": preview.json()["preview_token"]})
    assert sent.status_code == 201, sent.content
    assert sent.json()["status"] == "completed"
    assert _balance(bob) == bob_before + 5_000
    assert _balance(alice) == before + 95_000

    # 2. the demo tontine: Bob and Carl accept their invitation (SMS code), Carl's pot will pay
    #    his rent; the organiser (Alice, a member from the start) starts it with Carl first
    group = TontineGroup.objects.get(name="Tontine des Cocotiers (démo)")
    assert group.status == "forming" and group.organiser == alice
    pot_size = group.contribution * 3
    carl_due = next(d for d in estate.tenant_open_dues(carl.public_id) if d.outstanding <= pot_size)
    for user in (bob, carl):
        seat = TontineMember.objects.get(group=group, phone=str(user.phone), status="invited")
        accepted = _post(
            bearer_client(user),
            f"/api/v1/wallet/tontines/invitations/{seat.public_id}/accept",
            {"step_up_token": tontine_otp(user, seat)},
        )
        assert accepted.status_code in (200, 201), accepted.content
    payout = bearer_client(carl).patch(
        f"/api/v1/wallet/tontines/{group.public_id}/payout",
        {"payout_to": "rent", "rent_due": str(carl_due.public_id)},
        format="json",
    )
    assert payout.status_code in (200, 201), payout.content
    seats = {m.user_id: m for m in TontineMember.objects.filter(group=group, status="active")}
    order = [str(seats[u.pk].public_id) for u in (carl, alice, bob)]
    started = _post(
        bearer_client(alice), f"/api/v1/wallet/tontines/{group.public_id}/start", {"order": order}
    )
    assert started.status_code in (200, 201), started.content

    # the beat on the due date (auto-debits) and on the close date (the pot pays Carl's rent)
    first = TontineRound.objects.get(group=group, number=1)
    with capture(execute=True):
        tontine_rounds.close_due_rounds(first.due_date)
    with capture(execute=True):
        tontine_rounds.close_due_rounds(first.close_date)
    first.refresh_from_db()
    assert first.status == "paid" and first.beneficiary == seats[carl.pk]
    assert first.rent_intent is not None
    _paid_with_quittance(carl_due.public_id)

    # 3. the demo HokweSplit plan: its vault fills by the daily run, then pays the due
    plan = SplitPlan.objects.get()
    saver = plan.user
    while _balance(saver) < plan.target:  # enough in the wallet for every instalment
        _top_up(saver, min(100_000, plan.target - _balance(saver)), capture)
    day = today
    while day <= plan.due_date:
        with capture(execute=True):
            split_schedule.run_due_debits(day)
        day += timedelta(days=1)
    plan.refresh_from_db()
    assert plan.status == "paid", plan.status
    assert ledger.balance(account=plan.vault).posted == 0
    _paid_with_quittance(plan.due)

    # 4. the books: Σ = 0, and the safeguarding report balances
    _sums_to_zero()
    finance = UserFactory(is_staff=True, staff_role="finance")
    outstanding = sum(t.posted for t in ledger.balance_totals(codes=["wallet"], prefixes=["wallet."]))
    independent = sum(
        ledger.balance(account=a.public_id).posted
        for a in Account.objects.filter(currency="XOF").filter(code__startswith="wallet")
        if a.code == "wallet" or a.code.startswith("wallet.")
    )
    assert outstanding == independent > 0
    safeguarding.trust_balance_record(actor=finance, currency="XOF", on=today, amount=independent)
    (report,) = safeguarding.run_daily(today)
    assert (report.status, report.gap, report.outstanding) == ("balanced", 0, independent)
    assert SafeguardingReport.objects.filter(day=today).count() == 1
