"""Routing, the one-success constraint, events through the outbox, the receipt
notification, the KYC seam, the admin pages and list query ceilings."""

import pytest
from django.db import IntegrityError, transaction

from apps.core.models import OutboxEvent
from apps.identity.models import Membership
from apps.payments import config, services
from apps.payments.errors import ProviderNotAvailable
from apps.payments.models import PaymentAttempt, PayoutAccount, ProviderRoute
from tests.identity.factories import UserFactory

from .conftest import kyb_approved, make_intent, member, on_commit

pytestmark = pytest.mark.django_db


def test_routing_by_method_and_country(org, other_org, settings):
    settings.PAYMENT_PROVIDERS = ["kkiapay", "fedapay", "sandbox"]
    settings.PAYMENT_ROUTES = "mobile_money:CI=fedapay;card:*=kkiapay"
    assert config.route(method="mobile_money", country="BJ") == "kkiapay"  # first online provider
    assert config.route(method="mobile_money", country="CI") == "fedapay"  # PAYMENT_ROUTES
    assert config.route(method="cash", country="BJ") == "cash"
    ProviderRoute.objects.create(method="mobile_money", country="*", provider="sandbox")
    assert config.route(method="mobile_money", country="BJ") == "sandbox"  # platform rows first
    ProviderRoute.objects.create(organization=org, method="mobile_money", country="BJ", provider="fedapay")
    assert config.route(method="mobile_money", country="BJ", organization_id=org.pk) == "fedapay"
    assert config.route(method="mobile_money", country="BJ", organization_id=other_org.pk) == "sandbox"
    settings.PAYMENT_PROVIDERS = ["kkiapay"]
    with pytest.raises(ProviderNotAvailable):
        config.provider_for("sandbox")  # what prod refuses is never used


def test_the_database_refuses_a_second_success(org, collector, providers):
    intent = make_intent(org)
    services.cash_record(actor=collector, intent=intent)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentAttempt.objects.create(
            intent=intent, method="cash", provider="cash", token="second", status="succeeded"
        )


def test_events_go_through_the_outbox_and_the_payer_gets_a_receipt(
    org, collector, tenant, step_up, providers
):
    from apps.notifications.models import Message

    manager = member(org, Membership.Role.MANAGER)
    intent = make_intent(org, amount=9_000, payer=tenant)
    with on_commit():
        services.cash_record(actor=collector, intent=intent)
    succeeded = OutboxEvent.objects.get(name="payments.PaymentSucceeded")
    assert succeeded.payload["intent_id"] == str(intent.public_id) and succeeded.payload["amount"] == 9_000
    assert succeeded.payload["purpose_type"] == "tests.Rent" and succeeded.payload["payer_id"] == str(
        tenant.public_id
    )
    assert Message.objects.filter(template_key="payments.receipt", user=tenant).exists()
    intent.refresh_from_db()
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=9_000, currency="XOF")
    services.intent_refund(actor=manager, intent=intent, amount=9_000, step_up_token=token)
    refunded = OutboxEvent.objects.get(name="payments.PaymentRefunded")
    assert refunded.payload["fully_refunded"] is True
    other = make_intent(org, purpose_id="declined")
    attempt, _ = services.attempt_start(intent=other, method="mobile_money")
    from apps.payments.providers.base import TransactionInfo, TxStatus

    services.attempt_apply(
        attempt_id=attempt.pk,
        info=TransactionInfo(reference=attempt.provider_reference, status=TxStatus.FAILED),
    )
    assert OutboxEvent.objects.get(name="payments.PaymentFailed").payload["reason"] == "declined"


def test_payouts_go_through_the_kyc_seam(org, providers, step_up):
    from apps.kyc.api import OrganizationNotVerified

    owner = member(org, Membership.Role.OWNER)
    account = PayoutAccount.objects.create(
        organization=org,
        kind="mobile_money",
        phone="+2290196000123",
        operator="mtn",
        holder_name="A",
        verified_at="2026-01-01T00:00:00Z",
    )
    with pytest.raises(OrganizationNotVerified):
        services.payout_request(
            actor=owner,
            organization_id=org.pk,
            account=account,
            amount=1_000,
            currency="XOF",
            step_up_token="x",
        )
    kyb_approved(org, owner)
    services.cash_record(actor=member(org, Membership.Role.COLLECTOR), intent=make_intent(org, amount=2_000))
    token = step_up(owner, "payments.payout.create", org.public_id, amount=1_000, currency="XOF")
    assert services.payout_request(
        actor=owner,
        organization_id=org.pk,
        account=account,
        amount=1_000,
        currency="XOF",
        step_up_token=token,
    )


def test_admin_pages_for_finance_staff(org, collector, client, providers):
    intent = make_intent(org)
    services.cash_record(actor=collector, intent=intent)
    staff = UserFactory(is_staff=True, staff_role="finance")
    client.force_login(staff)
    for name in (
        "paymentintent",
        "paymentattempt",
        "webhookevent",
        "reconciliationreport",
        "reconciliationitem",
        "payout",
        "payoutaccount",
        "providerconfig",
        "providerroute",
    ):
        response = client.get(f"/admin/payments/{name}/")
        assert response.status_code in (200, 302, 404), (name, response.status_code)
    assert client.get(f"/admin/payments/paymentintent/{intent.pk}/change/").status_code in (200, 302)


def test_payout_lists_have_a_query_ceiling(org, client_for, providers, django_assert_max_num_queries):
    owner = member(org, Membership.Role.OWNER)
    for i in range(15):
        PayoutAccount.objects.create(
            organization=org,
            kind="mobile_money",
            phone=f"+22901960001{i:02d}",
            operator="mtn",
            holder_name="A",
        )
    api = client_for(owner)
    api.get("/api/v1/payments/payout-accounts")
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/v1/payments/payout-accounts").json()["results"]) == 15
    with django_assert_max_num_queries(8):
        api.get("/api/v1/payments/payouts")
