"""The labelled sandbox partner and market data of the embedded default and the tests.

- SandboxPartner answers as a partner would, from Hokwe's own rows: an order is received at
  once; a fund order executes at the NAV of its NAV date once that NAV is known (the market
  data run brings it), a share order at the latest price when the limit allows it (settled
  T+n business days); its positions file is Hokwe's positions of its products. It never
  moves real money; production refuses it (conf.production_problems).
- SandboxMarketData: tomorrow's NAV or price of every open product, a small deterministic
  walk from its latest price (money-market funds only ever rise).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from .. import domain
from ..contracts import (
    OrderSide,
    PartnerExecution,
    PartnerOrderRequest,
    PartnerOrderState,
    PartnerStatus,
    PositionLine,
    ProductKind,
    Quote,
)
from ..models import Order, Position, Price, Product
from .base import BadCallback

SANDBOX_LABEL = "Bac à sable"


def _order(client_order_id: str) -> Order | None:
    try:
        key = uuid.UUID(str(client_order_id))
    except ValueError:
        return None
    return Order.objects.select_related("product", "product__partner").filter(public_id=key).first()


def _executed_at(day: date) -> datetime:
    tz = timezone.get_default_timezone()
    return timezone.make_aware(datetime.combine(day, time(16, 0)), tz)


class SandboxPartner:
    """A partner row whose provider is "sandbox"."""

    def __init__(self, partner):
        self.partner = partner
        self.code = partner.code

    def submit(self, order: PartnerOrderRequest) -> PartnerOrderState:
        return self.status(order.client_order_id)

    def status(self, client_order_id: str) -> PartnerOrderState:
        row = _order(client_order_id)
        if row is None or row.product.partner_id != self.partner.pk:
            return PartnerOrderState(client_order_id=client_order_id, status=PartnerStatus.UNKNOWN)
        ref = f"SBX-{str(row.public_id)[:8].upper()}"
        if row.status == Order.Status.CANCELLED and not row.executed_quantity:
            return PartnerOrderState(
                client_order_id=client_order_id, status=PartnerStatus.CANCELLED, partner_ref=ref
            )
        execution = self._fill(row)
        if execution is None:
            return PartnerOrderState(
                client_order_id=client_order_id, status=PartnerStatus.RECEIVED, partner_ref=ref
            )
        if execution == "rejected":
            return PartnerOrderState(
                client_order_id=client_order_id,
                status=PartnerStatus.REJECTED,
                partner_ref=ref,
                reason="Quantité détenue insuffisante",
            )
        return PartnerOrderState(
            client_order_id=client_order_id,
            status=PartnerStatus.EXECUTED,
            partner_ref=ref,
            executions=(execution,),
        )

    def _fill(self, row: Order):
        product = row.product
        execution_id = f"SBX-{row.public_id}"
        if product.kind == ProductKind.SHARE:
            if not product.price:
                return None
            price = product.price
            if row.side == OrderSide.BUY and price > row.limit_price:
                return None
            if row.side == OrderSide.SELL and price < row.limit_price:
                return None
            fill = domain.share_fill(row.quantity, price, product.brokerage_bps, product.min_fee, row.side)
            day = product.price_on or timezone.localdate()
            return PartnerExecution(
                execution_id=execution_id,
                quantity=row.quantity,
                price=price,
                amount=fill.gross,
                fees=fill.fees,
                executed_at=_executed_at(day),
                settle_on=domain.add_business_days(day, product.settlement_days),
            )
        nav = Price.objects.filter(product=product, on=row.nav_date).values_list("price", flat=True).first()
        if nav is None:
            return None
        if row.side == OrderSide.SUBSCRIBE:
            fill = domain.subscription(row.amount, nav, product.entry_fee_bps)
            quantity, gross, fees = fill.units, fill.cost, fill.fees
        else:
            held = (
                Position.objects.filter(user_id=row.user_id, product=product)
                .values_list("quantity", flat=True)
                .first()
                or 0
            )
            if row.quantity:
                if row.quantity > held:
                    return "rejected"
                fill = domain.redemption_by_units(row.quantity, nav, product.exit_fee_bps)
            else:
                fill = domain.redemption_by_amount(row.amount, nav, product.exit_fee_bps, held)
            quantity, gross, fees = fill.units, fill.gross, fill.fees
        if quantity <= 0:
            return "rejected"
        return PartnerExecution(
            execution_id=execution_id,
            quantity=quantity,
            price=nav,
            amount=gross,
            fees=fees,
            executed_at=_executed_at(row.nav_date),
            settle_on=domain.add_business_days(row.nav_date, product.settlement_days),
        )

    def cancel(self, client_order_id: str) -> PartnerOrderState:
        state = self.status(client_order_id)
        if state.status == PartnerStatus.RECEIVED:
            return PartnerOrderState(
                client_order_id=client_order_id, status=PartnerStatus.CANCELLED, partner_ref=state.partner_ref
            )
        return state

    def positions(self, on: date) -> list[PositionLine]:
        from ..models import PartnerAccount

        accounts = dict(
            PartnerAccount.objects.filter(partner=self.partner).values_list("user_id", "reference")
        )
        rows = Position.objects.filter(product__partner=self.partner, quantity__gt=0).values_list(
            "user_id", "product__code", "quantity"
        )
        return [
            PositionLine(account=accounts.get(user_id, ""), product_code=code, quantity=quantity, as_of=on)
            for user_id, code, quantity in rows
        ]

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> str:
        raise BadCallback("the sandbox partner sends no callbacks")


def _step(code: str, on: date, kind: str) -> int:
    """A deterministic daily move in basis points (hundredths of a percent)."""
    digest = int(hashlib.sha256(f"{code}:{on.isoformat()}".encode()).hexdigest()[:8], 16)
    if kind == ProductKind.MONEY_MARKET_FUND:
        return 1 + digest % 2  # +0.01 % to +0.02 % a day (about 5 % a year)
    if kind in (ProductKind.BOND_FUND, ProductKind.TREASURY_BILL, ProductKind.TREASURY_BOND):
        return digest % 7 - 2  # -0.02 % to +0.04 %
    return digest % 301 - 150  # shares: -1.5 % to +1.5 %


class SandboxMarketData:
    label = SANDBOX_LABEL

    def quotes(self, on: date) -> list[Quote]:
        if not getattr(settings, "INVEST_ALLOW_SANDBOX", False):
            from .base import MarketDataUnavailable

            raise MarketDataUnavailable("sandbox refused")
        quotes = []
        for product in Product.objects.filter(status=Product.Status.OPEN, price__isnull=False).only(
            "code", "kind", "price", "price_on"
        ):
            if product.price_on and product.price_on >= on:
                continue
            days = max(1, (on - product.price_on).days) if product.price_on else 1
            price = product.price
            for offset in range(days):
                step = _step(product.code, on - timedelta(days=offset), product.kind)
                price = max(1, price + price * step // 10_000)
            quotes.append(Quote(product_code=product.code, on=on, price=price))
        return quotes
