"""The collector's field pages (/recover/field/…), made for a phone: today's worklist (best
first, nearest first when the browser gives its position) and a case card to record a visit
with its GPS fix, a call, or cash received.

Each form carries an idempotency key drawn when the form is rendered: a double tap or a
retry on a bad network is counted once (the services replay the first write)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import DomainError

from .. import selectors, services
from ..contracts import CaseStatus
from ..models import CASE_STATUS_LABELS
from . import forms as f
from .common import event_labels, form_error, page

# The field pages ask for the position: allow geolocation for this origin only (the site
# default refuses it everywhere).
GEO_POLICY = "camera=(), microphone=(), geolocation=(self), payment=(self), usb=()"


def _geo(response):
    response["Permissions-Policy"] = GEO_POLICY
    return response


def _coord(value: str) -> str | None:
    value = (value or "").strip()
    try:
        float(value)
    except ValueError:
        return None
    return value


@page
@require_GET
def worklist(request):
    if not selectors.collector_org_ids(request.user) and not selectors.managed_org_ids(request.user):
        raise Http404
    lat, lon = _coord(request.GET.get("lat", "")), _coord(request.GET.get("lon", ""))
    try:
        items = services.worklist(actor=request.user, latitude=lat, longitude=lon)
    except DomainError:  # a position out of range: the list without it
        items = services.worklist(actor=request.user)
        lat = lon = None
    today = timezone.localdate()
    rows = [
        {
            "item": item,
            "days": (today - item.case.oldest_due_date).days if item.case.oldest_due_date else 0,
            "km": round(item.distance_m / 1000, 1) if item.distance_m is not None else None,
        }
        for item in items
    ]
    return _geo(render(request, "recovery/field/worklist.html", {"rows": rows, "located": lat is not None}))


def _forms(bound: dict | None = None) -> dict:
    bound = bound or {}
    return {
        "visit": bound.get("visit") or f.VisitForm(initial={"idempotency_key": f.new_key()}),
        "call": bound.get("call") or f.CallForm(initial={"idempotency_key": f.new_key()}),
        "cash": bound.get("cash") or f.CashForm(initial={"idempotency_key": f.new_key()}),
    }


def _card(request, case, bound=None):
    tasks = list(case.tasks.filter(status="open").order_by("due_on"))
    timeline = list(selectors.timeline(case)[:15])
    labels = event_labels()
    return _geo(
        render(
            request,
            "recovery/field/case.html",
            {
                "case": case,
                "status_label": CASE_STATUS_LABELS.get(CaseStatus(case.status), case.status),
                "tasks": tasks,
                "timeline": [(e, labels.get(e.kind, e.kind)) for e in timeline],
                "closed": case.status == CaseStatus.CLOSED,
                **_forms(bound),
            },
        )
    )


@page
@require_GET
def case_card(request, case_id):
    return _card(request, selectors.case_for(request.user, case_id))


@page
@require_POST
def case_action(request, case_id, action: str):
    case = selectors.case_for(request.user, case_id)
    form_class = {"visit": f.VisitForm, "call": f.CallForm, "cash": f.CashForm}.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "visit":
                if data.get("latitude") is None or data.get("longitude") is None:
                    form.add_error(
                        None, _("Your position is needed to record a visit: allow location and retry.")
                    )
                    raise _Invalid
                services.visit_record(
                    actor=request.user,
                    case=case,
                    outcome=data["outcome"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    accuracy_m=data.get("accuracy_m"),
                    note=data.get("note") or "",
                    idempotency_key=data["idempotency_key"],
                )
                done = _("Visit recorded.")
            elif action == "call":
                services.call_record(
                    actor=request.user,
                    case=case,
                    outcome=data["outcome"],
                    note=data.get("note") or "",
                    idempotency_key=data["idempotency_key"],
                )
                done = _("Call recorded.")
            else:
                collection = services.cash_collect(
                    actor=request.user,
                    case=case,
                    amount=data["amount"],
                    latitude=data.get("latitude"),
                    longitude=data.get("longitude"),
                    idempotency_key=data["idempotency_key"],
                )
                done = _("Cash recorded: receipt %(number)s sent to the tenant.") % {
                    "number": collection.receipt_number
                }
        except _Invalid:
            pass
        except DomainError as exc:
            if getattr(exc, "status", 400) == 404:
                raise Http404 from None
            form_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("recovery:field-case", case_id=case.public_id)
    case.refresh_from_db()
    return _card(request, case, {action: form})


class _Invalid(Exception):
    pass
