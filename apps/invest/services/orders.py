"""Orders (docs/invest.md « Orders »): created -> sent -> acknowledged -> executed / partially
executed / rejected / cancelled.

    order = place_order(actor=user, product=code, side="subscribe", amount=10_000,
                        idempotency_key=key)          # the cash held, the order sent
    refresh_order(order)                              # the partner's status call, applied

- Placing: eligibility (kyc tier 2, the questionnaire, a recorded acknowledgement for a
  product above the profile), then in one transaction the order row and the wallet hold
  (subscriptions and buys) or the units set aside (redemptions and sells). Commit.
- Sending (no transaction, no lock): the order is marked sent first (the intent), then the
  partner is called with the order's public id as its idempotency key. A timeout leaves it
  sent; the polling run asks the partner's status and sends it again only when the partner
  does not know it: never doubled.
- Applying an answer (`apply_state`, one transaction, the order row locked): each fill once
  (by its execution id), the position (average cost), the status. A callback only names the
  order: its content is never trusted, the partner's status call is.
- Settling (at the fills' settlement date: the NAV date for funds, T+n for shares): the hold
  is posted for the cash the fills cost (the rest released), or the proceeds are credited
  to the wallet from the partner's ledger account. Once per order (`settled_at`, the
  ledger's idempotency keys).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.core.errors import IdempotencyConflict
from apps.core.outbox import publish
from apps.identity import api as identity
from apps.kyc import api as kyc
from apps.wallet import api as wallet

from .. import domain
from ..contracts import OrderSide, PartnerOrderRequest, PartnerOrderState, PartnerStatus, ProductKind
from ..errors import (
    AmountTooSmall,
    InvalidOrder,
    NotEnoughUnits,
    OrderNotCancellable,
    OrderNotFound,
    ProductClosed,
    ProductNotFound,
    ProfileRequired,
    RiskAcknowledgementRequired,
    TierTooLow,
)
from ..events import OrderRejected, OrderSettled
from ..models import Execution, InvestorProfile, Order, Position, Product, RiskAcknowledgement
from ..providers import partner_client
from ..providers.base import PartnerRefused, PartnerUnavailable
from .accounts import partner_account, partner_ledger_account

log = logging.getLogger(__name__)

REQUIRED_TIER = 2
LEDGER_CODE_BUY = "invest_order"
LEDGER_CODE_SELL = "invest_proceeds"
FUND_SIDES = (OrderSide.SUBSCRIBE, OrderSide.REDEEM)
SHARE_SIDES = (OrderSide.BUY, OrderSide.SELL)
STEP_UP_ACTION = "invest.order.place"  # identity's step-up of a subscription or buy at or above the threshold
# a redemption by amount sets aside the units it should take at the latest NAV, plus this
# margin (basis points) for the NAV it will get, within what the investor holds
REDEEM_MARGIN_BPS = 500


def _now() -> datetime:
    return timezone.now()


def product_for(code_or_id) -> Product:
    query = Product.objects.select_related("partner")
    row = None
    try:
        row = query.filter(public_id=UUID(str(code_or_id))).first()
    except ValueError:
        row = query.filter(code=str(code_or_id)).first()
    if row is None:
        raise ProductNotFound(field="product")
    return row


def ensure_eligible(actor, product: Product, *, acknowledge_risk: bool) -> bool:
    """Kyc tier 2 and a profile; above the profile's risk an acknowledgement (recorded once
    per order placed with it). Returns whether the product is above the profile."""
    if kyc.tier_of(actor) < REQUIRED_TIER:
        raise TierTooLow()
    profile = InvestorProfile.objects.filter(user_id=actor.pk).first()
    if profile is None:
        raise ProfileRequired()
    if product.risk <= profile.max_risk:
        return False
    if not acknowledge_risk:
        raise RiskAcknowledgementRequired(
            field="acknowledge_risk", product_risk=product.risk, profile_max_risk=profile.max_risk
        )
    RiskAcknowledgement.objects.create(
        user_id=actor.pk,
        product=product,
        product_risk=product.risk,
        profile_max_risk=profile.max_risk,
        text=str(RiskAcknowledgementRequired.default_message),
    )
    return True


def _validate(product: Product, side: str, amount, quantity, limit_price) -> OrderSide:
    try:
        side = OrderSide(side)
    except ValueError:
        raise InvalidOrder(field="side") from None
    allowed = SHARE_SIDES if product.kind == ProductKind.SHARE else FUND_SIDES
    if side not in allowed:
        raise InvalidOrder(field="side")
    for name, value in (("amount", amount), ("quantity", quantity), ("limit_price", limit_price)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
            raise InvalidOrder(field=name)
    if side in SHARE_SIDES:
        if quantity is None or limit_price is None or amount is not None:
            raise InvalidOrder(field="quantity")
        if quantity % domain.UNIT_SCALE:
            raise InvalidOrder(field="quantity")  # shares trade whole
    elif side == OrderSide.SUBSCRIBE:
        if amount is None or quantity is not None or limit_price is not None:
            raise InvalidOrder(field="amount")
        if amount < max(settings.INVEST_MIN_ORDER, product.min_amount):
            raise AmountTooSmall(field="amount", minimum=max(settings.INVEST_MIN_ORDER, product.min_amount))
    else:  # redeem: an amount or a quantity of units
        if (amount is None) == (quantity is None) or limit_price is not None:
            raise InvalidOrder(field="amount")
    return side


def _same(order: Order, side, amount, quantity, limit_price, product: Product) -> bool:
    return (order.side, order.amount, order.quantity, order.limit_price, order.product_id) == (
        side,
        amount,
        quantity,
        limit_price,
        product.pk,
    )


def _nav_date(product: Product, now: datetime) -> tuple[date | None, bool]:
    """The NAV date of a fund order placed `now`, and whether it was after the cut-off (the
    order then goes to the next NAV and says so)."""
    if product.kind == ProductKind.SHARE:
        return None, False
    tz = settings.INVEST_MARKET_TIMEZONE
    cutoff = product.cutoff or datetime.max.time()
    nav_date = domain.next_nav_date(now, cutoff, tz=tz)
    local = timezone.localtime(now, timezone=_zone(tz))
    return nav_date, domain.is_business_day(local.date()) and local.time() >= cutoff


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _units_to_set_aside(
    product: Product, position: Position, amount: int | None, quantity: int | None
) -> int:
    free = position.quantity - position.reserved
    if quantity is not None:
        if quantity > free:
            raise NotEnoughUnits(field="quantity")
        return quantity
    if free <= 0 or not product.price:
        raise NotEnoughUnits(field="amount")
    if domain.value(free, product.price) < amount:
        raise NotEnoughUnits(field="amount")
    fill = domain.redemption_by_amount(amount, product.price, product.exit_fee_bps, free)
    return min(free, fill.units + fill.units * REDEEM_MARGIN_BPS // 10_000 + 1)


def to_hold(product: Product, side, amount, quantity, limit_price) -> int:
    """The cash a subscription or buy holds in the wallet."""
    if side == OrderSide.SUBSCRIBE:
        return amount
    return domain.share_buy_cost(quantity, limit_price, product.brokerage_bps, product.min_fee)


def step_up_needed(held: int) -> bool:
    return held > settings.INVEST_STEP_UP_ABOVE


def place_order(
    *,
    actor,
    product,
    side: str,
    idempotency_key: str,
    amount: int | None = None,
    quantity: int | None = None,
    limit_price: int | None = None,
    acknowledge_risk: bool = False,
    step_up_token: str | None = None,
    plan=None,
    send: bool = True,
    now: datetime | None = None,
) -> Order:
    """Place an order for `actor` (see the module's docstring). Idempotent on
    (`actor`, `idempotency_key`): the same order back, a different one refused. A
    subscription or buy holding more than INVEST_STEP_UP_ABOVE needs identity's step-up of
    (STEP_UP_ACTION, the product's public id, the amount held, the currency): `step_up_token`
    (a monthly plan's orders were consented to when the plan was made)."""
    product = product if isinstance(product, Product) else product_for(product)
    key = (idempotency_key or "").strip()[:200]
    if not key:
        raise IdempotencyConflict(field="Idempotency-Key")
    existing = Order.objects.filter(user_id=actor.pk, idempotency_key=key).first()
    if existing is not None:
        if not _same(existing, side, amount, quantity, limit_price, product):
            raise IdempotencyConflict(field="Idempotency-Key")
        return existing
    if product.status != Product.Status.OPEN or not product.partner.active:
        raise ProductClosed(field="product")
    side = _validate(product, side, amount, quantity, limit_price)
    now = now or _now()
    nav_date, after_cutoff = _nav_date(product, now)
    try:
        with transaction.atomic():
            acknowledged = False
            if side in (OrderSide.SUBSCRIBE, OrderSide.BUY):
                acknowledged = ensure_eligible(actor, product, acknowledge_risk=acknowledge_risk)
            elif kyc.tier_of(actor) < REQUIRED_TIER:
                raise TierTooLow()
            order = Order.objects.create(
                user_id=actor.pk,
                product=product,
                plan=plan,
                side=side,
                currency=product.currency,
                amount=amount,
                quantity=quantity,
                limit_price=limit_price,
                nav_date=nav_date,
                after_cutoff=after_cutoff,
                idempotency_key=key,
                risk_acknowledged=acknowledged,
            )
            if side in (OrderSide.SUBSCRIBE, OrderSide.BUY):
                held = to_hold(product, side, amount, quantity, limit_price)
                hold, day = wallet.hold_wallet(
                    user=actor,
                    amount=held,
                    currency=product.currency,
                    to_account=partner_ledger_account(product.partner, product.currency),
                    idempotency_key=f"invest:order:{order.public_id}",
                    code=LEDGER_CODE_BUY,
                    description=f"HokweInvest {product.name}",
                    reference=f"invest.Order:{order.public_id}",
                )
                if plan is None and step_up_needed(held):  # after the balance and kyc said yes
                    identity.require_step_up(
                        actor=actor,
                        action=STEP_UP_ACTION,
                        target=str(product.public_id),
                        amount=held,
                        currency=product.currency,
                        token=step_up_token,
                    )
                Order.objects.filter(pk=order.pk).update(hold=hold.public_id, held=held, usage_day=day)
                order.hold, order.held, order.usage_day = hold.public_id, held, day
            else:
                position = (
                    Position.objects.select_for_update().filter(user_id=actor.pk, product=product).first()
                )
                if position is None:
                    raise NotEnoughUnits(field="quantity" if quantity else "amount")
                units = _units_to_set_aside(product, position, amount, quantity)
                Position.objects.filter(pk=position.pk).update(reserved=F("reserved") + units)
                Order.objects.filter(pk=order.pk).update(reserved_units=units)
                order.reserved_units = units
            partner_account(actor, product.partner)
    except IntegrityError:
        existing = Order.objects.filter(user_id=actor.pk, idempotency_key=key).first()
        if existing is None:
            raise
        return existing
    if send:
        send_order(order)
        order.refresh_from_db()
    return order


def _request(order: Order) -> PartnerOrderRequest:
    account = partner_account(order.user, order.product.partner)
    return PartnerOrderRequest(
        client_order_id=str(order.public_id),
        account=account.reference,
        product_code=order.product.code,
        side=OrderSide(order.side),
        amount=order.amount,
        quantity=order.quantity,
        limit_price=order.limit_price,
        nav_date=order.nav_date,
    )


def send_order(order: Order) -> Order:
    """Send a created (or sent but unanswered) order to its partner. Outside any transaction."""
    order = Order.objects.select_related("product", "product__partner", "user").get(pk=order.pk)
    if order.status not in (Order.Status.CREATED, Order.Status.SENT):
        return order
    now = _now()
    Order.objects.filter(pk=order.pk, status=Order.Status.CREATED).update(
        status=Order.Status.SENT, sent_at=now, updated_at=now
    )
    Order.objects.filter(pk=order.pk).update(attempts=F("attempts") + 1, checked_at=now)
    client = partner_client(order.product.partner)
    try:
        state = client.submit(_request(order))
    except PartnerRefused as exc:
        return apply_state(
            order.pk,
            PartnerOrderState(
                client_order_id=str(order.public_id), status=PartnerStatus.REJECTED, reason=str(exc)
            ),
        )
    except PartnerUnavailable as exc:
        Order.objects.filter(pk=order.pk).update(last_error=str(exc)[:200])
        log.warning("invest order %s: partner unavailable (%s); left sent", order.public_id, exc)
        return Order.objects.get(pk=order.pk)
    return apply_state(order.pk, state)


def refresh_order(order: Order) -> Order:
    """Ask the partner's status call and apply it (the polling run, a callback, the admin's
    repair). A partner that does not know a sent order gets it again (idempotent there)."""
    order = Order.objects.select_related("product", "product__partner").get(pk=order.pk)
    if order.status in Order.FINAL:
        return order
    if order.status == Order.Status.CREATED:
        return send_order(order)
    client = partner_client(order.product.partner)
    try:
        state = client.status(str(order.public_id))
    except PartnerUnavailable as exc:
        Order.objects.filter(pk=order.pk).update(last_error=str(exc)[:200], checked_at=_now())
        return order
    Order.objects.filter(pk=order.pk).update(checked_at=_now())
    if state.status == PartnerStatus.UNKNOWN:
        return send_order(order)
    return apply_state(order.pk, state)


_STATUS = {
    PartnerStatus.RECEIVED: Order.Status.ACKNOWLEDGED,
    PartnerStatus.PARTIALLY_EXECUTED: Order.Status.PARTIALLY_EXECUTED,
    PartnerStatus.EXECUTED: Order.Status.EXECUTED,
    PartnerStatus.REJECTED: Order.Status.REJECTED,
    PartnerStatus.CANCELLED: Order.Status.CANCELLED,
}


def _apply_fill(order: Order, position: Position, execution) -> None:
    """One new fill: the order's sums and the position (average cost)."""
    if order.buys:
        cash = execution.amount + execution.fees
        quantity, cost = domain.after_buy(position.quantity, position.cost, execution.quantity, cash)
        position.quantity, position.cost = quantity, cost
    else:
        cash = max(0, execution.amount - execution.fees)
        sold = min(execution.quantity, position.quantity)
        quantity, cost, realised = domain.after_sell(position.quantity, position.cost, sold, cash)
        position.quantity, position.cost = quantity, cost
        position.realised += realised
        position.reserved = max(
            0, min(position.reserved - min(sold, order.reserved_units), position.quantity)
        )
        order.reserved_units = max(0, order.reserved_units - sold)
    order.executed_quantity += execution.quantity
    order.executed_amount += execution.amount
    order.fees += execution.fees
    order.cash += cash
    order.settle_on = max(order.settle_on or execution.settle_on, execution.settle_on)
    order.executed_at = execution.executed_at
    # valued at the fill's price until the nightly valuation
    position.price = execution.price
    position.price_on = timezone.localtime(execution.executed_at).date()
    position.value = domain.value(position.quantity, execution.price)


def apply_state(order_pk: int, state: PartnerOrderState, *, today: date | None = None) -> Order:
    """Apply the partner's answer once: new fills (by execution id), the status, and the
    settlement when it is due. Idempotent: a replayed answer changes nothing."""
    today = today or timezone.localdate()
    events = []
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("product", "user").get(pk=order_pk)
        if order.status in Order.FINAL:  # answered already (its settlement: settle_due)
            return order
        known = set(Execution.objects.filter(order=order).values_list("execution_id", flat=True))
        fresh = [e for e in state.executions if e.execution_id not in known]
        if fresh:
            position, _ = Position.objects.select_for_update().get_or_create(
                user_id=order.user_id, product=order.product
            )
            for execution in fresh:
                Execution.objects.create(
                    order=order,
                    execution_id=execution.execution_id,
                    quantity=execution.quantity,
                    price=execution.price,
                    amount=execution.amount,
                    fees=execution.fees,
                    executed_at=execution.executed_at,
                    settle_on=execution.settle_on,
                )
                _apply_fill(order, position, execution)
            position.save()
        if state.partner_ref:
            order.partner_ref = state.partner_ref[:64]
        new_status = _STATUS.get(state.status)
        if new_status is not None and order.status not in Order.FINAL:
            order.status = new_status
        if state.reason:
            order.reason = state.reason[:300]
        order.last_error = ""
        order.save()
        if order.status in Order.FINAL:
            events += _finish(order, today)
        for event in events:
            publish(event)
    return order


def _finish(order: Order, today: date) -> list:
    """A final order: nothing executed -> the hold released / the units freed; something
    executed -> settled now if its date has come (else by the daily settlement run)."""
    if not order.executed_quantity:
        _release(order)
        return [
            OrderRejected(
                order=str(order.public_id),
                user=str(order.user.public_id),
                product=order.product.code,
                side=order.side,
                reason=order.reason,
            )
        ]
    if order.reserved_units and not order.buys:  # a sell that ended partly filled
        Position.objects.filter(user_id=order.user_id, product=order.product).update(
            reserved=F("reserved") - order.reserved_units
        )
        order.reserved_units = 0
        order.save(update_fields=["reserved_units", "updated_at"])
    if order.settle_on and order.settle_on <= today:
        return _settle(order, today)
    return []


def _release(order: Order) -> None:
    if order.hold:
        wallet.void_wallet_hold(
            user=order.user, hold=order.hold, held=order.held, currency=order.currency, day=order.usage_day
        )
    if order.reserved_units:
        Position.objects.filter(user_id=order.user_id, product=order.product).update(
            reserved=F("reserved") - order.reserved_units
        )
        order.reserved_units = 0
        order.save(update_fields=["reserved_units", "updated_at"])


def _settle(order: Order, today: date) -> list:
    """Move the order's cash (inside the caller's transaction, the order row locked)."""
    if order.settled_at is not None:
        return []
    if order.buys:
        cash = min(order.cash, order.held)
        if order.cash > order.held:
            order.last_error = f"the partner charged {order.cash}, {order.held} was held"
        wallet.post_wallet_hold(
            user=order.user,
            hold=order.hold,
            amount=cash,
            held=order.held,
            currency=order.currency,
            day=order.usage_day,
        )
    else:
        cash = order.cash
        if cash > 0:
            wallet.credit_wallet(
                user=order.user,
                amount=cash,
                currency=order.currency,
                from_account=partner_ledger_account(order.product.partner, order.currency),
                idempotency_key=f"invest:proceeds:{order.public_id}",
                code=LEDGER_CODE_SELL,
                kyc_operation=None,  # the investor's own money coming back
                description=f"HokweInvest {order.product.name}",
                reference=f"invest.Order:{order.public_id}",
            )
    order.settled_at = _now()
    order.save(update_fields=["settled_at", "last_error", "updated_at"])
    return [
        OrderSettled(
            order=str(order.public_id),
            user=str(order.user.public_id),
            product=order.product.code,
            side=order.side,
            units=order.executed_quantity,
            cash=cash,
            fees=order.fees,
            currency=order.currency,
            settled_on=today.isoformat(),
        )
    ]


def settle_due(*, today: date | None = None, ids: list[int] | None = None, limit: int = 5_000) -> int:
    """The daily settlement run: final orders with fills whose settlement date has come (only
    those of `ids` when given: the admin's « Settle now »)."""
    today = today or timezone.localdate()
    due = Order.objects.filter(
        status__in=Order.FINAL, settled_at__isnull=True, executed_quantity__gt=0, settle_on__lte=today
    )
    if ids is not None:
        due = due.filter(pk__in=ids)
    ids = list(due.values_list("pk", flat=True)[:limit])
    done = 0
    for pk in ids:
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(skip_locked=True)
                .select_related("product", "user")
                .filter(pk=pk)
                .first()
            )
            if order is None or order.settled_at is not None:
                continue
            for event in _settle(order, today):
                publish(event)
            done += 1
    return done


def cancel_order(*, actor, order: UUID) -> Order:
    """The investor cancels an order the partner has not executed (the partner is asked)."""
    row = (
        Order.objects.select_related("product", "product__partner")
        .filter(user_id=actor.pk, public_id=order)
        .first()
    )
    if row is None:
        raise OrderNotFound()
    if row.status not in (Order.Status.CREATED, Order.Status.SENT, Order.Status.ACKNOWLEDGED):
        raise OrderNotCancellable()
    if row.status == Order.Status.CREATED:
        return apply_state(
            row.pk, PartnerOrderState(client_order_id=str(row.public_id), status=PartnerStatus.CANCELLED)
        )
    client = partner_client(row.product.partner)
    try:
        state = client.cancel(str(row.public_id))
    except PartnerRefused:
        raise OrderNotCancellable() from None
    except PartnerUnavailable:
        raise OrderNotCancellable() from None
    if state.status not in (
        PartnerStatus.CANCELLED,
        PartnerStatus.EXECUTED,
        PartnerStatus.PARTIALLY_EXECUTED,
    ):
        raise OrderNotCancellable()
    row = apply_state(row.pk, state)
    if row.status != Order.Status.CANCELLED:
        raise OrderNotCancellable()
    return row


def poll_open(*, limit: int = 500) -> int:
    """The polling run: open orders, least recently checked first."""
    rows = list(
        Order.objects.filter(status__in=Order.OPEN).order_by(F("checked_at").asc(nulls_first=True))[:limit]
    )
    for row in rows:
        refresh_order(row)
    return len(rows)


def order_for_callback(partner, client_order_id: str) -> Order | None:
    try:
        key = UUID(str(client_order_id))
    except ValueError:
        return None
    return Order.objects.filter(public_id=key, product__partner=partner).first()
