"""Owner statements (read on GET, prepared and closed on POST) and the owner portal."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.errors import DomainError
from apps.core.money import format_amount

from ... import documents, domain, selectors, services
from .. import forms as f
from .common import _error, _lang, _orgs, _pdf, page


@page
@require_http_methods(["GET", "POST"])
def statement_list(request):
    orgs = dict(_orgs(request))
    period = request.GET.get("period") or domain.add_months(
        domain.month_start(timezone.localdate()), -1
    ).strftime("%Y-%m")
    try:
        month = date.fromisoformat(period + "-01")
    except ValueError:
        month = domain.month_start(timezone.localdate())
    pairs = [
        (org_id, owner_id)
        for org_id, owner_id in selectors.properties_for(request.user)
        .values_list("organization_id", "owner_id")
        .distinct()
        .order_by("organization_id", "owner_id")
        if org_id in orgs
    ]
    if request.method == "POST" and request.POST.get("action") == "prepare":
        # the drafts are written here, on a POST (reading the page writes nothing)
        for org_id, owner_id in pairs:
            services.statement_get_or_refresh(
                actor=request.user, organization_id=org_id, owner_id=owner_id, period=month
            )
        messages.success(request, _("Statements prepared."))
        return redirect(f"{reverse('manager:estate-statements')}?period={period}")
    statements = selectors.statement_previews(request.user, pairs=pairs, period=month)
    expense_form = f.ExpenseForm(request.POST or None)
    props = list(selectors.properties_for(request.user).order_by("name"))
    expense_form.fields["property"].choices = [(str(p.public_id), p.name) for p in props]
    if request.method == "POST" and expense_form.is_valid():
        data = expense_form.cleaned_data
        try:
            services.expense_create(
                actor=request.user,
                property=selectors.property_get(request.user, data["property"]),
                label=data["label"],
                amount=data["amount"],
                incurred_on=data["incurred_on"],
            )
            messages.success(request, _("Expense recorded."))
            return redirect(f"{reverse('manager:estate-statements')}?period={period}")
        except DomainError as exc:
            _error(expense_form, exc)
    lang = _lang(request)
    rows = [
        (
            s,
            format_amount(s.collected, s.currency, lang),
            format_amount(s.commission, s.currency, lang),
            format_amount(s.expenses, s.currency, lang),
            format_amount(s.net, s.currency, lang),
        )
        for s in statements
    ]
    return render(
        request,
        "estate/statements.html",
        {
            "rows": rows,
            "period": period,
            "label": services.period_label(month, _lang(request)),
            "expense_form": expense_form,
        },
    )


@page
@require_http_methods(["GET", "POST"])
def statement_detail(request, statement_id):
    statement = selectors.statement_get(request.user, statement_id)
    if request.method == "POST":
        try:
            services.statement_close(actor=request.user, statement=statement)
            messages.success(request, _("Statement closed: the net is on the owner's balance."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("manager:estate-statement", statement.public_id)
    return _pdf(
        documents.statement_pdf(selectors.statement_as_of_now(statement), language=_lang(request)),
        f"releve-{statement.period:%Y-%m}.pdf",
    )


@page
@require_GET
def owner_portal(request):
    if not selectors.owner_ids(request.user):
        raise Http404
    data = selectors.owner_overview(request.user)
    lang = _lang(request)
    m = lambda amount: format_amount(amount, data["currency"], lang)  # noqa: E731
    return render(
        request,
        "estate/owner_portal.html",
        {
            "d": data,
            "expected": m(data["expected"]),
            "collected": m(data["collected"]),
            "arrears": m(data["arrears"]),
            "expenses": [(e, format_amount(e.amount, e.currency, lang)) for e in data["expenses"]],
            "statements": [
                (s, services.period_label(s.period, lang), format_amount(s.net, s.currency, lang))
                for s in data["statements"]
            ],
        },
    )
