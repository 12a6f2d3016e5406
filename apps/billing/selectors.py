"""Reads, always scoped to what the actor may see (docs/billing.md, "The billing page").

An organization's billing is read by its finance roles (owner, manager, accountant:
`billing.account.view`) and changed by its owners and managers (`billing.account.manage`). Every read names
the organization (its public id) or takes the caller's only one; another organization's
subscription, invoice or credit note is a 404, never its data."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core.errors import Forbidden, NotFound
from apps.identity import api as identity
from apps.identity.contracts import OrganizationInfo

from .contracts import (
    InvoiceStatus,
    SubscriptionStatus,
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
