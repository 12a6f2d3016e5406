"""Landlord advances' manager pages (/manager/lending/advances/…), for the owners of an owner
organization: « Avance sur loyers » — each organization's rents under management and the
advance they allow, a simulation and the application, an advance (the offer with its key
facts, the schedule, the repayments taken from the rents before the payouts), accepting the
offer (confirmation and the step-up code) and withdrawing.

Signed-in users only; an organization the user does not own, or another organization's
advance, is the « not found » page; a refusal (DomainError) is said on the page. The
services are services/advance.py's (the same as REST and GraphQL)."""

from __future__ import annotations

import uuid
from functools import wraps

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError, NotFound
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.identity import api as identity

from ..contracts import LoanStatus
from ..models import Instalment
from ..models.loan import STATUS_LABELS
from ..services import advance
from ..services.acceptance import STEP_UP_ACTION
from ..services.applications import WITHDRAWABLE
from .common import offer_facts
from .loans import _facts_view, _money, _pop_flash, _rate, flash


def advance_page(methods=("GET",)):
    """Signed-in users only (else the login with `next`); NotFound → the not-found page."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = HttpResponse(status=405)
                response["Allow"] = ", ".join(methods)
                return response
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                return view(request, *args, **kwargs)
            except DomainError as exc:
                if not isinstance(exc, NotFound) and getattr(exc, "status", None) != 404:
                    raise
                return render(request, "lending/advance_not_found.html", {}, status=404)

        wrapper.hokwe_methods = tuple(methods)
        return wrapper

    return decorate


def _tone(status: str) -> str:
    if status in (LoanStatus.DECLINED, LoanStatus.EXPIRED, LoanStatus.WRITTEN_OFF):
        return "bad"
    if status in (LoanStatus.APPROVED, LoanStatus.ACTIVE, LoanStatus.CLOSED):
        return "good"
    return ""


def _eligibility(found, request) -> dict:
    view = advance.eligibility_view(found)
    cur = view["currency"]
    return {
        **view,
        "maximum_text": _money(view["maximum"], cur, request),
        "minimum_text": _money(view["minimum"], cur, request),
        "limit_text": _money(view["limit"], cur, request),
        "monthly_net_text": _money(view["monthly_net"], cur, request),
        "expected_net_text": _money(view["expected_net"], cur, request),
        "owed_text": _money(view["owed"], cur, request),
        "collection_rate": _rate(view["collection_rate_bps"], request),
        "history_rows": [
            {
                "period": m["period"],
                "billed": _money(m["billed"], cur, request),
                "collected": _money(m["collected"], cur, request),
                "net": _money(m["net"], cur, request),
            }
            for m in view["history"]
        ],
    }


def _row(loan, request) -> dict:
    return {
        "loan": loan,
        "status": str(STATUS_LABELS.get(loan.status, loan.status)),
        "tone": _tone(loan.status),
        "principal": _money(loan.principal, loan.currency, request),
        "outstanding": _money(loan.outstanding, loan.currency, request),
    }


@advance_page()
def home(request):
    """The organizations the user owns, with what each product allows now, and their advances."""
    orgs = advance.owned_organizations(request.user)
    products = list(advance.landlord_products())
    cards = []
    for org in orgs:
        offers = []
        for product in products:
            found = advance.eligibility(actor=request.user, organization=org.public_id, product=product)
            offers.append({"product": product, "e": _eligibility(found, request)})
        cards.append({"org": org, "offers": offers})
    rows = [_row(loan, request) for loan in advance.advances_of(request.user)[:50]]
    return render(
        request,
        "lending/advance_home.html",
        {"cards": cards, "rows": rows, "flash": _pop_flash(request), "has_orgs": bool(orgs)},
    )


class AdvanceForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Amount"), min_value=1)
    term = forms.IntegerField(label=gettext_lazy("Number of monthly instalments"), min_value=1, max_value=520)
    purpose = forms.CharField(label=gettext_lazy("Purpose (optional)"), max_length=200, required=False)
    key = forms.CharField(widget=forms.HiddenInput, required=False)


@advance_page(methods=("GET", "POST"))
def apply(request, organization, product_id):
    """The organization's rents and limit, a simulation, the application."""
    product = advance.landlord_product(product_id)
    found = advance.eligibility(actor=request.user, organization=organization, product=product)
    elig = _eligibility(found, request)
    initial = {
        "amount": max(found.maximum, 0) or product.min_amount,
        "term": product.min_term,
        "key": uuid.uuid4().hex,
    }
    form = AdvanceForm(request.POST or None, initial=initial)
    simulation = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("do") == "apply":
                loan = advance.advance_apply(
                    actor=request.user,
                    organization=organization,
                    product=product,
                    amount=data["amount"],
                    term=data["term"],
                    purpose=data["purpose"],
                    idempotency_key=data["key"] or uuid.uuid4().hex,
                )
                if loan.status == LoanStatus.APPROVED:
                    flash(request, _("Your advance is approved: read the offer and accept it."))
                return redirect("manager:lending-advance", loan.public_id)
            sim = advance.simulate_advance(
                actor=request.user,
                organization=organization,
                product=product,
                amount=data["amount"],
                term=data["term"],
                language=(getattr(request, "LANGUAGE_CODE", "fr") or "fr")[:2],
            )
            cur = sim["currency"]
            simulation = {
                "received": _money(sim["received"], cur, request),
                "total_cost": _money(sim["total_cost"], cur, request),
                "total_repaid": _money(sim["total_repaid"], cur, request),
                "teg": _rate(sim["teg_bps"], request),
                "lines": [
                    {
                        "number": line["number"],
                        "due_date": line["due_date"],
                        "total": _money(line["total"], cur, request),
                    }
                    for line in sim["lines"]
                ],
                "above": data["amount"] > found.maximum,
            }
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            field = (getattr(exc, "field", "") or "").split(".")[0]
            form.add_error(field if field in form.fields else None, str(exc.message))
    return render(
        request,
        "lending/advance_apply.html",
        {
            "product": product,
            "org": identity.get_organization(found.organization),
            "e": elig,
            "form": form,
            "sim": simulation,
        },
    )


INSTALMENT_LABELS = dict(Instalment.Status.choices)


@advance_page()
def detail(request, loan_id):
    loan = advance.advance_detail(request.user, loan_id)
    view = advance.advance_view(loan, (getattr(request, "LANGUAGE_CODE", "fr") or "fr")[:2], detail=True)
    cur = loan.currency
    context = {
        "loan": loan,
        "row": _row(loan, request),
        "org": identity.get_organization(loan.organization),
        "facts": _facts_view(view["key_facts"], request),
        "reasons": view["decision_reasons"],
        "schedule": [
            {
                "line": line,
                "status": str(INSTALMENT_LABELS.get(line.status, line.status)),
                "tone": "good" if line.status == Instalment.Status.PAID else "",
                "total": _money(line.total, cur, request),
                "owed": _money(line.owed, cur, request),
            }
            for line in view["schedule"]
        ],
        "repayments": [
            {"r": r, "amount": _money(r.amount, cur, request), "channel": r.get_channel_display()}
            for r in view["repayments"]
        ],
        "teg": _rate(loan.teg_bps, request),
        "can_accept": loan.status == LoanStatus.APPROVED and loan.borrower_id == request.user.pk,
        "can_withdraw": loan.status in WITHDRAWABLE and loan.borrower_id == request.user.pk,
        "flash": _pop_flash(request),
    }
    return render(request, "lending/advance_detail.html", context)


@advance_page(methods=("GET", "POST"))
def accept(request, loan_id):
    """The offer's confirmation: the key facts in words, then the step-up code."""
    loan = advance.advance_of(request.user, loan_id)
    back = reverse("manager:lending-advance", args=[loan.public_id])
    if loan.status != LoanStatus.APPROVED or loan.borrower_id != request.user.pk:
        flash(request, _("This offer can no longer be accepted: see where your advance is below."))
        return redirect(back)
    if identity.second_factor_missing(request.user, action=STEP_UP_ACTION, amount=loan.principal):
        return render(
            request,
            "lending/advance_need_factor.html",
            {"enrol_url": identity.SECOND_FACTOR_ENROL_URL, "back_url": back},
        )
    from ..services.borrower import key_facts_of

    facts = _facts_view(key_facts_of(loan), request) or {}
    confirmation = Confirmation(
        title=_("Accept the advance on rents"),
        question=_(
            "Receive %(amount)s on your balance and repay %(total)s from your rents in %(term)s instalments?"
        )
        % {
            "amount": _money(loan.principal, loan.currency, request),
            "total": facts.get("total_repaid", ""),
            "term": loan.term,
        },
        facts=offer_facts(facts),
        warning=_(
            "Each instalment is taken from the rents collected for you before they are paid out to you."
        ),
        acknowledge=_("I have read the key facts statement and the disclosures"),
        action_url=reverse("manager:lending-advance-accept", args=[loan.public_id]),
        cancel_url=back,
        button=_("Accept the offer"),
        step_up=True,
        strong=identity.needs_strong_factor(request.user, action=STEP_UP_ACTION, amount=loan.principal),
        base_template="estate/_page.html",
    )

    def send_code():
        challenge = identity.step_up_start(
            actor=request.user,
            action=STEP_UP_ACTION,
            target=str(loan.public_id),
            amount=loan.principal,
            currency=loan.currency,
        )
        return challenge.challenge_id, challenge.phone_hint

    def perform(*, challenge, code):
        token = (
            identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code).token
            if challenge
            else None
        )
        done = advance.accept_advance(actor=request.user, loan_id=loan.public_id, step_up_token=token)
        if done.status == LoanStatus.ACTIVE:
            flash(request, _("Offer accepted: the advance is on your balance."))
        else:
            flash(request, _("Offer accepted: the money is on its way."))
        return redirect(back)

    return confirm_flow(
        request,
        confirmation,
        key=f"lending.advance.accept:{loan.public_id}",
        send_code=send_code,
        perform=perform,
    )


@advance_page(methods=("POST",))
def withdraw(request, loan_id):
    loan = advance.advance_of(request.user, loan_id)
    try:
        advance.withdraw_advance(actor=request.user, loan_id=loan.public_id)
        flash(request, _("Your application is withdrawn."))
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        flash(request, str(exc.message))
    return redirect("manager:lending-advance", loan.public_id)
