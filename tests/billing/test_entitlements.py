"""Entitlements: the defaults without a subscription, the plan's grants and limits, add-ons,
the cache and its drop on billing's events, the dunning restriction — and estate's call
sites: the unit limit, new leases refused while restricted, rent still collected."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.billing import api as billing
from apps.billing.errors import AccountRestricted, FeatureNotInPlan, LimitReached
from apps.billing.events import AccountRestored, SubscriptionChanged
from apps.billing.models import AddOn, Product, Subscription, SubscriptionAddOn
from apps.billing.services.entitlements import drop
from apps.billing.services.invoices import customer_for
from apps.billing.services.quantities import read_quantities
from apps.core.outbox import publish
from apps.estate import services as estate
from tests.fixtures.billing import make_plan
from tests.fixtures.estate import lease_for, managed_property, pay_rent
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def subscribe(org, version, *, status="active"):
    """A subscription row (the subscriptions part's use case is tested there)."""
    today = timezone.localdate()
    sub = Subscription.objects.create(
        customer=customer_for(org.id),
        version=version,
        status=status,
        started_on=today,
        current_period_start=today,
        current_period_end=today + timedelta(days=30),
    )
    drop(org.id)  # what SubscriptionChanged's handler does after the real use case's commit
    return sub


def test_no_subscription_gets_the_generous_defaults(org_a):
    units = billing.entitlement(org_a.id, "estate.units")
    assert (units.enabled, units.limit, units.restricted, units.plan) == (True, None, False, "")
    assert billing.require(org_a.id, "estate.new_leases").enabled
    assert billing.require(org_a.id, "estate.units", adding=1_000).limit is None
    with pytest.raises(FeatureNotInPlan):
        billing.require(org_a.id, "nobody.grants_this")


def test_the_plan_overrides_the_defaults_and_add_ons_add_up(org_a):
    version = make_plan("essentiel-t", entitlements={"estate.units": 10, "recovery.sms_campaigns": False})
    sub = subscribe(org_a, version)
    units = billing.entitlement(org_a.id, "estate.units")
    assert (units.enabled, units.limit, units.plan) == (True, 10, "essentiel-t")
    assert billing.entitlement(org_a.id, "estate.new_leases").enabled  # a default the plan keeps
    with pytest.raises(FeatureNotInPlan) as refused:
        billing.require(org_a.id, "recovery.sms_campaigns")
    assert "forfait" in str(refused.value.message)

    product = Product.objects.create(code="options-t", name="Options", kind="addon")
    lots = AddOn.objects.create(product=product, code="lots-t", name="Lots", entitlements={"estate.units": 5})
    sms = AddOn.objects.create(
        product=product, code="sms-t", name="SMS", entitlements={"recovery.sms_campaigns": True}
    )
    today = timezone.localdate()
    SubscriptionAddOn.objects.create(subscription=sub, addon=lots, quantity=2, started_on=today)
    SubscriptionAddOn.objects.create(subscription=sub, addon=sms, started_on=today)
    drop(org_a.id)
    assert billing.entitlement(org_a.id, "estate.units").limit == 20
    assert billing.require(org_a.id, "recovery.sms_campaigns").enabled


def test_the_cache_holds_until_billing_says_the_subscription_changed(
    org_a, django_capture_on_commit_callbacks, django_assert_num_queries
):
    version = make_plan("cache-t", entitlements={"estate.units": 3})
    sub = subscribe(org_a, version)
    assert billing.entitlement(org_a.id, "estate.units").limit == 3
    with django_assert_num_queries(0):  # cached
        assert billing.entitlement(org_a.id, "estate.units").limit == 3
    Subscription.objects.filter(pk=sub.pk).update(status="restricted")
    assert not billing.entitlement(org_a.id, "estate.new_leases").restricted  # still the cached grants
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            SubscriptionChanged(
                subscription=str(sub.public_id),
                organization=str(org_a.public_id),
                kind="renew",
                plan="cache-t",
                version=1,
                status="restricted",
                effective_on=str(timezone.localdate()),
            )
        )
    assert billing.entitlement(org_a.id, "estate.new_leases").restricted
    Subscription.objects.filter(pk=sub.pk).update(status="active")
    with django_capture_on_commit_callbacks(execute=True):
        publish(AccountRestored(organization=str(org_a.public_id), subscription=str(sub.public_id)))
    assert not billing.entitlement(org_a.id, "estate.new_leases").restricted


def test_estate_units_is_one_query_for_many_organizations(org_a, org_b, manager_a, django_assert_num_queries):
    prop = managed_property(org_a)
    for label in ("A1", "A2", "A3"):
        estate.unit_create(actor=manager_a, property=prop, label=label, kind="apartment")
    with django_assert_num_queries(1):
        found = read_quantities([org_a.id, org_b.id], ["estate.units"])
    assert found[org_a.id]["estate.units"] == 3 + prop.units.exclude(label__in=("A1", "A2", "A3")).count()
    assert found[org_b.id] == {"estate.units": 0}


def test_estate_refuses_a_unit_beyond_the_plan_limit(org_a, manager_a):
    prop = managed_property(org_a)
    existing = prop.units.count()
    subscribe(org_a, make_plan("limit-t", entitlements={"estate.units": existing + 2}))
    estate.unit_create(actor=manager_a, property=prop, label="L1", kind="apartment")
    estate.unit_create(actor=manager_a, property=prop, label="L2", kind="apartment")
    with pytest.raises(LimitReached) as refused:
        estate.unit_create(actor=manager_a, property=prop, label="L3", kind="apartment")
    assert f"{existing + 2}" in str(refused.value.message)
    assert "forfait" in str(refused.value.message)
    assert not prop.units.filter(label="L3").exists()


def test_a_restricted_account_signs_no_new_lease_but_still_collects_rent(org_a, manager_a):
    prop = managed_property(org_a)
    tenant = UserFactory()
    lease = lease_for(manager_a, prop, tenant, start_date=date(2026, 1, 1))
    sub = subscribe(org_a, make_plan("restrict-t", entitlements={}), status="restricted")
    unit = estate.unit_create(actor=manager_a, property=prop, label="R2", kind="apartment")  # not restricted
    with pytest.raises(AccountRestricted) as refused:
        estate.lease_create(
            actor=manager_a,
            unit=unit,
            tenants=[estate.TenantInput(phone=str(UserFactory().phone), full_name="Koffi")],
            start_date=date(2026, 2, 1),
            rent=50_000,
        )
    assert refused.value.status == 403
    assert "loyers" in str(refused.value.message)
    # rent collection, reads and renewals are never features
    dues = [d for d in estate_open_dues(lease) if d.outstanding > 0]
    assert dues
    payment = pay_rent(manager_a, lease, dues[0].outstanding)
    assert payment.amount == dues[0].outstanding
    renewed = estate.lease_renew(actor=manager_a, lease=lease, start_date=date(2027, 1, 1))
    assert renewed.renewed_from_id == lease.pk
    # paused: the same features refused, with its own words
    Subscription.objects.filter(pk=sub.pk).update(status="paused")
    drop(org_a.id)
    with pytest.raises(AccountRestricted) as paused:
        billing.require(org_a.id, "estate.new_leases")
    assert "suspendu" in str(paused.value.message) or "pause" in str(paused.value.message)


def estate_open_dues(lease):
    from apps.estate import api

    return api.open_dues(lease.public_id)
