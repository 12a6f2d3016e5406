"""Manager pages (/manager/payments/): payments of my organizations, new pay link, payouts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from apps.core.errors import DomainError
from apps.identity import api as identity

from .. import api, selectors, services
from .forms import PayLinkForm
from .public import qr_svg


@login_required
def intent_list(request):
    status = request.GET.get("status", "")
    qs = selectors.intents_visible_to(request.user).order_by("-created_at")
    if status:
        qs = qs.filter(status=status)
    return render(request, "payments/manager_list.html", {"intents": qs[:100], "status": status})


@login_required
def intent_new(request):
    ids = identity.organization_ids_of(request.user, roles=identity.FINANCE_ROLES | identity.COLLECT_ROLES)
    organizations = [identity.get_organization(id=i) for i in sorted(ids)]
    if not organizations:
        raise Http404
    form = PayLinkForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = next(o for o in organizations if str(o.public_id) == data["organization"])
        try:
            intent = services.intent_create(
                organization_id=org.id,
                amount=data["amount"],
                currency=services.currency_for(org, None),
                purpose_type="payments.PayLink",
                description=data["description"],
                payer_phone=data["payer_phone"],
                payer_name=data["payer_name"],
                created_by=request.user,
            )
            return redirect("manager:payments-detail", intent_id=intent.public_id)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    return render(request, "payments/manager_new.html", {"form": form})


@login_required
def intent_detail(request, intent_id):
    try:
        intent = selectors.intent_visible_to(request.user, intent_id)
    except DomainError:
        raise Http404 from None
    url = api.pay_url(intent)
    link = url if url.startswith("http") else request.build_absolute_uri(url)
    return render(
        request,
        "payments/manager_detail.html",
        {
            "intent": intent,
            "pay_link": link,
            "qr": qr_svg(link),
            "attempts": intent.attempts.order_by("created_at"),
            "refunds": intent.refunds.order_by("created_at"),
            "receipt_url": api.receipt_url(intent),
        },
    )


@login_required
def payout_list(request):
    payouts = selectors.payouts_visible_to(request.user).order_by("-created_at")[:100]
    accounts = selectors.payout_accounts_visible_to(request.user)
    return render(
        request,
        "payments/manager_payouts.html",
        {"payouts": payouts, "accounts": accounts},
    )
