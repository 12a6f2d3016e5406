"""Dunning (docs/billing.md, "Dunning"): the ladder of an overdue invoice (retries of the
saved mobile-money number, reminders by SMS and e-mail with the pay link, restriction after
the grace period), and restoration when it is paid. Never rent collection, never data
access or exports. (Part: dunning.)

The daily `dunning_run`:
1. plans the ladder (`BILLING_DUNNING_LADDER`) of every invoice that passed its due date
   unpaid, once (one row per step, unique per invoice, kind and day);
2. puts the subscriptions of those customers PAST_DUE (from the first overdue day);
3. runs the steps due, in batches: a step of an invoice paid or voided meanwhile is
   SKIPPED, and of several steps of one kind missed (the run did not run for days) only the
   latest runs; reminders and restrictions are written in one transaction per batch; a retry
   is claimed and committed first, the push to the mobile-money number is made outside any
   transaction, and its outcome is recorded in a new one;
4. brings back subscriptions that have nothing overdue left (an invoice voided or credited);
5. tells the customers whose trial ends in `BILLING_TRIAL_NOTICE_DAYS` days.

Each step leaves PLANNED once, so the run repeated the same day sends nothing again, and
every message carries an idempotency key."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import DateField, Exists, ExpressionWrapper, OuterRef, Q, Subquery, Value
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.outbox import publish
from apps.identity import api as identity
from apps.identity.contracts import OrgRole
from apps.notifications import api as notifications
from apps.notifications.contracts import Channel

from .. import messages
from ..contracts import InvoiceKind, InvoiceStatus, PaymentMethodKind, SubscriptionStatus
from ..events import AccountRestored, AccountRestricted
from ..models import Customer, DunningStep, Invoice, Subscription
from . import invoices as core

log = logging.getLogger(__name__)

__all__ = [
    "RunResult",
    "dunning_run",
    "invoice_notice",
    "invoice_paid",
    "ladder",
    "payment_failed_notice",
    "plan_ladder",
    "recipients",
    "restore",
]

BATCH = 500
# an invoice still owed: open, or written off (it stays payable)
UNPAID = (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE)
# prepaid credits not paid for are simply not credited: never dunned
DUNNED_KINDS = (InvoiceKind.SUBSCRIPTION, InvoiceKind.PRORATION, InvoiceKind.ONE_OFF)
IN_DUNNING = (SubscriptionStatus.PAST_DUE, SubscriptionStatus.RESTRICTED)
# who is told when the customer has no billing contact
CONTACT_ROLES = (OrgRole.OWNER, OrgRole.MANAGER)

Kind = DunningStep.Kind
Status = DunningStep.Status


@dataclass
class RunResult:
    planned: int = 0  # invoices whose ladder was planned today
    past_due: int = 0  # subscriptions that became PAST_DUE
    retries: int = 0  # pushes sent to the saved mobile-money number
    retries_failed: int = 0
    reminders: int = 0
    restricted: int = 0
    uncollectible: int = 0
    skipped: int = 0  # steps of invoices paid or voided, or missed
    restored: int = 0
    trial_notices: int = 0


def ladder() -> list[tuple[int, str]]:
    """The ladder from the settings, checked: (days after the due date, step kind)."""
    steps = []
    for day, kind in settings.BILLING_DUNNING_LADDER:
        if kind not in Kind.values or int(day) < 1:
            raise ValueError(f"BILLING_DUNNING_LADDER: {kind!r} on day {day!r} is not a step")
        steps.append((int(day), str(kind)))
    return steps


def _dunned(queryset):
    return queryset.filter(status__in=UNPAID, kind__in=DUNNED_KINDS)


def _overdue(queryset, today: date):
    """Unpaid invoices past their due date, or whose ladder already started."""
    has_steps = Exists(DunningStep.objects.filter(invoice=OuterRef("pk")))
    return _dunned(queryset).filter(Q(due_on__lt=today) | has_steps)


# --- 1. the ladder -------------------------------------------------------------------------


def _steps_for(invoice_id: int, due_on: date, steps) -> list[DunningStep]:
    return [
        DunningStep(invoice_id=invoice_id, kind=kind, day=day, scheduled_on=due_on + timedelta(days=day))
        for day, kind in steps
    ]


def plan_ladder(invoice: Invoice) -> int:
    """Plan the ladder of an unpaid invoice past its due date, once: planned again, nothing
    changes (steps already run keep their status). Returns the steps it has."""
    if invoice.status not in UNPAID or invoice.kind not in DUNNED_KINDS or invoice.due_on is None:
        return 0
    DunningStep.objects.bulk_create(_steps_for(invoice.pk, invoice.due_on, ladder()), ignore_conflicts=True)
    return DunningStep.objects.filter(invoice=invoice).count()


def _plan_overdue(today: date) -> int:
    steps = ladder()
    pending = (
        _dunned(Invoice.objects)
        .filter(due_on__lt=today)
        .exclude(Exists(DunningStep.objects.filter(invoice=OuterRef("pk"))))
        .values_list("pk", "due_on")
    )
    planned = 0
    while True:
        batch = list(pending[:BATCH])
        if not batch:
            return planned
        rows = [row for pk, due_on in batch for row in _steps_for(pk, due_on, steps)]
        DunningStep.objects.bulk_create(rows, ignore_conflicts=True)
        planned += len(batch)


# --- 2. past due ---------------------------------------------------------------------------


def _mark_past_due(today: date) -> int:
    """Subscriptions of customers with an overdue invoice: PAST_DUE since the day after the
    earliest due date (one UPDATE)."""
    overdue = _dunned(Invoice.objects).filter(due_on__lt=today)
    first_due = overdue.filter(customer_id=OuterRef("customer_id")).order_by("due_on").values("due_on")[:1]
    return Subscription.objects.filter(
        customer_id__in=overdue.values("customer_id"),
        status__in=(SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING),
    ).update(
        status=SubscriptionStatus.PAST_DUE,
        past_due_since=ExpressionWrapper(Subquery(first_due) + Value(1), output_field=DateField()),
        updated_at=timezone.now(),
    )


# --- 3. the steps --------------------------------------------------------------------------


def _skip_settled() -> int:
    """Steps still planned of invoices paid or voided: SKIPPED (one UPDATE)."""
    return (
        DunningStep.objects.filter(status=Status.PLANNED)
        .exclude(invoice__status__in=UNPAID)
        .update(status=Status.SKIPPED, outcome="invoice settled", ran_at=timezone.now())
    )


def _run_steps(today: date, result: RunResult) -> None:
    last_id = 0
    due = DunningStep.objects.filter(status=Status.PLANNED, scheduled_on__lte=today).order_by("pk")
    while True:
        batch = list(due.filter(pk__gt=last_id).select_related("invoice__customer")[:BATCH])
        if not batch:
            return
        last_id = batch[-1].pk
        runnable = _drop_missed(batch, result)
        _reminders([s for s in runnable if s.kind == Kind.REMINDER], today, result)
        _restrictions([s for s in runnable if s.kind == Kind.RESTRICT], today, result)
        _write_offs([s for s in runnable if s.kind == Kind.UNCOLLECTIBLE], result)
        for step in runnable:
            if step.kind == Kind.RETRY:
                _retry(step, result)


def _drop_missed(batch: list[DunningStep], result: RunResult) -> list[DunningStep]:
    """Of several steps of one kind due for one invoice (the run was stopped for days), the
    latest runs and the others are SKIPPED: one push and one reminder, not three."""
    latest: dict[tuple[int, str], DunningStep] = {}
    for step in batch:
        key = (step.invoice_id, step.kind)
        if key not in latest or step.day > latest[key].day:
            latest[key] = step
    keep = {s.pk for s in latest.values()}
    missed = [s.pk for s in batch if s.pk not in keep]
    if missed:
        result.skipped += DunningStep.objects.filter(pk__in=missed, status=Status.PLANNED).update(
            status=Status.SKIPPED, outcome="missed: a later step ran", ran_at=timezone.now()
        )
    return [s for s in batch if s.pk in keep]


def _claim(steps: list[DunningStep]) -> list[DunningStep]:
    """Lock the steps still planned (a concurrent run skips those this one holds)."""
    if not steps:
        return []
    ids = (
        DunningStep.objects.select_for_update(skip_locked=True)
        .filter(pk__in=[s.pk for s in steps], status=Status.PLANNED)
        .values_list("pk", flat=True)
    )
    held = set(ids)
    return [s for s in steps if s.pk in held]


def _finish(step: DunningStep, status: str, outcome: str) -> None:
    step.status, step.outcome, step.ran_at = status, outcome[:300], timezone.now()
    step.save(update_fields=["status", "outcome", "ran_at", "updated_at"])


def _money(invoice: Invoice) -> dict:
    return {"amount": int(invoice.amount_due), "currency": invoice.currency}


def _reminders(steps: list[DunningStep], today: date, result: RunResult) -> None:
    if not steps:
        return
    grace = max((day for day, kind in ladder() if kind == Kind.RESTRICT), default=None)
    with transaction.atomic():
        for step in _claim(steps):
            invoice = step.invoice
            context = {
                "number": invoice.number,
                "amount": _money(invoice),
                "days_late": step.day,
                "due_date": invoice.due_on.isoformat(),
                "restrict_on": (invoice.due_on + timedelta(days=grace or step.day)).isoformat(),
            }
            try:
                with transaction.atomic():
                    sent = _notify(
                        invoice.customer,
                        messages.BILLING_REMINDER,
                        context,
                        idempotency_key=f"billing.reminder:{invoice.public_id}:{step.day}",
                        invoice=invoice,
                    )
            except DomainError as exc:
                _finish(step, Status.FAILED, f"not sent: {exc.message}")
                continue
            _finish(step, Status.DONE, f"sent to {sent} recipient(s)" if sent else "no recipient")
            result.reminders += 1


def _subscription_of(invoice: Invoice, *, lock: bool = False) -> Subscription | None:
    rows = Subscription.objects.select_for_update() if lock else Subscription.objects
    if invoice.subscription_id:
        return rows.filter(pk=invoice.subscription_id).first()
    return rows.filter(customer_id=invoice.customer_id).exclude(status=SubscriptionStatus.CANCELED).first()


def _restrictions(steps: list[DunningStep], today: date, result: RunResult) -> None:
    if not steps:
        return
    with transaction.atomic():
        for step in _claim(steps):
            invoice = step.invoice
            sub = _subscription_of(invoice, lock=True)
            if sub is None or sub.status not in (*IN_DUNNING, SubscriptionStatus.ACTIVE):
                _finish(step, Status.SKIPPED, "no subscription to restrict")
                continue
            if sub.status != SubscriptionStatus.RESTRICTED:
                sub.status = SubscriptionStatus.RESTRICTED
                sub.restricted_on = today
                sub.past_due_since = sub.past_due_since or invoice.due_on + timedelta(days=1)
                sub.save(update_fields=["status", "restricted_on", "past_due_since", "updated_at"])
                organization = identity.get_organization(id=invoice.customer.organization_id)
                publish(
                    AccountRestricted(
                        organization=str(organization.public_id),
                        subscription=str(sub.public_id),
                        invoice=str(invoice.public_id),
                    )
                )
                result.restricted += 1
            try:
                with transaction.atomic():
                    _notify(
                        invoice.customer,
                        messages.BILLING_RESTRICTED,
                        {"number": invoice.number, "amount": _money(invoice)},
                        idempotency_key=f"billing.restricted:{invoice.public_id}",
                        invoice=invoice,
                    )
            except DomainError as exc:
                log.warning("billing.dunning: restriction notice of %s not sent: %s", invoice.pk, exc.message)
            _finish(step, Status.DONE, f"restricted on {today.isoformat()}")


def _write_offs(steps: list[DunningStep], result: RunResult) -> None:
    for step in steps:
        with transaction.atomic():
            if not _claim([step]):
                continue
            if step.invoice.status == InvoiceStatus.OPEN:
                core.mark_uncollectible(step.invoice)
                result.uncollectible += 1
            _finish(step, Status.DONE, "marked uncollectible")


def _retry(step: DunningStep, result: RunResult) -> None:
    """Claim and commit, push outside any transaction, record the outcome in a new one. A
    step is claimed once: the run repeated, or a crash after the claim, never pushes twice."""
    customer = step.invoice.customer
    with transaction.atomic():
        if not _claim([step]):
            return
        if customer.method != PaymentMethodKind.MOBILE_MONEY or not customer.payer_phone:
            _finish(step, Status.SKIPPED, "no saved mobile money number")
            result.skipped += 1
            return
        _finish(step, Status.DONE, "push started")
    # the network call: no transaction, no lock held
    from . import payment

    try:
        outcome = payment.collect(step.invoice_id, push=True)
    except DomainError as exc:
        outcome, failure = None, f"push refused: {exc.code}"
    except Exception as exc:  # the provider failed in a way we do not know: record it, go on
        log.exception("billing.dunning: retry of invoice %s failed", step.invoice_id)
        outcome, failure = None, f"push failed: {type(exc).__name__}"
    with transaction.atomic():
        if outcome is not None and outcome.pushed:
            _finish(step, Status.DONE, f"push sent to the saved number (attempt {outcome.attempt})")
            result.retries += 1
        elif outcome is not None and outcome.reason in ("paid", "nothing_due"):
            _finish(step, Status.SKIPPED, "invoice settled")
            result.skipped += 1
        else:
            _finish(step, Status.FAILED, failure if outcome is None else f"push not sent: {outcome.reason}")
            result.retries_failed += 1


# --- 4. restoration ------------------------------------------------------------------------


def _standing(customer_id: int, today: date) -> SubscriptionStatus:
    """What the customer's unpaid overdue invoices make its subscription: RESTRICTED when one
    of them was restricted, PAST_DUE when one is overdue, else ACTIVE."""
    overdue = _overdue(Invoice.objects.filter(customer_id=customer_id), today)
    restricted = DunningStep.objects.filter(
        invoice__in=overdue, kind=Kind.RESTRICT, status=Status.DONE
    ).exists()
    if restricted:
        return SubscriptionStatus.RESTRICTED
    return SubscriptionStatus.PAST_DUE if overdue.exists() else SubscriptionStatus.ACTIVE


@transaction.atomic
def restore(subscription: Subscription, *, today: date | None = None) -> SubscriptionStatus:
    """Bring a subscription in dunning back to what its invoices say: ACTIVE when nothing is
    overdue any more (AccountRestored published if it was restricted, and the customer told),
    PAST_DUE when another invoice is overdue but none reached its restriction. Returns the
    status."""
    today = today or timezone.localdate()
    sub = Subscription.objects.select_for_update().select_related("customer").get(pk=subscription.pk)
    if sub.status not in IN_DUNNING:
        return SubscriptionStatus(sub.status)
    standing = _standing(sub.customer_id, today)
    if standing == sub.status:
        return standing
    was_restricted = sub.status == SubscriptionStatus.RESTRICTED
    sub.status = standing
    sub.restricted_on = sub.restricted_on if standing == SubscriptionStatus.RESTRICTED else None
    if standing == SubscriptionStatus.ACTIVE:
        sub.past_due_since = None
    sub.save(update_fields=["status", "restricted_on", "past_due_since", "updated_at"])
    if was_restricted:
        organization = identity.get_organization(id=sub.customer.organization_id)
        publish(AccountRestored(organization=str(organization.public_id), subscription=str(sub.public_id)))
        try:
            with transaction.atomic():
                _notify(
                    sub.customer,
                    messages.BILLING_RESTORED,
                    {"organization": organization.name},
                    idempotency_key=f"billing.restored:{sub.public_id}:{sub.updated_at.isoformat()}",
                )
        except DomainError as exc:
            log.warning("billing.dunning: restored notice of %s not sent: %s", sub.pk, exc.message)
    return standing


def _heal(today: date) -> int:
    """Subscriptions in dunning whose customer owes nothing overdue any more (an invoice
    voided or credited in full publishes no payment): restored."""
    owing = _overdue(Invoice.objects.filter(customer_id=OuterRef("customer_id")), today)
    stale = Subscription.objects.filter(status__in=IN_DUNNING).exclude(Exists(owing))
    restored = 0
    for sub in stale.iterator(chunk_size=BATCH):
        if restore(sub, today=today) == SubscriptionStatus.ACTIVE:
            restored += 1
    return restored


def invoice_paid(*, invoice: str, paid_on: date | None = None) -> SubscriptionStatus | None:
    """An invoice was paid (InvoicePaid): its remaining steps are SKIPPED, and its
    subscription restored when nothing else is overdue."""
    row = Invoice.objects.filter(public_id=invoice).first()
    if row is None:
        return None
    with transaction.atomic():
        DunningStep.objects.filter(invoice=row, status=Status.PLANNED).update(
            status=Status.SKIPPED, outcome="invoice paid", ran_at=timezone.now()
        )
    sub = _subscription_of(row)
    if sub is None:
        return None
    return restore(sub, today=paid_on)


# --- 5. notices ----------------------------------------------------------------------------


def recipients(customer: Customer) -> list[tuple[str, tuple[str, ...] | None]]:
    """Who is told about billing: the customer's billing phone (SMS) and e-mail, else the
    organization's owners and managers (each on the template's channels, in their language)."""
    contacts: list[tuple[str, tuple[str, ...] | None]] = []
    if customer.phone:
        contacts.append((customer.phone, (Channel.SMS.value,)))
    if customer.email:
        contacts.append((customer.email, (Channel.EMAIL.value,)))
    if contacts:
        return contacts
    members = identity.members_of(organization_id=customer.organization_id, roles=CONTACT_ROLES)
    return [(str(m.public_id), None) for m in members]


def _absolute(url: str) -> str:
    """A pay link as a message carries it (payments gives a path without
    PAYMENT_PUBLIC_BASE_URL)."""
    if url.startswith(("http://", "https://")):
        return url
    return (settings.PAYMENT_PUBLIC_BASE_URL or "https://hokwe.com").rstrip("/") + url


def _notify(customer: Customer, key: str, context: dict, *, idempotency_key: str, invoice=None) -> int:
    """Send `key` to the customer's contacts (nothing when it has none); with `invoice`, the
    context gets its pay link. Returns how many contacts."""
    contacts = recipients(customer)
    if not contacts:
        return 0
    if invoice is not None:
        from . import payment

        context = {**context, "pay_url": _absolute(payment.pay_link(invoice))}
    for recipient, channels in contacts:
        notifications.send(recipient, key, context, channels=channels, idempotency_key=idempotency_key)
    return len(contacts)


@transaction.atomic
def invoice_notice(*, invoice: str) -> int:
    """A finalized invoice still to pay (InvoiceFinalized): amount, due date and pay link to
    the customer's contacts, once. Paid at once (prepaid credits): nothing to send."""
    row = Invoice.objects.select_related("customer").filter(public_id=invoice).first()
    if row is None or row.status != InvoiceStatus.OPEN or row.amount_due <= 0:
        return 0
    return _notify(
        row.customer,
        messages.BILLING_INVOICE,
        {"number": row.number, "amount": _money(row), "due_date": row.due_on.isoformat()},
        idempotency_key=f"billing.invoice:{row.public_id}",
        invoice=row,
    )


@transaction.atomic
def payment_failed_notice(*, invoice: str, attempt: int) -> int:
    """A payment of an invoice failed (InvoicePaymentFailed): the pay link again, once per
    attempt, while it is still owed."""
    row = Invoice.objects.select_related("customer").filter(public_id=invoice).first()
    if row is None or row.status not in UNPAID or row.amount_due <= 0:
        return 0
    return _notify(
        row.customer,
        messages.BILLING_PAYMENT_FAILED,
        {"number": row.number, "amount": _money(row)},
        idempotency_key=f"billing.payment_failed:{row.public_id}:{attempt}",
        invoice=row,
    )


def _trial_notices(today: date) -> int:
    """Trials ending in BILLING_TRIAL_NOTICE_DAYS days: their customers are told, once."""
    ends_on = today + timedelta(days=settings.BILLING_TRIAL_NOTICE_DAYS)
    subs = Subscription.objects.filter(
        status=SubscriptionStatus.TRIALING, trial_ends_on=ends_on
    ).select_related("customer", "version__plan")
    sent = 0
    for sub in subs.iterator(chunk_size=BATCH):
        try:
            with transaction.atomic():
                sent += bool(
                    _notify(
                        sub.customer,
                        messages.BILLING_TRIAL_ENDING,
                        {"plan_name": sub.version.plan.name, "ends_on": ends_on.isoformat()},
                        idempotency_key=f"billing.trial_ending:{sub.public_id}:{ends_on.isoformat()}",
                    )
                )
        except DomainError as exc:
            log.warning("billing.dunning: trial notice of %s not sent: %s", sub.pk, exc.message)
    return sent


# --- the daily run -------------------------------------------------------------------------


def dunning_run(*, today: date | None = None) -> dict:
    """The daily run (beat `billing.dunning_run`); idempotent for the day."""
    today = today or timezone.localdate()
    result = RunResult()
    result.planned = _plan_overdue(today)
    result.past_due = _mark_past_due(today)
    result.skipped += _skip_settled()
    _run_steps(today, result)
    result.restored = _heal(today)
    result.trial_notices = _trial_notices(today)
    log.info("billing.dunning_run %s: %s", today.isoformat(), asdict(result))
    return asdict(result)
