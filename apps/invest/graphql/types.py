"""GraphQL object and input types of HokweInvest (money through MoneyField). They read the
dicts of apps/invest/services/present.py, so GraphQL and REST say the same. Quantities and
prices are decimal strings ("12.3456"), cash is a Money."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.types import MoneyField, PublicIdField, UTCDateTime

from ..contracts import OrderSide, ProductKind

InvestProductKind = graphene.Enum.from_enum(ProductKind, name="InvestProductKind")
InvestOrderSide = graphene.Enum.from_enum(OrderSide, name="InvestOrderSide")


class InvestPlanStatus(graphene.Enum):
    ACTIVE = "active"
    PAUSED = "paused"
    CANCELLED = "cancelled"


def enum_value(value):
    """A graphene enum argument as its plain string value."""
    return getattr(value, "value", value)


class InvestProductRefType(graphene.ObjectType):
    """The product an order, a position or a plan is about."""

    class Meta:
        name = "InvestProductRef"

    id = PublicIdField("id")
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    kind = graphene.String(required=True)
    risk = graphene.Int(required=True, description=_("Risk level, 1 (very low) to 7 (very high)"))
    risk_label = graphene.String(required=True)


class InvestFeesType(graphene.ObjectType):
    class Meta:
        name = "InvestFees"

    entry_bps = graphene.Int(required=True, description=_("Entry fee, in basis points of the amount"))
    exit_bps = graphene.Int(required=True, description=_("Exit fee, in basis points of the amount"))
    management_bps = graphene.Int(required=True, description=_("Yearly management fee, in basis points"))
    brokerage_bps = graphene.Int(required=True, description=_("Brokerage, in basis points of the amount"))
    minimum = MoneyField(description=_("The smallest brokerage charged on an order"))
    currency = graphene.String(required=True)
    text = graphene.String(required=True, description=_("The fees in plain words"))


class InvestPerformanceType(graphene.ObjectType):
    class Meta:
        name = "InvestPerformance"

    one_month = graphene.Float(description=_("A ratio: 0.05 is +5 %"))
    three_months = graphene.Float()
    one_year = graphene.Float()
    since_start = graphene.Float()
    warning = graphene.String(required=True)


class InvestPartnerType(graphene.ObjectType):
    class Meta:
        name = "InvestPartner"

    code = graphene.String(required=True)
    name = graphene.String(required=True)
    kind = graphene.String(required=True, description="sgi (stockbroker) or sgo (fund manager)")
    licence = graphene.String(required=True)
    sandbox = graphene.Boolean(required=True)


class InvestAuctionType(graphene.ObjectType):
    class Meta:
        name = "InvestAuction"

    id = PublicIdField("id")
    auction_on = graphene.Date(required=True)
    value_on = graphene.Date(required=True)
    maturity_on = graphene.Date(required=True)
    currency = graphene.String(required=True)
    issue_amount = MoneyField(description=_("The amount offered"))
    min_amount = MoneyField(description=_("The smallest bid"))


class InvestPriceType(graphene.ObjectType):
    class Meta:
        name = "InvestPrice"

    on = graphene.Date(required=True)
    price = graphene.String(required=True, description=_("Per unit, a decimal string"))


class _ProductFields:
    id = PublicIdField("id")
    code = graphene.String(required=True)
    isin = graphene.String(required=True)
    ticker = graphene.String(required=True)
    name = graphene.String(required=True)
    kind = graphene.String(required=True)
    kind_label = graphene.String(required=True)
    currency = graphene.String(required=True)
    risk = graphene.Int(required=True)
    risk_label = graphene.String(required=True)
    horizon_months = graphene.Int(required=True)
    horizon_label = graphene.String(required=True)
    min_amount = MoneyField(description=_("The smallest order"))
    price = graphene.String(description=_("The latest NAV or closing price per unit"))
    price_on = graphene.Date()
    partner_name = graphene.String(required=True)


class InvestProductType(_ProductFields, graphene.ObjectType):
    """A line of the catalogue."""

    class Meta:
        name = "InvestProduct"


class InvestProductSheetType(_ProductFields, graphene.ObjectType):
    """A product's sheet in plain words (investProduct)."""

    class Meta:
        name = "InvestProductSheet"

    sector = graphene.String(required=True)
    summary = graphene.String(required=True)
    fees = graphene.Field(graphene.NonNull(InvestFeesType))
    cutoff = graphene.String(description=_("Funds: orders after this time (HH:MM) get the next NAV"))
    cutoff_timezone = graphene.String(required=True)
    settlement_days = graphene.Int(required=True)
    maturity_on = graphene.Date()
    coupon_bps = graphene.Int(required=True)
    status = graphene.String(required=True)
    past_performance = graphene.Field(graphene.NonNull(InvestPerformanceType))
    partner = graphene.Field(graphene.NonNull(InvestPartnerType))
    auctions = graphene.List(graphene.NonNull(InvestAuctionType), required=True)
    prices = graphene.List(
        graphene.NonNull(InvestPriceType),
        required=True,
        days=graphene.Int(default_value=365),
        description=_("The NAVs or closing prices, oldest first"),
    )

    @staticmethod
    def resolve_prices(sheet, info, days=365):
        from .. import selectors
        from ..services import present

        product = selectors.product(sheet["id"])
        return present.price_history(product, max(1, min(days or 365, 3650)))["prices"]


class InvestChoiceType(graphene.ObjectType):
    class Meta:
        name = "InvestChoice"

    id = graphene.String(required=True)
    text = graphene.String(required=True)


class InvestQuestionType(graphene.ObjectType):
    class Meta:
        name = "InvestQuestion"

    id = graphene.String(required=True)
    text = graphene.String(required=True)
    choices = graphene.List(graphene.NonNull(InvestChoiceType), required=True)


class InvestAnswerInput(graphene.InputObjectType):
    question = graphene.String(required=True)
    choice = graphene.String(required=True)


class InvestProfileType(graphene.ObjectType):
    class Meta:
        name = "InvestProfile"

    profile = graphene.String(required=True, description="prudent, balanced or dynamic")
    profile_label = graphene.String(required=True)
    score = graphene.Int(required=True)
    max_risk = graphene.Int(required=True, description=_("The highest product risk level (1-7) that fits"))
    max_risk_label = graphene.String(required=True)
    reasons = graphene.List(graphene.NonNull(graphene.String), required=True)
    answers = graphene.JSONString(required=True)
    completed_at = UTCDateTime(required=True)


class InvestExecutionType(graphene.ObjectType):
    class Meta:
        name = "InvestExecution"

    id = PublicIdField("id")
    quantity = graphene.String(required=True)
    price = graphene.String(required=True)
    currency = graphene.String(required=True)
    amount = MoneyField(description=_("Gross"))
    fees = MoneyField()
    executed_at = UTCDateTime(required=True)
    settle_on = graphene.Date(required=True)


class InvestOrderType(graphene.ObjectType):
    """One of the caller's orders; `executions` is read on investOrder (the list answers it
    empty)."""

    class Meta:
        name = "InvestOrder"

    id = PublicIdField("id")
    product = graphene.Field(graphene.NonNull(InvestProductRefType))
    plan = graphene.UUID()
    side = graphene.String(required=True)
    status = graphene.String(required=True)
    status_label = graphene.String(required=True)
    currency = graphene.String(required=True)
    amount = MoneyField(
        required=False, description=_("The cash asked (subscriptions, redemptions by amount)")
    )
    quantity = graphene.String(description=_("The units or shares asked"))
    limit_price = graphene.String()
    nav_date = graphene.Date(description=_("Funds: the NAV the order is executed at"))
    after_cutoff = graphene.Boolean(required=True)
    notice = graphene.String(required=True)
    above_profile = graphene.Boolean(required=True)
    profile_max_risk = graphene.Int()
    risk_acknowledged = graphene.Boolean(required=True)
    held = MoneyField(description=_("Reserved in your wallet until the order settles"))
    executed_quantity = graphene.String(required=True)
    executed_amount = MoneyField()
    fees = MoneyField()
    cash = MoneyField(description=_("Net cash out of (buys) or into (sells) your wallet"))
    settle_on = graphene.Date()
    settled_at = UTCDateTime()
    partner_ref = graphene.String(required=True)
    reason = graphene.String(required=True)
    created_at = UTCDateTime(required=True)
    executions = graphene.List(graphene.NonNull(InvestExecutionType), required=True)

    @staticmethod
    def resolve_executions(view, info):
        return view.get("executions", [])


class InvestPositionType(graphene.ObjectType):
    class Meta:
        name = "InvestPosition"

    product = graphene.Field(graphene.NonNull(InvestProductRefType))
    currency = graphene.String(required=True)
    quantity = graphene.String(required=True)
    reserved = graphene.String(required=True)
    value = MoneyField()
    cost = MoneyField()
    unrealised = MoneyField()
    realised = MoneyField()
    income = MoneyField()
    price = graphene.String()
    price_on = graphene.Date()


class InvestPortfolioType(graphene.ObjectType):
    class Meta:
        name = "InvestPortfolio"

    currency = graphene.String(required=True)
    value = MoneyField()
    cost = MoneyField()
    unrealised = MoneyField()
    realised = MoneyField()
    income = MoneyField()
    invested = MoneyField()
    withdrawn = MoneyField()
    gain = MoneyField()
    time_weighted = graphene.Float()
    money_weighted = graphene.Float()
    warning = graphene.String(required=True)


class InvestPlanType(graphene.ObjectType):
    class Meta:
        name = "InvestPlan"

    id = PublicIdField("id")
    product = graphene.Field(graphene.NonNull(InvestProductRefType))
    currency = graphene.String(required=True)
    amount = MoneyField()
    day = graphene.Int(required=True)
    status = graphene.String(required=True)
    status_label = graphene.String(required=True)
    paused_reason = graphene.String(required=True)
    next_on = graphene.Date(required=True)
    last_run_on = graphene.Date()
    created_at = UTCDateTime(required=True)
