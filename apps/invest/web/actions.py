"""The investor's writes as pages (/invest/…), each through core's confirmation page
(apps/core/web/confirm.py) — nothing is written before the person confirms:

- an order (/invest/products/<code>/order): the form (subscribe an amount, redeem an amount
  or units; buy or sell whole shares at a limit price) → a confirmation that states the
  amount held from the wallet now, the NAV date (and whether it is after the cut-off), the
  fees, the risk level, and asks a box ticked when the product is riskier than the
  investor's profile, and identity's SMS code when the amount held reaches
  INVEST_STEP_UP_ABOVE → services.orders.place_order → the order's page. The idempotency key
  is made when the confirmation is shown (a hidden field): a double submit is one order;
- cancelling an order the partner has not executed (services.orders.cancel_order);
- a monthly plan created (services.plans.create_plan, rent first), paused, resumed or
  cancelled (services.plans.set_plan_status; a confirmation for the cancellation).

Every refusal (DomainError) is shown on the page, never a 500; another user's order or plan
is the 404 page."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.templatetags.dates import day
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.identity import api as identity

from .. import domain, selectors
from ..contracts import UNIT_SCALE, ProductKind
from ..errors import AmountTooSmall, NotEnoughUnits, OrderNotCancellable, ProductClosed
from ..services import orders, plans
from .forms import FundOrderForm, PlanForm, ShareOrderForm
from .views import (
    CANCELLABLE,
    _lang,
    available,
    eligibility_problem,
    flash,
    invest_page,
    kind_label,
    minimum_of,
    money,
    nav_date_of,
    plan_products,
    plans_render,
    price_text,
    rate_text,
    rent_first_text,
    settlement_text,
    shares_text,
    side_name,
    units_text,
)

BASE = "invest/web/base.html"
KEY = re.compile(r"[0-9a-f]{32}")


def _key(request) -> str:
    """The order's idempotency key: made when the confirmation is first shown, then carried
    by its hidden field (a double submit sends the same one)."""
    key = str(request.POST.get("key") or "")
    return key if KEY.fullmatch(key) else uuid.uuid4().hex


def need_factor_page(request, *, title: str, what: str, back_url: str):
    """The step-up needs an authenticator app the person has not added: say where to add it."""
    return render(
        request,
        "invest/web/need_factor.html",
        {"title": title, "what": what, "enrol_url": identity.SECOND_FACTOR_ENROL_URL, "back_url": back_url},
    )


# --- an order ---------------------------------------------------------------------------------


def _free_units(request, product) -> int:
    position = selectors.positions_of(request.user).filter(product=product).first()
    return max(0, position.quantity - position.reserved) if position else 0


def _order_form(request, product, free: int):
    share = product.kind == ProductKind.SHARE
    wanted = str(request.GET.get("side") or "")
    if share:
        form = ShareOrderForm(request.POST or None, can_sell=free > 0, initial={"side": "buy"})
    else:
        form = FundOrderForm(request.POST or None, can_redeem=free > 0, initial={"side": "subscribe"})
    if wanted in dict(form.fields["side"].choices):
        form.initial["side"] = wanted
    return form


def _order_values(product, data) -> dict:
    """The form's data as place_order's arguments (quantities in 1/10,000 units)."""
    side = data["side"]
    if product.kind == ProductKind.SHARE:
        return {
            "side": side,
            "amount": None,
            "quantity": data["quantity"] * UNIT_SCALE,
            "limit_price": data["limit_price"],
        }
    return {
        "side": side,
        "amount": data.get("amount"),
        "quantity": data.get("units") if side == "redeem" else None,
        "limit_price": None,
    }


def _pre_check(request, product, values: dict, free: int) -> tuple[str | None, str] | None:
    """What the services would refuse and the page can say before the confirmation:
    (field, message), or None."""
    side = values["side"]
    buying = side in ("subscribe", "buy")
    if product.status != "open":
        return None, str(ProductClosed().message)
    problem = eligibility_problem(request.user, buying=buying)
    if problem:
        return None, problem
    if side == "subscribe" and values["amount"] < minimum_of(product):
        return "amount", _("%(refusal)s Minimum: %(amount)s.") % {
            "refusal": AmountTooSmall().message,
            "amount": money(minimum_of(product), product.currency, _lang(request)),
        }
    if buying:
        held = orders.to_hold(product, side, values["amount"], values["quantity"], values["limit_price"])
        if held > available(request.user, product.currency):
            return ("amount" if side == "subscribe" else "quantity"), _(
                "Your wallet's balance is too low. Top up your wallet first."
            )
        return None
    if values["quantity"] is not None:
        if values["quantity"] > free:
            return ("units" if side == "redeem" else "quantity"), str(NotEnoughUnits().message)
    elif not product.price or domain.value(free, product.price) < values["amount"]:
        return "amount", str(NotEnoughUnits().message)
    return None


def _hidden(values: dict, key: str) -> dict:
    hidden = {"side": values["side"], "key": key}
    if values["side"] in ("buy", "sell"):
        hidden["quantity"] = values["quantity"] // UNIT_SCALE
        limit = values["limit_price"]
        hidden["limit_price"] = f"{limit // UNIT_SCALE}.{limit % UNIT_SCALE:04d}"
    else:
        if values["amount"] is not None:
            hidden["amount"] = values["amount"]
        if values["quantity"] is not None:
            q = values["quantity"]
            hidden["units"] = f"{q // UNIT_SCALE}.{q % UNIT_SCALE:04d}"
    return hidden


@invest_page(methods=("GET", "POST"))
def order_new(request, code):
    """Step 1: the order form; a valid form → the confirmation (actions below); the
    refusals the page can see now are form errors."""
    product = selectors.product(code)  # unknown: the 404 page
    language = _lang(request)
    free = _free_units(request, product)
    form = _order_form(request, product, free)
    step = request.POST.get("confirm_step", "") if request.method == "POST" else ""
    if request.method == "POST" and form.is_valid():
        values = _order_values(product, form.cleaned_data)
        refusal = None if step else _pre_check(request, product, values, free)
        if refusal is None:
            return _order_confirm(request, product, values, _key(request))
        field, message = refusal
        form.add_error(field if field in form.fields else None, message)
    profile = selectors.profile_of(request.user)
    buying_problem = eligibility_problem(request.user, buying=True)
    return render(
        request,
        "invest/web/order_form.html",
        {
            "form": form,
            "p": product,
            "share": product.kind == ProductKind.SHARE,
            "kind": kind_label(product.kind),
            "minimum": money(minimum_of(product), product.currency, language),
            "price": price_text(product.price, product.currency, language),
            "available": money(available(request.user, product.currency), product.currency, language),
            "free": units_text(free, language) if free else "",
            "above": profile is not None and product.risk > profile.max_risk,
            "no_profile": profile is None,
            "problem": buying_problem,
            "open": product.status == "open",
            "step_up_above": money(settings.INVEST_STEP_UP_ABOVE, product.currency, language),
        },
        status=400 if form.errors else 200,
    )


def _order_confirm(request, product, values: dict, key: str):
    language = _lang(request)
    cur = product.currency
    side = values["side"]
    buying = side in ("subscribe", "buy")
    share = product.kind == ProductKind.SHARE
    profile = selectors.profile_of(request.user)
    above = buying and profile is not None and product.risk > profile.max_risk
    held = (
        orders.to_hold(product, side, values["amount"], values["quantity"], values["limit_price"])
        if buying
        else 0
    )
    nav_date, after_cutoff = nav_date_of(product)
    m = lambda amount: money(amount, cur, language)  # noqa: E731
    facts = [(_("Product"), f"{product.name} ({product.code})"), (_("Operation"), side_name(side))]
    if share:
        count = shares_text(values["quantity"], language)
        limit = price_text(values["limit_price"], cur, language)
        facts += [(_("Number of shares"), count), (_("Limit price"), limit)]
        brokerage = _("%(rate)s of the amount, at least %(minimum)s") % {
            "rate": rate_text(product.brokerage_bps, language),
            "minimum": m(product.min_fee),
        }
        facts.append((_("Brokerage"), brokerage))
        if side == "buy":
            facts.append((_("Held from your wallet now (the most it can cost, brokerage included)"), m(held)))
            question = _("Buy %(count)s « %(product)s » shares at %(price)s each at most?")
        else:
            question = _("Sell %(count)s « %(product)s » shares at %(price)s each at least?")
        question = question % {"count": count, "product": product.name, "price": limit}
        facts.append((_("Settlement"), settlement_text(product)))
    else:
        if side == "subscribe":
            fees = domain.fee(values["amount"], product.entry_fee_bps)
            facts.append((_("Amount"), m(values["amount"])))
            facts.append((_("Entry fee"), f"{rate_text(product.entry_fee_bps, language)} · {m(fees)}"))
            facts.append((_("Held from your wallet now"), m(held)))
            question = _("Invest %(amount)s in « %(product)s »?") % {
                "amount": m(values["amount"]),
                "product": product.name,
            }
        else:
            what = (
                m(values["amount"])
                if values["amount"] is not None
                else _("%(units)s units") % {"units": units_text(values["quantity"], language)}
            )
            facts.append((_("To take back"), what))
            facts.append((_("Exit fee"), rate_text(product.exit_fee_bps, language)))
            question = _("Take back %(what)s from « %(product)s »?") % {"what": what, "product": product.name}
        nav_text = day(nav_date)
        if after_cutoff:
            nav_text = _(
                "%(date)s — placed after the cut-off time (%(cutoff)s), the next net asset value"
            ) % {
                "date": nav_text,
                "cutoff": product.cutoff.strftime("%H:%M") if product.cutoff else "",
            }
        facts.append((_("Net asset value (NAV) of"), nav_text))
        facts.append((_("Money in your wallet"), settlement_text(product)))
    facts.append(
        (
            _("Risk level"),
            _("%(level)s of 7 · %(label)s")
            % {"level": product.risk, "label": domain.risk_label(product.risk)},
        )
    )
    if profile is not None:
        facts.append(
            (_("Your investor profile"), _("risk up to %(level)s of 7") % {"level": profile.max_risk})
        )
    if buying:
        facts.append((_("Available in your wallet"), m(available(request.user, cur))))
        warning = (
            _(
                "The amount is held in your wallet now and paid when the partner executes the order; if the "
                "order is rejected or cancelled, it comes back to your wallet."
            )
            + " "
            + str(domain.PAST_PERFORMANCE_WARNING)
        )
    else:
        warning = _(
            "The units are set aside now; the money arrives in your wallet at settlement, less the fees. "
            "You can cancel the order until the partner executes it."
        )
    step_up = buying and orders.step_up_needed(held)
    if step_up and identity.second_factor_missing(request.user, action=orders.STEP_UP_ACTION, amount=held):
        return need_factor_page(
            request,
            title=_("Confirm my order"),
            what=_(
                "Above %(limit)s, an order is confirmed with a code of an authenticator app or a passkey, "
                "never by SMS alone: this protects you if someone takes over your SIM card."
            )
            % {"limit": m(settings.INVEST_STEP_UP_ABOVE)},
            back_url=reverse("invest:order-new", args=[product.code]),
        )
    confirmation = Confirmation(
        title=_("Check and confirm my order"),
        question=question,
        facts=facts,
        warning=warning,
        hidden=_hidden(values, key),
        action_url=reverse("invest:order-new", args=[product.code]),
        cancel_url=reverse("invest:product", args=[product.code]),
        button=_("Place the order"),
        acknowledge=_(
            "I understand that this product (risk %(risk)s of 7) is riskier than my investor profile "
            "(up to %(max)s of 7), and that I may lose part of the money invested."
        )
        % {"risk": product.risk, "max": profile.max_risk}
        if above
        else "",
        step_up=step_up,
        strong=step_up
        and identity.needs_strong_factor(request.user, action=orders.STEP_UP_ACTION, amount=held),
        base_template=BASE,
    )

    def send_code():
        challenge = identity.step_up_start(
            actor=request.user,
            action=orders.STEP_UP_ACTION,
            target=str(product.public_id),
            amount=held,
            currency=cur,
        )
        return challenge.challenge_id, challenge.phone_hint

    def perform(*, challenge, code):
        token = None
        if challenge:
            token = identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code).token
        row = orders.place_order(
            actor=request.user,
            product=product,
            side=side,
            idempotency_key=f"web:{key}",
            amount=values["amount"],
            quantity=values["quantity"],
            limit_price=values["limit_price"],
            acknowledge_risk=above,
            step_up_token=token,
        )
        flash(
            request,
            _("Your order is placed: %(side)s of « %(product)s ».")
            % {
                "side": side_name(row.side).lower(),
                "product": product.name,
            },
        )
        return redirect("invest:order", row.public_id)

    return confirm_flow(
        request,
        confirmation,
        key=f"invest.order:{key}",
        send_code=send_code if step_up else None,
        perform=perform,
    )


@invest_page(methods=("GET", "POST"))
def order_cancel(request, order_id):
    row = selectors.order_of(request.user, order_id)  # another's: the 404 page
    back = reverse("invest:order", args=[row.public_id])
    if row.status not in CANCELLABLE:
        flash(request, str(OrderNotCancellable().message))
        return redirect(back)
    language = _lang(request)
    product = row.product
    facts = [(_("Product"), product.name), (_("Operation"), side_name(row.side))]
    if row.amount is not None:
        facts.append((_("Amount"), money(row.amount, row.currency, language)))
    if row.held:
        facts.append((_("Back in your wallet"), money(row.held, row.currency, language)))
    confirmation = Confirmation(
        title=_("Cancel the order"),
        question=_("Cancel your order « %(side)s » on « %(product)s »?")
        % {"side": side_name(row.side), "product": product.name},
        facts=facts,
        warning=_(
            "The partner is asked first: an order it has already executed cannot be cancelled. The amount "
            "held comes back to your wallet."
        ),
        action_url=reverse("invest:order-cancel", args=[row.public_id]),
        cancel_url=back,
        button=_("Cancel the order"),
        base_template=BASE,
    )

    def perform(*, challenge, code):
        orders.cancel_order(actor=request.user, order=row.public_id)
        flash(request, _("Order cancelled: nothing was executed, the money is back in your wallet."))
        return redirect(back)

    return confirm_flow(request, confirmation, key=f"invest.order.cancel:{row.public_id}", perform=perform)


# --- monthly plans --------------------------------------------------------------------------------


@invest_page(methods=("GET", "POST"))
def plan_new(request):
    """The plans page's form → a confirmation (rent first said again; the box to tick when
    the product is riskier than the profile) → the plan."""
    if request.method == "GET":
        return redirect("invest:plans")
    language = _lang(request)
    choices = plan_products(request.user)
    by_id = {str(p.public_id): p for p in choices}
    form = PlanForm(
        request.POST,
        products=[(str(p.public_id), f"{p.name} · {kind_label(p.kind)}") for p in choices],
    )
    step = request.POST.get("confirm_step", "")
    if form.is_valid():
        data = form.cleaned_data
        product = by_id[data["product"]]
        problem = "" if step else eligibility_problem(request.user, buying=True)
        if problem:
            form.add_error(None, problem)
        elif not step and data["amount"] < minimum_of(product):
            form.add_error(
                "amount",
                _("%(refusal)s Minimum: %(amount)s.")
                % {
                    "refusal": AmountTooSmall().message,
                    "amount": money(minimum_of(product), product.currency, language),
                },
            )
        else:
            return _plan_confirm(request, product, data["amount"], data["day"])
    return plans_render(request, form=form)


def _plan_confirm(request, product, amount: int, day_of_month: int):
    language = _lang(request)
    profile = selectors.profile_of(request.user)
    above = profile is not None and product.risk > profile.max_risk
    first = plans.next_date(day_of_month, timezone.localdate() - timedelta(days=1))
    m = money(amount, product.currency, language)
    confirmation = Confirmation(
        title=_("Invest every month"),
        question=_("Invest %(amount)s in « %(product)s » on day %(day)s of every month?")
        % {"amount": m, "product": product.name, "day": day_of_month},
        facts=[
            (_("Product"), product.name),
            (_("Amount each month"), m),
            (_("Day of the month"), str(day_of_month)),
            (_("First investment"), day(first)),
            (
                _("Risk level"),
                _("%(level)s of 7 · %(label)s")
                % {"level": product.risk, "label": domain.risk_label(product.risk)},
            ),
        ],
        warning=rent_first_text() + " " + _("You can pause, resume or stop the plan at any time."),
        hidden={"product": str(product.public_id), "amount": amount, "day": day_of_month},
        action_url=reverse("invest:plan-new"),
        cancel_url=reverse("invest:plans"),
        button=_("Start the plan"),
        acknowledge=_(
            "I understand that this product (risk %(risk)s of 7) is riskier than my investor profile "
            "(up to %(max)s of 7), and that I may lose part of the money invested."
        )
        % {"risk": product.risk, "max": profile.max_risk}
        if above
        else "",
        base_template=BASE,
    )

    def perform(*, challenge, code):
        plans.create_plan(
            actor=request.user, product=product, amount=amount, day=day_of_month, acknowledge_risk=above
        )
        flash(
            request, _("Your monthly plan has started: first investment on %(date)s.") % {"date": day(first)}
        )
        return redirect("invest:plans")

    return confirm_flow(
        request,
        confirmation,
        key=f"invest.plan.create:{product.public_id}:{amount}:{day_of_month}",
        perform=perform,
    )


@invest_page(methods=("POST",))
def plan_status(request, plan_id):
    """Pause or resume a plan (its own button on the plans page; nothing to confirm)."""
    plan = selectors.plan_of(request.user, plan_id)  # another's: the 404 page
    wanted = str(request.POST.get("status") or "")
    if wanted not in ("paused", "active"):
        flash(request, _("Choose to pause or to resume the plan."))
        return redirect("invest:plans")
    try:
        row = plans.set_plan_status(actor=request.user, plan=plan.public_id, status=wanted)
    except DomainError as exc:
        if exc.status == 404:
            raise
        flash(request, str(exc.message))
        return redirect("invest:plans")
    if wanted == "paused":
        flash(request, _("Plan paused: nothing is invested until you resume it."))
    else:
        flash(request, _("Plan resumed: next investment on %(date)s.") % {"date": day(row.next_on)})
    return redirect("invest:plans")


@invest_page(methods=("GET", "POST"))
def plan_cancel(request, plan_id):
    plan = selectors.plan_of(request.user, plan_id)  # another's: the 404 page
    if plan.status == "cancelled":
        flash(request, _("This plan is already stopped."))
        return redirect("invest:plans")
    language = _lang(request)
    confirmation = Confirmation(
        title=_("Stop the plan"),
        question=_("Stop investing %(amount)s in « %(product)s » every month?")
        % {"amount": money(plan.amount, plan.currency, language), "product": plan.product.name},
        facts=[
            (_("Product"), plan.product.name),
            (_("Amount each month"), money(plan.amount, plan.currency, language)),
            (_("Day of the month"), str(plan.day)),
        ],
        warning=_("What the plan already invested stays invested: stopping it sells nothing."),
        action_url=reverse("invest:plan-cancel", args=[plan.public_id]),
        cancel_url=reverse("invest:plans"),
        button=_("Stop the plan"),
        base_template=BASE,
    )

    def perform(*, challenge, code):
        plans.set_plan_status(actor=request.user, plan=plan.public_id, status="cancelled")
        flash(request, _("Plan stopped: nothing more will be invested."))
        return redirect("invest:plans")

    return confirm_flow(request, confirmation, key=f"invest.plan.cancel:{plan.public_id}", perform=perform)


__all__ = ["order_cancel", "order_new", "plan_cancel", "plan_new", "plan_status"]
