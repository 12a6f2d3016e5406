"""The emergency fund and guarantee pages (/lending/fund/…, /lending/guarantees/…): open the
fund, put money in from the wallet, withdraw to the wallet (a confirmation; now, or after the
notice), the goal, the withdrawal rule and the automatic savings; the guarantee requests
addressed to the signed-in person, accepted with the code received by SMS (a confirmation),
or declined. Services: services/fund.py and guarantors.py (the same as REST and GraphQL).
A refusal is said on the page, never a 500; another's object is the not-found page."""

from __future__ import annotations

import uuid

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.identity import api as identity
from apps.wallet import api as wallet_api

from .. import selectors
from ..errors import GuarantorNotFound, NoticeNotFound
from ..models import EmergencyFund, Guarantor, WithdrawalNotice
from ..services import fund as fund_service
from ..services import guarantors
from .loans import _money, _pop_flash, flash, loans_page

CURRENCY = "XOF"


class OpenForm(forms.Form):
    goal = forms.IntegerField(label=gettext_lazy("Goal"), min_value=0, required=False)
    withdrawal_rule = forms.ChoiceField(
        label=gettext_lazy("Withdrawal rule"), choices=EmergencyFund.WithdrawalRule.choices
    )
    notice_days = forms.IntegerField(
        label=gettext_lazy("Notice period (days)"), min_value=0, max_value=90, required=False
    )


class AmountForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Amount"), min_value=1)
    key = forms.CharField(widget=forms.HiddenInput)


class AutomaticForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Automatic saving"), min_value=0)
    frequency = forms.ChoiceField(
        label=gettext_lazy("Frequency"), choices=EmergencyFund.AutoFrequency.choices, required=False
    )


class PledgeForm(forms.Form):
    pledge = forms.IntegerField(label=gettext_lazy("Savings pledged"), min_value=0, required=False)


def _fund_context(request, fund: EmergencyFund) -> dict:
    info = fund_service.fund_info(fund)
    cur = fund.currency
    progress = min(100, info.balance * 100 // fund.goal) if fund.goal else None
    notices = list(selectors.own_fund_withdrawals(request.user, cur)[:10])
    return {
        "fund": fund,
        "balance": _money(info.balance, cur, request),
        "pledged": _money(info.pledged, cur, request) if info.pledged else "",
        "available": _money(info.available, cur, request),
        "goal": _money(fund.goal, cur, request) if fund.goal else "",
        "progress": progress,
        "auto": _money(fund.auto_amount, cur, request) if fund.auto_amount else "",
        "notices": [
            {
                "n": n,
                "amount": _money(n.amount, cur, request),
                "pending": n.status == WithdrawalNotice.Status.PENDING,
            }
            for n in notices
        ],
        "wallet": _money(wallet_api.wallet_info(request.user, cur).available, cur, request),
        "deposit_form": AmountForm(initial={"key": uuid.uuid4().hex}, prefix="deposit"),
        "auto_form": AutomaticForm(initial={"amount": fund.auto_amount, "frequency": fund.auto_frequency}),
        "flash": _pop_flash(request),
    }


@loans_page(methods=("GET", "POST"))
def fund_home(request):
    """The fund (or the form that opens it)."""
    fund = fund_service.fund_of(request.user, CURRENCY)
    if fund is not None:
        return render(request, "lending/fund_home.html", _fund_context(request, fund))
    form = OpenForm(request.POST or None, initial={"withdrawal_rule": "no_lock"})
    if request.method == "POST" and form.is_valid():
        try:
            fund_service.open_fund(
                actor=request.user,
                currency=CURRENCY,
                goal=form.cleaned_data.get("goal") or 0,
                withdrawal_rule=form.cleaned_data["withdrawal_rule"],
                notice_days=form.cleaned_data.get("notice_days") or 0,
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            flash(request, _("Your emergency fund is open."))
            return redirect("lending:fund")
    return render(
        request,
        "lending/fund_open.html",
        {"form": form, "flash": _pop_flash(request)},
        status=400 if form.errors else 200,
    )


def _fund_or_home(request):
    return fund_service.fund_of(request.user, CURRENCY)


@loans_page(methods=("POST",))
def fund_deposit(request):
    """Wallet -> fund (the user's own money between their own accounts: no confirmation)."""
    fund = _fund_or_home(request)
    form = AmountForm(request.POST, prefix="deposit")
    if fund is None or not form.is_valid():
        flash(request, _("Enter an amount above zero."))
        return redirect("lending:fund")
    amount = form.cleaned_data["amount"]
    try:
        fund_service.deposit(
            actor=request.user, fund=fund, amount=amount, idempotency_key=f"web:{form.cleaned_data['key']}"
        )
    except DomainError as exc:
        flash(request, str(exc.message))
    else:
        flash(
            request,
            _("%(amount)s saved in your emergency fund.")
            % {"amount": _money(amount, fund.currency, request)},
        )
    return redirect("lending:fund")


@loans_page(methods=("GET", "POST"))
def fund_withdraw(request):
    """The amount -> the confirmation (now, or the date the notice ends) -> withdrawn."""
    fund = _fund_or_home(request)
    if fund is None:
        return redirect("lending:fund")
    cur = fund.currency
    info = fund_service.fund_info(fund)
    step = request.POST.get("confirm_step", "") if request.method == "POST" else ""
    form = AmountForm(request.POST or None, initial={"key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        amount = form.cleaned_data["amount"]
        if not step and amount > info.available:
            form.add_error(
                "amount",
                _("Your fund has %(amount)s available.") % {"amount": _money(info.available, cur, request)},
            )
        else:
            return _withdraw_confirm(request, fund, amount, form.cleaned_data["key"])
    return render(
        request,
        "lending/fund_withdraw.html",
        {"fund": fund, "form": form, "available": _money(info.available, cur, request), "flash": ""},
        status=400 if form.errors else 200,
    )


def _withdraw_confirm(request, fund: EmergencyFund, amount: int, key: str):
    cur = fund.currency
    back = reverse("lending:fund")
    notice = fund.withdrawal_rule == EmergencyFund.WithdrawalRule.NOTICE
    when = _("in %(days)s days (your notice period)") % {"days": fund.notice_days} if notice else _("now")
    confirmation = Confirmation(
        title=_("Withdraw from my emergency fund"),
        question=_("Move %(amount)s from your emergency fund to your wallet?")
        % {"amount": _money(amount, cur, request)},
        facts=[(_("Amount"), _money(amount, cur, request)), (_("Paid to your wallet"), str(when))],
        warning=_("Until it is paid, you can cancel a withdrawal under notice.") if notice else "",
        hidden={"amount": amount, "key": key},
        action_url=reverse("lending:fund-withdraw"),
        cancel_url=back,
        button=_("Withdraw"),
        base_template="lending/loans_base.html",
    )

    def perform(*, challenge, code):
        done = fund_service.withdraw(
            actor=request.user, fund=fund, amount=amount, idempotency_key=f"web:{key}"
        )
        if done.status == WithdrawalNotice.Status.PAID:
            flash(request, _("%(amount)s is in your wallet.") % {"amount": _money(amount, cur, request)})
        else:
            flash(
                request,
                _("Withdrawal noted: %(amount)s will be in your wallet on %(date)s.")
                % {"amount": _money(amount, cur, request), "date": done.available_on.strftime("%d/%m/%Y")},
            )
        return redirect(back)

    return confirm_flow(
        request, confirmation, key=f"lending.fund.withdraw:{fund.public_id}:{key}", perform=perform
    )


@loans_page(methods=("POST",))
def fund_notice_cancel(request, withdrawal_id):
    notice = selectors.own_fund_withdrawals(request.user).filter(public_id=withdrawal_id).first()
    if notice is None:
        raise NoticeNotFound()
    try:
        fund_service.cancel_notice(actor=request.user, notice=notice)
    except DomainError as exc:
        flash(request, str(exc.message))
    else:
        flash(request, _("Withdrawal cancelled: the money stays in your fund."))
    return redirect("lending:fund")


@loans_page(methods=("POST",))
def fund_automatic(request):
    fund = _fund_or_home(request)
    form = AutomaticForm(request.POST)
    if fund is None or not form.is_valid():
        flash(request, _("Choose every week or every month."))
        return redirect("lending:fund")
    try:
        fund_service.set_automatic(
            actor=request.user,
            fund=fund,
            amount=form.cleaned_data["amount"],
            frequency=form.cleaned_data.get("frequency") or "",
        )
    except DomainError as exc:
        flash(request, str(exc.message))
    else:
        flash(request, _("Automatic savings saved."))
    return redirect("lending:fund")


# --- guarantees asked of the signed-in person ---------------------------------------------------


@loans_page()
def guarantees(request):
    rows = []
    for g in guarantors.requests_for(request.user)[:20]:
        rows.append(
            {
                "g": g,
                "who": g.loan.borrower.full_name or g.loan.number,
                "principal": _money(g.loan.principal, g.loan.currency, request),
                "open": g.status == Guarantor.Status.INVITED,
            }
        )
    return render(request, "lending/guarantees.html", {"rows": rows, "flash": _pop_flash(request)})


def _guarantee(request, guarantee_id) -> Guarantor:
    row = guarantors.requests_for(request.user).filter(public_id=guarantee_id).first()
    if row is None:
        raise GuarantorNotFound()
    return row


@loans_page(methods=("GET", "POST"))
def guarantee_accept(request, guarantee_id):
    """The confirmation (what the guarantor stands behind, an optional pledge), then the code."""
    row = _guarantee(request, guarantee_id)
    back = reverse("lending:guarantees")
    if row.status != Guarantor.Status.INVITED:
        flash(request, _("This guarantee request was already answered."))
        return redirect(back)
    loan = row.loan
    cur = loan.currency
    try:
        pledge = int(request.POST.get("pledge") or 0) if request.method == "POST" else 0
    except ValueError:
        pledge = 0
    amount, currency = guarantors.step_up_amount(row)
    confirmation = Confirmation(
        title=_("Stand guarantor"),
        question=_("Stand guarantor for the loan of %(name)s, %(amount)s?")
        % {"name": loan.borrower.full_name or loan.number, "amount": _money(loan.principal, cur, request)},
        facts=[
            (_("Loan"), loan.number),
            (_("Amount borrowed"), _money(loan.principal, cur, request)),
            (_("Savings pledged"), _money(max(pledge, 0), cur, request)),
        ],
        warning=_(
            "If the borrower does not repay, Hokwe may ask you to; pledged savings stay held until the loan is repaid."
        ),
        acknowledge=_("I understand what standing guarantor commits me to"),
        hidden={"pledge": max(pledge, 0)},
        action_url=reverse("lending:guarantee-accept", args=[row.public_id]),
        cancel_url=back,
        button=_("Accept"),
        step_up=True,
        strong=identity.needs_strong_factor(request.user, action=guarantors.STEP_UP_ACTION, amount=amount),
        base_template="lending/loans_base.html",
    )

    def send_code():
        challenge = identity.step_up_start(
            actor=request.user,
            action=guarantors.STEP_UP_ACTION,
            target=str(row.public_id),
            amount=amount,
            currency=currency,
        )
        return challenge.challenge_id, challenge.phone_hint

    def perform(*, challenge, code):
        token = identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code).token
        guarantors.accept(actor=request.user, guarantor=row, step_up_token=token, pledge=max(pledge, 0))
        flash(request, _("Thank you: you stand guarantor for this loan."))
        return redirect(back)

    return confirm_flow(
        request,
        confirmation,
        key=f"lending.guarantee.accept:{row.public_id}",
        perform=perform,
        send_code=send_code,
    )


@loans_page(methods=("POST",))
def guarantee_decline(request, guarantee_id):
    row = _guarantee(request, guarantee_id)
    try:
        guarantors.decline(actor=request.user, guarantor=row)
    except DomainError as exc:
        flash(request, str(exc.message))
    else:
        flash(request, _("You declined: the borrower is told."))
    return redirect("lending:guarantees")
