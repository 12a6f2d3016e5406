"""The wallet's money actions as pages (/wallet/…), each through core's confirmation page
(apps/core/web/confirm.py) and, for money out, identity's step-up:

- withdrawal to the user's own MoMo number (the strong step-up: authenticator app or passkey);
- cancel a P2P transfer still held for a number with no account (the money comes back);
- pay one of my rent dues from the wallet (a code above WALLET_P2P_STEP_UP_ABOVE);
- Cotis'Hokwe: pay my next contribution now;
- HokweSplit: start a plan toward one of my dues, pay a due instalment now, take the savings
  back early by the plan's rule.

The views call the wallet's services and nothing else moves money; every refusal
(DomainError) is shown on the page. A step-up that needs an authenticator app the person
has not added shows where to add one (identity's « Sécurité » page) instead of a code step
that can only fail."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError, NotFound
from apps.core.money import format_amount
from apps.core.templatetags.dates import day
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.estate import api as estate
from apps.identity import api as identity

from .. import selectors
from ..errors import WalletInsufficientBalance, WithdrawalTooSmall
from ..models import SplitInstalment, SplitPlan, Wallet
from ..services import p2p, rent, split, tontine, wallets, withdrawals
from .forms import SplitPlanForm, WithdrawForm
from .views import _available, _label, _lang, _wallet, flash, wallet_page
from .views import _pop_flash as pop_flash

DUE_STATUS = {
    "upcoming": gettext_lazy("upcoming"),
    "due": gettext_lazy("to pay"),
    "partially_paid": gettext_lazy("partly paid"),
    "overdue": gettext_lazy("late"),
}
RENT_STEP_UP_ACTION = rent.STEP_UP_ACTION  # above the threshold (SMS, or the app), as REST/GraphQL


# --- helpers ----------------------------------------------------------------------------------


def _money(amount: int, currency: str, request) -> str:
    return format_amount(amount, currency, _lang(request))


def _step_up(request, *, action: str, target: str, amount: int, currency: str):
    """(send_code, proof) for confirm_flow: identity's step-up of this exact operation."""

    def send_code():
        challenge = identity.step_up_start(
            actor=request.user, action=action, target=target, amount=amount, currency=currency
        )
        return challenge.challenge_id, challenge.phone_hint

    def proof(challenge, code) -> str | None:
        if not challenge:
            return None
        return identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code).token

    return send_code, proof


def need_factor_page(request, *, title: str, what: str, back_url: str, back_label: str):
    """The step-up of this operation needs an authenticator app the person has not added:
    say so, and link to identity's page where it is added."""
    return render(
        request,
        "wallet/need_factor.html",
        {
            "title": title,
            "what": what,
            "enrol_url": identity.SECOND_FACTOR_ENROL_URL,
            "back_url": back_url,
            "back_label": back_label,
        },
    )


class PageRefusal(DomainError):
    """A refusal the page itself finds before calling a service (shown like the service's)."""

    code = "wallet_page_refusal"
    status = 409


# --- withdrawal -------------------------------------------------------------------------------


def _own_phone(user) -> str:
    return str(identity.get_user(id=user.pk).phone or "")


def phone_text(e164: str) -> str:
    """« +229 01 97 00 00 01 »: a number as people read it (it wraps between the pairs)."""
    text = str(e164 or "")
    if text.startswith("+229") and len(text) == 14:
        national = text[4:]
        return "+229 " + " ".join(national[i : i + 2] for i in range(0, len(national), 2))
    return text


@wallet_page(methods=("GET", "POST"))
def withdraw(request):
    """The amount → confirmation (to my own number) → the authenticator app's code → the
    withdrawals page. Without an authenticator app: where to add one."""
    wallet = _wallet(request)
    cur = wallet.currency
    phone = phone_text(_own_phone(request.user))
    if identity.second_factor_missing(request.user, action=withdrawals.STEP_UP_ACTION, amount=1):
        return need_factor_page(
            request,
            title=_("Withdraw to my mobile money"),
            what=_(
                "Money that leaves your wallet for your mobile money account is confirmed with a code "
                "of an authenticator app (Google Authenticator, Microsoft Authenticator, FreeOTP…) or a "
                "passkey, never by SMS alone: this protects you if someone takes over your SIM card."
            ),
            back_url=reverse("wallet:home"),
            back_label=_("Back to my wallet"),
        )
    form = WithdrawForm(request.POST or None, initial={"key": uuid.uuid4().hex})
    step = request.POST.get("confirm_step", "") if request.method == "POST" else ""
    if request.method == "POST" and form.is_valid():
        amount = form.cleaned_data["amount"]
        key = form.cleaned_data["key"]
        available = wallets.wallet_info(wallet).available
        if not step and amount < settings.WALLET_WITHDRAWAL_MIN:
            form.add_error("amount", WithdrawalTooSmall().message)
        elif not step and amount > available:
            form.add_error("amount", WalletInsufficientBalance().message)
        else:
            return _withdraw_confirm(request, wallet, phone, amount, key)
    return render(
        request,
        "wallet/withdraw.html",
        {
            "form": form,
            "wallet": wallet,
            "available": _available(wallet, _lang(request)),
            "phone": phone,
            "minimum": _money(settings.WALLET_WITHDRAWAL_MIN, cur, request),
        },
        status=400 if form.errors else 200,
    )


def _withdraw_confirm(request, wallet: Wallet, phone: str, amount: int, key: str):
    cur = wallet.currency
    text = _money(amount, cur, request)
    confirmation = Confirmation(
        title=_("Withdraw to my mobile money"),
        question=_("Send %(amount)s from your wallet to your number %(phone)s?")
        % {"amount": text, "phone": phone},
        facts=[
            (_("Amount"), text),
            (_("To your mobile money number"), phone),
            (_("Available in your wallet"), _available(wallet, _lang(request))),
        ],
        warning=_(
            "The money leaves your wallet for your mobile money account; it cannot be taken back. "
            "You confirm with the code of your authenticator app."
        ),
        hidden={"amount": amount, "key": key, "currency": cur},
        action_url=reverse("wallet:withdraw"),
        cancel_url=reverse("wallet:home"),
        button=_("Withdraw"),
        step_up=True,
        strong=True,  # wallet.withdrawal.create: a strong action (identity), never an SMS code
        base_template="wallet/base.html",
    )
    send_code, proof = _step_up(
        request, action=withdrawals.STEP_UP_ACTION, target=str(wallet.public_id), amount=amount, currency=cur
    )

    def perform(*, challenge, code):
        row = withdrawals.withdrawal_request(
            actor=request.user,
            amount=amount,
            currency=cur,
            step_up_token=proof(challenge, code),
            idempotency_key=f"web:{key}",
        )
        flash(
            request,
            _("Withdrawal of %(amount)s to %(phone)s requested: the money arrives in a few minutes.")
            % {"amount": _money(row.amount, cur, request), "phone": phone},
        )
        return redirect(f"{reverse('wallet:withdrawals')}?currency={cur}")

    return confirm_flow(
        request, confirmation, key=f"wallet.withdraw:{key}", send_code=send_code, perform=perform
    )


@wallet_page()
def withdrawal_list(request):
    wallet = _wallet(request)
    cur = wallet.currency
    rows = [
        {
            "w": row,
            "amount": _money(row.amount, cur, request),
            "status": _label(row.Status.choices, row.status),
            "phone": f"**** {row.phone[-4:-2]} {row.phone[-2:]}",
        }
        for row in selectors.own_withdrawals(request.user, cur)[:30]
    ]
    return render(
        request,
        "wallet/withdrawals.html",
        {
            "rows": rows,
            "wallet": wallet,
            "flash": pop_flash(request),
            "available": _available(wallet, _lang(request)),
        },
    )


# --- cancel a held P2P transfer ---------------------------------------------------------------


@wallet_page(methods=("GET", "POST"))
def transfer_cancel(request, transfer_id):
    row = selectors.p2p_transfer_get(request.user, transfer_id)
    view = p2p.p2p_view(row, request.user)
    back = reverse("wallet:transfer", args=[row.public_id])
    if not view.can_cancel:
        flash(
            request,
            _("This transfer can no longer be cancelled: it was received, returned or cancelled already."),
        )
        return redirect(back)
    amount = _money(view.amount, view.currency, request)
    confirmation = Confirmation(
        title=_("Cancel the transfer"),
        question=_("Take back the %(amount)s sent to %(phone)s?")
        % {"amount": amount, "phone": phone_text(view.counterpart_phone)},
        facts=[
            (_("Amount"), amount),
            (_("Sent to"), phone_text(view.counterpart_phone)),
            (_("Date"), day(view.created_at)),
        ],
        warning=_("The number has not signed up yet: the money comes back to your wallet at once."),
        action_url=reverse("wallet:transfer-cancel", args=[row.public_id]),
        cancel_url=back,
        button=_("Cancel the transfer"),
        base_template="wallet/base.html",
    )

    def perform(*, challenge, code):
        p2p.p2p_cancel(actor=request.user, transfer=row)
        flash(request, _("Transfer cancelled: %(amount)s is back in your wallet.") % {"amount": amount})
        return redirect(back)

    return confirm_flow(request, confirmation, key=f"wallet.p2p.cancel:{row.public_id}", perform=perform)


# --- pay a rent due from the wallet -----------------------------------------------------------


def _due_rows(request) -> list[dict]:
    out = []
    balances: dict[str, int] = {}
    for due in rent.open_dues(request.user):
        if due.currency not in balances:
            mine = Wallet.objects.filter(user_id=request.user.pk, currency=due.currency).first()
            balances[due.currency] = wallets.wallet_info(mine).available if mine else 0
        out.append(
            {
                "d": due,
                "owed": _money(due.outstanding, due.currency, request),
                "covered": balances[due.currency] >= due.outstanding,
                "status": str(DUE_STATUS.get(str(due.status), due.status)),
            }
        )
    return out


@wallet_page()
def rent_dues(request):
    wallet = _wallet(request)
    return render(
        request,
        "wallet/rent.html",
        {
            "rows": _due_rows(request),
            "wallet": wallet,
            "available": _available(wallet, _lang(request)),
            "flash": pop_flash(request),
        },
    )


def _my_open_due(request, due_id):
    """One of my open dues; a due of mine paid meanwhile → None; anyone else's → NotFound."""
    try:
        return rent.own_due(request.user, due_id)
    except NotFound:
        info = estate.rent_due(due_id)  # NotFound for a due that does not exist
        if request.user.public_id not in estate.lease(info.lease).tenants:
            raise
        return None


def rent_step_up_needed(amount: int) -> bool:
    return rent.step_up_needed(amount)


@wallet_page(methods=("GET", "POST"))
def rent_pay(request, due_id):
    due = _my_open_due(request, due_id)
    if due is None:
        flash(request, _("This rent is already paid: nothing is owed on it any more."))
        return redirect("wallet:rent")
    wallet = wallets.wallet_for(request.user, due.currency)
    cur = due.currency
    owed = _money(due.outstanding, cur, request)
    info = wallets.wallet_info(wallet)
    step_up = rent_step_up_needed(due.outstanding)
    if step_up and identity.second_factor_missing(
        request.user, action=RENT_STEP_UP_ACTION, amount=due.outstanding
    ):
        return need_factor_page(
            request,
            title=_("Pay my rent from my wallet"),
            what=_(
                "As an owner or accountant of an organization, you confirm payments with your authenticator app."
            ),
            back_url=reverse("wallet:rent"),
            back_label=_("Back to my rents"),
        )
    confirmation = Confirmation(
        title=_("Pay my rent from my wallet"),
        question=_("Pay %(amount)s of rent from your wallet?") % {"amount": owed},
        facts=[
            (_("Rent of"), day(due.period, "month")),
            (_("Due date"), day(due.due_date)),
            (_("Amount paid"), owed),
            (_("Available in your wallet"), _money(info.available, cur, request)),
        ],
        warning=_("The money goes to your landlord's agency at once; your receipt is issued."),
        hidden={"due": str(due.public_id)},
        action_url=reverse("wallet:rent-pay", args=[due.public_id]),
        cancel_url=reverse("wallet:rent"),
        button=_("Pay my rent"),
        step_up=step_up,
        base_template="wallet/base.html",
    )
    send_code, proof = _step_up(
        request, action=RENT_STEP_UP_ACTION, target=str(due.public_id), amount=due.outstanding, currency=cur
    )

    def perform(*, challenge, code):
        token = proof(challenge, code) if step_up else None  # a wrong/stale code: OtpInvalid, shown
        if wallets.wallet_info(wallet).available < due.outstanding:
            raise WalletInsufficientBalance(field="amount")
        paid = rent.pay_rent_due(
            actor=request.user,
            due=due.public_id,
            account=wallet.account,
            idempotency_key=f"wallet:web:due:{due.public_id}:{uuid.uuid4().hex}",
            out_of=wallet,
            step_up_token=token,
        )
        flash(
            request,
            _("Rent paid: %(amount)s. Your receipt is in « Receipts ».")
            % {"amount": _money(paid.amount, cur, request)},
        )
        return redirect("wallet:rent")

    return confirm_flow(
        request, confirmation, key=f"wallet.rent.pay:{due.public_id}", send_code=send_code, perform=perform
    )


# --- Cotis'Hokwe: pay my contribution now -------------------------------------------------------


@wallet_page(methods=("GET", "POST"))
def group_contribute(request, group_id):
    group = tontine.group_get(request.user, group_id)
    page = tontine.group_page(group, request.user)
    back = reverse("wallet:group", args=[group.public_id])
    mine = page["my_next_due"]
    if mine is None or page["status"] != "active":
        flash(request, _("You have nothing to pay in this group now."))
        return redirect(back)
    cur = page["currency"]
    total = mine["amount"] + mine["penalty"]
    facts = [
        (_("Group"), page["name"]),
        (_("Round"), str(mine["round"])),
        (_("Contribution"), _money(mine["amount"], cur, request)),
    ]
    if mine["penalty"]:
        facts.append((_("Late penalty"), _money(mine["penalty"], cur, request)))
    facts.append((_("Taken from your wallet"), _money(total, cur, request)))
    confirmation = Confirmation(
        title=_("Pay my contribution"),
        question=_("Pay %(amount)s into the pot of « %(group)s »?")
        % {"amount": _money(total, cur, request), "group": page["name"]},
        facts=facts,
        warning=_(
            "The money goes into the group's pot for this round's beneficiary; it cannot be taken back."
        ),
        action_url=reverse("wallet:group-contribute", args=[group.public_id]),
        cancel_url=back,
        button=_("Pay now"),
        base_template="wallet/base.html",
    )

    def perform(*, challenge, code):
        row = tontine.contribute(actor=request.user, group=group)
        flash(
            request,
            _("Contribution paid for round %(n)s: %(amount)s.")
            % {"n": mine["round"], "amount": _money(row.amount + row.penalty, cur, request)},
        )
        return redirect(back)

    return confirm_flow(
        request, confirmation, key=f"wallet.tontine.contribute:{group.public_id}", perform=perform
    )


# --- HokweSplit ---------------------------------------------------------------------------------


def _plan_choices(request):
    """My open dues with no open plan yet, at least a day away (the service refuses the
    others; they are not offered)."""
    today = timezone.localdate()
    planned = {
        str(p.due)
        for p in selectors.split_plans_of(request.user)
        if p.status in SplitPlan.OPEN and p.closed_at is None
    }
    out = []
    for due in rent.open_dues(request.user):
        if str(due.public_id) in planned or (due.due_date - today).days < 1 or due.outstanding <= 0:
            continue
        out.append(due)
    return out


@wallet_page(methods=("GET", "POST"))
def plan_new(request):
    """A plan toward one of my dues: the due, the rhythm, the early-withdrawal rule → a
    confirmation that shows each saving → the plan's page."""
    dues = _plan_choices(request)
    by_id = {str(d.public_id): d for d in dues}
    language = _lang(request)
    choices = [
        (
            str(d.public_id),
            _("%(amount)s due on %(date)s")
            % {"amount": format_amount(d.outstanding, d.currency, language), "date": day(d.due_date)},
        )
        for d in dues
    ]
    rules = [
        (SplitPlan.WithdrawalRule.FREE, _("allowed, free")),
        (
            SplitPlan.WithdrawalRule.FEE,
            _("allowed, with a fee of %(rate)s %% of the savings")
            % {"rate": f"{settings.WALLET_SPLIT_EARLY_WITHDRAWAL_FEE_BPS / 100:g}".replace(".", ",")},
        ),
        (SplitPlan.WithdrawalRule.LOCKED, _("not allowed: the money stays until the due date")),
    ]
    frequencies = [(SplitPlan.Frequency.DAILY, _("every day")), (SplitPlan.Frequency.WEEKLY, _("every week"))]
    form = SplitPlanForm(
        request.POST or None,
        dues=choices,
        frequencies=frequencies,
        rules=rules,
        initial={
            "due": choices[0][0] if choices else "",
            "frequency": SplitPlan.Frequency.WEEKLY,
            "withdrawal_rule": SplitPlan.WithdrawalRule.FREE,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return _plan_confirm(
            request,
            by_id[data["due"]],
            data["frequency"],
            data["withdrawal_rule"],
            dict(rules),
            dict(frequencies),
        )
    return render(
        request,
        "wallet/plan_new.html",
        {"form": form, "has_dues": bool(dues)},
        status=400 if form.errors else 200,
    )


def _plan_confirm(request, due, frequency: str, rule: str, rules: dict, frequencies: dict):
    today = timezone.localdate()
    cur = due.currency
    steps = split.schedule(target=due.outstanding, start=today, due_date=due.due_date, frequency=frequency)
    first = steps[0][1] if steps else due.outstanding
    confirmation = Confirmation(
        title=_("Start a HokweSplit saving"),
        question=_("Save %(amount)s for the rent due on %(date)s, %(each)s at a time?")
        % {
            "amount": _money(due.outstanding, cur, request),
            "date": day(due.due_date),
            "each": _money(first, cur, request),
        },
        facts=[
            (_("Target"), _money(due.outstanding, cur, request)),
            (_("Rhythm"), str(frequencies[frequency])),
            (_("Number of savings"), str(len(steps))),
            (_("Each saving"), _money(first, cur, request)),
            (_("Taking the money back early"), str(rules[rule])),
        ],
        warning=_(
            "Each saving is taken from your wallet and locked in a vault that pays your landlord on the "
            "due date. Keep your wallet topped up."
        ),
        hidden={"due": str(due.public_id), "frequency": frequency, "withdrawal_rule": rule},
        action_url=reverse("wallet:plan-new"),
        cancel_url=reverse("wallet:plans"),
        button=_("Start saving"),
        base_template="wallet/base.html",
    )

    def perform(*, challenge, code):
        plan = split.plan_create(
            actor=request.user,
            due=due.public_id,
            frequency=frequency,
            source=SplitPlan.Source.WALLET,
            withdrawal_rule=rule,
        )
        flash(
            request, _("Your saving has started: the first saving is taken today, then each one on its date.")
        )
        return redirect("wallet:plan", plan.public_id)

    return confirm_flow(request, confirmation, key=f"wallet.split.create:{due.public_id}", perform=perform)


def pay_now_instalment(plan: SplitPlan) -> SplitInstalment | None:
    """The instalment « pay now » takes: the earliest one due today or before that moved no
    money yet (a missed one, or today's before the morning run), on an active plan. A future
    one is not offered: paid before its date it would break the streak (split.record_paid)."""
    if plan.status != SplitPlan.Status.ACTIVE or plan.closed_at is not None:
        return None
    return (
        plan.instalments.filter(
            status__in=[SplitInstalment.Status.SCHEDULED, SplitInstalment.Status.MISSED],
            on__lte=timezone.localdate(),
        )
        .order_by("on")
        .first()
    )


@wallet_page(methods=("GET", "POST"))
def plan_pay_now(request, plan_id):
    plan = selectors.split_plan_get(request.user, plan_id)
    back = reverse("wallet:plan", args=[plan.public_id])
    inst = pay_now_instalment(plan)
    if inst is None:
        flash(request, _("No saving is due now on this plan: the next one is taken on its date."))
        return redirect(back)
    cur = plan.currency
    amount = _money(inst.amount, cur, request)
    confirmation = Confirmation(
        title=_("Save now"),
        question=_("Put %(amount)s aside now for your rent?") % {"amount": amount},
        facts=[
            (_("Saving of"), day(inst.on)),
            (_("Amount"), amount),
            (_("Available in your wallet"), _available(plan.wallet, _lang(request))),
        ],
        warning=_("The money moves from your wallet to the plan's vault, locked until the due date."),
        action_url=reverse("wallet:plan-pay-now", args=[plan.public_id]),
        cancel_url=back,
        button=_("Save now"),
        base_template="wallet/base.html",
    )

    def perform(*, challenge, code):
        # too little in the wallet: said here, before the service would mark the saving missed
        if wallets.wallet_info(plan.wallet).available < inst.amount:
            raise WalletInsufficientBalance(field="amount")
        if not split.instalment_collect(instalment=inst):
            raise PageRefusal(
                _("This saving could not be taken from your wallet. Top up your wallet, then try again.")
            )
        flash(request, _("Saved: %(amount)s is in your vault.") % {"amount": amount})
        return redirect(back)

    return confirm_flow(
        request, confirmation, key=f"wallet.split.pay:{plan.public_id}:{inst.pk}", perform=perform
    )


def early_withdrawal_fee(plan: SplitPlan, balance: int) -> int:
    """What the plan's rule takes on an early withdrawal today (shown before confirming; the
    service computes the one it takes)."""
    if plan.withdrawal_rule == SplitPlan.WithdrawalRule.FEE and timezone.localdate() < plan.due_date:
        return balance * plan.withdrawal_fee_bps // 10_000
    return 0


def can_withdraw_early(plan: SplitPlan) -> bool:
    open_ = plan.status in (*SplitPlan.OPEN, SplitPlan.Status.CANCELLED) and plan.closed_at is None
    locked = plan.withdrawal_rule == SplitPlan.WithdrawalRule.LOCKED and timezone.localdate() < plan.due_date
    return open_ and not locked


@wallet_page(methods=("GET", "POST"))
def plan_withdraw(request, plan_id):
    plan = selectors.split_plan_get(request.user, plan_id)
    back = reverse("wallet:plan", args=[plan.public_id])
    split.plan_state(plan)
    cur = plan.currency
    if not can_withdraw_early(plan):
        if plan.withdrawal_rule == SplitPlan.WithdrawalRule.LOCKED:
            flash(request, _("This saving is locked until the due date: you chose no early withdrawal."))
        else:
            flash(request, _("This saving is closed: there is nothing to take back."))
        return redirect(back)
    if plan.saved <= 0:
        flash(request, _("Your vault is empty: there is nothing to take back yet."))
        return redirect(back)
    fee = early_withdrawal_fee(plan, plan.saved)
    facts = [(_("In the vault"), _money(plan.saved, cur, request))]
    if fee:
        facts.append((_("Fee"), _money(fee, cur, request)))
    facts.append((_("Back in your wallet"), _money(plan.saved - fee, cur, request)))
    confirmation = Confirmation(
        title=_("Take my savings back"),
        question=_("Take back %(amount)s and end this saving?")
        % {"amount": _money(plan.saved - fee, cur, request)},
        facts=facts,
        warning=_("The saving ends: your rent will not be paid from it on the due date."),
        action_url=reverse("wallet:plan-withdraw", args=[plan.public_id]),
        cancel_url=back,
        button=_("Take my savings back"),
        acknowledge=_("I understand that my rent will not be paid from this saving") if fee else "",
        base_template="wallet/base.html",
    )

    def perform(*, challenge, code):
        returned, taken = split.plan_withdraw_early(actor=request.user, plan=plan)
        text = _("%(amount)s is back in your wallet.") % {"amount": _money(returned, cur, request)}
        if taken:
            text += " " + _("Fee: %(fee)s.") % {"fee": _money(taken, cur, request)}
        flash(request, text)
        return redirect(back)

    return confirm_flow(request, confirmation, key=f"wallet.split.withdraw:{plan.public_id}", perform=perform)


__all__ = [
    "can_withdraw_early",
    "group_contribute",
    "pay_now_instalment",
    "plan_new",
    "plan_pay_now",
    "plan_withdraw",
    "rent_dues",
    "rent_pay",
    "transfer_cancel",
    "withdraw",
    "withdrawal_list",
]


# --- Cotis'Hokwe: an invitation accepted (SMS code) or declined ---------------------------------


def _invitation(request, invitation_id):
    seat = tontine.invitation_get(request.user, invitation_id)  # NotFound: the 404 page
    return seat, seat.group


@wallet_page(methods=("GET", "POST"))
def invitation_accept(request, invitation_id):
    """The group's rules as a confirmation, a box to tick (« J'accepte les règles »), then the
    code received by SMS (identity's step-up `wallet.tontine.accept` on this seat): what the
    member agreed to is stored with their seat (the rules' digest)."""
    seat, group = _invitation(request, invitation_id)
    cur = group.currency
    facts = [
        (_("Group"), group.name),
        (
            _("Contribution"),
            f"{_money(group.contribution, cur, request)} · {_label(group.Frequency.choices, group.frequency)}",
        ),
        (_("Payout order"), _label(group.Order.choices, group.order_method)),
        (_("First round"), day(group.start_date)),
        (_("Late penalty"), _money(group.late_penalty, cur, request)),
        (_("Days of grace"), str(group.grace_days)),
        (_("Organiser's commission"), f"{group.commission_bps / 100:g} %".replace(".", ",")),
    ]
    confirmation = Confirmation(
        title=_("Join the group"),
        question=_("Join « %(group)s » and pay %(amount)s each round?")
        % {"group": group.name, "amount": _money(group.contribution, cur, request)},
        facts=facts,
        warning=_(
            "Each round you pay your contribution; once you have taken the pot, your wallet guarantees "
            "what you still owe. You confirm with the code received by SMS."
        ),
        action_url=reverse("wallet:invitation-accept", args=[seat.public_id]),
        cancel_url=reverse("wallet:groups"),
        button=_("Join the group"),
        acknowledge=_("I accept the group's rules"),
        step_up=True,
        base_template="wallet/base.html",
    )

    def send_code():
        challenge = identity.step_up_start(
            actor=request.user, action=tontine.ACCEPT_ACTION, target=str(seat.public_id)
        )
        return challenge.challenge_id, challenge.phone_hint

    def perform(*, challenge, code):
        token = identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code).token
        tontine.invitation_accept(actor=request.user, member=seat, step_up_token=token)
        flash(request, _("Welcome to « %(group)s »: you are a member.") % {"group": group.name})
        return redirect("wallet:group", group.public_id)

    return confirm_flow(
        request,
        confirmation,
        key=f"wallet.tontine.accept:{seat.public_id}",
        send_code=send_code,
        perform=perform,
    )


@wallet_page(methods=("GET", "POST"))
def invitation_decline(request, invitation_id):
    seat, group = _invitation(request, invitation_id)
    confirmation = Confirmation(
        title=_("Decline the invitation"),
        question=_("Decline the invitation to « %(group)s »?") % {"group": group.name},
        facts=[(_("Group"), group.name)],
        warning=_("The organiser can invite you again later."),
        action_url=reverse("wallet:invitation-decline", args=[seat.public_id]),
        cancel_url=reverse("wallet:group", args=[group.public_id]),
        button=_("Decline"),
        base_template="wallet/base.html",
    )

    def perform(*, challenge, code):
        tontine.invitation_decline(actor=request.user, member=seat)
        flash(request, _("Invitation to « %(group)s » declined.") % {"group": group.name})
        return redirect("wallet:groups")

    return confirm_flow(
        request, confirmation, key=f"wallet.tontine.decline:{seat.public_id}", perform=perform
    )
