"""Reads, always scoped to what the actor may see (docs/billing.md, "The billing page").

An organization's billing is read by its finance roles (owner, manager, accountant:
`billing.account.view`) and changed by its owners and managers (`billing.account.manage`). Every read names
the organization (its public id) or takes the caller's only one; another organization's
subscription, invoice or credit note is a 404, never its data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core.errors import Forbidden, NotFound
from apps.identity import api as identity
from apps.identity.contracts import OrganizationInfo

from .contracts import (
    Interval,
    InvoiceStatus,
    LineSpec,
    SubscriptionStatus,
    UsageLine,
    VersionStatus,
)
from .errors import InvoiceNotFound, NoSubscription, OrganizationRequired
from .models import (
    CreditNote,
    Customer,
    Invoice,
    InvoiceLine,
    PlanVersion,
    Price,
    Subscription,
    SubscriptionAddOn,
)

VIEW = "billing.account.view"
MANAGE = "billing.account.manage"

# an invoice the customer sees: finalized (a draft is Hokwe's work in progress)
VISIBLE_INVOICES = (InvoiceStatus.OPEN, InvoiceStatus.PAID, InvoiceStatus.VOID, InvoiceStatus.UNCOLLECTIBLE)
PAYABLE = (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE)


# --- whose billing ---------------------------------------------------------------------------


def organizations(actor, *, manage: bool = False) -> list[OrganizationInfo]:
    """The organizations whose billing the actor reads (or, `manage`, changes), by name."""
    roles = identity.MANAGE_ROLES if manage else identity.FINANCE_ROLES
    ids = sorted(identity.organization_ids_of(actor, roles))
    return sorted((identity.get_organization(id=i) for i in ids), key=lambda o: (o.name, o.id))


def organization(actor, public_id=None, *, manage: bool = False) -> OrganizationInfo:
    """The organization named (where the actor may read its billing, else 404; where it may
    not change it, `manage`, 403), or the actor's only one; several and none named: 400."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound(field="organization")
    readable = identity.organization_ids_of(actor, identity.FINANCE_ROLES)
    if public_id:
        try:
            org = identity.get_organization(UUID(str(public_id)))
        except (ValueError, NotFound):
            raise NotFound(field="organization") from None
        if org.id not in readable:
            raise NotFound(field="organization")
    elif len(readable) == 1:
        org = identity.get_organization(id=next(iter(readable)))
    elif not readable:
        raise NotFound(field="organization")
    else:
        raise OrganizationRequired(field="organization")
    if manage and not identity.can(actor, MANAGE, org.id):
        raise Forbidden()
    return org


def customer(org: OrganizationInfo) -> Customer | None:
    """The organization's billing customer, when it has one (reads never create it)."""
    return Customer.objects.filter(organization_id=org.id).first()


# --- the subscription and the catalog ----------------------------------------------------------


def _subscriptions() -> QuerySet[Subscription]:
    return Subscription.objects.select_related("customer", "version__plan", "pending_version__plan")


def subscription(org: OrganizationInfo) -> Subscription | None:
    """The organization's live subscription (trial, active, overdue, restricted or paused),
    else its last canceled one, else None (the free entitlements apply)."""
    rows = _subscriptions().filter(customer__organization_id=org.id)
    live = rows.exclude(status=SubscriptionStatus.CANCELED).first()
    return live or rows.order_by("-created_at").first()


def live_subscription(org: OrganizationInfo) -> Subscription:
    sub = (
        _subscriptions().filter(customer__organization_id=org.id).exclude(status=SubscriptionStatus.CANCELED)
    )
    found = sub.first()
    if found is None:
        raise NoSubscription()
    return found


def _versions() -> QuerySet[PlanVersion]:
    return PlanVersion.objects.select_related("plan").prefetch_related(
        Prefetch("prices", queryset=Price.objects.select_related("metric"))
    )


def plans_offered(currency: str | None = None) -> list[PlanVersion]:
    """The plans offered on the billing page: each public plan's newest published version
    (in `currency` when given), by the plan's position."""
    rows = _versions().filter(plan__is_public=True, status=VersionStatus.PUBLISHED)
    if currency:
        rows = rows.filter(currency=currency)
    newest: dict[int, PlanVersion] = {}
    for version in rows.order_by("plan__position", "plan__code", "-number"):
        newest.setdefault(version.plan_id, version)
    return list(newest.values())


def offered_version(public_id, currency: str | None = None) -> PlanVersion:
    """A plan version the caller may move to: one of the offered ones (else 404)."""
    for version in plans_offered(currency):
        if str(version.public_id) == str(public_id):
            return version
    raise NotFound(_("This plan is not offered."), field="plan")


# --- invoices and credit notes -----------------------------------------------------------------


def invoices(org: OrganizationInfo) -> QuerySet[Invoice]:
    """The organization's finalized invoices, newest first (no lines: the detail has them)."""
    return (
        Invoice.objects.filter(customer__organization_id=org.id, status__in=VISIBLE_INVOICES)
        .select_related("customer")
        .order_by("-created_at", "-id")
    )


def invoice(actor, public_id) -> Invoice:
    """One finalized invoice of an organization whose billing the actor reads, with its lines
    and credit notes; InvoiceNotFound (404) otherwise."""
    readable = identity.organization_ids_of(actor, identity.FINANCE_ROLES)
    try:
        key = UUID(str(public_id))
    except ValueError:
        raise InvoiceNotFound() from None
    found = (
        Invoice.objects.filter(
            public_id=key, status__in=VISIBLE_INVOICES, customer__organization_id__in=readable
        )
        .select_related("customer")
        .prefetch_related(
            Prefetch("lines", queryset=InvoiceLine.objects.order_by("position", "id")),
            Prefetch("credit_notes", queryset=CreditNote.objects.order_by("-created_at")),
        )
        .first()
    )
    if found is None:
        raise InvoiceNotFound()
    return found


def invoice_organization(invoice_row: Invoice) -> OrganizationInfo:
    return identity.get_organization(id=invoice_row.customer.organization_id)


def credit_notes(org: OrganizationInfo) -> QuerySet[CreditNote]:
    return (
        CreditNote.objects.filter(customer__organization_id=org.id)
        .select_related("invoice")
        .order_by("-created_at", "-id")
    )


def credit_note(actor, public_id) -> CreditNote:
    readable = identity.organization_ids_of(actor, identity.FINANCE_ROLES)
    try:
        key = UUID(str(public_id))
    except ValueError:
        raise NotFound() from None
    found = (
        CreditNote.objects.filter(public_id=key, customer__organization_id__in=readable)
        .select_related("invoice", "customer")
        .prefetch_related("lines")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def open_invoices(org: OrganizationInfo) -> QuerySet[Invoice]:
    """What the organization still owes, oldest due first."""
    return (
        Invoice.objects.filter(customer__organization_id=org.id, status__in=PAYABLE, amount_due__gt=0)
        .select_related("customer")
        .order_by("due_on", "id")
    )


def credits_balance(org: OrganizationInfo) -> int:
    from .services import accounts

    row = customer(org)
    return accounts.credits_balance(row) if row else 0


# --- the page's head -------------------------------------------------------------------------------


def account(org) -> dict:
    """The billing page's head: the subscription, how the organization pays, its credits and
    what it still owes."""
    cust = customer(org)
    currency = cust.currency if cust else ((org.currencies or ("XOF",))[0])
    overdue = sum(open_invoices(org).values_list("amount_due", flat=True))
    return {
        "organization": org,
        "subscription": subscription(org),
        "payment_method": cust,
        "credits": credits_balance(org),
        "amount_overdue": overdue,
        "currency": currency,
    }


def usage_summary(org) -> dict:
    sub = subscription(org)
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
        "subscription": _subscriptions().get(pk=change.subscription_id),
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
    from .services import metering

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
    from .services import pricing
    from .services.invoices import tax_of, tva_rate

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
    from .services import quantities

    read = quantities.read_quantities([sub.customer.organization_id], names).get(
        sub.customer.organization_id, {}
    )
    return {name: int(read.get(name, (sub.quantities or {}).get(name, 0))) for name in names}


def recurring_total(version: PlanVersion, sub: Subscription, start: date, end: date) -> int:
    """What `version`'s recurring fees come to for one full period (before tax), at the
    quantities read at the period start: the basis of a change's proration (the same as
    services/subscriptions.py's)."""
    from .services import pricing

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
    from .services import subscriptions

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
