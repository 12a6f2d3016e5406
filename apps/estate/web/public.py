"""Public pages: no login. The pay token and the receipt code are the secrets."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from apps.core.errors import DomainError
from apps.core.money import format_amount

from .. import selectors, services
from ..documents import mask_name


@require_GET
def pay_due(request, token: str):
    """The link in the avis d'échéance: a payment intent for what is still owed, then
    payments' pay page (mobile money, card, sandbox)."""
    try:
        due = services.due_by_pay_token(token)
        intent = services.due_intent(due)
    except DomainError as exc:
        if getattr(exc, "code", "") == "nothing_due":
            return render(request, "estate/public/nothing_due.html", status=200)
        raise Http404 from None
    return redirect(intent.pay_url)


@require_GET
def receipt_verify(request, code: str):
    """Is this rent receipt genuine? Amount, period, masked names; voided ones say so."""
    quittance = selectors.quittance_by_code(code)
    if quittance is None:
        return render(request, "estate/public/receipt.html", {"found": False, "code": code[:20]}, status=404)
    s = quittance.snapshot
    language = getattr(request, "LANGUAGE_CODE", "fr")
    return render(
        request,
        "estate/public/receipt.html",
        {
            "found": True,
            "genuine": quittance.voided_at is None,
            "q": quittance,
            "s": s,
            "tenants": [mask_name(n) for n in s.get("tenants", [])],
            "amount": format_amount(s["total"], s["currency"], language),
            "period": services.period_label(quittance.due.period, language),
        },
    )
