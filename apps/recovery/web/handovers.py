"""The collectors' end-of-day cash hand-overs, counted by a manager against the ledger."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.identity.contracts import OrgRole

from .. import selectors, services
from ..contracts import HandoverStatus
from . import forms as f
from .common import form_error, org_people, page, report_org


@page
@require_http_methods(["GET", "POST"])
def handovers(request):
    org_id = report_org(request)
    collectors = org_people(org_id, [OrgRole.COLLECTOR])
    chosen = request.POST.get("collector") or request.GET.get("collector") or ""
    preview = form = None
    if chosen:
        if request.method == "POST":
            form = f.HandoverForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    handover = services.handover_create(
                        actor=request.user,
                        organization_id=org_id,
                        collector=data["collector"],
                        declared=data["declared"],
                        idempotency_key=data["idempotency_key"],
                        note=data["note"],
                    )
                except DomainError as exc:
                    if getattr(exc, "status", 400) == 404:
                        raise Http404 from None
                    form_error(form, exc)
                else:
                    messages.success(
                        request,
                        _("Handover recorded: %(amount)s.")
                        % {"amount": format_amount(handover.declared, handover.currency)},
                    )
                    return redirect(reverse("manager:recovery-handovers"))
        try:
            preview = services.handover_preview(actor=request.user, organization_id=org_id, collector=chosen)
        except (DomainError, ValueError):
            raise Http404 from None
        if form is None:
            form = f.HandoverForm(
                initial={
                    "collector": chosen,
                    "declared": preview["ledger_balance"] or None,
                    "idempotency_key": f.new_key(),
                }
            )
        preview = {
            **preview,
            "name": next((c.full_name for c in collectors if str(c.public_id) == str(chosen)), ""),
        }
    status = request.GET.get("status") or ""
    if status not in HandoverStatus.__members__.values():
        status = ""
    past_qs = selectors.handovers_for(request.user)
    if status:
        past_qs = past_qs.filter(status=status)
    labels = handover_status_labels()
    past = [(h, labels.get(h.status, h.status)) for h in past_qs[:50]]
    return render(
        request,
        "recovery/handovers.html",
        {
            "collectors": collectors,
            "chosen": chosen,
            "preview": preview,
            "form": form,
            "past": past,
            "status": status,
            "statuses": list(labels.items()),
        },
    )


def handover_status_labels() -> dict[str, str]:
    """A hand-over's status as a person reads it (the model's choices carry the raw value)."""
    return {
        HandoverStatus.BALANCED.value: _("balanced"),
        HandoverStatus.SHORT.value: _("cash short"),
        HandoverStatus.OVER.value: _("cash over"),
    }
