"""The tenant's wallet pages (/wallet/…): « Mon portefeuille » (balance, what kyc's limits
still allow, the last movements with their running balance, the statement as CSV and PDF),
top-up by mobile money, money sent by phone number (form → preview and confirmation, with
identity's step-up above WALLET_P2P_STEP_UP_ABOVE → done), the Cotis'Hokwe groups and the
HokweSplit plans (read-only).

Every page needs a login (else the tenant login with `next`) and shows only the signed-in
user's own objects: another's transfer, group or plan is the tenant-look 404 page. Every
refusal of a service (DomainError) is a form error on the page, never a 500. The pages
extend the tenant space's base (estate/tenant/base.html) through wallet/base.html."""

from __future__ import annotations

import uuid
from collections import deque
from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.core.web.pages import signed_in_page
from apps.identity import api as identity
from apps.kyc import api as kyc

from .. import selectors
from ..models import (
    P2pTransfer,
    SplitInstalment,
    SplitPlan,
    TontineContribution,
    TontineGroup,
    TontineMember,
    TontineRound,
    Wallet,
)
from ..services import p2p, split, statement, tontine, topups, wallets
from .forms import SendForm, TopUpForm

RECENT_LINES = 20  # last movements shown on « Mon portefeuille »
RECENT_DAYS = 92  # how far back they are read (the statement files hold everything)
RECENT_PAGES = 10
SESSION_PREVIEW = "wallet:p2p:preview:"
DEFAULT_CURRENCY = "XOF"  # the currency of a first wallet, as the wallet's API (own_wallet)


# --- helpers ----------------------------------------------------------------------------------


def _lang(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "fr") or "fr"


def _login_url(request) -> str:
    return f"{reverse('estate:tenant-login')}?{urlencode({'next': request.get_full_path()})}"


def _not_found(request):
    return render(request, "wallet/not_found.html", {}, status=404)


def wallet_page(methods=("GET",)):
    """Signed-in users only (else the tenant login with `next`); NotFound → the 404 page."""
    return signed_in_page(methods, login_url=_login_url, not_found=_not_found)


def _wallet(request) -> Wallet:
    """The user's wallet in ?currency= (one they hold), else their first, else a new one."""
    own = list(Wallet.objects.filter(user_id=request.user.pk).order_by("created_at", "id"))
    wanted = str(request.GET.get("currency") or request.POST.get("currency") or "").upper()
    for wallet in own:
        if wallet.currency == wanted:
            return wallet
    if own:
        return own[0]
    return selectors.own_wallet(request.user, DEFAULT_CURRENCY)


def _other_currencies(request, wallet: Wallet) -> list[str]:
    return list(
        Wallet.objects.filter(user_id=request.user.pk)
        .exclude(pk=wallet.pk)
        .order_by("currency")
        .values_list("currency", flat=True)
    )


def _error(form, exc: DomainError) -> None:
    message = str(exc.message)
    form.add_error(exc.field if exc.field in form.fields else None, message)


FLASH = "wallet:flash"


def flash(request, text: str) -> None:
    """One sentence shown once on the next wallet page (what was just done)."""
    request.session[FLASH] = str(text)


def _pop_flash(request) -> str:
    return request.session.pop(FLASH, "")


def _signed(amount: int, currency: str, language: str) -> str:
    text = format_amount(abs(amount), currency, language)
    return f"+{text}" if amount > 0 else f"−{text}" if amount < 0 else text


# --- « Mon portefeuille » -----------------------------------------------------------------------


def _recent_lines(wallet: Wallet) -> list:
    """The last RECENT_LINES posted lines of the last RECENT_DAYS, newest first (the ledger's
    statement reads forward from a date; at most RECENT_PAGES pages of 200 are read)."""
    start = timezone.now() - timedelta(days=RECENT_DAYS)
    kept: deque = deque(maxlen=RECENT_LINES)
    after = None
    for _page in range(RECENT_PAGES):
        _opening, lines, after = statement.statement_page(wallet, start=start, after=after, limit=200)
        kept.extend(lines)
        if after is None:
            break
    return list(reversed(kept))


def _limits(user, wallet: Wallet, usage, language: str) -> list[dict]:
    """What kyc's limits of the user's level still allow, in the wallet's currency."""
    try:
        limits = kyc.limits_for(user)
    except DomainError:
        return []
    if limits is None or limits.currency != wallet.currency:
        return []
    rows = [
        (_("Sent or paid today"), usage.outflow_today, limits.daily_outflow),
        (_("Received this month"), usage.inflow_this_month, limits.monthly_inflow),
        (_("Held in your wallet and savings"), usage.balance, limits.max_balance),
    ]
    out = []
    for label, used, limit in rows:
        if not limit:
            continue
        left = max(limit - used, 0)
        out.append(
            {
                "label": label,
                "used": format_amount(used, wallet.currency, language),
                "limit": format_amount(limit, wallet.currency, language),
                "left": format_amount(left, wallet.currency, language),
                "percent": min(100, round(used * 100 / limit)) if limit else 0,
            }
        )
    if limits.single_transaction:
        out.append(
            {
                "label": _("One operation at most"),
                "used": "",
                "limit": format_amount(limits.single_transaction, wallet.currency, language),
                "left": format_amount(limits.single_transaction, wallet.currency, language),
                "percent": None,
            }
        )
    return out


@wallet_page()
def home(request):
    language = _lang(request)
    wallet = _wallet(request)
    info = wallets.wallet_info(wallet)
    cur = wallet.currency
    usage = wallets.usage_of_wallet(wallet)
    generic = statement.line_label("")  # « Mouvement »: says nothing next to a description
    lines = [
        {
            "date": line.date,
            "label": "" if line.description and line.label == generic else line.label,
            "description": line.description,
            "amount": _signed(line.amount, cur, language),
            "credit": line.amount > 0,
            "balance": format_amount(line.balance, cur, language),
        }
        for line in _recent_lines(wallet)
    ]
    transfers = [p2p.p2p_view(row, request.user) for row in selectors.p2p_transfers_of(request.user)[:5]]
    return render(
        request,
        "wallet/home.html",
        {
            "wallet": wallet,
            "info": info,
            "balance": format_amount(info.balance, cur, language),
            "available": format_amount(info.available, cur, language),
            "held": format_amount(info.balance - info.available, cur, language)
            if info.balance > info.available
            else "",
            "frozen": wallet.status == Wallet.Status.FROZEN,
            "closed": wallet.status == Wallet.Status.CLOSED,
            "limits": _limits(request.user, wallet, usage, language),
            "tier": _tier(request.user),
            "lines": lines,
            "transfers": [_transfer_row(t, language) for t in transfers],
            "others": _other_currencies(request, wallet),
            "flash": _pop_flash(request),
        },
    )


def _tier(user) -> int | None:
    try:
        return kyc.tier_of(user)
    except DomainError:
        return None


def _statement_file(request, kind: str):
    wallet = _wallet(request)
    day = timezone.localdate().isoformat()
    name = f"releve-portefeuille-{wallet.currency}-{day}.{kind}"
    if kind == "csv":
        response = HttpResponse(
            statement.statement_csv(wallet, language=_lang(request)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        response = HttpResponse(
            statement.statement_pdf(wallet, language=_lang(request)), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@wallet_page()
def statement_csv(request):
    return _statement_file(request, "csv")


@wallet_page()
def statement_pdf(request):
    return _statement_file(request, "pdf")


# --- top-up by mobile money ---------------------------------------------------------------------


@wallet_page(methods=("GET", "POST"))
def topup(request):
    """The amount; topups.topup_start opens the payment intent and the tenant pays it on its
    pay page (mobile money; the sandbox provider in dev). The hidden key makes a double
    submit one top-up."""
    wallet = _wallet(request)
    form = TopUpForm(request.POST or None, initial={"key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            _row, intent = topups.topup_start(
                actor=request.user,
                amount=form.cleaned_data["amount"],
                currency=wallet.currency,
                idempotency_key=f"web:{form.cleaned_data['key']}",
            )
        except DomainError as exc:
            _error(form, exc)
        else:
            return redirect(intent.pay_url)
    return render(
        request,
        "wallet/topup.html",
        {"form": form, "wallet": wallet, "available": _available(wallet, _lang(request))},
        status=400 if form.errors else 200,
    )


def _available(wallet: Wallet, language: str) -> str:
    return format_amount(wallets.wallet_info(wallet).available, wallet.currency, language)


# --- send money ---------------------------------------------------------------------------------


@wallet_page(methods=("GET", "POST"))
def send(request):
    """Step 1: the number and the amount; p2p_preview refuses what it can know now (to
    oneself, a frozen wallet, the balance, kyc's limits) as form errors, else the preview
    is kept in the session and the confirmation page shows it."""
    wallet = _wallet(request)
    form = SendForm(request.POST or None, initial={"phone": request.GET.get("phone", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            preview = p2p.p2p_preview(
                actor=request.user,
                phone=data["phone"],
                amount=data["amount"],
                currency=wallet.currency,
                note=data["note"],
            )
        except DomainError as exc:
            _error(form, exc)
        else:
            request.session[SESSION_PREVIEW + str(preview.preview_id)] = {
                "token": preview.token,
                "phone": preview.receiver_phone,
                "name": preview.receiver_name,
                "has_account": preview.receiver_has_account,
                "amount": preview.amount,
                "fee": preview.fee,
                "total": preview.total,
                "currency": preview.currency,
                "note": preview.note,
                "step_up": preview.step_up_required,
                "action": preview.step_up_action,
                "target": preview.step_up_target,
                "claim_days": preview.claim_days,
            }
            return redirect(f"{reverse('wallet:send-confirm')}?{urlencode({'preview': preview.preview_id})}")
    return _send_page(request, form, wallet)


def _send_page(request, form, wallet, *, error: str = ""):
    return render(
        request,
        "wallet/send.html",
        {
            "form": form,
            "wallet": wallet,
            "available": _available(wallet, _lang(request)),
            "step_up_above": format_amount(p2p_step_up_above(), wallet.currency, _lang(request)),
            "error": error,
        },
        status=400 if form.errors else 200,
    )


def p2p_step_up_above() -> int:
    return settings.WALLET_P2P_STEP_UP_ABOVE


def _preview_id(request) -> str:
    raw = request.POST.get("preview") or request.GET.get("preview") or ""
    try:
        return str(uuid.UUID(str(raw)))
    except ValueError:
        return ""


@wallet_page(methods=("GET", "POST"))
def send_confirm(request):
    """Step 2: the preview as a confirmation (receiver's masked name, amount, fee, total);
    above the threshold a code (SMS or authenticator app) before sending; then the done
    page. A preview that is not in this session (expired, used, another's) sends back to
    step 1 with the reason."""
    language = _lang(request)
    preview_id = _preview_id(request)
    data = request.session.get(SESSION_PREVIEW + preview_id) if preview_id else None
    if not data:
        wallet = _wallet(request)
        expired = _("This preview has expired or was already used: enter the transfer again.")
        return _send_page(request, SendForm(), wallet, error=expired)
    cur = data["currency"]
    amount = format_amount(data["amount"], cur, language)
    if data["step_up"] and identity.second_factor_missing(
        request.user, action=data["action"], amount=data["amount"]
    ):
        # above the threshold an SMS code is not enough: say where to add the app, or send less
        from .actions import need_factor_page

        return need_factor_page(
            request,
            title=_("Send money"),
            what=_(
                "Above %(limit)s, a transfer is confirmed with a code of an authenticator app or a passkey, "
                "never by SMS alone: this protects you if someone takes over your SIM card. Up to %(limit)s, "
                "you can send without it."
            )
            % {"limit": format_amount(p2p_step_up_above(), cur, language)},
            back_url=reverse("wallet:send"),
            back_label=_("Send a smaller amount"),
        )
    phone = data["phone"]
    who = data["name"] or phone
    facts = [
        (pgettext("a transfer's receiver", "To"), data["name"] or phone),
        *([(_("Number"), phone)] if data["name"] else []),
        (_("Amount sent"), amount),
        (_("Fee"), format_amount(data["fee"], cur, language) if data["fee"] else _("free")),
        (_("Taken from your wallet"), format_amount(data["total"], cur, language)),
    ]
    if data["note"]:
        facts.append((_("Message"), data["note"]))
    if data["has_account"]:
        warning = _("Money sent to another wallet cannot be taken back: check the name and the number.")
    else:
        warning = _(
            "This number has no Hokwe account yet: they get an SMS invitation, and the money comes back "
            "to you if they do not sign up within %(days)s days."
        ) % {"days": data["claim_days"]}
    action = f"{reverse('wallet:send-confirm')}?{urlencode({'preview': preview_id})}"
    confirmation = Confirmation(
        title=_("Check and confirm"),
        question=_("Send %(amount)s to %(who)s?") % {"amount": amount, "who": who},
        facts=facts,
        warning=warning,
        hidden={"preview": preview_id},
        action_url=action,
        cancel_url=reverse("wallet:send"),
        button=_("Send the money"),
        step_up=bool(data["step_up"]),
        strong=bool(data["step_up"])
        and identity.needs_strong_factor(request.user, action=data["action"], amount=data["amount"]),
        base_template="wallet/base.html",
    )

    def send_code():
        challenge = identity.step_up_start(
            actor=request.user,
            action=data["action"],
            target=data["target"],
            amount=data["amount"],
            currency=cur,
        )
        return challenge.challenge_id, challenge.phone_hint

    def perform(*, challenge, code):
        proof_token = None
        if challenge:
            proof_token = identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code).token
        transfer = p2p.p2p_confirm(
            actor=request.user,
            preview_token=data["token"],
            idempotency_key=f"web:{preview_id}",
            step_up_token=proof_token,
        )
        request.session.pop(SESSION_PREVIEW + preview_id, None)
        return redirect(f"{reverse('wallet:transfer', args=[transfer.public_id])}?sent=1")

    return confirm_flow(
        request, confirmation, key=f"wallet.p2p.send:{preview_id}", send_code=send_code, perform=perform
    )


def _transfer_row(view, language: str) -> dict:
    return {
        "t": view,
        "amount": format_amount(view.amount, view.currency, language),
        "status": _p2p_status(view.status),
        "who": view.counterpart_name or view.counterpart_phone,
    }


def _p2p_status(value: str) -> str:
    return str(dict(P2pTransfer.Status.choices).get(value, value))


@wallet_page()
def transfer(request, transfer_id):
    """A transfer of the user's (sent or received): the done page after sending."""
    row = selectors.p2p_transfer_get(request.user, transfer_id)
    view = p2p.p2p_view(row, request.user)
    language = _lang(request)
    return render(
        request,
        "wallet/transfer.html",
        {
            "r": _transfer_row(view, language),
            "t": view,
            "just_sent": request.GET.get("sent") == "1" and view.direction == "sent",
            "balance": _available(row.sender_wallet, language) if view.direction == "sent" else "",
            "flash": _pop_flash(request),
        },
    )


# --- Cotis'Hokwe (read-only) --------------------------------------------------------------------


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value))


@wallet_page()
def groups(request):
    language = _lang(request)
    rows = []
    for group in tontine.groups_for(request.user).order_by("-created_at", "-id")[:50]:
        rows.append(
            {
                "g": group,
                "status": _label(TontineGroup.Status.choices, group.status),
                "contribution": format_amount(group.contribution, group.currency, language),
                "frequency": _label(TontineGroup.Frequency.choices, group.frequency),
            }
        )
    return render(request, "wallet/groups.html", {"rows": rows})


@wallet_page()
def group_detail(request, group_id):
    language = _lang(request)
    group = tontine.group_get(request.user, group_id)
    page = tontine.group_page(group, request.user)
    cur = page["currency"]
    m = lambda amount: format_amount(amount, cur, language)  # noqa: E731
    names = {row["id"]: row["name"] for row in page["members"]}
    members = [
        {
            **row,
            "status_label": _label(TontineMember.Status.choices, row["status"]),
            "is_me": row["id"] == page["my_seat"],
        }
        for row in page["members"]
    ]
    rounds = []
    for r in page["rounds"]:
        rounds.append(
            {
                **r,
                "status_label": _label(TontineRound.Status.choices, r["status"]),
                "beneficiary_label": r["beneficiary_name"] or names.get(r["beneficiary"], ""),
                "collected_text": m(r["collected"]),
                "paid_out_text": m(r["paid_out"]) if r["paid_out"] else "",
                "is_next": r["number"] == page["next_round"],
                "rows": [
                    {
                        "name": names.get(c["member"], ""),
                        "paid": c["status"] == TontineContribution.Status.PAID,
                        "status_label": _label(TontineContribution.Status.choices, c["status"]),
                        "method": _label(TontineContribution.Method.choices, c["method"])
                        if c["method"]
                        else "",
                        "amount": m(c["amount"]),
                    }
                    for c in r["contributions"]
                ],
            }
        )
    mine = page["my_next_due"]
    return render(
        request,
        "wallet/group.html",
        {
            "page": page,
            "status": _label(TontineGroup.Status.choices, page["status"]),
            "frequency": _label(TontineGroup.Frequency.choices, page["frequency"]),
            "order": _label(TontineGroup.Order.choices, page["order_method"]),
            "contribution": m(page["contribution"]),
            "members": members,
            "rounds": rounds,
            "next_name": names.get(page["next_beneficiary"], "") if page["next_beneficiary"] else "",
            "mine": {**mine, "amount_text": m(mine["amount"] + mine["penalty"])} if mine else None,
            "can_contribute": bool(mine) and page["status"] == TontineGroup.Status.ACTIVE,
            "order_rows": _payout_order(page, names),
            "draw": _draw(page, names),
            "flash": _pop_flash(request),
        },
    )


def _payout_order(page: dict, names: dict) -> list[dict]:
    """Who takes the pot in which round (the rounds' beneficiaries once the group started;
    before, the members' positions if any)."""
    rows = [
        {
            "n": r["number"],
            "due_date": r["due_date"],
            "name": r["beneficiary_name"] or names.get(r["beneficiary"], ""),
            "is_me": r["beneficiary"] is not None and r["beneficiary"] == page["my_seat"],
            "done": r["status"] == TontineRound.Status.PAID,
        }
        for r in page["rounds"]
    ]
    return rows


def _draw(page: dict, names: dict) -> dict | None:
    """The drawn order's proof as a member checks it: the hash published at creation, the
    seed revealed at the start, the members' ids and the order recomputed from them (and
    whether it is the order the group follows)."""
    draw = page["draw"]
    if draw["method"] != TontineGroup.Order.DRAWN:
        return None
    order = [str(x) for x in draw["order"]]
    followed = [str(r["beneficiary"]) for r in sorted(page["rounds"], key=lambda r: r["number"])]
    by_id = {str(k): v for k, v in names.items()}
    return {
        "seed_hash": draw["seed_hash"],
        "seed": draw["seed"],
        "member_ids": [{"id": i, "name": by_id.get(str(i), "")} for i in draw["member_ids"]],
        "order": [{"id": i, "name": by_id.get(i, "")} for i in order],
        "recipe": draw["recipe"],
        "matches": bool(order) and order == followed[: len(order)],
        "revealed": bool(draw["seed"]),
    }


# --- HokweSplit -----------------------------------------------------------------------------------


def _plan_row(plan, language: str) -> dict:
    split.plan_state(plan)
    cur = plan.currency
    nxt = plan.next_instalment
    return {
        "p": plan,
        "status": _label(SplitPlan.Status.choices, plan.status),
        "frequency": _label(SplitPlan.Frequency.choices, plan.frequency),
        "target": format_amount(plan.target, cur, language),
        "saved": format_amount(plan.saved, cur, language),
        "percent": min(100, round(plan.saved * 100 / plan.target)) if plan.target else 0,
        "next": {"on": nxt.on, "amount": format_amount(nxt.amount, cur, language)} if nxt else None,
    }


@wallet_page()
def plans(request):
    language = _lang(request)
    rows = [_plan_row(plan, language) for plan in selectors.split_plans_of(request.user)[:50]]
    return render(request, "wallet/plans.html", {"rows": rows, "flash": _pop_flash(request)})


@wallet_page()
def plan_detail(request, plan_id):
    from .actions import can_withdraw_early, pay_now_instalment

    language = _lang(request)
    plan = selectors.split_plan_get(request.user, plan_id)
    row = _plan_row(plan, language)
    schedule = [
        {
            "i": inst,
            "amount": format_amount(inst.amount, plan.currency, language),
            "status": _label(SplitInstalment.Status.choices, inst.status),
            "paid": inst.status == SplitInstalment.Status.PAID,
        }
        for inst in split.plan_schedule(plan)
    ]
    return render(
        request,
        "wallet/plan.html",
        {
            "r": row,
            "schedule": schedule,
            "rule": _label(SplitPlan.WithdrawalRule.choices, plan.withdrawal_rule),
            "source": _label(SplitPlan.Source.choices, plan.source),
            "pay_now": pay_now_instalment(plan),
            "can_withdraw": can_withdraw_early(plan) and plan.saved > 0,
            "locked": plan.withdrawal_rule == SplitPlan.WithdrawalRule.LOCKED,
            "flash": _pop_flash(request),
        },
    )
