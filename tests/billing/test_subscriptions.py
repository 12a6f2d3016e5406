"""Subscriptions: start (trial or paid first period), coupons, plan changes at once with
proration (once per key) or at the end of the term, cancel, pause and resume, add-ons, the
roll-over of a period, the public read, and the admin."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from apps.billing import api
from apps.billing.contracts import ChangeKind, ChangeTiming, InvoiceKind, InvoiceStatus, SubscriptionStatus
from apps.billing.errors import (
    CouponInvalid,
    CurrencyNotOffered,
    SubscriptionExists,
    SubscriptionNotChangeable,
)
from apps.billing.models import (
    AddOn,
    Coupon,
    CreditNote,
    Invoice,
    Price,
    Product,
    SubscriptionChange,
)
from apps.billing.services import subscriptions as subs
from apps.core.errors import Forbidden, IdempotencyConflict
from apps.core.models import OutboxEvent
from tests.fixtures.billing import make_plan
from tests.identity.factories import UserFactory
from tests.identity.test_admin_and_audit import admin_login, staff

pytestmark = pytest.mark.django_db

DEC_1 = date(2026, 12, 1)
JAN_1 = date(2027, 1, 1)


@pytest.fixture
def plans(db):
    essentiel = make_plan("essentiel", name="Essentiel", flat=15_000, position=1)
    pro = make_plan("pro", name="Pro", flat=31_000, position=3)
    return essentiel, pro


def _start(manager, org, version, key="start-1", today=DEC_1, **kw):
    return subs.subscribe(
        actor=manager, organization_id=org.id, version=version, idempotency_key=key, today=today, **kw
    )


def test_a_paid_start_is_active_for_a_month_and_invoiced_at_once(manager_a, org_a, plans):
    essentiel, _pro = plans
    sub = _start(manager_a, org_a, essentiel)
    assert sub.status == SubscriptionStatus.ACTIVE
    assert (sub.current_period_start, sub.current_period_end) == (DEC_1, JAN_1)
    invoice = Invoice.objects.get(origin_key=subs.renewal_key(sub, DEC_1))
    assert invoice.kind == InvoiceKind.SUBSCRIPTION and invoice.status == InvoiceStatus.OPEN
    assert (invoice.subtotal, invoice.tax, invoice.total) == (15_000, 2_700, 17_700)
    essentiel.refresh_from_db()
    assert essentiel.locked_at is not None
    event = OutboxEvent.objects.get(name="billing.SubscriptionChanged")
    assert event.payload["kind"] == "start" and event.payload["plan"] == "essentiel"
    assert event.payload["organization"] == str(org_a.public_id)


def test_a_trial_start_is_not_invoiced_and_converts_on_renewal(manager_a, org_a):
    version = make_plan("essai", trial_days=30)
    sub = _start(manager_a, org_a, version)
    assert sub.status == SubscriptionStatus.TRIALING
    assert sub.trial_ends_on == sub.current_period_end == date(2026, 12, 31)
    assert not Invoice.objects.exists()
    assert subs.renew(sub, today=date(2026, 12, 30)).status == SubscriptionStatus.TRIALING  # not ended
    sub = subs.renew(sub, today=date(2026, 12, 31))
    assert sub.status == SubscriptionStatus.ACTIVE
    assert (sub.current_period_start, sub.current_period_end) == (date(2026, 12, 31), date(2027, 1, 31))
    assert not Invoice.objects.exists()  # the billing run invoices, not the roll-over
    assert SubscriptionChange.objects.filter(subscription=sub, kind=ChangeKind.RENEW).count() == 1


def test_subscribe_is_once_per_key_and_once_per_organization(manager_a, org_a, plans):
    essentiel, pro = plans
    first = _start(manager_a, org_a, essentiel)
    assert _start(manager_a, org_a, essentiel).pk == first.pk
    assert Invoice.objects.count() == 1
    with pytest.raises(SubscriptionExists):
        _start(manager_a, org_a, pro, key="start-2")


def test_only_the_organizations_managers_subscribe(manager_b, org_a, plans):
    with pytest.raises(Forbidden):
        _start(manager_b, org_a, plans[0])


def test_a_currency_the_organization_lacks_is_refused(manager_a, org_a):
    version = make_plan("euro", currency="EUR")
    with pytest.raises(CurrencyNotOffered):
        _start(manager_a, org_a, version)


def test_a_coupon_discounts_the_first_invoice_and_is_checked(manager_a, org_a, org_b, plans):
    essentiel, _pro = plans
    Coupon.objects.create(code="BIENVENUE", name="Bienvenue", percent_bps=2_000, duration_periods=3)
    Coupon.objects.create(code="VIEUX", name="Vieux", percent_bps=1_000, redeem_by=date(2026, 11, 30))
    Coupon.objects.create(code="EURO", name="Euro", amount=500, currency="EUR")
    Coupon.objects.create(code="UNE", name="Une fois", amount=1_000, currency="XOF", max_redemptions=1)
    for code in ("VIEUX", "EURO", "INCONNU"):
        with pytest.raises(CouponInvalid) as refused:
            _start(manager_a, org_a, essentiel, key=f"k-{code}", coupon=code)
        assert refused.value.field == "coupon"
    sub = _start(manager_a, org_a, essentiel, coupon="bienvenue")
    invoice = Invoice.objects.get(subscription=sub)
    assert (invoice.subtotal, invoice.discount) == (15_000, 3_000)
    assert sub.coupons.get().periods_left == 2
    other = make_plan("autre", flat=10_000)
    from tests.identity.factories import MembershipFactory

    manager_b = MembershipFactory(organization=org_b).user
    subs.subscribe(
        actor=manager_b,
        organization_id=org_b.id,
        version=other,
        coupon="UNE",
        idempotency_key="b1",
        today=DEC_1,
    )
    with pytest.raises(CouponInvalid):
        subs.coupon_apply(actor=manager_a, subscription=sub, coupon="UNE", today=DEC_1)


def test_an_upgrade_now_credits_the_unused_part_and_charges_the_days_left_once(manager_a, org_a, plans):
    essentiel, pro = plans
    sub = _start(manager_a, org_a, essentiel)
    day = date(2026, 12, 11)  # 10 of 31 days used
    change = subs.change_plan(
        actor=manager_a, subscription=sub, to_version=pro, idempotency_key="up-1", today=day
    )
    assert change.kind == ChangeKind.UPGRADE
    note = CreditNote.objects.get(public_id=change.credit_note)
    assert note.subtotal == 15_000 - 15_000 * 10 // 31 == subs.prorate(15_000, DEC_1, JAN_1, day)
    charge = Invoice.objects.get(public_id=change.invoice)
    assert charge.kind == InvoiceKind.PRORATION and charge.status == InvoiceStatus.OPEN
    assert charge.subtotal == 31_000 - 31_000 * 10 // 31 == 21_000
    again = subs.change_plan(
        actor=manager_a, subscription=sub, to_version=pro, idempotency_key="up-1", today=day
    )
    assert again.pk == change.pk
    assert CreditNote.objects.count() == 1 and Invoice.objects.filter(kind=InvoiceKind.PRORATION).count() == 1
    sub.refresh_from_db()
    assert sub.version == pro
    with pytest.raises(IdempotencyConflict):
        subs.change_plan(
            actor=manager_a, subscription=sub, to_version=essentiel, idempotency_key="up-1", today=day
        )
    # a second change in the same period credits what the first one charged
    back = subs.change_plan(
        actor=manager_a,
        subscription=sub,
        to_version=essentiel,
        idempotency_key="down-1",
        today=date(2026, 12, 21),
    )
    assert back.kind == ChangeKind.DOWNGRADE
    second = CreditNote.objects.get(public_id=back.credit_note)
    assert second.invoice_id == charge.pk
    assert second.subtotal == subs.prorate(31_000, DEC_1, JAN_1, date(2026, 12, 21))


def test_a_change_in_trial_moves_no_money(manager_a, org_a, plans):
    trial = make_plan("essai", trial_days=14)
    sub = _start(manager_a, org_a, trial)
    change = subs.change_plan(
        actor=manager_a, subscription=sub, to_version=plans[1], idempotency_key="c1", today=date(2026, 12, 5)
    )
    assert change.invoice is None and change.credit_note is None
    assert not Invoice.objects.exists() and not CreditNote.objects.exists()
    sub.refresh_from_db()
    assert sub.version == plans[1] and sub.status == SubscriptionStatus.TRIALING


def test_a_downgrade_at_period_end_waits_for_the_renewal(manager_a, org_a, plans):
    essentiel, pro = plans
    sub = _start(manager_a, org_a, pro)
    change = subs.change_plan(
        actor=manager_a,
        subscription=sub,
        to_version=essentiel,
        timing=ChangeTiming.PERIOD_END,
        idempotency_key="d1",
        today=date(2026, 12, 10),
    )
    assert change.kind == ChangeKind.DOWNGRADE and change.effective_on == JAN_1
    sub.refresh_from_db()
    assert sub.version == pro and sub.pending_version == essentiel
    assert not CreditNote.objects.exists()
    sub = subs.renew(sub, today=JAN_1)
    assert sub.version == essentiel and sub.pending_version is None
    assert (sub.current_period_start, sub.current_period_end) == (JAN_1, date(2027, 2, 1))


def test_cancel_at_period_end_then_the_renewal_ends_it(manager_a, org_a, plans):
    sub = _start(manager_a, org_a, plans[0])
    subs.cancel(actor=manager_a, subscription=sub, idempotency_key="x1", today=date(2026, 12, 15))
    sub.refresh_from_db()
    assert sub.cancel_at_period_end and sub.status == SubscriptionStatus.ACTIVE
    sub = subs.renew(sub, today=JAN_1)
    assert sub.status == SubscriptionStatus.CANCELED and sub.canceled_on == JAN_1
    assert api.subscription_of(org_a.id) is None


def test_cancel_at_once_is_staff_only_and_credits_the_unused_part(manager_a, org_a, plans):
    sub = _start(manager_a, org_a, plans[0])
    with pytest.raises(Forbidden):
        subs.cancel(
            actor=manager_a, subscription=sub, idempotency_key="n1", at_once=True, today=date(2026, 12, 16)
        )
    finance = UserFactory(is_staff=True, staff_role="finance")
    change = subs.cancel(
        actor=finance, subscription=sub, idempotency_key="n1", at_once=True, today=date(2026, 12, 16)
    )
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.CANCELED and sub.canceled_on == date(2026, 12, 16)
    note = CreditNote.objects.get(public_id=change.credit_note)
    assert (
        note.subtotal == subs.prorate(15_000, DEC_1, JAN_1, date(2026, 12, 16)) == 15_000 - 15_000 * 15 // 31
    )
    with pytest.raises(SubscriptionNotChangeable):
        subs.cancel(
            actor=finance, subscription=sub, idempotency_key="n2", at_once=True, today=date(2026, 12, 17)
        )


def test_pause_keeps_the_days_left_for_the_resume(manager_a, org_a, plans):
    sub = _start(manager_a, org_a, plans[0])
    subs.pause(actor=manager_a, subscription=sub, idempotency_key="p1", today=date(2026, 12, 10))
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.PAUSED
    assert subs.renew(sub, today=date(2027, 1, 5)).current_period_end == JAN_1  # paused: no roll
    with pytest.raises(SubscriptionNotChangeable):
        subs.change_plan(
            actor=manager_a,
            subscription=sub,
            to_version=plans[1],
            idempotency_key="c",
            today=date(2026, 12, 12),
        )
    subs.resume(actor=manager_a, subscription=sub, idempotency_key="r1", today=date(2027, 1, 5))
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.ACTIVE
    assert sub.current_period_end == date(2027, 1, 27)  # 26 days paused
    assert Invoice.objects.count() == 1 and not CreditNote.objects.exists()


def test_an_addon_is_prorated_on_the_way_in_and_out(manager_a, org_a, plans):
    product = Product.objects.create(code="options", name="Options", kind="addon")
    addon = AddOn.objects.create(product=product, code="signatures", name="Pack signatures")
    Price.objects.create(addon=addon, kind="flat", name="Pack signatures", amount=6_200)
    sub = _start(manager_a, org_a, plans[0])
    added = subs.addon_add(
        actor=manager_a,
        subscription=sub,
        addon=addon,
        quantity=2,
        idempotency_key="a1",
        today=date(2026, 12, 11),
    )
    charge = Invoice.objects.get(public_id=added.invoice)
    assert charge.subtotal == subs.prorate(12_400, DEC_1, JAN_1, date(2026, 12, 11)) == 12_400 - 4_000
    removed = subs.addon_remove(
        actor=manager_a, subscription=sub, addon=addon, idempotency_key="a2", today=date(2026, 12, 21)
    )
    note = CreditNote.objects.get(public_id=removed.credit_note)
    assert note.invoice_id == charge.pk and note.subtotal == subs.prorate(
        12_400, DEC_1, JAN_1, date(2026, 12, 21)
    )
    assert charge.subtotal - note.subtotal == subs.used(
        12_400, DEC_1, JAN_1, date(2026, 12, 11), date(2026, 12, 21)
    )
    assert not sub.addons.filter(ended_on__isnull=True).exists()


def test_subscription_of_is_the_public_read(manager_a, org_a, org_b, plans):
    assert api.subscription_of(org_a.id) is None
    sub = _start(manager_a, org_a, plans[0])
    info = api.subscription_of(org_a.id)
    assert info.public_id == str(sub.public_id) and info.plan == "essentiel" and info.currency == "XOF"
    assert info.status == SubscriptionStatus.ACTIVE and info.current_period_end == JAN_1
    assert api.subscription_of(org_b.id) is None


def test_staff_read_the_admin_and_finance_pauses_from_it(manager_a, org_a, plans):
    sub = _start(manager_a, org_a, plans[0])
    person, device = staff("finance")
    client, _ = admin_login(person, device)
    for name in ("subscription", "customer", "subscriptionchange", "couponredemption"):
        assert client.get(reverse(f"admin:billing_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:billing_subscription_change", args=[sub.pk])).status_code == 200
    client.post(
        reverse("admin:billing_subscription_changelist"), {"action": "pause", "_selected_action": [sub.pk]}
    )
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.PAUSED
    support, support_device = staff("support")
    support_client, _ = admin_login(support, support_device)
    support_client.post(
        reverse("admin:billing_subscription_changelist"), {"action": "resume", "_selected_action": [sub.pk]}
    )
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.PAUSED  # support reads, finance acts


def test_a_paid_start_is_pushed_to_the_saved_number_once_committed(
    manager_a, org_a, plans, billing_customer, django_capture_on_commit_callbacks
):
    from apps.billing.services import payment
    from apps.payments import api as payments

    billing_customer.payer_phone, billing_customer.provider = "+2290197000011", "sandbox"
    billing_customer.save()
    essentiel, _pro = plans
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sub = _start(manager_a, org_a, essentiel, key="start-push")
    assert callbacks, "the push waits for the commit"
    invoice = Invoice.objects.get(origin_key=subs.renewal_key(sub, DEC_1))
    intent = payments.get_intent(payment.pay_link_intent(invoice).public_id)
    assert intent.amount == invoice.amount_due and intent.payer_phone == "+2290197000011"
    assert intent.status == "pending"
