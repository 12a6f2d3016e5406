"""Metering: the SMS an organization sends (notifications.MessageSent) counted into its
subscription's usage, once per event, only when the metric's filters match; the usage is
billed on the next invoice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.billing.contracts import LineKind
from apps.billing.models import BillableMetric, Invoice, Price, Subscription, UsageCounter, UsageEvent
from apps.billing.services import metering
from apps.billing.services.invoices import customer_for
from apps.billing.services.run import billing_run
from apps.notifications import api as notifications
from apps.notifications.contracts import STR, Category, Channel, Priority, TemplateDef, Text, Var
from tests.fixtures.billing import make_plan

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)
SMS_TEMPLATE = "tests.billing_sms"
notifications.register_templates(
    TemplateDef(
        key=SMS_TEMPLATE,
        description="An agency's SMS to a tenant (test template).",
        category=Category.RENT,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.SMS,),
        variables={"name": Var(STR, "Name", "Awa")},
        defaults={
            Channel.SMS: {"fr": Text("Bonjour {{ name }}"), "en": Text("Hello {{ name }}")},
        },
    )
)


@pytest.fixture(autouse=True)
def _console_sms(settings):
    settings.NOTIFICATIONS_QUIET_HOURS = "off"
    settings.SMS_BACKEND = "console"
    settings.SMS_ROUTES = ""
    settings.SMS_CONSOLE_FILE = ""


def sms_metric(**overrides) -> BillableMetric:
    fields = {
        "code": "sms",
        "name": "SMS envoyés",
        "event_name": "notifications.MessageSent",
        "filters": {"channel": "sms"},
        "aggregation": "sum",
        "field": "segments",
        "unit_name": "SMS",
    }
    fields.update(overrides)
    return BillableMetric.objects.create(**fields)


def subscribe(org, version, *, start=TODAY - timedelta(days=30), end=TODAY, status="active") -> Subscription:
    return Subscription.objects.create(
        customer=customer_for(org.id),
        version=version,
        status=status,
        started_on=start,
        current_period_start=start,
        current_period_end=end,
    )


def test_an_sms_sent_by_an_organization_shows_on_its_usage(org_a, django_capture_on_commit_callbacks):
    metric = sms_metric()
    version = make_plan(flat=10_000)
    Price.objects.create(version=version, kind="usage", name="SMS", metric=metric, amount=25)
    sub = subscribe(
        org_a,
        version,
        start=timezone.localdate() - timedelta(days=3),
        end=timezone.localdate() + timedelta(days=27),
    )
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send("+2290197112233", SMS_TEMPLATE, {"name": "Awa"}, organization=org_a.public_id)
        notifications.send("+2290197112234", SMS_TEMPLATE, {"name": "Koffi"})  # Hokwe's own: not billed
    assert UsageCounter.objects.get(subscription=sub, metric=metric).value == 1  # one segment
    [line] = metering.current_usage(sub)
    assert (line.metric, line.quantity, line.currency) == ("sms", 1, "XOF")
    assert line.amount == 25


def test_the_same_event_delivered_twice_counts_once(org_a):
    metric = sms_metric()
    sub = subscribe(org_a, make_plan(flat=0))
    payload = {
        "message": "m1",
        "channel": "sms",
        "segments": 3,
        "template_key": "x",
        "organization": str(org_a.public_id),
    }
    when = timezone.now().replace(year=2026, month=11, day=20)
    assert metering.record_event("notifications.MessageSent", payload, "ev-1", when) == 1
    assert metering.record_event("notifications.MessageSent", payload, "ev-1", when) == 0
    assert UsageEvent.objects.filter(metric=metric).count() == 1
    assert UsageCounter.objects.get(subscription=sub, metric=metric).value == 3


def test_a_filter_mismatch_is_not_counted(org_a):
    metric = sms_metric()
    sub = subscribe(org_a, make_plan(flat=0))
    payload = {
        "message": "m2",
        "channel": "email",
        "segments": 0,
        "template_key": "x",
        "organization": str(org_a.public_id),
    }
    assert metering.record_event("notifications.MessageSent", payload, "ev-2") == 0
    assert not UsageCounter.objects.filter(subscription=sub, metric=metric).exists()


def test_unique_count_counts_each_value_once_per_period(org_a):
    metric = sms_metric(code="templates", aggregation="unique_count", field="template_key", filters={})
    sub = subscribe(org_a, make_plan(flat=0))
    when = timezone.now().replace(year=2026, month=11, day=20)
    for i, key in enumerate(["a", "b", "a"]):
        payload = {
            "message": f"m{i}",
            "channel": "sms",
            "segments": 1,
            "template_key": key,
            "organization": str(org_a.public_id),
        }
        metering.record_event("notifications.MessageSent", payload, f"ev-{i}", when)
    assert UsageCounter.objects.get(subscription=sub, metric=metric).value == 2


def test_the_usage_appears_on_the_next_invoice(org_a):
    metric = sms_metric()
    version = make_plan(flat=10_000)
    Price.objects.create(version=version, kind="usage", name="SMS", metric=metric, amount=25)
    sub = subscribe(org_a, version)
    when = timezone.now().replace(year=2026, month=11, day=20)
    for i in range(4):
        payload = {
            "message": f"m{i}",
            "channel": "sms",
            "segments": 2,
            "template_key": "x",
            "organization": str(org_a.public_id),
        }
        metering.record_event("notifications.MessageSent", payload, f"ev-{i}", when)
    assert metering.period_usage([sub.pk], sub.current_period_start) == {(sub.pk, "sms"): 8}
    billing_run(today=TODAY, collect=False)
    invoice = Invoice.objects.get(subscription=sub)
    [usage] = invoice.lines.filter(kind=LineKind.USAGE)
    assert (usage.metric, usage.quantity, usage.amount) == ("sms", 8, 200)
    assert invoice.period_start == TODAY
