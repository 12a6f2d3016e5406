"""The reports' manager pages (/manager/analytics/reports/…): the list, one page per report
(filters, chart, table, exports) and the scheduled reports' subscriptions. Thin: the
organization, its permission and every figure come from services/reports.py."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.core.dbrouter import replica_reads
from apps.core.errors import DomainError
from apps.core.web.pages import signed_in_page
from apps.identity import api as identity

from ..errors import InvalidReportFilter
from ..models import ReportSubscription
from ..rules import REPORT_ROLES
from ..services import exports
from ..services import subscriptions as subs
from ..services.reports import (
    REPORT_KEYS,
    build,
    chart_svg,
    default_period,
    filter_choices,
    parse_filters,
    report_organization,
    report_organizations,
    report_titles,
    run,
)

PAGE_ROWS = 200  # the page shows this many rows; the exports hold them all


def _login_url(request) -> str:
    return f"{reverse('manager:login')}?{urlencode({'next': request.get_full_path()})}"


def _not_found(request):
    raise Http404


def page(methods=("GET",)):
    """Signed-in users only (else the manager's login with `next`); NotFound (another
    organization, an unknown report) is the 404; another method a 405."""
    return signed_in_page(methods, login_url=_login_url, not_found=_not_found)


def _lang(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "fr") or "fr"


def _descriptions() -> dict[str, str]:
    return {
        "rent-roll": _("Each lease in force: unit, tenant, rent, charges, deposit, balance, paid up to."),
        "delinquency": _("Rent past due, lease by lease, by age of the debt."),
        "income": _("Rent collected, commission, expenses and net, per property and owner."),
        "occupancy": _("Days let and vacant, the occupancy rate, leases signed and ended."),
        "payment-methods": _("Rent collected by payment method, providers' success rates."),
        "collectors": _("Cases, amounts recovered and activity, per collector."),
        "cash-flow": _("Rent in, payouts to owners out, the net, month by month."),
    }


@page()
def report_index(request):
    org = report_organization(request.user, request.GET.get("org"))
    titles, descriptions = report_titles(), _descriptions()
    query = urlencode({"org": str(org.public_id)}) if len(report_organizations(request.user)) > 1 else ""
    return render(
        request,
        "analytics/reports/index.html",
        {
            "org": org,
            "reports": [(k, titles[k], descriptions[k]) for k in REPORT_KEYS],
            "query": query,
            "can_subscribe": identity.can(request.user, "analytics.subscription.manage", org.id),
        },
    )


def _filters(request, org, key):
    """The filters of the query string; a bad value is shown and the default used instead."""
    data = request.GET.copy()
    try:
        return parse_filters(data, organization=org.public_id), None
    except InvalidReportFilter as exc:
        data.pop(exc.field or "", None)
        if exc.field == "end":
            data.pop("start", None)
        return parse_filters(data, organization=org.public_id), exc


@page()
def report(request, key):
    if key not in REPORT_KEYS:
        raise Http404
    lang = _lang(request)
    org = report_organization(request.user, request.GET.get("org"))
    filters, error = _filters(request, org, key)
    with replica_reads():  # the figures on the replica when there is one (apps/core/dbrouter.py)
        result = run(build(key, filters, language=lang), limit=PAGE_ROWS, organization=org.public_id)
    columns = [c for c in result.report.columns if c.screen]
    properties, owners = filter_choices(filters)
    organizations = report_organizations(request.user)
    query = urlencode(filters.query())
    return render(
        request,
        "analytics/reports/report.html",
        {
            "key": key,
            "org": org,
            "organizations": organizations if len(organizations) > 1 else [],
            "filters": filters,
            "error": error,
            "properties": properties,
            "owners": owners,
            "report": result.report,
            "result": result,
            "columns": columns,
            "rows": [
                {
                    "cells": [
                        (exports.display_value(c, row, lang), c.kind in ("money", "int", "percent"))
                        for c in columns
                    ],
                    "subtotal": row.get("_subtotal"),
                }
                for row in result.rows
            ],
            "totals": [[exports.display_value(c, t, lang) for c in columns] for t in result.totals],
            "chart": mark_safe(chart_svg(result.chart, language=lang)),  # noqa: S308 -- escaped by chart.py
            "query": query,
            "exports": [
                (fmt.upper(), f"{reverse('manager:analytics-report-export', args=[key, fmt])}?{query}")
                for fmt in ("csv", "xlsx", "pdf")
            ],
            "page_rows": PAGE_ROWS,
            "default_start": default_period()[0],
        },
    )


@page()
def report_export(request, key, fmt):
    if key not in REPORT_KEYS or fmt not in ("csv", "xlsx", "pdf"):
        raise Http404
    lang = _lang(request)
    org = report_organization(request.user, request.GET.get("org"))
    filters, _error = _filters(request, org, key)
    report_ = build(key, filters, language=lang)
    if fmt == "csv":
        return exports.csv_response(report_, filters, language=lang)
    if fmt == "xlsx":
        return exports.xlsx_response(report_, filters, language=lang)
    return exports.pdf_response(report_, filters, organization_name=org.name, language=lang)


@page(("GET", "POST"))
def subscriptions(request):
    org = report_organization(request.user, request.GET.get("org") or request.POST.get("org"))
    current = subs.subscriptions_of(actor=request.user, organization_id=org.id)  # NotFound unless a manager
    if request.method == "POST":
        try:
            subs.subscription_create(
                actor=request.user,
                organization_id=org.id,
                user=request.POST.get("user") or "",
                report=request.POST.get("report") or "",
                frequency=request.POST.get("frequency") or "",
                filters={"property": request.POST.get("property") or ""},
            )
            messages.success(request, _("Subscription saved."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect(
            f"{reverse('manager:analytics-subscriptions')}?{urlencode({'org': str(org.public_id)})}"
        )
    titles = report_titles()
    frequencies = dict(ReportSubscription.Frequency.choices)
    filters = parse_filters({}, organization=org.public_id)
    properties, _owners = filter_choices(filters)
    names = dict(properties)
    return render(
        request,
        "analytics/subscriptions.html",
        {
            "org": org,
            "rows": [
                {
                    "id": s.public_id,
                    "member": s.user.full_name or s.user.email or str(s.user.phone),
                    "email": s.user.email,
                    "report": titles.get(s.report, s.report),
                    "frequency": frequencies.get(s.frequency, s.frequency),
                    "property": names.get((s.filters or {}).get("property", ""), ""),
                    "last": s.last_period,
                }
                for s in current
            ],
            "members": [
                (str(u.public_id), u.full_name or u.phone or "")
                for u in identity.members_of(organization_id=org.id, roles=REPORT_ROLES)
            ],
            "reports": [(k, titles[k]) for k in REPORT_KEYS],
            "frequencies": list(ReportSubscription.Frequency.choices),
            "properties": properties,
        },
    )


@page(("POST",))
def subscription_cancel(request, subscription_id):
    org = report_organization(request.user, request.POST.get("org") or request.GET.get("org"))
    subs.subscription_cancel(actor=request.user, organization_id=org.id, subscription=subscription_id)
    messages.success(request, _("Unsubscribed."))
    return redirect(f"{reverse('manager:analytics-subscriptions')}?{urlencode({'org': str(org.public_id)})}")
