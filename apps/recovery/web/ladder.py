"""The dunning ladder editor and the organization's days off."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.errors import DomainError, NotFound

from .. import selectors, services
from ..contracts import StepAction
from ..daysoff import days_off
from . import forms as f
from .common import form_error, page, report_org


def _managed_org(request) -> int:
    org_id = report_org(request)
    if org_id not in selectors.managed_org_ids(request.user):
        raise NotFound()
    return org_id


BLANK_STEP = {"action": StepAction.SMS.value, "pay_within_days": 8, "min_amount": 0}


@page
@require_http_methods(["GET", "POST"])
def ladder(request):
    org_id = _managed_org(request)
    current = selectors.ladder_for(request.user, org_id)
    steps = list(current.steps.filter(is_active=True).order_by("day_offset", "id")) if current else []
    if request.method == "POST":
        form = f.LadderForm(request.POST)
        # The blank rows offered to add a step come with a preselected action and defaults:
        # left untouched they are not a step (not a "day required" error on the whole page).
        formset = f.StepFormSet(request.POST, prefix="steps", form_kwargs={"initial": BLANK_STEP})
        if form.is_valid() and formset.is_valid():
            rows = [
                services.StepInput(
                    day_offset=s["day_offset"],
                    action=s["action"],
                    label=s.get("label") or "",
                    pay_within_days=s.get("pay_within_days") or 8,
                    min_amount=s.get("min_amount") or 0,
                )
                for s in formset.cleaned_data
                if s and not s.get("DELETE")
            ]
            data = form.cleaned_data
            try:
                services.ladder_save(
                    actor=request.user,
                    organization_id=org_id,
                    steps=rows,
                    name=data["name"],
                    quiet_start=data["quiet_start"],
                    quiet_end=data["quiet_end"],
                    skip_sundays=data["skip_sundays"],
                    skip_holidays=data["skip_holidays"],
                    country=data["country"].upper(),
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Ladder saved."))
                return redirect("manager:recovery-ladder")
    else:
        form, formset = _blank_forms(current, steps)
    return _render_ladder(request, org_id, current, form, formset, f.HolidayForm())


def _blank_forms(current, steps=None):
    """The settings form and the steps of the current ladder (the default ones when the
    organization has none yet), plus blank rows to add a step."""
    if steps is None:
        steps = list(current.steps.filter(is_active=True).order_by("day_offset", "id")) if current else []
    initial = (
        {
            "name": current.name,
            "country": current.country,
            "quiet_start": current.quiet_start,
            "quiet_end": current.quiet_end,
            "skip_sundays": current.skip_sundays,
            "skip_holidays": current.skip_holidays,
        }
        if current
        else {
            "name": _("Standard ladder"),
            "country": "BJ",
            "quiet_start": "20:00",
            "quiet_end": "08:00",
            "skip_sundays": True,
            "skip_holidays": True,
        }
    )
    formset = f.StepFormSet(
        prefix="steps",
        initial=[
            {
                "day_offset": s.day_offset,
                "action": s.action,
                "label": s.label,
                "pay_within_days": s.pay_within_days,
                "min_amount": s.min_amount,
            }
            for s in steps
        ]
        or [
            {"day_offset": d, "action": a, "label": label, "pay_within_days": 8, "min_amount": 0}
            for d, a, label in services.ladder.DEFAULT_STEPS
        ],
    )
    return f.LadderForm(initial=initial), formset


def _render_ladder(request, org_id, current, form, formset, holiday_form, status=200):
    country = current.country if current else "BJ"
    today = timezone.localdate()
    holidays = days_off(
        country=country,
        start=today - timedelta(days=31),
        end=today + timedelta(days=366),
        organization_id=org_id,
    )[:100]
    return render(
        request,
        "recovery/ladder.html",
        {
            "ladder": current,
            "form": form,
            "formset": formset,
            "holiday_form": holiday_form,
            "holidays": holidays,
        },
        status=status,
    )


@page
@require_POST
def holiday_new(request):
    org_id = _managed_org(request)
    form = f.HolidayForm(request.POST)
    if form.is_valid():
        try:
            services.holiday_add(
                actor=request.user,
                organization_id=org_id,
                on=form.cleaned_data["date"],
                name=form.cleaned_data["name"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Day off added."))
            return redirect("manager:recovery-ladder")
    current = selectors.ladder_for(request.user, org_id)
    ladder_form, formset = _blank_forms(current)  # the steps stay on the page beside the error
    return _render_ladder(request, org_id, current, ladder_form, formset, form)
