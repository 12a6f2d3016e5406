"""Subscriptions (docs/billing.md, "Subscriptions"): start (with a trial), change plan at
once with proration or at the end of the term, cancel at the end of the term (or at once by
staff), pause, resume, add-ons, coupons, and the roll-over of a period. (Part: subscriptions.)

Periods are [current_period_start, current_period_end) in days. Recurring fees are billed in
advance: the first period at the start (when there is no trial), the next ones by the billing
run (origin key `renewal:<subscription>:<period start>`, `renewal_key`). A change in the
middle of a period credits the unused part of what the period's invoice billed (a credit note,
reason PRORATION) and charges the new terms for the days left (a PRORATION invoice), once per
idempotency key: the SubscriptionChange row is the guard (its key is unique and the
subscription row is locked while it is written).

Proration by days, exact (`prorate`): the `n` days of a period share an amount by cumulative
allocation, the first `k` days costing `amount * k // n`. The days [a, b) of a period cost
`used(amount, …, a, b) = amount*b//n - amount*a//n`; the pieces of any split of a period sum
to the whole, so any sequence of changes leaves the customer billed exactly the sum of the
pieces of the days used on each version, to the franc.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.bulk import update_rows
from apps.core.errors import IdempotencyConflict
from apps.core.outbox import publish, publish_many
from apps.identity import api as identity

from ..contracts import (
    ChangeKind,
    ChangeTiming,
    CreditNoteReason,
    Interval,
    InvoiceKind,
    InvoiceStatus,
    LineKind,
    LineSpec,
    PriceKind,
    SubscriptionInfo,
    SubscriptionStatus,
    VersionStatus,
)
from ..errors import (
    BillingError,
    CouponInvalid,
    CurrencyNotOffered,
    SubscriptionExists,
    SubscriptionNotChangeable,
)
from ..events import SubscriptionChanged
from ..models import (
    AddOn,
    Coupon,
    CouponRedemption,
    Customer,
    Invoice,
    PlanVersion,
    Subscription,
    SubscriptionAddOn,
    SubscriptionChange,
)
from . import catalog, invoices, payment, pricing, quantities

__all__ = [
    "addon_add",
    "addon_remove",
    "cancel",
    "change_plan",
    "coupon_apply",
    "pause",
    "prorate",
    "renew",
    "renewal_key",
    "resume",
    "subscribe",
    "subscription_info",
    "used",
]

CHANGEABLE = (SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE)
PERMISSION = "billing.subscription.change"
STAFF_PERMISSION = "billing.subscription.staff"


# --- proration -----------------------------------------------------------------------------


def _days(period_start: date, period_end: date, day: date) -> tuple[int, int]:
    n = (period_end - period_start).days
    if n <= 0:
        raise ValueError("empty period")
    k = min(max((day - period_start).days, 0), n)
    return n, k


def prorate(amount: int, period_start: date, period_end: date, day: date) -> int:
    """The unused part of `amount` (billed for [period_start, period_end)) from `day` on:
    `amount - amount * k // n` where k days of the n were used. Integer and exact: the used
    part is rounded down, so the unused part is rounded up (never a franc lost by the
    customer), and `used` of the days before plus `prorate` from `day` is `amount`."""
    n, k = _days(period_start, period_end, day)
    return amount - amount * k // n


def used(amount: int, period_start: date, period_end: date, start: date, end: date) -> int:
    """What the days [start, end) of the period cost out of `amount` (cumulative allocation:
    the pieces of any split of the period sum to `amount`)."""
    n, a = _days(period_start, period_end, start)
    _n, b = _days(period_start, period_end, end)
    return amount * b // n - amount * a // n


# --- periods -------------------------------------------------------------------------------


def renewal_key(subscription: Subscription, period_start: date) -> str:
    """The origin key of the invoice that bills a period in advance (the start's own first
    period, then each renewal by the billing run)."""
    return f"renewal:{subscription.public_id}:{period_start.isoformat()}"


def _period_end(start: date, interval: str) -> date:
    """One interval after `start` (the billing run's rule: a month from 31 January ends on
    28 February, and the next period runs from 28 February to 28 March)."""
    return start + (relativedelta(years=1) if interval == Interval.YEAR else relativedelta(months=1))


# --- what a period costs (the catalog's prices, services/pricing.py) -----------------------


def _version_lines(version: PlanVersion, qty: dict, period_start: date, period_end: date) -> list[LineSpec]:
    """The recurring lines of a version for one full period (flat and per-unit prices; usage
    is billed in arrears by the run)."""
    return pricing.recurring_lines(
        version, quantities=qty or {}, period_start=period_start, period_end=period_end
    )


def _version_amount(version: PlanVersion, qty: dict, period_start: date, period_end: date) -> int:
    return sum(line.amount for line in _version_lines(version, qty, period_start, period_end))


def _addon_amount(sub: Subscription, row: SubscriptionAddOn) -> int:
    """An add-on's price for one full period, as the renewal invoice bills it."""
    lines = pricing.recurring_lines(
        sub.version,
        quantities=sub.quantities or {},
        period_start=sub.current_period_start,
        period_end=sub.current_period_end,
        addons=[row],
    )
    return sum(line.amount for line in lines if line.kind == LineKind.ADDON)


def _read_quantities(organization_id: int, version: PlanVersion) -> dict:
    names = sorted(
        set(
            version.prices.filter(kind=PriceKind.PER_UNIT)
            .exclude(quantity_source="")
            .values_list("quantity_source", flat=True)
        )
    )
    if not names:
        return {}
    return dict(quantities.read_quantities([organization_id], names).get(organization_id, {}))


# --- shared steps --------------------------------------------------------------------------


def _check(actor, permission: str, organization_id: int) -> None:
    """`actor` None is the system (the billing run, the demo); every transport passes the
    signed-in user."""
    if actor is not None:
        identity.require(actor, permission, organization_id)


def _lock_version(version: PlanVersion) -> None:
    catalog.version_lock(version)


def _offered(version: PlanVersion, *, field: str = "version") -> None:
    if version.status != VersionStatus.PUBLISHED:
        raise BillingError(_("This plan version is not offered."), field=field)


def _publish(sub: Subscription, kind: ChangeKind, effective_on: date) -> None:
    version = sub.version
    publish(
        SubscriptionChanged(
            subscription=str(sub.public_id),
            organization=str(identity.get_organization(id=sub.customer.organization_id).public_id),
            kind=str(kind),
            plan=version.plan.code,
            version=version.number,
            status=str(sub.status),
            effective_on=effective_on.isoformat(),
        )
    )


def _collected(invoice: Invoice) -> Invoice:
    """Ask for what a start or a plan change invoices once the change is committed (a push to
    the saved mobile-money number, outside any transaction, as the billing run does)."""
    if invoice.status == InvoiceStatus.OPEN and invoice.amount_due > 0:
        transaction.on_commit(lambda: payment.collect(invoice.pk, push=True), robust=True)
    return invoice


def _locked(subscription: Subscription) -> Subscription:
    return (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("customer", "version__plan")
        .get(pk=subscription.pk)
    )


def _replay(key: str, subscription: Subscription, kind: ChangeKind | None = None):
    """The change already made with `key` (a retry), or None. The same key for another
    subscription or another kind of change is a conflict."""
    done = SubscriptionChange.objects.filter(idempotency_key=key).first()
    if done is None:
        return None
    if done.subscription_id != subscription.pk or (kind is not None and done.kind != kind):
        raise IdempotencyConflict()
    return done


def _record(sub, *, kind, key, actor, effective_on, timing=ChangeTiming.NOW, **fields) -> SubscriptionChange:
    try:
        with transaction.atomic():
            return SubscriptionChange.objects.create(
                subscription=sub,
                kind=kind,
                timing=timing,
                idempotency_key=key,
                actor_id=getattr(actor, "pk", None),
                effective_on=effective_on,
                **fields,
            )
    except IntegrityError:
        raise IdempotencyConflict() from None


def _period_invoice(sub: Subscription) -> Invoice | None:
    """The invoice that billed the current period's recurring fees in advance."""
    return (
        Invoice.objects.filter(
            subscription=sub, kind=InvoiceKind.SUBSCRIPTION, period_start=sub.current_period_start
        )
        .exclude(status__in=(InvoiceStatus.DRAFT, InvoiceStatus.VOID))
        .order_by("created_at")
        .first()
        or Invoice.objects.filter(origin_key=renewal_key(sub, sub.current_period_start))
        .exclude(status__in=(InvoiceStatus.DRAFT, InvoiceStatus.VOID))
        .first()
    )


def _change_invoice(change: SubscriptionChange | None) -> Invoice | None:
    if change is None or change.invoice is None:
        return None
    return (
        Invoice.objects.filter(public_id=change.invoice)
        .exclude(status__in=(InvoiceStatus.DRAFT, InvoiceStatus.VOID))
        .first()
    )


def _version_invoice(sub: Subscription) -> Invoice | None:
    """What billed the current version for this period: the last plan change made at once
    within the period (its proration invoice, None when it charged nothing), else the
    period's own invoice. A period in trial was not invoiced: None."""
    if sub.status == SubscriptionStatus.TRIALING:
        return None
    last = (
        SubscriptionChange.objects.filter(
            subscription=sub,
            kind__in=(ChangeKind.UPGRADE, ChangeKind.DOWNGRADE),
            timing=ChangeTiming.NOW,
            effective_on__gte=sub.current_period_start,
            effective_on__lt=sub.current_period_end,
        )
        .order_by("-effective_on", "-created_at")
        .first()
    )
    if last is not None:
        return _change_invoice(last)
    return _period_invoice(sub)


def _addon_invoice(sub: Subscription, row: SubscriptionAddOn) -> Invoice | None:
    if sub.status == SubscriptionStatus.TRIALING:
        return None
    if row.started_on > sub.current_period_start:
        added = (
            SubscriptionChange.objects.filter(
                subscription=sub,
                kind=ChangeKind.ADDON,
                note=f"+{row.addon.code}",
                effective_on=row.started_on,
            )
            .order_by("-created_at")
            .first()
        )
        return _change_invoice(added)
    return _period_invoice(sub)


def _creditable(invoice: Invoice, amount: int) -> int:
    """`amount` (before tax), lowered so that with its TVA it fits in what the invoice can
    still be credited (a coupon may have discounted the invoice)."""
    rate = invoices.tva_rate(invoice.country) if invoice.tax else 0
    room = invoice.total - sum(invoice.credit_notes.values_list("total", flat=True))
    while amount > 0 and amount + invoices.tax_of(amount, rate) > room:
        amount = min(amount - 1, room * 10_000 // (10_000 + rate))
    return max(amount, 0)


def _credit_unused(invoice: Invoice | None, amount: int, *, description: str, key: str, today: date):
    if invoice is None or amount <= 0:
        return None
    amount = _creditable(invoice, amount)
    if amount <= 0:
        return None
    return invoices.credit(
        invoice,
        lines=[LineSpec(kind=LineKind.PRORATION, description=description, amount=amount)],
        reason=CreditNoteReason.PRORATION,
        origin_key=f"change:{key}:credit",
        today=today,
    )


def _charge(sub: Subscription, amount: int, *, description: str, key: str, today: date):
    if amount <= 0:
        return None
    invoice = invoices.draft(
        customer=sub.customer,
        kind=InvoiceKind.PRORATION,
        origin_key=f"change:{key}",
        subscription=sub,
        period_start=today,
        period_end=sub.current_period_end,
        lines=[
            LineSpec(
                kind=LineKind.PRORATION,
                description=description,
                amount=amount,
                period_start=today,
                period_end=sub.current_period_end,
            )
        ],
    )
    return _collected(invoices.finalize(invoice, today=today))


def _days_text(today: date, end: date) -> str:
    return _("from %(start)s to %(end)s") % {
        "start": today.strftime("%d/%m/%Y"),
        "end": (end - relativedelta(days=1)).strftime("%d/%m/%Y"),
    }


def _coupon(code: str, *, currency: str, today: date) -> Coupon:
    coupon = Coupon.objects.select_for_update().filter(code__iexact=code.strip()).first()
    if (
        coupon is None
        or not coupon.is_active
        or (coupon.redeem_by is not None and today > coupon.redeem_by)
        or (coupon.amount is not None and coupon.currency != currency)
    ):
        raise CouponInvalid(field="coupon")
    if coupon.max_redemptions is not None and coupon.redemptions.count() >= coupon.max_redemptions:
        raise CouponInvalid(_("This coupon has been used as many times as it may be."), field="coupon")
    return coupon


def _discount(redemption: CouponRedemption, subtotal: int) -> int:
    coupon = redemption.coupon
    if coupon.percent_bps is not None:
        off = subtotal * coupon.percent_bps // 10_000
    else:
        off = coupon.amount
    return min(off, subtotal)


# --- start ---------------------------------------------------------------------------------


@transaction.atomic
def subscribe(
    *,
    actor,
    organization_id: int,
    version: PlanVersion,
    coupon: str = "",
    idempotency_key: str,
    today: date | None = None,
) -> Subscription:
    """Subscribe the organization to a published plan version: a trial when the version has
    trial days (status trialing, the trial is the first period, nothing invoiced), otherwise
    active with a first period of the version's interval from today, invoiced at once. The
    version is locked (immutable from now on). Once per `idempotency_key`."""
    _check(actor, PERMISSION, organization_id)
    today = today or timezone.localdate()
    # the customer's row is the lock: a retry waits for the first call, then returns its result
    customer = Customer.objects.select_for_update().get(pk=invoices.customer_for(organization_id).pk)
    done = (
        SubscriptionChange.objects.filter(idempotency_key=idempotency_key)
        .select_related("subscription")
        .first()
    )
    if done is not None:
        sub = done.subscription
        if done.kind != ChangeKind.START or sub.customer_id != customer.pk:
            raise IdempotencyConflict()
        return sub
    _offered(version)
    org = identity.get_organization(id=organization_id)
    if version.currency not in (org.currencies or ("XOF",)):
        raise CurrencyNotOffered(field="version")
    if customer.currency != version.currency:
        if customer.receivable_account or customer.credits_account or customer.invoices.exists():
            raise CurrencyNotOffered(
                _("This organization is billed in %(currency)s.") % {"currency": customer.currency},
                field="version",
            )
        customer.currency = version.currency
        customer.save(update_fields=["currency", "updated_at"])
    if customer.subscriptions.exclude(status=SubscriptionStatus.CANCELED).exists():
        raise SubscriptionExists()
    redeemable = _coupon(coupon, currency=version.currency, today=today) if coupon.strip() else None
    if version.trial_days:
        status, end = SubscriptionStatus.TRIALING, today + relativedelta(days=version.trial_days)
        trial_ends_on = end
    else:
        status, end, trial_ends_on = SubscriptionStatus.ACTIVE, _period_end(today, version.interval), None
    sub = Subscription.objects.create(
        customer=customer,
        version=version,
        status=status,
        started_on=today,
        trial_ends_on=trial_ends_on,
        current_period_start=today,
        current_period_end=end,
        quantities=_read_quantities(organization_id, version),
    )
    _lock_version(version)
    change = _record(
        sub, kind=ChangeKind.START, key=idempotency_key, actor=actor, effective_on=today, to_version=version
    )
    redemption = None
    if redeemable is not None:
        redemption = CouponRedemption.objects.create(
            coupon=redeemable, subscription=sub, periods_left=redeemable.duration_periods
        )
    if status == SubscriptionStatus.ACTIVE:
        invoice = _first_invoice(sub, redemption)
        if invoice is not None:
            change.invoice = invoice.public_id
            change.save(update_fields=["invoice", "updated_at"])
    _publish(sub, ChangeKind.START, today)
    return sub


def _first_invoice(sub: Subscription, redemption: CouponRedemption | None) -> Invoice | None:
    """The first period's recurring fees, in advance (a coupon as a discount line)."""
    start, end = sub.current_period_start, sub.current_period_end
    lines = [line for line in _version_lines(sub.version, sub.quantities, start, end) if line.amount]
    subtotal = sum(line.amount for line in lines)
    if not lines:
        return None
    if redemption is not None and redemption.periods_left != 0:
        off = _discount(redemption, subtotal)
        if off:
            lines.append(
                LineSpec(
                    kind=LineKind.DISCOUNT,
                    description=_("Discount %(code)s") % {"code": redemption.coupon.code},
                    amount=-off,
                )
            )
        if redemption.periods_left is not None:
            redemption.periods_left -= 1
            redemption.save(update_fields=["periods_left", "updated_at"])
    invoice = invoices.draft(
        customer=sub.customer,
        kind=InvoiceKind.SUBSCRIPTION,
        origin_key=renewal_key(sub, start),
        subscription=sub,
        period_start=start,
        period_end=end,
        lines=lines,
    )
    return _collected(invoices.finalize(invoice, today=start))


@transaction.atomic
def coupon_apply(
    *, actor, subscription: Subscription, coupon: str, today: date | None = None
) -> CouponRedemption:
    """A coupon on a live subscription: discounts the next invoices of its periods (the
    billing run applies it). Once per coupon and subscription."""
    sub = _locked(subscription)
    _check(actor, PERMISSION, sub.customer.organization_id)
    today = today or timezone.localdate()
    if sub.status == SubscriptionStatus.CANCELED:
        raise SubscriptionNotChangeable()
    found = _coupon(coupon, currency=sub.version.currency, today=today)
    existing = CouponRedemption.objects.filter(coupon=found, subscription=sub).first()
    if existing:
        return existing
    return CouponRedemption.objects.create(
        coupon=found, subscription=sub, periods_left=found.duration_periods
    )


# --- plan changes --------------------------------------------------------------------------


@transaction.atomic
def change_plan(
    *,
    actor,
    subscription: Subscription,
    to_version: PlanVersion,
    timing: ChangeTiming = ChangeTiming.NOW,
    idempotency_key: str,
    today: date | None = None,
) -> SubscriptionChange:
    """Upgrade or downgrade. NOW: the unused part of the old version's period fee is credited
    (a credit note on the invoice that billed it, none in trial) and the new version is
    charged for the days left (a PRORATION invoice), once per key. PERIOD_END: the new
    version waits in `pending_version` and `renew` applies it."""
    sub = _locked(subscription)
    _check(actor, PERMISSION, sub.customer.organization_id)
    done = _replay(idempotency_key, sub)
    if done is not None:
        if done.to_version_id != to_version.pk or done.timing != timing:
            raise IdempotencyConflict()
        return done
    today = today or timezone.localdate()
    if sub.status not in CHANGEABLE:
        raise SubscriptionNotChangeable()
    _offered(to_version, field="to_version")
    if to_version.currency != sub.version.currency:
        raise CurrencyNotOffered(field="to_version")
    if to_version.pk == sub.version_id:
        raise BillingError(_("The subscription is already on this plan."), field="to_version")
    old = sub.version
    start, end = sub.current_period_start, sub.current_period_end
    old_amount = _version_amount(old, sub.quantities, start, end)
    new_amount = _version_amount(to_version, sub.quantities, start, end)
    upward = (to_version.plan.position, new_amount) > (old.plan.position, old_amount)
    kind = ChangeKind.UPGRADE if upward else ChangeKind.DOWNGRADE
    _lock_version(to_version)
    if timing == ChangeTiming.PERIOD_END:
        change = _record(
            sub,
            kind=kind,
            key=idempotency_key,
            actor=actor,
            effective_on=end,
            timing=timing,
            from_version=old,
            to_version=to_version,
        )
        sub.pending_version = to_version
        sub.save(update_fields=["pending_version", "updated_at"])
        _publish(sub, kind, end)
        return change
    if not start <= today < end:
        raise BillingError(_("The period has ended: it renews first."))
    billed = _version_invoice(sub)  # before this change's own row joins the log
    change = _record(
        sub,
        kind=kind,
        key=idempotency_key,
        actor=actor,
        effective_on=today,
        from_version=old,
        to_version=to_version,
    )
    if sub.status != SubscriptionStatus.TRIALING:
        note = _credit_unused(
            billed,
            prorate(old_amount, start, end, today),
            description=_("Unused part of %(plan)s, %(days)s")
            % {"plan": old.plan.name, "days": _days_text(today, end)},
            key=idempotency_key,
            today=today,
        )
        invoice = _charge(
            sub,
            prorate(new_amount, start, end, today),
            description=_("%(plan)s, %(days)s")
            % {"plan": to_version.plan.name, "days": _days_text(today, end)},
            key=idempotency_key,
            today=today,
        )
        change.credit_note = note.public_id if note else None
        change.invoice = invoice.public_id if invoice else None
        change.save(update_fields=["credit_note", "invoice", "updated_at"])
    sub.version = to_version
    sub.pending_version = None
    sub.save(update_fields=["version", "pending_version", "updated_at"])
    _publish(sub, kind, today)
    return change


# --- cancel, pause, resume -----------------------------------------------------------------


@transaction.atomic
def cancel(
    *,
    actor,
    subscription: Subscription,
    idempotency_key: str,
    at_once: bool = False,
    today: date | None = None,
) -> SubscriptionChange:
    """Cancel at the end of the term (`cancel_at_period_end`; `renew` ends it), or, by finance
    staff, at once: the unused part of the period is credited and add-ons end."""
    sub = _locked(subscription)
    _check(actor, STAFF_PERMISSION if at_once else PERMISSION, sub.customer.organization_id)
    done = _replay(idempotency_key, sub, ChangeKind.CANCEL)
    if done is not None:
        return done
    today = today or timezone.localdate()
    if sub.status == SubscriptionStatus.CANCELED:
        raise SubscriptionNotChangeable()
    if not at_once:
        change = _record(
            sub,
            kind=ChangeKind.CANCEL,
            key=idempotency_key,
            actor=actor,
            effective_on=sub.current_period_end,
            timing=ChangeTiming.PERIOD_END,
            from_version=sub.version,
        )
        sub.cancel_at_period_end = True
        sub.pending_version = None
        sub.save(update_fields=["cancel_at_period_end", "pending_version", "updated_at"])
        _publish(sub, ChangeKind.CANCEL, sub.current_period_end)
        return change
    change = _record(
        sub,
        kind=ChangeKind.CANCEL,
        key=idempotency_key,
        actor=actor,
        effective_on=today,
        from_version=sub.version,
    )
    start, end = sub.current_period_start, sub.current_period_end
    # a paused subscription's unused days are those left when it paused
    since = sub.paused_on if sub.status == SubscriptionStatus.PAUSED else today
    if sub.status != SubscriptionStatus.TRIALING and start <= since < end:
        version_part = prorate(_version_amount(sub.version, sub.quantities, start, end), start, end, since)
        invoice = _version_invoice(sub)
        note = _credit_unused(
            invoice,
            version_part,
            description=_("Unused part of %(plan)s, %(days)s")
            % {"plan": sub.version.plan.name, "days": _days_text(since, end)},
            key=idempotency_key,
            today=today,
        )
        change.credit_note = note.public_id if note else None
        change.save(update_fields=["credit_note", "updated_at"])
        for row in sub.addons.filter(ended_on__isnull=True).select_related("addon"):
            _credit_unused(
                _addon_invoice(sub, row),
                prorate(_addon_amount(sub, row), start, end, since),
                description=_("Unused part of %(addon)s, %(days)s")
                % {"addon": row.addon.name, "days": _days_text(since, end)},
                key=f"{idempotency_key}:{row.addon.code}",
                today=today,
            )
    sub.addons.filter(ended_on__isnull=True).update(ended_on=today, updated_at=timezone.now())
    sub.status = SubscriptionStatus.CANCELED
    sub.canceled_on = today
    sub.pending_version = None
    sub.save(update_fields=["status", "canceled_on", "pending_version", "updated_at"])
    _publish(sub, ChangeKind.CANCEL, today)
    return change


@transaction.atomic
def pause(
    *, actor, subscription: Subscription, idempotency_key: str, today: date | None = None
) -> SubscriptionChange:
    """Pause at once (a trialing or active subscription): nothing is invoiced while paused
    (the billing run skips it, its period does not roll) and nothing is credited: the days
    of the period left when it paused are given back on resume."""
    sub = _locked(subscription)
    _check(actor, PERMISSION, sub.customer.organization_id)
    done = _replay(idempotency_key, sub, ChangeKind.PAUSE)
    if done is not None:
        return done
    today = today or timezone.localdate()
    if sub.status not in CHANGEABLE or not sub.current_period_start <= today < sub.current_period_end:
        raise SubscriptionNotChangeable()
    change = _record(
        sub,
        kind=ChangeKind.PAUSE,
        key=idempotency_key,
        actor=actor,
        effective_on=today,
        from_version=sub.version,
    )
    sub.status = SubscriptionStatus.PAUSED
    sub.paused_on = today
    sub.save(update_fields=["status", "paused_on", "updated_at"])
    _publish(sub, ChangeKind.PAUSE, today)
    return change


@transaction.atomic
def resume(
    *, actor, subscription: Subscription, idempotency_key: str, today: date | None = None
) -> SubscriptionChange:
    """Resume a paused subscription: its period (and a trial's end) move later by the days
    it was paused, so the days paid for and left at the pause are used now."""
    sub = _locked(subscription)
    _check(actor, PERMISSION, sub.customer.organization_id)
    done = _replay(idempotency_key, sub, ChangeKind.RESUME)
    if done is not None:
        return done
    today = today or timezone.localdate()
    if sub.status != SubscriptionStatus.PAUSED:
        raise SubscriptionNotChangeable()
    change = _record(
        sub,
        kind=ChangeKind.RESUME,
        key=idempotency_key,
        actor=actor,
        effective_on=today,
        to_version=sub.version,
    )
    shift = relativedelta(days=max((today - sub.paused_on).days, 0))
    in_trial = sub.trial_ends_on is not None and sub.trial_ends_on == sub.current_period_end
    sub.current_period_end = sub.current_period_end + shift
    if in_trial:
        sub.trial_ends_on = sub.current_period_end
    sub.status = SubscriptionStatus.TRIALING if in_trial else SubscriptionStatus.ACTIVE
    sub.save(update_fields=["status", "current_period_end", "trial_ends_on", "updated_at"])
    _publish(sub, ChangeKind.RESUME, today)
    return change


# --- add-ons -------------------------------------------------------------------------------


@transaction.atomic
def addon_add(
    *,
    actor,
    subscription: Subscription,
    addon: AddOn,
    quantity: int = 1,
    idempotency_key: str,
    today: date | None = None,
) -> SubscriptionChange:
    """Buy an add-on from today: charged for the days left of the period (a PRORATION
    invoice; nothing in trial), then with each renewal."""
    sub = _locked(subscription)
    _check(actor, PERMISSION, sub.customer.organization_id)
    done = _replay(idempotency_key, sub, ChangeKind.ADDON)
    if done is not None:
        return done
    today = today or timezone.localdate()
    if sub.status not in CHANGEABLE:
        raise SubscriptionNotChangeable()
    if not addon.is_active or addon.currency != sub.version.currency:
        raise BillingError(_("This add-on is not offered."), field="addon")
    if quantity < 1:
        raise BillingError(_("Buy at least one."), field="quantity")
    if sub.addons.filter(addon=addon, ended_on__isnull=True).exists():
        raise BillingError(_("This add-on is already on the subscription."), field="addon")
    start, end = sub.current_period_start, sub.current_period_end
    if not start <= today < end:
        raise BillingError(_("The period has ended: it renews first."))
    change = _record(
        sub,
        kind=ChangeKind.ADDON,
        key=idempotency_key,
        actor=actor,
        effective_on=today,
        note=f"+{addon.code}",
    )
    row = SubscriptionAddOn.objects.create(subscription=sub, addon=addon, quantity=quantity, started_on=today)
    if sub.status != SubscriptionStatus.TRIALING:
        invoice = _charge(
            sub,
            prorate(_addon_amount(sub, row), start, end, today),
            description=_("%(addon)s, %(days)s") % {"addon": addon.name, "days": _days_text(today, end)},
            key=idempotency_key,
            today=today,
        )
        if invoice is not None:
            change.invoice = invoice.public_id
            change.save(update_fields=["invoice", "updated_at"])
    _publish(sub, ChangeKind.ADDON, today)
    return change


@transaction.atomic
def addon_remove(
    *, actor, subscription: Subscription, addon: AddOn, idempotency_key: str, today: date | None = None
) -> SubscriptionChange:
    """End an add-on today: the unused part of what billed it this period is credited."""
    sub = _locked(subscription)
    _check(actor, PERMISSION, sub.customer.organization_id)
    done = _replay(idempotency_key, sub, ChangeKind.ADDON)
    if done is not None:
        return done
    today = today or timezone.localdate()
    if sub.status not in CHANGEABLE:
        raise SubscriptionNotChangeable()
    row = sub.addons.filter(addon=addon, ended_on__isnull=True).select_related("addon").first()
    if row is None:
        raise BillingError(_("This add-on is not on the subscription."), field="addon")
    start, end = sub.current_period_start, sub.current_period_end
    change = _record(
        sub,
        kind=ChangeKind.ADDON,
        key=idempotency_key,
        actor=actor,
        effective_on=today,
        note=f"-{addon.code}",
    )
    if sub.status != SubscriptionStatus.TRIALING and start <= today < end:
        note = _credit_unused(
            _addon_invoice(sub, row),
            prorate(_addon_amount(sub, row), start, end, today),
            description=_("Unused part of %(addon)s, %(days)s")
            % {"addon": addon.name, "days": _days_text(today, end)},
            key=idempotency_key,
            today=today,
        )
        if note is not None:
            change.credit_note = note.public_id
            change.save(update_fields=["credit_note", "updated_at"])
    row.ended_on = today
    row.save(update_fields=["ended_on", "updated_at"])
    _publish(sub, ChangeKind.ADDON, today)
    return change


# --- the roll-over -------------------------------------------------------------------------


@transaction.atomic
def renew(subscription: Subscription, *, today: date) -> Subscription:
    """Roll the period when it has ended (`current_period_end <= today`): a subscription set
    to cancel ends (canceled on the period's end), otherwise the next period starts where the
    last ended, a trial becomes active and a pending version applies. Invoices nothing (the
    billing run invoices the new period before it calls this). One roll per call; a paused
    or canceled subscription, or one whose period has not ended, is returned as is."""
    sub = _locked(subscription)
    if (
        sub.status in (SubscriptionStatus.PAUSED, SubscriptionStatus.CANCELED)
        or sub.current_period_end > today
    ):
        return sub
    ended = sub.current_period_end
    key = f"renew:{sub.public_id}:{ended.isoformat()}"
    if sub.cancel_at_period_end:
        sub.status = SubscriptionStatus.CANCELED
        sub.canceled_on = ended
        sub.save(update_fields=["status", "canceled_on", "updated_at"])
        sub.addons.filter(ended_on__isnull=True).update(ended_on=ended, updated_at=timezone.now())
        SubscriptionChange.objects.get_or_create(
            idempotency_key=key,
            defaults={
                "subscription": sub,
                "kind": ChangeKind.CANCEL,
                "timing": ChangeTiming.PERIOD_END,
                "from_version": sub.version,
                "effective_on": ended,
            },
        )
        _publish(sub, ChangeKind.CANCEL, ended)
        return sub
    old = sub.version
    if sub.pending_version_id:
        sub.version = sub.pending_version
        sub.pending_version = None
    if sub.status == SubscriptionStatus.TRIALING:
        sub.status = SubscriptionStatus.ACTIVE
    sub.current_period_start = ended
    sub.current_period_end = _period_end(ended, sub.version.interval)
    sub.save(
        update_fields=[
            "version",
            "pending_version",
            "status",
            "current_period_start",
            "current_period_end",
            "updated_at",
        ]
    )
    SubscriptionChange.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "subscription": sub,
            "kind": ChangeKind.RENEW,
            "timing": ChangeTiming.PERIOD_END,
            "from_version": old,
            "to_version": sub.version,
            "effective_on": ended,
        },
    )
    _publish(sub, ChangeKind.RENEW, ended)
    return sub


def renew_many(subscriptions: list[Subscription], *, today: date) -> None:
    """`renew()` for a chunk the caller has locked (the billing run): the same rolls, change
    rows and events, in one UPDATE, one INSERT and one outbox batch. Each subscription needs
    `customer`, `version__plan` and `pending_version__plan` loaded."""
    due = [
        sub
        for sub in subscriptions
        if sub.status not in (SubscriptionStatus.PAUSED, SubscriptionStatus.CANCELED)
        and sub.current_period_end <= today
    ]
    if not due:
        return
    now = timezone.now()
    changes, events, ended_ids = [], [], {}
    organizations = identity.organization_public_ids({sub.customer.organization_id for sub in due})
    for sub in due:
        ended = sub.current_period_end
        old = sub.version
        if sub.cancel_at_period_end:
            sub.status, sub.canceled_on, kind = SubscriptionStatus.CANCELED, ended, ChangeKind.CANCEL
            ended_ids.setdefault(ended, []).append(sub.pk)
            to_version = None
        else:
            if sub.pending_version_id:
                sub.version, sub.pending_version = sub.pending_version, None
            if sub.status == SubscriptionStatus.TRIALING:
                sub.status = SubscriptionStatus.ACTIVE
            sub.current_period_start = ended
            sub.current_period_end = _period_end(ended, sub.version.interval)
            kind, to_version = ChangeKind.RENEW, sub.version
        sub.updated_at = now
        changes.append(
            SubscriptionChange(
                subscription=sub,
                kind=kind,
                timing=ChangeTiming.PERIOD_END,
                from_version=old,
                to_version=to_version,
                effective_on=ended,
                idempotency_key=f"renew:{sub.public_id}:{ended.isoformat()}",
            )
        )
        events.append(
            SubscriptionChanged(
                subscription=str(sub.public_id),
                organization=str(organizations[sub.customer.organization_id]),
                kind=str(kind),
                plan=sub.version.plan.code,
                version=sub.version.number,
                status=str(sub.status),
                effective_on=ended.isoformat(),
            )
        )
    update_rows(
        Subscription,
        due,
        [
            "version",
            "pending_version",
            "status",
            "canceled_on",
            "current_period_start",
            "current_period_end",
            "quantities",
            "updated_at",
        ],
    )
    for ended, ids in ended_ids.items():  # a canceled subscription's add-ons end with it
        SubscriptionAddOn.objects.filter(subscription_id__in=ids, ended_on__isnull=True).update(
            ended_on=ended, updated_at=now
        )
    SubscriptionChange.objects.bulk_create(changes, ignore_conflicts=True, batch_size=1000)
    publish_many(events)


# --- reads for api.py ----------------------------------------------------------------------


def subscription_info(organization_id: int) -> SubscriptionInfo | None:
    sub = (
        Subscription.objects.filter(customer__organization_id=organization_id)
        .exclude(status=SubscriptionStatus.CANCELED)
        .select_related("version__plan")
        .first()
    )
    if sub is None:
        return None
    return SubscriptionInfo(
        public_id=str(sub.public_id),
        organization=str(identity.get_organization(id=organization_id).public_id),
        plan=sub.version.plan.code,
        plan_name=sub.version.plan.name,
        version=sub.version.number,
        status=SubscriptionStatus(sub.status),
        currency=sub.version.currency,
        current_period_start=sub.current_period_start,
        current_period_end=sub.current_period_end,
        trial_ends_on=sub.trial_ends_on,
        cancel_at_period_end=sub.cancel_at_period_end,
    )
