"""Properties, units, announcements and mandates."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.identity import api as identity

from ... import selectors, services
from ...contracts import LeaseStatus
from ...models import Lease
from .. import forms as f
from .common import _error, _lang, _orgs, page


@page
@require_GET
def property_list(request):
    q = (request.GET.get("q") or "").strip()
    qs = selectors.properties_for(request.user).prefetch_related("units").order_by("name")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(neighbourhood__icontains=q) | Q(city__icontains=q))
    rows = []
    for prop in qs[:300]:
        units = list(prop.units.all())
        rows.append((prop, len(units), sum(1 for u in units if u.status == "occupied")))
    return render(request, "estate/property_list.html", {"rows": rows, "q": q})


def _owner_choices(request, orgs):
    ids = [i for i, _n in orgs]
    mandates = selectors.mandates_for(request.user).filter(agency_id__in=ids, end_date__isnull=True)
    choices = [("", _("the organization itself"))]
    seen = set()
    for mandate in mandates:
        if mandate.owner_id not in seen:
            seen.add(mandate.owner_id)
            choices.append((str(mandate.owner_id), mandate.owner.name))
    return choices


@page
@require_http_methods(["GET", "POST"])
def property_new(request):
    orgs = _orgs(request, identity.MANAGE_ROLES)
    if not orgs:
        raise Http404
    form = f.PropertyForm(request.POST or None, request.FILES or None)
    form.set_orgs(orgs)
    form.fields["owner"].choices = _owner_choices(request, orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            prop = services.property_create(
                actor=request.user,
                organization_id=int(data["organization"]),
                owner_id=int(data["owner"]) if data["owner"] else None,
                name=data["name"],
                city=data["city"],
                address=data["address"],
                neighbourhood=data["neighbourhood"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                description=data["description"],
            )
            if data.get("photo"):
                services.property_photo_add(actor=request.user, property=prop, image=data["photo"])
            messages.success(request, _("Property created."))
            return redirect("manager:estate-property", prop.public_id)
        except DomainError as exc:
            _error(form, exc)
    return render(request, "estate/form.html", {"form": form, "title": _("New property"), "multipart": True})


@page
@require_GET
def property_detail(request, property_id):
    prop = selectors.property_get(request.user, property_id)
    units = list(prop.units.order_by("label"))
    leases = list(
        Lease.objects.filter(unit__property=prop, status=LeaseStatus.ACTIVE)
        .select_related("unit")
        .prefetch_related("lease_tenants__user")
    )
    by_unit = {lease.unit_id: lease for lease in leases}
    return render(
        request,
        "estate/property_detail.html",
        {
            "prop": prop,
            "units": [
                (u, by_unit.get(u.pk), format_amount(u.market_rent, u.currency, _lang(request)))
                for u in units
            ],
            "photos": list(prop.photos.all()[:6]),
            "tickets": list(
                prop.tickets.exclude(status__in=["closed", "canceled"]).order_by("-created_at")[:10]
            ),
            "announce_form": f.AnnouncementForm(),
        },
    )


@page
@require_http_methods(["GET", "POST"])
def unit_new(request, property_id):
    prop = selectors.property_get(request.user, property_id)
    form = f.UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            unit = services.unit_create(actor=request.user, property=prop, **data)
            messages.success(request, _("Unit %(label)s created.") % {"label": unit.label})
            return redirect("manager:estate-property", prop.public_id)
        except DomainError as exc:
            _error(form, exc)
    return render(
        request, "estate/form.html", {"form": form, "title": _("New unit in %(name)s") % {"name": prop.name}}
    )


@page
@require_POST
def announce(request, property_id):
    prop = selectors.property_get(request.user, property_id)
    form = f.AnnouncementForm(request.POST)
    if form.is_valid():
        try:
            sent = services.announcement_send(actor=request.user, property=prop, **form.cleaned_data)
            messages.success(request, _("Announcement sent to %(n)s tenant(s).") % {"n": sent.recipients})
        except DomainError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("Write a title and a message."))
    return redirect("manager:estate-property", prop.public_id)


@page
@require_http_methods(["GET", "POST"])
def mandates(request):
    orgs = _orgs(request, identity.MANAGE_ROLES)
    form = f.MandateForm(request.POST or None)
    form.set_orgs(orgs)
    form.fields["owner"].choices = [(str(i), n) for i, n in _owner_orgs(request)]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.mandate_create(
                actor=request.user,
                agency_id=int(data["organization"]),
                owner_id=int(data["owner"]),
                commission_bps=int(data["commission_percent"] * 100),
                start_date=data["start_date"],
                end_date=data["end_date"],
                payout_frequency=data["payout_frequency"],
            )
            messages.success(request, _("Mandate created."))
            return redirect("manager:estate-mandates")
        except DomainError as exc:
            _error(form, exc)
    rows = selectors.mandates_for(request.user).order_by("owner__name")
    return render(request, "estate/mandates.html", {"rows": rows, "form": form})


def _owner_orgs(request) -> list[tuple[int, str]]:
    """Owner organizations the user belongs to: an owner invites its agency's manager into
    its organization (identity), then the agency can sign the mandate. Never a list of
    every owner on Hokwe."""
    found = []
    for membership in identity.memberships_of(request.user):
        org = identity.get_organization(id=membership.organization_id)
        if org.kind == "owner":
            found.append((org.id, org.name))
    return sorted(found, key=lambda item: item[1])
