"""The borrower's loan pages (/lending/…): « Mes prêts », a product with its simulator and
the application, a loan (the offer with its key facts, the schedule, the repayments),
accepting an offer (confirmation and the code received by SMS), withdrawing, repaying from
the wallet (confirmation), a mobile money pay link, the key facts PDF.

Every page needs a login (else the tenant login with `next`) and shows only the signed-in
borrower's loans: another's is this module's « not found » page; a refusal of a service
(DomainError) is said on the page, never a 500. The pages extend the tenant space
(estate/tenant/base.html) through lending/loans_base.html. The services are
services/borrower.py's (the same as REST and GraphQL)."""

from __future__ import annotations

import uuid
from functools import wraps

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError, NotFound
from apps.core.money import format_amount
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.identity import api as identity
from apps.wallet import api as wallet_api

from ..contracts import LoanStatus
from ..models import Instalment, Loan
from ..models.loan import STATUS_LABELS
from ..models.product import DESTINATION_LABELS, FREQUENCY_LABELS
from ..services import borrower
from ..services.acceptance import STEP_UP_ACTION as ACCEPT_ACTION
from .common import offer_facts

FLASH = "lending:flash"

# --- helpers -------------------------------------------------------------------------------------


def _lang(request) -> str:
    return (getattr(request, "LANGUAGE_CODE", "fr") or "fr")[:2]


def _login_url(request) -> str:
    return f"{reverse('estate:tenant-login')}?{urlencode({'next': request.get_full_path()})}"


def _money(amount: int, currency: str, request) -> str:
    return format_amount(amount, currency, _lang(request))


def _rate(bps: int, request=None) -> str:
    """Basis points as a percentage people read: 2450 → « 24,50 % » (French) or « 24.50 % »."""
    whole, cents = divmod(int(bps or 0), 100)
    sep = "." if request is not None and _lang(request) == "en" else ","
    return f"{whole}{sep}{cents:02d} %"


def flash(request, text: str) -> None:
    request.session[FLASH] = str(text)


def _pop_flash(request) -> str:
    return request.session.pop(FLASH, "")


def loans_page(methods=("GET",)):
    """Signed-in users only (else the tenant login with `next`); NotFound → the not-found page."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = HttpResponse(status=405)
                response["Allow"] = ", ".join(methods)
                return response
            if not request.user.is_authenticated:
                return redirect(_login_url(request))
            try:
                return view(request, *args, **kwargs)
            except DomainError as exc:  # another's loan, a product not offered: NotFound or a 404 of ours
                if not isinstance(exc, NotFound) and getattr(exc, "status", None) != 404:
                    raise
                return render(request, "lending/loans_not_found.html", {}, status=404)

        wrapper.hokwe_methods = tuple(methods)
        return wrapper

    return decorate


def _status_tone(status: str) -> str:
    if status in (LoanStatus.DECLINED, LoanStatus.EXPIRED, LoanStatus.WRITTEN_OFF):
        return "bad"
    if status in (LoanStatus.APPROVED, LoanStatus.ACTIVE, LoanStatus.CLOSED):
        return "good"
    return ""


def _loan_row(loan: Loan, request) -> dict:
    view = borrower.loan_view(loan, _lang(request))
    cur = loan.currency
    return {
        "loan": loan,
        "name": view["product_name"],
        "status": str(STATUS_LABELS.get(LoanStatus(loan.status), loan.status)),
        "tone": _status_tone(loan.status),
        "principal": _money(loan.principal, cur, request),
        "outstanding": _money(loan.outstanding, cur, request),
        "is_offer": loan.status == LoanStatus.APPROVED,
        "is_active": loan.status == LoanStatus.ACTIVE,
    }


def _product_card(product, request) -> dict:
    view = borrower.product_view(product, _lang(request))
    cur = product.currency
    return {
        "p": product,
        "name": view["name"],
        "summary": view["summary"],
        "range": _("%(low)s to %(high)s")
        % {"low": _money(product.min_amount, cur, request), "high": _money(product.max_amount, cur, request)},
        "terms": _("%(low)s to %(high)s instalments") % {"low": product.min_term, "high": product.max_term},
        "frequency": str(FREQUENCY_LABELS.get(product.frequency, product.frequency)),
        "destination": str(DESTINATION_LABELS.get(product.destination, product.destination)),
        "rate": _rate(product.annual_rate_bps, request),
    }


# --- « Mes prêts » -------------------------------------------------------------------------------


@loans_page()
def home(request):
    loans = list(borrower.loans_of(request.user)[:50])
    rows = [_loan_row(loan, request) for loan in loans]
    products = [_product_card(p, request) for p in borrower.products_for(request.user)]
    return render(
        request,
        "lending/loans_home.html",
        {
            "offers": [r for r in rows if r["is_offer"]],
            "current": [r for r in rows if not r["is_offer"] and r["loan"].status in borrower.CURRENT],
            "past": [r for r in rows if r["loan"].status not in borrower.CURRENT],
            "products": products,
            "flash": _pop_flash(request),
        },
    )


# --- a product: the simulator and the application ------------------------------------------------


class SimulateForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Amount"), min_value=1, max_value=10**12)
    term = forms.IntegerField(label=gettext_lazy("Number of instalments"), min_value=1, max_value=520)

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update(
            {"inputmode": "numeric", "min": product.min_amount, "max": product.max_amount, "step": 1}
        )
        self.fields["term"].widget.attrs.update({"min": product.min_term, "max": product.max_term})
        self.fields["amount"].help_text = _("From %(low)s to %(high)s") % {
            "low": format_amount(product.min_amount, product.currency),
            "high": format_amount(product.max_amount, product.currency),
        }
        self.fields["term"].help_text = _("From %(low)s to %(high)s") % {
            "low": product.min_term,
            "high": product.max_term,
        }


class ApplyForm(SimulateForm):
    purpose = forms.CharField(
        label=gettext_lazy("What the loan is for (optional)"), max_length=200, required=False
    )
    key = forms.CharField(widget=forms.HiddenInput)


def _simulation_view(sim: dict, request) -> dict:
    cur = sim["currency"]
    return {
        "amount": _money(sim["amount"], cur, request),
        "received": _money(sim["received"], cur, request),
        "upfront_fee": _money(sim["upfront_fee"], cur, request),
        "total_interest": _money(sim["total_interest"], cur, request),
        "total_fees": _money(sim["total_fees"], cur, request),
        "total_cost": _money(sim["total_cost"], cur, request),
        "total_repaid": _money(sim["total_repaid"], cur, request),
        "teg": _rate(sim["teg_bps"], request),
        "lines": [
            {
                "number": line["number"],
                "due_date": line["due_date"],
                "total": _money(line["total"], cur, request),
                "principal": _money(line["principal"], cur, request),
                "interest": _money(line["interest"] + line["fee"], cur, request),
            }
            for line in sim["lines"]
        ],
    }


@loans_page(methods=("GET", "POST"))
def product(request, product_id):
    prod = borrower.product_for(request.user, product_id)  # not offered: the not-found page
    card = _product_card(prod, request)
    errors: list[str] = []
    simulation = None
    initial = {"amount": prod.min_amount, "term": prod.min_term, "key": uuid.uuid4().hex}
    if request.method == "POST":
        form = ApplyForm(request.POST, product=prod)
        if form.is_valid():
            try:
                loan = borrower.apply_for(
                    actor=request.user,
                    product_id=prod.public_id,
                    amount=form.cleaned_data["amount"],
                    term=form.cleaned_data["term"],
                    purpose=form.cleaned_data.get("purpose") or "",
                    idempotency_key=f"web:{form.cleaned_data['key']}",
                )
            except DomainError as exc:
                errors.append(str(exc.message))
            else:
                return redirect("lending:loan", loan_id=loan.public_id)
    elif "amount" in request.GET:
        form = ApplyForm({**request.GET.dict(), "key": initial["key"]}, product=prod)
        if form.is_valid():
            try:
                simulation = _simulation_view(
                    borrower.simulate(
                        prod,
                        user=request.user,
                        amount=form.cleaned_data["amount"],
                        term=form.cleaned_data["term"],
                        language=_lang(request),
                    ),
                    request,
                )
            except DomainError as exc:
                errors.append(str(exc.message))
    else:
        form = ApplyForm(initial=initial, product=prod)
    return render(
        request,
        "lending/loans_product.html",
        {"card": card, "form": form, "simulation": simulation, "errors": errors},
        status=400 if (errors or form.errors) else 200,
    )


# --- a loan --------------------------------------------------------------------------------------


def _facts_view(facts: dict, request) -> dict | None:
    """The key facts statement (the lifecycle's dict) with its amounts as people read them."""
    if not facts:
        return None
    cur = facts.get("currency") or "XOF"
    lang = _lang(request)

    def m(key):
        return _money(int(facts.get(key) or 0), cur, request)

    late_bps, late_fixed = int(facts.get("late_fee_bps") or 0), int(facts.get("late_fee_fixed") or 0)
    late = []
    if late_bps:
        late.append(_("%(rate)s of the instalment") % {"rate": _rate(late_bps, request)})
    if late_fixed:
        late.append(_money(late_fixed, cur, request))
    disclosures = facts.get("disclosures") or {}
    notices = facts.get("notices") or {}
    return {
        "notices": (notices.get(lang) or notices.get("fr") or []) if isinstance(notices, dict) else [],
        "principal": m("principal"),
        "upfront_fee": m("upfront_fee"),
        "paid_out": m("paid_out"),
        "term": facts.get("term"),
        "frequency": str(FREQUENCY_LABELS.get(facts.get("frequency"), facts.get("frequency") or "")),
        "rate": _rate(facts.get("annual_rate_bps") or 0, request),
        "teg": _rate(facts.get("teg_bps") or 0, request),
        "total_interest": m("total_interest"),
        "total_fees": m("total_fees"),
        "total_cost": m("total_cost"),
        "total_repaid": m("total_repaid"),
        "late_fee": " + ".join(late) if late else _("none"),
        "prepayment": _("allowed, without penalty") if facts.get("prepayment_allowed") else _("not allowed"),
        "schedule": [
            {
                "number": line.get("number"),
                "due_date": _iso_date(line.get("due_date")),
                "total": _money(int(line.get("total") or 0), cur, request),
            }
            for line in facts.get("schedule") or []
        ],
        "disclosures": (disclosures.get(lang) or disclosures.get("fr") or "")
        if isinstance(disclosures, dict)
        else str(disclosures),
    }


def _iso_date(value):
    from datetime import date

    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


INSTALMENT_LABELS = dict(Instalment.Status.choices)


@loans_page()
def loan_detail(request, loan_id):
    loan = borrower.loan_of(request.user, loan_id, with_schedule=True)
    view = borrower.loan_view(loan, _lang(request), detail=True)
    cur = loan.currency
    schedule = [
        {
            "line": line,
            "status": str(INSTALMENT_LABELS.get(line.status, line.status)),
            "tone": "good" if line.status == Instalment.Status.PAID else "",
            "total": _money(line.total, cur, request),
            "owed": _money(line.owed, cur, request),
        }
        for line in view["schedule"]
    ]
    repayments = [
        {"r": r, "amount": _money(r.amount, cur, request), "channel": r.get_channel_display()}
        for r in view["repayments"]
    ]
    quote = borrower.prepayment_quote(loan) if loan.status == LoanStatus.ACTIVE else None
    due = borrower.due_now(loan) if loan.status == LoanStatus.ACTIVE else 0
    nxt = borrower.next_instalment(loan)
    context = {
        "loan": loan,
        "row": _loan_row(loan, request),
        "facts": _facts_view(view["key_facts"], request),
        "reasons": view["decision_reasons"],
        "schedule": schedule,
        "repayments": repayments,
        "due_now": _money(due, cur, request) if due else "",
        "next": nxt,
        "next_owed": _money(nxt.owed, cur, request) if nxt else "",
        "payoff": _money(quote.total, cur, request) if quote and quote.allowed else "",
        "can_withdraw": loan.status in borrower.WITHDRAWABLE,
        "flash": _pop_flash(request),
        "teg": _rate(loan.teg_bps, request),
        "rate": _rate(loan.annual_rate_bps, request),
    }
    return render(request, "lending/loans_detail.html", context)


def _step_up(request, *, loan: Loan):
    def send_code():
        challenge = identity.step_up_start(
            actor=request.user,
            action=ACCEPT_ACTION,
            target=str(loan.public_id),
            amount=loan.principal,
            currency=loan.currency,
        )
        return challenge.challenge_id, challenge.phone_hint

    def proof(challenge, code) -> str | None:
        if not challenge:
            return None
        return identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code).token

    return send_code, proof


@loans_page(methods=("GET", "POST"))
def loan_accept(request, loan_id):
    """The offer's confirmation: the key facts in words, then the code received by SMS."""
    loan = borrower.loan_of(request.user, loan_id)
    back = reverse("lending:loan", args=[loan.public_id])
    if loan.status != LoanStatus.APPROVED:
        flash(request, _("This offer can no longer be accepted: see where your loan is below."))
        return redirect(back)
    if identity.second_factor_missing(request.user, action=ACCEPT_ACTION, amount=loan.principal):
        return render(
            request,
            "lending/loans_need_factor.html",
            {"enrol_url": identity.SECOND_FACTOR_ENROL_URL, "back_url": back},
        )
    facts = _facts_view(borrower.key_facts_of(loan), request) or {}
    cur = loan.currency
    confirmation = Confirmation(
        title=_("Accept my loan offer"),
        question=_("Borrow %(amount)s and repay %(total)s in %(term)s instalments?")
        % {
            "amount": _money(loan.principal, cur, request),
            "total": facts.get("total_repaid", ""),
            "term": loan.term,
        },
        facts=offer_facts(facts),
        warning=_(
            "By accepting, you agree to the key facts statement shown on the offer; the money is paid out at once."
        ),
        acknowledge=_("I have read the key facts statement and the disclosures"),
        action_url=reverse("lending:loan-accept", args=[loan.public_id]),
        cancel_url=back,
        button=_("Accept the offer"),
        step_up=True,
        strong=identity.needs_strong_factor(request.user, action=ACCEPT_ACTION, amount=loan.principal),
        base_template="lending/loans_base.html",
    )
    send_code, proof = _step_up(request, loan=loan)

    def perform(*, challenge, code):
        token = proof(challenge, code)  # a wrong or stale code: OtpInvalid, shown on the page
        done = borrower.accept_offer(actor=request.user, loan_id=loan.public_id, step_up_token=token)
        if done.status == LoanStatus.ACTIVE:
            flash(request, _("Offer accepted: the money has been paid out."))
        else:
            flash(request, _("Offer accepted: the money is on its way."))
        return redirect(back)

    return confirm_flow(
        request,
        confirmation,
        key=f"lending.loan.accept:{loan.public_id}",
        send_code=send_code,
        perform=perform,
    )


@loans_page(methods=("GET", "POST"))
def loan_withdraw(request, loan_id):
    loan = borrower.loan_of(request.user, loan_id)
    back = reverse("lending:loan", args=[loan.public_id])
    if loan.status not in borrower.WITHDRAWABLE:
        flash(request, _("This loan can no longer be withdrawn."))
        return redirect(back)
    confirmation = Confirmation(
        title=_("Withdraw my application"),
        question=_("Give up loan %(number)s?") % {"number": loan.number},
        facts=[(_("Amount"), _money(loan.principal, loan.currency, request))],
        warning=_("You may apply again later."),
        action_url=reverse("lending:loan-withdraw", args=[loan.public_id]),
        cancel_url=back,
        button=_("Withdraw my application"),
        base_template="lending/loans_base.html",
    )

    def perform(*, challenge, code):
        borrower.withdraw_application(actor=request.user, loan_id=loan.public_id)
        flash(request, _("Your application is withdrawn."))
        return redirect("lending:loans")

    return confirm_flow(request, confirmation, key=f"lending.loan.withdraw:{loan.public_id}", perform=perform)


class RepayForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Amount to repay"), min_value=1, max_value=10**12)
    key = forms.CharField(widget=forms.HiddenInput)


@loans_page(methods=("GET", "POST"))
def loan_repay(request, loan_id):
    """The amount (default: what is due now, else the next instalment) → the confirmation →
    repaid from the wallet."""
    loan = borrower.loan_of(request.user, loan_id, with_schedule=True)
    back = reverse("lending:loan", args=[loan.public_id])
    if loan.status != LoanStatus.ACTIVE:
        flash(request, _("This loan is not being repaid."))
        return redirect(back)
    cur = loan.currency
    wallet = wallet_api.wallet_info(request.user, cur)
    quote = borrower.prepayment_quote(loan)
    suggested = borrower.due_now(loan) or (
        borrower.next_instalment(loan).owed if borrower.next_instalment(loan) else 0
    )
    step = request.POST.get("confirm_step", "") if request.method == "POST" else ""
    form = RepayForm(request.POST or None, initial={"amount": suggested or None, "key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        amount = form.cleaned_data["amount"]
        if not step and amount > wallet.available:
            form.add_error(
                "amount",
                _("Your wallet holds %(amount)s: top it up first.")
                % {"amount": _money(wallet.available, cur, request)},
            )
        else:
            return _repay_confirm(request, loan, amount, form.cleaned_data["key"], wallet.available)
    return render(
        request,
        "lending/loans_repay.html",
        {
            "loan": loan,
            "form": form,
            "available": _money(wallet.available, cur, request),
            "due_now": _money(suggested, cur, request) if suggested else "",
            "payoff": _money(quote.total, cur, request) if quote.allowed else "",
            "payoff_amount": quote.total if quote.allowed else None,
            "outstanding": _money(loan.outstanding, cur, request),
        },
        status=400 if form.errors else 200,
    )


def _repay_confirm(request, loan: Loan, amount: int, key: str, available: int):
    cur = loan.currency
    back = reverse("lending:loan", args=[loan.public_id])
    confirmation = Confirmation(
        title=_("Repay my loan"),
        question=_("Repay %(amount)s on loan %(number)s from your wallet?")
        % {"amount": _money(amount, cur, request), "number": loan.number},
        facts=[
            (_("Amount"), _money(amount, cur, request)),
            (_("Available in your wallet"), _money(available, cur, request)),
        ],
        warning=_("Late fees first, then interest, then the principal, the oldest instalment first."),
        hidden={"amount": amount, "key": key},
        action_url=reverse("lending:loan-repay", args=[loan.public_id]),
        cancel_url=back,
        button=_("Repay"),
        base_template="lending/loans_base.html",
    )

    def perform(*, challenge, code):
        repayment = borrower.repay_from_wallet(
            actor=request.user, loan_id=loan.public_id, amount=amount, idempotency_key=f"web:{key}"
        )
        done = _("Thank you: %(amount)s repaid.") % {
            "amount": _money(repayment.amount - repayment.excess, cur, request)
        }
        if repayment.closed_loan:
            done = _("Thank you: your loan is fully repaid.")
        flash(request, done)
        return redirect(back)

    return confirm_flow(
        request, confirmation, key=f"lending.loan.repay:{loan.public_id}:{key}", perform=perform
    )


@loans_page(methods=("POST",))
def loan_pay_link(request, loan_id):
    """A mobile money pay link for what is due now: straight to the payment page."""
    loan = borrower.loan_of(request.user, loan_id)
    try:
        intent = borrower.pay_link(
            actor=request.user, loan_id=loan.public_id, idempotency_key=f"web:{uuid.uuid4().hex}"
        )
    except DomainError as exc:
        flash(request, str(exc.message))
        return redirect("lending:loan", loan_id=loan.public_id)
    return redirect(intent.pay_url)


@loans_page()
def loan_key_facts_pdf(request, loan_id):
    loan = borrower.loan_of(request.user, loan_id)
    pdf = borrower.key_facts_pdf(loan, language=_lang(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="hokwe-{loan.number}.pdf"'
    return response
