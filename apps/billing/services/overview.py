"""The billing page's composed reads (docs/billing.md, "The billing page"): the page's head
(subscription, payment method, prepaid credits, what is owed), the usage so far, the next
invoice's estimate and a plan change's proration preview. They read the catalog's prices,
the metering counters and the ledger through the other services; nothing is written.
(Part: surfaces.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

from apps.identity.contracts import OrganizationInfo

from .. import selectors
from ..contracts import Interval, LineSpec, SubscriptionStatus, UsageLine
from ..models import PlanVersion, Subscription, SubscriptionAddOn


def credits_balance(org: OrganizationInfo) -> int:
    from . import accounts

    row = selectors.customer(org)
    return accounts.credits_balance(row) if row else 0


# --- the page's head -------------------------------------------------------------------------------


def account(org) -> dict:
    """The billing page's head: the subscription, how the organization pays, its credits and
    what it still owes."""
    cust = selectors.customer(org)
    currency = cust.currency if cust else ((org.currencies or ("XOF",))[0])
    overdue = sum(selectors.open_invoices(org).values_list("amount_due", flat=True))
    return {
        "organization": org,
        "subscription": selectors.subscription(org),
        "payment_method": cust,
        "credits": credits_balance(org),
        "amount_overdue": overdue,
        "currency": currency,
    }


def usage_summary(org) -> dict:
    sub = selectors.subscription(org)
    live = sub is not None and sub.status != "canceled"
    return {
        "period_start": sub.current_period_start if live else None,
        "period_end": sub.current_period_end if live else None,
        "usage": usage(sub),
        "estimate": _estimate_dict(estimate(sub)),
    }


def _estimate_dict(found) -> dict | None:
    if found is None:
        return None
    return {
        **found.__dict__,
        "lines": [{**line.__dict__, "currency": found.currency} for line in found.lines],
    }


def change_summary(change) -> dict:
    """A plan change as the transports answer it."""
    return {
        "subscription": selectors._subscriptions().get(pk=change.subscription_id),
        "kind": change.kind,
        "timing": change.timing,
        "effective_on": change.effective_on,
        "invoice": change.invoice,
        "credit_note": change.credit_note,
    }


# --- usage and the next invoice ------------------------------------------------------------------


def usage(sub: Subscription | None) -> list[UsageLine]:
    """The current period's usage so far (what it would cost before tax), metric by metric."""
    if sub is None or sub.status == SubscriptionStatus.CANCELED:
        return []
    from . import metering

    return list(metering.current_usage(sub))


def next_period(sub: Subscription, version: PlanVersion) -> tuple[date, date]:
    """The period the next renewal invoices in advance: from the current period's end, one
    interval of the version."""
    start = sub.current_period_end
    step = relativedelta(years=1) if version.interval == Interval.YEAR else relativedelta(months=1)
    return start, start + step


@dataclass(frozen=True)
class EstimateLine:
    kind: str
    description: str
    quantity: int
    amount: int  # before tax
    tax: int
    period_start: date | None = None
    period_end: date | None = None


@dataclass(frozen=True)
class Estimate:
    """What the next invoice would be if the period ended today: the recurring fees of the
    next period (the pending version's when a change waits for the end of the term; none when
    the subscription cancels at the end of the term) and the usage so far, with TVA."""

    currency: str
    issued_on: date
    period_start: date | None
    period_end: date | None
    lines: list[EstimateLine] = field(default_factory=list)
    subtotal: int = 0
    tax: int = 0
    total: int = 0


def _addons(sub: Subscription) -> list:
    return [
        a.addon
        for a in SubscriptionAddOn.objects.filter(subscription=sub, ended_on__isnull=True).select_related(
            "addon"
        )
    ]


def estimate(sub: Subscription | None) -> Estimate | None:
    """The next invoice of a live subscription (None without one)."""
    if sub is None or sub.status in (SubscriptionStatus.CANCELED, SubscriptionStatus.PAUSED):
        return None
    from . import pricing
    from .invoices import tax_of, tva_rate

    specs: list[LineSpec] = []
    version = sub.pending_version or sub.version
    start, end = next_period(sub, version)
    if not sub.cancel_at_period_end:
        quantities = _quantities(sub)
        specs += pricing.recurring_lines(
            version, quantities=quantities, period_start=start, period_end=end, addons=_addons(sub)
        )
    used = {line.metric: line.quantity for line in usage(sub) if line.quantity}
    if used:
        specs += pricing.usage_lines(
            sub.version, usage=used, period_start=sub.current_period_start, period_end=sub.current_period_end
        )
    rate = tva_rate(sub.customer.country)
    lines = [
        EstimateLine(
            kind=str(spec.kind),
            description=spec.description,
            quantity=spec.quantity,
            amount=spec.amount,
            tax=tax_of(spec.amount, 0 if spec.tax_exempt else rate),
            period_start=spec.period_start,
            period_end=spec.period_end,
        )
        for spec in specs
    ]
    subtotal = sum(line.amount for line in lines)
    tax = sum(line.tax for line in lines)
    return Estimate(
        currency=version.currency,
        issued_on=sub.current_period_end,
        period_start=start if not sub.cancel_at_period_end else None,
        period_end=end if not sub.cancel_at_period_end else None,
        lines=lines,
        subtotal=subtotal,
        tax=tax,
        total=subtotal + tax,
    )


def _quantities(sub: Subscription) -> dict[str, int]:
    """The per-unit quantities billed next: read now from their sources (units under
    management, …), else those read at the period start."""
    names = sorted(
        {
            p.quantity_source
            for p in (sub.pending_version or sub.version).prices.all()
            if p.kind == "per_unit" and p.quantity_source
        }
    )
    if not names:
        return {}
    from . import quantities

    read = quantities.read_quantities([sub.customer.organization_id], names).get(
        sub.customer.organization_id, {}
    )
    return {name: int(read.get(name, (sub.quantities or {}).get(name, 0))) for name in names}


def recurring_total(version: PlanVersion, sub: Subscription, start: date, end: date) -> int:
    """What `version`'s recurring fees come to for one full period (before tax), at the
    quantities read at the period start: the basis of a change's proration (the same as
    services/subscriptions.py's)."""
    from . import pricing

    lines = pricing.recurring_lines(
        version, quantities=sub.quantities or {}, period_start=start, period_end=end
    )
    return sum(line.amount for line in lines)


@dataclass(frozen=True)
class ChangePreview:
    """What changing the plan now would do: the unused part of the current plan credited,
    the new plan charged for the rest of the period (both before tax)."""

    from_version: PlanVersion
    to_version: PlanVersion
    day: date
    period_start: date
    period_end: date
    credit: int
    charge: int
    currency: str

    @property
    def difference(self) -> int:
        return self.charge - self.credit


def change_preview(sub: Subscription, to_version: PlanVersion, *, day: date) -> ChangePreview:
    from . import subscriptions

    start, end = sub.current_period_start, sub.current_period_end
    day = min(max(day, start), end)
    if sub.status == SubscriptionStatus.TRIALING:
        credit = charge = 0  # a trial costs nothing: the new plan starts its own trial
    else:
        credit = subscriptions.prorate(recurring_total(sub.version, sub, start, end), start, end, day)
        charge = subscriptions.prorate(recurring_total(to_version, sub, start, end), start, end, day)
    return ChangePreview(
        from_version=sub.version,
        to_version=to_version,
        day=day,
        period_start=start,
        period_end=end,
        credit=credit,
        charge=charge,
        currency=to_version.currency,
    )
