"""Estate's answers to the agency's global search (apps/core/web/search.py): tenants by name
or phone (written the local way), units by label or property name, leases by reference,
rent receipts (quittances) by number — only in the user's organizations, one bounded query
per kind."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.templatetags.phones import phone_filter
from apps.core.web.search import Result, phone_variants

from . import selectors
from .models import Lease, LeaseTenant, Quittance, Unit


def _tenants(orgs, q: str, limit: int) -> list[Result]:
    match = Q(user__full_name__icontains=q)
    for digits in phone_variants(q):
        match |= Q(user__phone__contains=digits)
    rows = (
        LeaseTenant.objects.filter(match, lease__organization_id__in=orgs)
        .select_related("user", "lease__unit__property")
        .order_by("user__full_name", "-lease__start_date", "id")[: limit * 3]
    )
    results, seen = [], set()
    for row in rows:  # one line per tenant: their latest lease
        if row.user_id in seen:
            continue
        seen.add(row.user_id)
        lease = row.lease
        where = f"{lease.unit.property.name} · {lease.unit.label} · {lease.reference}"
        results.append(
            Result(
                kind="tenant",
                kind_label=_("Tenant"),
                title=row.user.full_name or phone_filter(row.user.phone),
                detail=f"{phone_filter(row.user.phone)} · {where}",
                url=reverse("manager:estate-lease", args=[lease.public_id]),
            )
        )
    return results[:limit]


def _units(orgs, q: str, limit: int) -> list[Result]:
    rows = (
        Unit.objects.filter(Q(label__icontains=q) | Q(property__name__icontains=q), organization_id__in=orgs)
        .select_related("property")
        .order_by("property__name", "label")[:limit]
    )
    return [
        Result(
            kind="unit",
            kind_label=_("Unit"),
            title=f"{unit.property.name} · {unit.label}",
            detail=unit.get_status_display(),
            url=reverse("manager:estate-property", args=[unit.property.public_id]),
        )
        for unit in rows
    ]


def _leases(orgs, q: str, limit: int) -> list[Result]:
    rows = (
        Lease.objects.filter(reference__icontains=q, organization_id__in=orgs)
        .select_related("unit__property")
        .order_by("-start_date", "id")[:limit]
    )
    return [
        Result(
            kind="lease",
            kind_label=_("Lease"),
            title=lease.reference,
            detail=f"{lease.unit.property.name} · {lease.unit.label} · {lease.get_status_display()}",
            url=reverse("manager:estate-lease", args=[lease.public_id]),
        )
        for lease in rows
    ]


def _receipts(orgs, q: str, limit: int) -> list[Result]:
    rows = (
        Quittance.objects.filter(Q(number__icontains=q) | Q(code__iexact=q), organization_id__in=orgs)
        .select_related("due__lease__unit__property")
        .order_by("-issued_at", "-id")[:limit]
    )
    return [
        Result(
            kind="receipt",
            kind_label=_("Rent receipt"),
            title=quittance.number,
            detail=f"{quittance.due.lease.unit.property.name} · {quittance.due.lease.reference}",
            url=reverse("manager:estate-receipt-pdf", args=[quittance.public_id]),
        )
        for quittance in rows
    ]


def search(user, q: str, limit: int) -> list[Result]:
    orgs = selectors.managed_ids(user)
    if not orgs:
        return []
    found = []
    for kind in (_tenants, _leases, _receipts, _units):
        found += kind(orgs, q, limit - len(found))
        if len(found) >= limit:
            break
    return found[:limit]
