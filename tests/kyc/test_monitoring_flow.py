"""Transaction monitoring end to end: a real sandbox payment through payments' pages and
services reaches kyc's intake through the outbox (payments' handler, after commit), a
replayed delivery creates nothing, refunds and payouts are observed too; then the
compliance queue in the back-office (filters, the alert page, decisions, the report
download, bulk actions) and who may see it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from apps.core import outbox
from apps.core.models import AuditEntry, HandledEvent, OutboxEvent
from apps.identity.models import Membership
from apps.kyc import api as kyc
from apps.kyc.models import Alert, AlertEntry, MonitoredTransaction
from apps.payments import config
from apps.payments import services as payments
from apps.payments.events import PayoutCompleted
from apps.payments.models import PaymentAttempt, Payout, PayoutAccount
from tests.identity.factories import MembershipFactory, OrganizationFactory
from tests.payments.conftest import make_intent, member, on_commit, sms, step_up  # noqa: F401 -- fixtures

from .helpers import staff
from .test_retention_admin_pages import admin_client

pytestmark = pytest.mark.django_db

PHONE = "+2290197001122"


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Agence Les Cocotiers")


@pytest.fixture
def sandbox(settings):
    settings.PAYMENT_PROVIDERS = ["sandbox", "kkiapay", "fedapay"]
    settings.PAYMENT_ROUTES = ""
    settings.PAYMENT_PAYOUT_PROVIDER = "sandbox"
    settings.KYC_MONITORING_ENABLED = True
    settings.KYC_MONITORING_RULES = {
        "large_amount": {"thresholds": {"XOF": 50_000}, "severity": "high"},
        "velocity": {"max_count": 1, "window_hours": 24, "severity": "medium"},
    }
    config.clear_cache()
    yield settings
    config.clear_cache()


def pay_with_the_sandbox(client, intent):
    start = client.post(f"/pay/{intent.pay_token}/start", {"method": "mobile_money"})
    assert start.status_code == 302 and "/pay/sandbox/" in start["Location"]
    with on_commit():
        client.post(start["Location"], {"decision": "approve"})
    intent.refresh_from_db()
    assert intent.status == "succeeded"
    return intent


def test_a_sandbox_payment_reaches_monitoring_through_the_outbox(client, org, sandbox):
    intent = pay_with_the_sandbox(client, make_intent(org, amount=75_000, payer_phone=PHONE))
    attempt = PaymentAttempt.objects.get(intent=intent, status="succeeded")
    tx = MonitoredTransaction.objects.get(source_key=f"payments.intent:{intent.public_id}")
    assert (tx.kind, tx.amount, tx.currency, tx.payer_phone) == ("collect", 75_000, "XOF", PHONE)
    assert tx.organization == org and tx.account == str(intent.credit_account)
    assert tx.provider == "sandbox" and tx.provider_reference == attempt.provider_reference
    assert tx.occurred_at == intent.succeeded_at
    alert = Alert.objects.get()
    assert alert.rule == "large_amount" and list(alert.transactions.all()) == [tx]
    # the payment itself committed first: monitoring ran in its own handler
    assert HandledEvent.objects.filter(handler__endswith="observe_payment_for_monitoring").count() == 1


def test_a_replayed_event_creates_nothing_new(client, org, sandbox):
    pay_with_the_sandbox(client, make_intent(org, amount=75_000, payer_phone=PHONE))
    event = OutboxEvent.objects.get(name="payments.PaymentSucceeded")
    counts = (MonitoredTransaction.objects.count(), Alert.objects.count(), AlertEntry.objects.count())
    # the outbox delivers the event again and the monitoring handler runs a second time
    # (as after a crash between the handler's work and its completion record)
    HandledEvent.objects.filter(event=event).delete()
    OutboxEvent.objects.filter(pk=event.pk).update(status=OutboxEvent.Status.PENDING)
    assert outbox.dispatch(event.pk) is True
    assert HandledEvent.objects.filter(handler__endswith="observe_payment_for_monitoring").count() == 1
    assert (MonitoredTransaction.objects.count(), Alert.objects.count(), AlertEntry.objects.count()) == counts


def test_two_payments_by_one_payer_hit_velocity_and_dedup_keeps_one_alert(client, org, sandbox):
    for amount in (10_000, 12_000, 14_000):
        pay_with_the_sandbox(
            client, make_intent(org, amount=amount, payer_phone=PHONE, purpose_id=str(amount))
        )
    alert = Alert.objects.get(rule="velocity")
    assert alert.subject_key == f"phone:{PHONE}" and alert.transactions.count() == 3
    assert not Alert.objects.filter(rule="large_amount").exists()


def test_a_refund_is_observed(org, sandbox, step_up):  # noqa: F811 -- the fixture
    manager = member(org, Membership.Role.MANAGER)
    intent = make_intent(org, amount=9_000, payer_phone=PHONE)
    with on_commit():
        payments.cash_record(actor=member(org, Membership.Role.COLLECTOR), intent=intent)
    intent.refresh_from_db()
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=4_000, currency="XOF")
    with on_commit():
        payments.intent_refund(actor=manager, intent=intent, amount=4_000, step_up_token=token)
    refund = MonitoredTransaction.objects.get(kind="refund")
    assert refund.source_key.startswith("payments.refund:") and refund.amount == 4_000
    assert refund.payer_phone == PHONE and refund.organization == org
    assert MonitoredTransaction.objects.filter(kind="collect", amount=9_000).exists()


def test_a_paid_payout_is_observed_and_a_failed_one_is_not(org, sandbox):
    account = PayoutAccount.objects.create(
        organization=org, kind="mobile_money", phone="+2290196000123", operator="mtn", holder_name="A"
    )
    payouts = [
        Payout.objects.create(
            organization=org,
            payout_account=account,
            amount=60_000,
            currency="XOF",
            status=status,
            source_account=uuid.uuid4(),
            provider="sandbox",
            provider_reference=f"sbx_payout_{status}",
            paid_at=datetime(2026, 6, 2, tzinfo=UTC) if status == "paid" else None,
        )
        for status in ("paid", "failed")
    ]
    with on_commit():
        for payout in payouts:
            outbox.publish(
                PayoutCompleted(
                    payout_id=str(payout.public_id),
                    organization_id=str(org.public_id),
                    amount=payout.amount,
                    currency="XOF",
                    status=payout.status,
                )
            )
    observed = MonitoredTransaction.objects.get(kind="payout")
    assert observed.source_key == f"payments.payout:{payouts[0].public_id}"
    assert observed.account == str(account.public_id) and observed.amount == 60_000
    assert Alert.objects.get().subject_kind == "organization"  # large amount, paid out


# --- the compliance queue in the back-office --------------------------------------------------------


def _alert(org, amount=80_000, key="k1", phone=PHONE):
    outcome = kyc.observe_transaction(
        kyc.ObservedTransaction(
            source_key=key,
            kind="collect",
            amount=amount,
            currency="XOF",
            occurred_at=datetime(2026, 6, 1, 12, tzinfo=UTC),
            organization_public_id=str(org.public_id),
            account="acct-1",
            payer_phone=phone,
            provider="sandbox",
            provider_reference=f"sbx_{key}",
        )
    )
    return Alert.objects.get(public_id=outcome.alert_ids[0])


def test_the_queue_and_the_alert_page_for_compliance(org, sandbox):
    alert = _alert(org)
    client = admin_client(staff("compliance"))
    for query in (
        "",
        "?queue=undecided",
        "?status__exact=open",
        "?rule__exact=large_amount",
        "?severity__exact=3",
        "?assigned=none",
    ):
        page = client.get(f"/admin/kyc/alert/{query}")
        assert page.status_code == 200 and alert.public_id.hex[:8] in page.content.decode(), query
    assert (
        alert.public_id.hex[:8] not in client.get("/admin/kyc/alert/?status__exact=reported").content.decode()
    )
    page = client.get(f"/admin/kyc/alert/{alert.pk}/change/").content.decode()
    assert "sbx_k1" in page and PHONE in page and 'data-testid="alert-decide"' in page
    assert AuditEntry.objects.filter(action="kyc.monitoring.alert_viewed").count() == 1
    assert client.get("/admin/kyc/monitoredtransaction/").status_code == 200


def test_deciding_and_downloading_the_report_in_the_back_office(org, sandbox):
    alert = _alert(org)
    officer = staff("compliance")
    client = admin_client(officer)
    client.post(f"/admin/kyc/alert/{alert.pk}/assign/")
    client.post(f"/admin/kyc/alert/{alert.pk}/note/", {"text": "Rent for a whole year?"})
    refused = client.post(
        f"/admin/kyc/alert/{alert.pk}/decide/", {"decision": "report", "reason": "Suspicious"}, follow=True
    )
    assert (
        "analysis" in refused.content.decode() or "analyse" in refused.content.decode()
    )  # narrative missing
    client.post(
        f"/admin/kyc/alert/{alert.pk}/decide/",
        {"decision": "report", "reason": "Suspicious", "narrative": "Paid 80 000 FCFA at once, unexplained."},
    )
    alert.refresh_from_db()
    assert alert.status == "reported" and alert.assigned_to == officer and alert.decided_by == officer
    page = client.get(f"/admin/kyc/alert/{alert.pk}/change/").content.decode()
    assert 'data-testid="alert-final"' in page and 'data-testid="alert-decide"' not in page
    download = client.get(f"/admin/kyc/alert/{alert.pk}/export/csv/")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert download["Content-Disposition"].startswith('attachment; filename="HKW-STR-')
    assert "Paid 80 000 FCFA at once" in download.content.decode("utf-8-sig")
    assert client.get(f"/admin/kyc/alert/{alert.pk}/export/xml/").status_code == 200
    assert AuditEntry.objects.filter(action="kyc.monitoring.report_exported").count() == 2
    # a decided alert does not change
    client.post(f"/admin/kyc/alert/{alert.pk}/decide/", {"decision": "dismiss", "reason": "changed my mind"})
    alert.refresh_from_db()
    assert alert.status == "reported"


def test_bulk_actions_assign_and_dismiss_with_a_reason(org, sandbox):
    alerts = [_alert(org, key=f"b{i}", phone=f"+22901970030{i:02d}") for i in range(3)]
    officer = staff("compliance")
    client = admin_client(officer)
    selected = [str(a.pk) for a in alerts[:2]]
    client.post("/admin/kyc/alert/", {"action": "assign_to_me", "_selected_action": selected})
    assert Alert.objects.filter(assigned_to=officer).count() == 2
    ask = client.post(
        "/admin/kyc/alert/", {"action": "dismiss_as_false_positive", "_selected_action": selected}
    )
    assert ask.status_code == 200 and 'name="reason"' in ask.content.decode()
    assert Alert.objects.filter(status="dismissed").count() == 0  # nothing before the reason
    client.post(
        "/admin/kyc/alert/",
        {
            "action": "dismiss_as_false_positive",
            "_selected_action": selected,
            "confirm": "yes",
            "reason": "Known agency, monthly rents",
        },
    )
    dismissed = Alert.objects.filter(status="dismissed")
    assert dismissed.count() == 2 and {a.decision_reason for a in dismissed} == {
        "Known agency, monthly rents"
    }
    assert AuditEntry.objects.filter(action="kyc.monitoring.alert_dismissed").count() == 2
    assert Alert.objects.get(pk=alerts[2].pk).status == "open"


def test_nobody_but_compliance_sees_the_queue(org, sandbox):
    alert = _alert(org)
    for role in ("support", "finance"):
        client = admin_client(staff(role))
        assert client.get("/admin/kyc/alert/").status_code == 403
        assert client.get(f"/admin/kyc/alert/{alert.pk}/change/").status_code == 403
        assert client.get(f"/admin/kyc/alert/{alert.pk}/export/csv/").status_code == 403
        assert (
            client.post(
                f"/admin/kyc/alert/{alert.pk}/decide/", {"decision": "dismiss", "reason": "x"}
            ).status_code
            == 403
        )
        assert client.get("/admin/kyc/monitoredtransaction/").status_code == 403
    owner = MembershipFactory(organization=org, role=Membership.Role.OWNER).user
    member_client = Client()
    member_client.force_login(owner)
    for url in (
        "/admin/kyc/alert/",
        f"/admin/kyc/alert/{alert.pk}/change/",
        f"/admin/kyc/alert/{alert.pk}/export/csv/",
    ):
        response = member_client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    alert.refresh_from_db()
    assert (
        alert.status == "open"
        and not AuditEntry.objects.filter(action="kyc.monitoring.alert_viewed").exists()
    )


def test_the_window_ends_at_the_transaction_time(org, sandbox):
    """A late event is counted in its own window, not the current one."""
    base = datetime(2026, 6, 1, 12, tzinfo=UTC)
    for i, hours in enumerate((0, 30)):
        kyc.observe_transaction(
            kyc.ObservedTransaction(
                source_key=f"w{i}",
                kind="collect",
                amount=1_000,
                currency="XOF",
                occurred_at=base + timedelta(hours=hours),
                organization_public_id=str(org.public_id),
                payer_phone=PHONE,
            )
        )
    assert not Alert.objects.filter(rule="velocity").exists()  # 30 h apart: never 2 in 24 h


def test_demo_alerts_fill_the_queue_once_in_french(settings, org):
    from django.utils import translation

    from apps.kyc import conf as kyc_conf
    from apps.kyc.demo import seed_monitoring
    from tests.identity.factories import UserFactory

    settings.KYC_MONITORING_ENABLED = True
    settings.KYC_MONITORING_RULES = kyc_conf.KYC_MONITORING_RULES  # the defaults
    payers = [UserFactory(), UserFactory()]
    with translation.override("fr"):
        seed_monitoring(org, payers)
        assert seed_monitoring(org, payers) == []  # seeded again: nothing new
    alerts = {alert.rule: alert for alert in Alert.objects.all()}
    assert set(alerts) == {"structuring", "large_amount"}
    assert (
        alerts["structuring"].transactions.count() == 3 and alerts["structuring"].subject_user == payers[-1]
    )
    assert "paiements juste sous" in alerts["structuring"].summary
    assert MonitoredTransaction.objects.count() == 4
