"""PUBLIC: frozen dataclasses and enums crossing the boundary (stdlib only).

Numbers, everywhere in invest:
- cash: integer XOF (the currency has no minor unit), never a float;
- quantities (fund units, shares): integers of 1/10,000 of a unit (`UNIT_SCALE`);
- prices and NAVs (valeur liquidative): integers of 1/10,000 XOF per unit (`PRICE_SCALE`).
A value is `quantity * price // (UNIT_SCALE * PRICE_SCALE)` XOF (apps/invest/domain.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

UNIT_SCALE = 10_000
PRICE_SCALE = 10_000


class ProductKind(StrEnum):
    MONEY_MARKET_FUND = "money_market_fund"  # OPCVM monétaire (FCP or SICAV)
    BOND_FUND = "bond_fund"  # OPCVM obligataire
    TREASURY_BILL = "treasury_bill"  # UMOA-Titres: bon assimilable du Trésor (BAT)
    TREASURY_BOND = "treasury_bond"  # UMOA-Titres: obligation assimilable du Trésor (OAT)
    SHARE = "share"  # BRVM-listed share


class OrderSide(StrEnum):
    SUBSCRIBE = "subscribe"  # funds, bills, bonds: an amount of cash
    REDEEM = "redeem"  # funds: an amount of cash or a quantity of units
    BUY = "buy"  # shares: a quantity with a limit price
    SELL = "sell"


class PartnerStatus(StrEnum):
    """An order's state at the partner, as its status call says."""

    RECEIVED = "received"  # acknowledged, not executed yet
    PARTIALLY_EXECUTED = "partially_executed"
    EXECUTED = "executed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"  # the partner does not know this client order id


@dataclass(frozen=True)
class PartnerOrderRequest:
    """What invest sends a partner. `client_order_id` (the order's public id) makes the
    submission idempotent at the partner: sending it twice is one order."""

    client_order_id: str
    account: str  # the investor's account reference at the partner
    product_code: str  # ISIN, or the BRVM ticker when there is no ISIN
    side: OrderSide
    amount: int | None = None  # XOF (subscriptions; redemptions by amount)
    quantity: int | None = None  # 1/10,000 units (share orders; redemptions by quantity)
    limit_price: int | None = None  # 1/10,000 XOF (share orders)
    nav_date: date | None = None  # funds: the NAV the order is for (after the cut-off: the next)


@dataclass(frozen=True)
class PartnerExecution:
    """One fill. `execution_id` is unique at the partner (a replay is recognised by it)."""

    execution_id: str
    quantity: int  # 1/10,000 units
    price: int  # 1/10,000 XOF per unit
    amount: int  # XOF, gross (quantity x price, rounded as the partner did)
    fees: int  # XOF
    executed_at: datetime
    settle_on: date  # the settlement date (T+n for shares, the NAV's date for funds)


@dataclass(frozen=True)
class PartnerOrderState:
    client_order_id: str
    status: PartnerStatus
    partner_ref: str = ""
    executions: tuple[PartnerExecution, ...] = ()
    reason: str = ""  # why rejected, in the partner's words


@dataclass(frozen=True)
class PositionLine:
    """One line of a partner's daily positions file."""

    account: str
    product_code: str
    quantity: int  # 1/10,000 units
    as_of: date


@dataclass(frozen=True)
class Quote:
    """A NAV or a closing price."""

    product_code: str
    on: date
    price: int  # 1/10,000 XOF per unit


@dataclass(frozen=True)
class Suitability:
    """A questionnaire scored: the profile and the highest product risk (1-7) it fits."""

    score: int
    profile: str  # "prudent", "balanced", "dynamic"
    max_risk: int
    reasons: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PortfolioSummary:
    """An investor's holdings in one line (for the assistant, the analytics)."""

    user: str
    value: int  # XOF at the latest NAVs and prices
    cost: int
    positions: int
    open_orders: int
    currency: str = "XOF"
