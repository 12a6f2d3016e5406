"""Dunning: the ladder of an overdue invoice planned once; the daily run idempotent for the
day; retries pushed to the saved mobile-money number through the sandbox provider (declined,
then approved); reminders with the pay link; the restriction after the grace period refuses
a restricted feature while the agency's tenants still pay their rent; a payment restores the
account; the subscription's dunning states as a hypothesis state machine."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from apps.billing import api as billing
from apps.billing.contracts import InvoiceKind, InvoiceStatus, LineKind, LineSpec, SubscriptionStatus
from apps.billing.errors import AccountRestricted
from apps.billing.messages import (
    BILLING_INVOICE,
    BILLING_PAYMENT_FAILED,
    BILLING_REMINDER,
    BILLING_RESTORED,
    BILLING_RESTRICTED,
    BILLING_TRIAL_ENDING,
)
from apps.billing.models import DunningStep, Invoice, Subscription
from apps.billing.services import dunning, payment
from apps.billing.services import invoices as core
from apps.billing.services.invoices import customer_for
from apps.core.models import OutboxEvent
from apps.estate import api as estate
from apps.notifications.models import Message
from apps.payments import api as payments
from apps.payments.models import SandboxTransaction
from tests.fixtures.billing import make_plan
from tests.fixtures.estate import lease_for, open_dues
from tests.identity.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

# the invoices are issued a month ago, so that every day of their ladder is in the past of the
# day the sandbox's webhooks (and payments' handlers) see
ISSUED = timezone.localdate() - timedelta(days=30)
GRACE = 14


@pytest.fixture(autouse=True)
def _dunning_settings(settings):
    settings.PAYMENT_PROVIDERS = ["sandbox"]
    settings.PAYMENT_ROUTES = ""
    settings.NOTIFICATIONS_QUIET_HOURS = "off"
    settings.SMS_BACKEND = "console"
    settings.SMS_ROUTES = ""
    settings.SMS_CONSOLE_FILE = ""
    settings.BILLING_GRACE_DAYS = GRACE
    settings.BILLING_DUNNING_LADDER = [
        (1, "retry"),
        (1, "reminder"),
        (3, "retry"),
        (3, "reminder"),
        (7, "retry"),
        (7, "reminder"),
        (GRACE, "restrict"),
    ]
    return settings


def subscribed(
    org, *, status=SubscriptionStatus.ACTIVE, phone="", email="", payer_phone="", trial_ends_on=None
):
    """A billing customer and its live subscription, built with the models (the subscription
    service's tests cover how one starts)."""
    customer = customer_for(org.id)
    customer.phone, customer.email = phone, email
    customer.payer_phone, customer.provider = payer_phone, "sandbox" if payer_phone else ""
    customer.use_credits_first = False
    customer.save()
    version = make_plan(f"plan-{uuid.uuid4().hex[:8]}")
    start = ISSUED - timedelta(days=30)
    return Subscription.objects.create(
        customer=customer,
        version=version,
        status=status,
        started_on=start,
        trial_ends_on=trial_ends_on,
        current_period_start=start,
        current_period_end=start + timedelta(days=30),
    )


def overdue_invoice(sub, *, key=None, amount=15_000, issued=ISSUED) -> Invoice:
    invoice = core.draft(
        customer=sub.customer,
        kind=InvoiceKind.SUBSCRIPTION,
        origin_key=key or f"test:{uuid.uuid4()}",
        subscription=sub,
        lines=[LineSpec(kind=LineKind.RECURRING, description="Abonnement Agence", amount=amount)],
    )
    return core.finalize(invoice, today=issued)


def steps(invoice):
    return list(
        DunningStep.objects.filter(invoice=invoice)
        .order_by("day", "kind")
        .values_list("day", "kind", "status")
    )


def events(name):
    return [e.payload for e in OutboxEvent.objects.filter(name=name).order_by("id")]


def sandbox_decide(client, decision: str, django_capture_on_commit_callbacks):
    """The payer answers the push on the sandbox's page (its webhook reaches payments)."""
    row = SandboxTransaction.objects.filter(kind="collect", status="PENDING").order_by("-id").first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:sandbox", args=[row.reference]), {"decision": decision})
    return row


def test_the_ladder_is_planned_once_when_the_invoice_is_overdue(org_a):
    sub = subscribed(org_a)
    invoice = overdue_invoice(sub)
    due = invoice.due_on
    assert dunning.dunning_run(today=due)["planned"] == 0  # due today: not overdue yet
    assert steps(invoice) == []
    result = dunning.dunning_run(today=due + timedelta(days=1))
    assert result["planned"] == 1 and result["past_due"] == 1
    assert [(d, k) for d, k, _s in steps(invoice)] == [
        (1, "reminder"),
        (1, "retry"),
        (3, "reminder"),
        (3, "retry"),
        (7, "reminder"),
        (7, "retry"),
        (14, "restrict"),
    ]
    scheduled = dict(
        DunningStep.objects.filter(invoice=invoice, kind="restrict").values_list("day", "scheduled_on")
    )
    assert scheduled == {14: due + timedelta(days=14)}
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.PAST_DUE and sub.past_due_since == due + timedelta(days=1)
    before = steps(invoice)
    assert dunning.plan_ladder(invoice) == 7  # planned again: the same seven rows, untouched
    assert steps(invoice) == before
    assert dunning.dunning_run(today=due + timedelta(days=2))["planned"] == 0


def test_a_credits_invoice_is_not_dunned(org_a):
    sub = subscribed(org_a)
    bought = core.finalize(
        core.draft(
            customer=sub.customer,
            kind=InvoiceKind.CREDITS,
            origin_key="credits-x",
            lines=[LineSpec(kind=LineKind.CREDITS, description="Crédits", amount=5_000, tax_exempt=True)],
        ),
        today=ISSUED,
    )
    dunning.dunning_run(today=bought.due_on + timedelta(days=20))
    assert steps(bought) == []
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.ACTIVE


def test_the_run_is_idempotent_for_the_day(org_a, django_capture_on_commit_callbacks):
    sub = subscribed(org_a, phone="+2290197000001", email="compta@agence-a.bj", payer_phone="+2290196000001")
    invoice = overdue_invoice(sub)
    day1 = invoice.due_on + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = dunning.dunning_run(today=day1)
    assert first["retries"] == 1 and first["reminders"] == 1, list(
        DunningStep.objects.filter(kind="reminder").values_list("kind", "day", "status", "outcome")
    )
    messages, pushes = Message.objects.count(), SandboxTransaction.objects.count()
    assert pushes == 1 and messages == 2  # the reminder: SMS to the billing phone, e-mail to its address
    with django_capture_on_commit_callbacks(execute=True):
        again = dunning.dunning_run(today=day1)
    assert again == dict.fromkeys(again, 0)
    assert (Message.objects.count(), SandboxTransaction.objects.count()) == (messages, pushes)
    assert DunningStep.objects.filter(invoice=invoice, day=1).exclude(status="planned").count() == 2


def test_reminders_carry_the_pay_link_to_the_contact_else_the_owners(org_a, org_b):
    with_contact = subscribed(org_a, phone="+2290197000001", email="compta@agence-a.bj")
    owner = MembershipFactory(organization=org_b, role="owner").user
    MembershipFactory(organization=org_b, role="viewer")  # not told
    without = subscribed(org_b)
    first, second = overdue_invoice(with_contact), overdue_invoice(without)
    dunning.dunning_run(today=first.due_on + timedelta(days=1))
    link = payment.pay_link(first)
    sms = Message.objects.get(template_key=BILLING_REMINDER, channel="sms", address="+2290197000001")
    assert link in sms.body and first.number in sms.body
    mail = Message.objects.get(
        template_key=BILLING_REMINDER, channel="email", recipient_key="compta@agence-a.bj"
    )
    assert link in mail.body and "baux" in mail.body
    to_owner = Message.objects.filter(
        template_key=BILLING_REMINDER, recipient_key=str(owner.public_id), channel="sms"
    )
    assert to_owner.exists() and all(payment.pay_link(second) in m.body for m in to_owner)
    assert set(
        Message.objects.filter(template_key=BILLING_REMINDER).values_list("recipient_key", flat=True)
    ) == {
        "+2290197000001",
        "compta@agence-a.bj",
        str(owner.public_id),
    }


def test_missed_days_run_the_latest_step_of_each_kind_only(org_a):
    sub = subscribed(org_a, phone="+2290197000001")
    invoice = overdue_invoice(sub)
    result = dunning.dunning_run(today=invoice.due_on + timedelta(days=5))  # the run was stopped for days
    assert result["reminders"] == 1
    assert dict(((d, k), s) for d, k, s in steps(invoice)) == {
        (1, "reminder"): "skipped",
        (1, "retry"): "skipped",
        (3, "reminder"): "done",
        (3, "retry"): "skipped",  # no saved mobile-money number
        (7, "reminder"): "planned",
        (7, "retry"): "planned",
        (14, "restrict"): "planned",
    }
    assert Message.objects.filter(template_key=BILLING_REMINDER).count() == 1


def test_retries_push_to_the_saved_number_declined_then_approved(
    org_a, client, django_capture_on_commit_callbacks
):
    sub = subscribed(org_a, phone="+2290197000001", payer_phone="+2290196000001")
    invoice = overdue_invoice(sub)
    due = invoice.due_on
    with django_capture_on_commit_callbacks(execute=True):
        dunning.dunning_run(today=due + timedelta(days=1))
    retry = DunningStep.objects.get(invoice=invoice, kind="retry", day=1)
    assert retry.status == "done" and "push sent" in retry.outcome
    push = SandboxTransaction.objects.get(kind="collect")
    assert push.phone == "+2290196000001" and push.amount == invoice.amount_due
    sandbox_decide(client, "decline", django_capture_on_commit_callbacks)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    assert len(events("billing.InvoicePaymentFailed")) == 1
    failed = Message.objects.get(template_key=BILLING_PAYMENT_FAILED, channel="sms")
    assert payment.pay_link(invoice) in failed.body

    with django_capture_on_commit_callbacks(execute=True):
        dunning.dunning_run(today=due + timedelta(days=3))  # a fresh push
    assert SandboxTransaction.objects.filter(kind="collect").count() == 2
    sandbox_decide(client, "approve", django_capture_on_commit_callbacks)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert dict(((d, k), s) for d, k, s in steps(invoice)) == {
        (1, "reminder"): "done",
        (1, "retry"): "done",
        (3, "reminder"): "done",
        (3, "retry"): "done",
        (7, "reminder"): "skipped",
        (7, "retry"): "skipped",
        (14, "restrict"): "skipped",
    }
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.ACTIVE and sub.past_due_since is None
    assert not events("billing.AccountRestored")  # it was overdue, never restricted


def test_restriction_after_grace_refuses_new_leases_but_tenants_still_pay_rent(
    estate_overdue_lease, client, django_capture_on_commit_callbacks
):
    world = estate_overdue_lease
    sub = subscribed(world.agency)
    invoice = overdue_invoice(sub)
    due = invoice.due_on
    dunning.dunning_run(today=due + timedelta(days=GRACE - 1))
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.PAST_DUE
    billing.require(world.agency.id, "estate.new_leases")  # overdue, not restricted yet

    with django_capture_on_commit_callbacks(execute=True):
        result = dunning.dunning_run(today=due + timedelta(days=GRACE))
    assert result["restricted"] == 1
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.RESTRICTED and sub.restricted_on == due + timedelta(days=GRACE)
    assert events("billing.AccountRestricted") == [
        {
            "organization": str(world.agency.public_id),
            "subscription": str(sub.public_id),
            "invoice": str(invoice.public_id),
        }
    ]
    assert Message.objects.filter(template_key=BILLING_RESTRICTED).exists()  # to the owner
    with pytest.raises(AccountRestricted):
        billing.require(world.agency.id, "estate.new_leases")
    with pytest.raises(AccountRestricted):
        lease_for(world.manager, world.property, world.tenant, unit_label="F2")

    # the tenant's rent: paid by mobile money through the sandbox, applied as ever
    due_row = min(open_dues(world.lease), key=lambda d: d.due_date)
    intent = estate.due_payment_intent(due_row.public_id, payer=world.tenant.public_id)
    checkout = payments.start_payment(intent=intent.public_id, method="mobile_money", provider="sandbox")
    reference = checkout.url.rstrip("/").split("/")[-1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:sandbox", args=[reference]), {"decision": "approve"})
    assert payments.get_intent(intent.public_id).status == "succeeded"
    assert due_row.public_id not in {d.public_id for d in open_dues(world.lease)}

    # the invoice paid: the account is restored
    with django_capture_on_commit_callbacks(execute=True):
        core.mark_paid(
            invoice, amount=invoice.amount_due, method="manual", paid_on=due + timedelta(days=GRACE + 1)
        )
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.ACTIVE and sub.restricted_on is None
    assert events("billing.AccountRestored") == [
        {"organization": str(world.agency.public_id), "subscription": str(sub.public_id)}
    ]
    assert Message.objects.filter(template_key=BILLING_RESTORED).exists()
    billing.require(world.agency.id, "estate.new_leases")


def test_a_payment_restores_only_when_nothing_else_is_overdue(org_a, django_capture_on_commit_callbacks):
    sub = subscribed(org_a)
    older = overdue_invoice(sub, issued=ISSUED - timedelta(days=10))
    newer = overdue_invoice(sub)
    dunning.dunning_run(today=older.due_on + timedelta(days=GRACE))
    dunning.dunning_run(today=newer.due_on + timedelta(days=2))
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.RESTRICTED
    with django_capture_on_commit_callbacks(execute=True):
        core.mark_paid(
            older, amount=older.amount_due, method="manual", paid_on=newer.due_on + timedelta(days=2)
        )
    sub.refresh_from_db()
    # the newer invoice is overdue but not restricted: back to overdue, features back
    assert sub.status == SubscriptionStatus.PAST_DUE and sub.restricted_on is None
    assert len(events("billing.AccountRestored")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        core.mark_paid(
            newer, amount=newer.amount_due, method="manual", paid_on=newer.due_on + timedelta(days=3)
        )
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.ACTIVE and sub.past_due_since is None


def test_a_voided_invoice_ends_the_dunning(org_a):
    sub = subscribed(org_a)
    invoice = overdue_invoice(sub)
    dunning.dunning_run(today=invoice.due_on + timedelta(days=1))
    core.void(invoice)
    result = dunning.dunning_run(today=invoice.due_on + timedelta(days=3))
    assert result["restored"] == 1 and result["skipped"] >= 5
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.ACTIVE
    assert not DunningStep.objects.filter(invoice=invoice, status="planned").exists()


def test_the_finalized_invoice_and_the_trial_notices(org_a, django_capture_on_commit_callbacks):
    sub = subscribed(org_a, phone="+2290197000001", email="compta@agence-a.bj")
    with django_capture_on_commit_callbacks(execute=True):
        invoice = overdue_invoice(sub)
    notice = Message.objects.get(template_key=BILLING_INVOICE, channel="sms")
    assert payment.pay_link(invoice) in notice.body and invoice.number in notice.body
    mail = Message.objects.get(template_key=BILLING_INVOICE, channel="email")
    assert "Facture Hokwe" in mail.subject

    trial = subscribed(
        OrganizationFactory(name="Agence Essai"),
        status=SubscriptionStatus.TRIALING,
        phone="+2290197000002",
        trial_ends_on=ISSUED + timedelta(days=3),
    )
    assert dunning.dunning_run(today=ISSUED + timedelta(days=2))["trial_notices"] == 0
    assert dunning.dunning_run(today=ISSUED)["trial_notices"] == 1
    assert dunning.dunning_run(today=ISSUED)["trial_notices"] == 1  # the same key: sent once
    sent = Message.objects.filter(template_key=BILLING_TRIAL_ENDING)
    assert sent.count() == 1 and trial.version.plan.name in sent.get().body


# --- the subscription's dunning states -------------------------------------------------------


def test_the_dunning_states_follow_the_invoices():
    """Invoices finalized, days going by (the run sometimes twice the same day), invoices paid
    in any order: the subscription is ACTIVE when nothing is overdue, PAST_DUE while one is,
    RESTRICTED once one passed its grace period unpaid; AccountRestricted and AccountRestored
    alternate."""

    class Dunning(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.sub = subscribed(OrganizationFactory())
            self.day = ISSUED + timedelta(days=400)  # in the future: no webhook's clock interferes
            self.invoices: list[dict] = []  # {"row", "due", "paid", "laddered", "restricted"}
            self.status = SubscriptionStatus.ACTIVE

        def _expected_after_pay(self):
            owing = [i for i in self.invoices if not i["paid"] and (i["laddered"] or i["due"] < self.day)]
            if any(i["restricted"] for i in owing):
                return SubscriptionStatus.RESTRICTED
            return SubscriptionStatus.PAST_DUE if owing else SubscriptionStatus.ACTIVE

        @precondition(lambda self: len(self.invoices) < 4)
        @rule(amount=st.integers(min_value=1_000, max_value=90_000))
        def invoice(self, amount):
            row = overdue_invoice(self.sub, amount=amount, issued=self.day)
            self.invoices.append(
                {"row": row, "due": row.due_on, "paid": False, "laddered": False, "restricted": False}
            )

        @rule(days=st.sampled_from([0, 1, 3, 7, 14, 21]))
        def run(self, days):
            self.day += timedelta(days=days)
            dunning.dunning_run(today=self.day)
            for inv in self.invoices:
                if not inv["paid"] and inv["due"] < self.day:
                    inv["laddered"] = True
                    if self.day >= inv["due"] + timedelta(days=GRACE):
                        inv["restricted"] = True
            owing = [i for i in self.invoices if not i["paid"] and i["laddered"]]
            self.status = (
                SubscriptionStatus.RESTRICTED
                if any(i["restricted"] for i in owing)
                else SubscriptionStatus.PAST_DUE
                if owing
                else SubscriptionStatus.ACTIVE
            )

        @precondition(lambda self: any(not i["paid"] for i in self.invoices))
        @rule(data=st.data())
        def pay(self, data):
            unpaid = [i for i in self.invoices if not i["paid"]]
            inv = data.draw(st.sampled_from(unpaid))
            row = Invoice.objects.get(pk=inv["row"].pk)
            from django.test import TestCase

            with TestCase.captureOnCommitCallbacks(execute=True):
                core.mark_paid(row, amount=row.amount_due, method="manual", paid_on=self.day)
            inv["paid"] = True
            if self.status in dunning.IN_DUNNING:
                self.status = self._expected_after_pay()

        @invariant()
        def status_matches(self):
            if not hasattr(self, "sub"):
                return
            sub = Subscription.objects.get(pk=self.sub.pk)
            assert sub.status == self.status
            assert (sub.restricted_on is not None) == (self.status == SubscriptionStatus.RESTRICTED)
            assert (sub.past_due_since is None) == (self.status == SubscriptionStatus.ACTIVE)
            org = str(self.sub.customer.organization.public_id)
            names = [
                e.name
                for e in OutboxEvent.objects.filter(
                    name__in=["billing.AccountRestricted", "billing.AccountRestored"],
                    payload__organization=org,
                ).order_by("id")
            ]
            assert all(a != b for a, b in zip(names, names[1:], strict=False))  # they alternate
            assert not names or names[0] == "billing.AccountRestricted"
            assert (names[-1:] == ["billing.AccountRestricted"]) == (
                self.status == SubscriptionStatus.RESTRICTED
            )

    run_state_machine_as_test(
        Dunning,
        settings=settings(
            max_examples=25,
            stateful_step_count=10,
            deadline=None,
            phases=(Phase.explicit, Phase.reuse, Phase.generate),
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )


def test_the_demo_landlord_walks_the_ladder_once(django_capture_on_commit_callbacks):
    from apps.billing import demo

    landlord = OrganizationFactory(name="Famille Adjovi", kind="owner")
    owner = MembershipFactory(organization=landlord, role="owner").user
    ctx = {"organizations": {"landlord0": landlord}}
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(ctx)
    invoice = Invoice.objects.get(customer__organization_id=landlord.pk)
    assert invoice.status == InvoiceStatus.OPEN and invoice.due_on == timezone.localdate() - timedelta(days=8)
    assert {(d, k): s for d, k, s in steps(invoice)} == {
        (1, "reminder"): "done",
        (1, "retry"): "done",
        (3, "reminder"): "done",
        (3, "retry"): "done",
        (7, "reminder"): "done",
        (7, "retry"): "done",
        (14, "restrict"): "planned",
    }
    sub = Subscription.objects.get(customer__organization_id=landlord.pk)
    assert sub.status == SubscriptionStatus.PAST_DUE
    assert Message.objects.filter(template_key=BILLING_REMINDER, recipient_key=str(owner.public_id)).exists()
    counts = (Message.objects.count(), SandboxTransaction.objects.count(), DunningStep.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(ctx)
    assert (
        Message.objects.count(),
        SandboxTransaction.objects.count(),
        DunningStep.objects.count(),
    ) == counts
