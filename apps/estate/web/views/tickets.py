"""The maintenance tickets board."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError

from ... import selectors, services
from ...models import Ticket
from .. import forms as f
from .common import _error, page

BOARD = [Ticket.Status.OPEN, Ticket.Status.ASSIGNED, Ticket.Status.IN_PROGRESS, Ticket.Status.RESOLVED]


@page
@require_http_methods(["GET", "POST"])
def ticket_board(request):
    props = list(selectors.properties_for(request.user).order_by("name"))
    form = f.TicketForm(request.POST or None, request.FILES or None)
    form.fields["property"].choices = [(str(p.public_id), p.name) for p in props]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            prop = selectors.property_get(request.user, data["property"])
            services.ticket_open(
                actor=request.user,
                property=prop,
                title=data["title"],
                description=data["description"],
                priority=data["priority"],
                photos=[data["photo"]] if data.get("photo") else [],
            )
            messages.success(request, _("Ticket opened."))
            return redirect("manager:estate-tickets")
        except DomainError as exc:
            _error(form, exc)
    tickets = list(
        selectors.tickets_for(request.user).filter(status__in=BOARD).order_by("-priority", "created_at")[:400]
    )
    columns = [
        (status, Ticket.Status(status).label, [t for t in tickets if t.status == status]) for status in BOARD
    ]
    return render(request, "estate/tickets.html", {"columns": columns, "form": form})


@page
@require_http_methods(["GET", "POST"])
def ticket_detail(request, ticket_id):
    ticket = selectors.ticket_get(request.user, ticket_id)
    form = f.TicketUpdateForm(
        request.POST or None,
        initial={
            "status": ticket.status,
            "vendor_name": ticket.vendor_name,
            "vendor_phone": ticket.vendor_phone,
            "cost": ticket.cost,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            ticket = services.ticket_update(actor=request.user, ticket=ticket, **data)
            messages.success(request, _("Ticket updated."))
            if request.headers.get("HX-Request"):
                return render(request, "estate/_ticket_card.html", {"t": ticket})
            return redirect("manager:estate-tickets")
        except DomainError as exc:
            _error(form, exc)
    return render(
        request,
        "estate/ticket_detail.html",
        {"ticket": ticket, "form": form, "photos": list(ticket.photos.all())},
    )
