"""The staff report (/manager/billing/staff/): MRR, ARR, churn over a month and the
subscriptions by plan and status (services/reports.py). Finance staff only (staff admins
always qualify): anyone else gets a 403."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from apps.identity import api as identity

from ..contracts import SubscriptionStatus
from ..models.subscriptions import STATUS_LABELS
from ..services import reports

REPORTS = "billing.report.view"


def _month(value: str | None) -> date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return (today.replace(day=1) - relativedelta(months=1)) if today.day < 28 else today.replace(day=1)


def report(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not identity.can(request.user, REPORTS):
        raise PermissionDenied
    month = _month(request.GET.get("month"))
    statuses = [(s.value, STATUS_LABELS[s]) for s in SubscriptionStatus]
    plans = reports.by_plan_and_status()
    return render(
        request,
        "billing/manager/staff.html",
        {
            "recurring": reports.mrr(),
            "churn": reports.churn(month=month),
            "month": month,
            "previous": (month - relativedelta(months=1)).strftime("%Y-%m"),
            "next": (month + relativedelta(months=1)).strftime("%Y-%m"),
            "statuses": statuses,
            "plans": [
                {"p": p, "cells": [(label, p.counts.get(code, 0)) for code, label in statuses]} for p in plans
            ],
        },
    )


report.hokwe_methods = ("GET",)
