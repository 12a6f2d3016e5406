"""Public pages: no login. The pay token and the receipt code are the secrets.

No business refusal is ever a 404 here: an unknown token is, but a due already paid,
written off or taken back, a limit, a provider that does not answer… each gets a page that
says in French (English with the language switch) what happened and what to do next."""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError, NotFound
from apps.core.money import format_amount
from apps.core.privacy import mask_name

from .. import selectors, services
from ..contracts import OPEN_DUE_STATUSES, DueStatus
from ..errors import InvalidInput, NegativeAmount, NothingDue
from ..services import collections

# What to do next, per refusal code of payments / kyc (the refusal's own message is shown too).
NEXT_STEPS = {
    "kyc_limit_exceeded": _("Pay a part now and the rest later, or ask your agency for another way to pay."),
    "kyc_currency_not_covered": _("Ask your agency for another way to pay."),
    "provider_unavailable": _("The payment service is not answering. Try again in a few minutes."),
    "provider_not_available": _("The payment service is not answering. Try again in a few minutes."),
    "payment_not_payable": _("Open the link from your SMS again to get a new payment."),
}
DEFAULT_NEXT_STEP = _("Try again later, or contact your agency: nothing was charged.")


class PayChoiceForm(forms.Form):
    choice = forms.ChoiceField(
        choices=[
            (collections.PAY_BALANCE, _("The whole balance")),
            (collections.PAY_PART, _("A part")),
            (collections.PAY_AHEAD, _("Next month ahead")),
        ],
        widget=forms.RadioSelect,
        initial=collections.PAY_BALANCE,
    )
    amount = forms.IntegerField(label=_("Amount"), required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("choice") == collections.PAY_PART and not data.get("amount"):
            self.add_error("amount", _("Enter the amount you want to pay now."))
        return data


def _language(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "fr") or "fr"


def _pay_context(request, options, form) -> dict:
    language = _language(request)
    currency = options.currency
    receipts = collections.lease_receipts(options.lease, limit=6)
    rows = [{"q": q, "period": services.period_label(q.due.period, language)} for q in receipts]
    return {
        "o": options,
        "form": form,
        "lease": options.lease,
        "due": options.due,
        "due_settled": options.due.status not in OPEN_DUE_STATUSES,
        "balance": format_amount(options.balance, currency, language),
        "floor": format_amount(min(options.floor, options.balance), currency, language),
        "ahead_amount": format_amount(options.ahead_amount, currency, language),
        "ahead_rent": format_amount(options.ahead_rent, currency, language),
        "ahead_label": services.period_label(options.ahead_period, language) if options.ahead_period else "",
        "due_label": services.period_label(options.due.period, language),
        "receipts": rows,
        "due_receipt": next((q for q in receipts if q.due_id == options.due.pk), None),
        "last_receipt": rows[0] if rows else None,
    }


@require_http_methods(["GET", "POST"])
def pay_due(request, token: str):
    """The link in the avis d'échéance: the tenant chooses the whole balance, a part (from
    the agency's floor) or the next month ahead, then payments' pay page takes the money
    (mobile money, card, sandbox). A due already settled says so and links its receipt."""
    try:
        due = services.due_by_pay_token(token)
    except NotFound:
        return render(request, "estate/public/unknown_link.html", status=404)
    options = collections.pay_options(due)
    if request.method == "GET":
        form = PayChoiceForm(
            initial={"choice": collections.PAY_BALANCE if options.balance > 0 else collections.PAY_AHEAD}
        )
        return _render_options(request, options, form)
    form = PayChoiceForm(request.POST)
    if not form.is_valid():
        return _render_options(request, options, form, status=400)
    try:
        intent = collections.pay_link_intent(
            due=due, choice=form.cleaned_data["choice"], amount=form.cleaned_data.get("amount")
        )
    except (InvalidInput, NegativeAmount) as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        return _render_options(request, options, form, status=400)
    except NothingDue:
        return _render_options(request, collections.pay_options(due), PayChoiceForm(), status=409)
    except DomainError as exc:  # payments or kyc refused the payment: say so, never a 404
        return render(
            request,
            "estate/public/pay_refused.html",
            {
                "message": str(exc.message),
                "next_step": NEXT_STEPS.get(exc.code, DEFAULT_NEXT_STEP),
                "code": exc.code,
                "lease": options.lease,
                "pay_again": request.path,
            },
            status=exc.status if exc.status not in (400, 404) else 409,
        )
    return redirect(intent.pay_url)


def _render_options(request, options, form, status: int = 200):
    context = _pay_context(request, options, form)
    if options.due.status not in OPEN_DUE_STATUSES:  # settled: say so, link its receipt
        context["status_text"] = {
            DueStatus.PAID: _("This rent is already paid."),
            DueStatus.WRITTEN_OFF: _(
                "This rent was cancelled by your agency: there is nothing to pay on it."
            ),
        }.get(options.due.status, _("Nothing is due on this rent."))
    return render(request, "estate/public/pay.html", context, status=status)


@require_http_methods(["GET"])
def receipt_verify(request, code: str):
    """Is this rent receipt genuine? Amount, period, masked names; voided ones say so."""
    quittance = selectors.quittance_by_code(code)
    if quittance is None:
        return render(request, "estate/public/receipt.html", {"found": False, "code": code[:20]}, status=404)
    s = quittance.snapshot
    language = _language(request)
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
