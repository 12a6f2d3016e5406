"""The catalog: publish, lock on first use, copy into a new version; a locked version's
terms and prices cannot change (model guard; the admin shows it read-only with « Nouvelle
version »); the demo catalog is seeded once."""

from __future__ import annotations

import pytest

from apps.billing.errors import InvalidTiers, VersionLocked, VersionNotPublished
from apps.billing.models import AddOn, BillableMetric, Coupon, Plan, PlanVersion, Price
from apps.billing.services.catalog import version_copy, version_lock, version_publish, version_retire
from tests.fixtures.billing import make_plan
from tests.identity.factories import UserFactory
from tests.wallet.test_safeguarding import admin_client

pytestmark = pytest.mark.django_db


def draft(code="brouillon"):
    version = make_plan(code, per_unit=500)
    PlanVersion.objects.filter(pk=version.pk).update(status="draft")
    version.refresh_from_db()
    return version


def test_publish_checks_the_prices_then_offers_the_version():
    version = draft()
    Price.objects.create(
        version=version,
        kind="per_unit",
        name="Paliers",
        quantity_source="estate.units",
        tier_mode="volume",
        tiers=[],
    )
    with pytest.raises(InvalidTiers):
        version_publish(version)
    Price.objects.filter(version=version, name="Paliers").update(
        tiers=[{"up_to": 10, "unit_amount": 300}, {"up_to": None, "unit_amount": 200}]
    )
    published = version_publish(version)
    assert published.status == "published" and published.published_at is not None
    assert version_publish(published).published_at == published.published_at  # twice: once


def test_a_per_unit_price_names_a_registered_quantity_source():
    version = draft()
    Price.objects.create(
        version=version, kind="per_unit", name="Lots", quantity_source="estate.lots", amount=1
    )
    with pytest.raises(InvalidTiers) as refused:
        version_publish(version)
    assert refused.value.field == "quantity_source"


def test_lock_once_on_a_published_version_only():
    with pytest.raises(VersionNotPublished):
        version_lock(draft())
    version = make_plan("lock-t")
    locked = version_lock(version)
    first = locked.locked_at
    assert first is not None
    assert version_lock(locked).locked_at == first
    retired = version_retire(locked)  # the status may still move: existing subscriptions keep it
    assert retired.status == "retired" and retired.locked_at == first
    with pytest.raises(VersionNotPublished):
        version_publish(retired)


def test_a_locked_version_refuses_changes_to_its_terms_and_prices():
    version = version_lock(make_plan("frozen-t", per_unit=500))
    for field, value in (
        ("entitlements", {"estate.units": 999}),
        ("currency", "EUR"),
        ("interval", "year"),
        ("trial_days", 60),
    ):
        fresh = PlanVersion.objects.get(pk=version.pk)
        setattr(fresh, field, value)
        with pytest.raises(VersionLocked):
            fresh.save()
    price = version.prices.first()
    price.amount = 1
    with pytest.raises(VersionLocked):
        price.save()
    with pytest.raises(VersionLocked):
        price.delete()
    with pytest.raises(VersionLocked):
        Price.objects.create(version=version, kind="flat", name="En plus", amount=1)
    with pytest.raises(VersionLocked):
        PlanVersion.objects.get(pk=version.pk).delete()
    assert PlanVersion.objects.get(pk=version.pk).entitlements == {"estate.units": 50}
    assert sorted(version.prices.values_list("amount", flat=True)) == [500, 15_000]


def test_copy_makes_the_next_draft_with_the_same_terms_and_prices():
    version = version_lock(make_plan("copy-t", per_unit=500, trial_days=30))
    copy = version_copy(version)
    assert (copy.number, copy.status, copy.locked_at, copy.trial_days) == (2, "draft", None, 30)
    assert copy.entitlements == version.entitlements
    assert sorted(copy.prices.values_list("kind", "amount", "quantity_source")) == sorted(
        version.prices.values_list("kind", "amount", "quantity_source")
    )
    price = copy.prices.get(kind="flat")
    price.amount = 17_500
    price.save()  # a draft is editable
    copy.entitlements = {"estate.units": 80}
    copy.save()
    assert version_publish(copy).status == "published"
    assert version.prices.get(kind="flat").amount == 15_000


@pytest.fixture
def finance():
    return admin_client(UserFactory(is_staff=True, staff_role="finance"))


def test_admin_shows_a_locked_version_read_only_and_copies_it(finance):
    version = version_lock(make_plan("admin-t", per_unit=500))
    url = f"/admin/billing/planversion/{version.pk}/change/"
    page = finance.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="entitlements"' not in body and 'name="prices-0-amount"' not in body
    assert 'name="_new_version"' in body
    response = finance.post(
        url, {"_new_version": "1", "prices-TOTAL_FORMS": "0", "prices-INITIAL_FORMS": "0"}
    )
    assert response.status_code == 302, response.content[:2000]
    copy = PlanVersion.objects.get(plan=version.plan, number=2)
    assert response["Location"].endswith(f"/admin/billing/planversion/{copy.pk}/change/")
    editable = finance.get(f"/admin/billing/planversion/{copy.pk}/change/").content.decode()
    assert 'name="entitlements"' in editable and 'name="prices-0-amount"' in editable
    for path in ("plan", "planversion", "billablemetric", "product", "addon", "coupon"):
        assert finance.get(f"/admin/billing/{path}/").status_code == 200, path
    assert finance.get(f"/admin/billing/plan/{version.plan_id}/change/").status_code == 200


def test_admin_refuses_malformed_tiers_on_their_field(finance):
    version = draft("tiers-admin")
    url = f"/admin/billing/planversion/{version.pk}/change/"
    prices = list(version.prices.order_by("position", "id"))
    data = {
        "currency": "XOF",
        "interval": "month",
        "trial_days": "0",
        "entitlements": "{}",
        "prices-TOTAL_FORMS": str(len(prices) + 1),
        "prices-INITIAL_FORMS": str(len(prices)),
        "prices-MIN_NUM_FORMS": "0",
        "prices-MAX_NUM_FORMS": "1000",
    }
    for index, price in enumerate(prices):
        data.update(
            {
                f"prices-{index}-id": str(price.pk),
                f"prices-{index}-version": str(version.pk),
                f"prices-{index}-kind": price.kind,
                f"prices-{index}-name": price.name,
                f"prices-{index}-quantity_source": price.quantity_source,
                f"prices-{index}-amount": str(price.amount),
                f"prices-{index}-tier_mode": "none",
                f"prices-{index}-tiers": "[]",
                f"prices-{index}-free_units": "0",
                f"prices-{index}-position": "0",
            }
        )
    new = len(prices)
    data.update(
        {
            f"prices-{new}-version": str(version.pk),
            f"prices-{new}-kind": "per_unit",
            f"prices-{new}-name": "Paliers",
            f"prices-{new}-quantity_source": "estate.units",
            f"prices-{new}-amount": "0",
            f"prices-{new}-tier_mode": "graduated",
            f"prices-{new}-tiers": '[{"up_to": 10, "unit_amount": 100}]',
            f"prices-{new}-free_units": "0",
            f"prices-{new}-position": "5",
        }
    )
    response = finance.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "ouvert" in response.content.decode() or "Paliers" in response.content.decode()
    assert not version.prices.filter(name="Paliers").exists()


def test_support_staff_read_the_catalog_but_do_not_edit_it():
    support = admin_client(UserFactory(is_staff=True, staff_role="support"))
    version = make_plan("support-t")
    assert support.get("/admin/billing/plan/").status_code == 200
    assert support.get("/admin/billing/planversion/add/").status_code == 403
    assert (
        support.post(f"/admin/billing/planversion/{version.pk}/change/", {"trial_days": "9"}).status_code
        == 403
    )


def test_demo_catalog_is_seeded_once():
    from apps.billing import demo

    demo.seed({})
    counts = (
        Plan.objects.count(),
        PlanVersion.objects.count(),
        Price.objects.count(),
        AddOn.objects.count(),
        BillableMetric.objects.count(),
        Coupon.objects.count(),
    )
    demo.seed({})
    assert counts == (
        Plan.objects.count(),
        PlanVersion.objects.count(),
        Price.objects.count(),
        AddOn.objects.count(),
        BillableMetric.objects.count(),
        Coupon.objects.count(),
    )
    plans = {v.plan.code: v for v in PlanVersion.objects.select_related("plan")}
    assert set(plans) >= {"essentiel", "agence", "pro"}
    assert all(v.status == "published" for v in plans.values())
    assert plans["essentiel"].entitlements["estate.units"] == 10
    assert plans["agence"].trial_days == 30
    per_unit = plans["agence"].prices.get(kind="per_unit")
    assert (per_unit.amount, per_unit.free_units, per_unit.quantity_source) == (500, 20, "estate.units")
    assert plans["pro"].prices.get(kind="flat").amount == 45_000
    assert plans["pro"].entitlements["estate.units"] is None
    sms = BillableMetric.objects.get(code="sms")
    assert (sms.event_name, sms.filters) == ("notifications.MessageSent", {"channel": "sms"})
    assert plans["agence"].prices.get(metric=sms).amount == 25
    assert set(AddOn.objects.values_list("name", flat=True)) >= {
        "Pack signatures électroniques",
        "Campagnes SMS",
    }


def test_demo_agency_trial_converts_into_a_french_invoice_with_tva_and_its_sms_wait_for_the_next(org_a):
    from datetime import timedelta

    from django.utils import timezone

    from apps.billing import demo
    from apps.billing.documents import invoice_pdf
    from apps.billing.models import Invoice, Subscription
    from apps.billing.services import metering

    demo.seed({"organizations": {"agency": org_a}})
    demo.seed({"organizations": {"agency": org_a}})
    (sub,) = Subscription.objects.filter(customer__organization=org_a)
    today = timezone.localdate()
    assert (sub.version.plan.code, sub.status) == ("agence", "active")
    assert sub.trial_ends_on == today - timedelta(days=1) and sub.version.locked_at is not None
    (invoice,) = Invoice.objects.filter(subscription=sub)
    assert invoice.status == "open" and invoice.number.startswith("FA-BJ-")
    assert invoice.subtotal == 15_000 and invoice.tax == 2_700 and invoice.total == 17_700
    assert invoice_pdf(invoice)[:4] == b"%PDF"
    usage = {line.metric: line.quantity for line in metering.current_usage(sub)}
    assert usage.get("sms", 0) > 0  # the demo's SMS, on the next invoice
