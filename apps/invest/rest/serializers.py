"""REST shapes of HokweInvest (StrictSerializer for inputs, MoneyField for amounts).

Numbers on the wire: cash is an integer of XOF (`MoneyField` out, `AmountField` in);
quantities (fund units, shares) and prices (NAVs, limit prices) are decimal strings with at
most 4 decimals ("12.3456"), converted exactly to and from invest's integers of 1/10,000
(apps/invest/contracts.py), never through a float."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictIntegerField, StrictSerializer, UTCDateTimeField

from ..contracts import PRICE_SCALE, UNIT_SCALE, OrderSide, ProductKind
from ..providers.base import decimal_to_scaled

# choice sets (the OpenAPI enums: apps/invest/conf.py OPENAPI_ENUMS names them)
KINDS = [k.value for k in ProductKind]
SIDES = [s.value for s in OrderSide]
ORDER_STATUSES = [
    "created",
    "sent",
    "acknowledged",
    "partially_executed",
    "executed",
    "rejected",
    "cancelled",
]
PLAN_STATUSES = ["active", "paused", "cancelled"]
PROFILES = ["prudent", "balanced", "dynamic"]
PARTNER_KINDS = ["sgi", "sgo"]


@extend_schema_field(OpenApiTypes.STR)
class ScaledDecimalField(serializers.Field):
    """A quantity or a price in: a decimal string ("12.5", "3", "10523.1200"), at most 4
    decimals, greater than 0; converted exactly to an integer of 1/10,000."""

    default_error_messages = {
        "invalid": _('Send a decimal number as a string, with a dot and at most 4 decimals ("12.5").'),
        "positive": _("Must be greater than 0."),
    }

    def __init__(self, *, scale: int = UNIT_SCALE, **kwargs):
        self.scale = scale
        kwargs.setdefault("help_text", _('A decimal string with at most 4 decimals ("12.5")'))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 40:
            raise serializers.ValidationError(self.error_messages["invalid"], code="invalid_decimal")
        try:
            value = decimal_to_scaled(data.strip(), self.scale)
        except ValueError:
            raise serializers.ValidationError(
                self.error_messages["invalid"], code="invalid_decimal"
            ) from None
        if value <= 0:
            raise serializers.ValidationError(self.error_messages["positive"], code="min_value")
        if value > 10**18:
            raise serializers.ValidationError(self.error_messages["invalid"], code="invalid_decimal")
        return value

    def to_representation(self, value):
        return value


# --- queries ---


class InvestProductQuery(StrictSerializer):
    kind = serializers.ChoiceField(choices=KINDS, required=False, help_text=_("Only products of this kind"))


class InvestPriceQuery(StrictSerializer):
    days = serializers.IntegerField(
        min_value=1,
        max_value=3650,
        required=False,
        default=365,
        help_text=_("How many days back (default 365)"),
    )


class InvestOrderQuery(StrictSerializer):
    status = serializers.ChoiceField(
        choices=ORDER_STATUSES, required=False, help_text=_("Only orders in this state")
    )


# --- the catalogue ---


class InvestPartnerOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=PARTNER_KINDS, help_text=_("sgi: stockbroker; sgo: fund manager"))
    licence = serializers.CharField(help_text=_("Its AMF-UMOA approval"))
    sandbox = serializers.BooleanField(help_text=_("A sandbox partner: nothing real is executed"))


class InvestFeesOut(serializers.Serializer):
    entry_bps = serializers.IntegerField(help_text=_("Entry fee, in basis points of the amount"))
    exit_bps = serializers.IntegerField(help_text=_("Exit fee, in basis points of the amount"))
    management_bps = serializers.IntegerField(help_text=_("Yearly management fee, in basis points"))
    brokerage_bps = serializers.IntegerField(help_text=_("Brokerage, in basis points of the amount"))
    minimum = MoneyField(help_text=_("The smallest brokerage charged on an order"))
    text = serializers.CharField(help_text=_("The fees in plain words"))


class InvestPerformanceOut(serializers.Serializer):
    one_month = serializers.FloatField(allow_null=True, help_text=_("A ratio: 0.05 is +5 %"))
    three_months = serializers.FloatField(allow_null=True)
    one_year = serializers.FloatField(allow_null=True)
    since_start = serializers.FloatField(allow_null=True)
    warning = serializers.CharField(help_text=_("Past performance is no guide to future performance"))


class InvestAuctionOut(serializers.Serializer):
    id = serializers.UUIDField()
    auction_on = serializers.DateField()
    value_on = serializers.DateField()
    maturity_on = serializers.DateField()
    issue_amount = MoneyField(help_text=_("The amount offered"))
    min_amount = MoneyField(help_text=_("The smallest bid"))


class InvestProductOut(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField(help_text=_("ISIN, or the BRVM ticker"))
    isin = serializers.CharField()
    ticker = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=KINDS)
    kind_label = serializers.CharField()
    currency = serializers.CharField()
    risk = serializers.IntegerField(help_text=_("Risk level, 1 (very low) to 7 (very high)"))
    risk_label = serializers.CharField()
    horizon_months = serializers.IntegerField(help_text=_("The recommended horizon"))
    horizon_label = serializers.CharField()
    min_amount = MoneyField(help_text=_("The smallest order"))
    price = serializers.CharField(allow_null=True, help_text=_("The latest NAV or closing price per unit"))
    price_on = serializers.DateField(allow_null=True)
    partner_name = serializers.CharField()


class InvestProductSheetOut(InvestProductOut):
    sector = serializers.CharField()
    summary = serializers.CharField(help_text=_("The product in plain words, in the response's language"))
    fees = InvestFeesOut()
    cutoff = serializers.CharField(
        allow_null=True, help_text=_("Funds: orders after this time (HH:MM) get the next NAV")
    )
    cutoff_timezone = serializers.CharField()
    settlement_days = serializers.IntegerField(help_text=_("Business days until the cash and units settle"))
    maturity_on = serializers.DateField(allow_null=True)
    coupon_bps = serializers.IntegerField(help_text=_("Coupon, in basis points a year"))
    status = serializers.CharField()
    past_performance = InvestPerformanceOut()
    partner = InvestPartnerOut()
    auctions = InvestAuctionOut(many=True, help_text=_("UMOA-Titres: the coming auctions"))


class InvestPriceOut(serializers.Serializer):
    on = serializers.DateField()
    price = serializers.CharField(help_text=_("Per unit, a decimal string"))


class InvestPriceHistoryOut(serializers.Serializer):
    product = serializers.UUIDField()
    currency = serializers.CharField()
    prices = InvestPriceOut(many=True)


# --- the questionnaire and the profile ---


class InvestChoiceOut(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()


class InvestQuestionOut(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    choices = InvestChoiceOut(many=True)


class InvestProfileIn(StrictSerializer):
    answers = serializers.DictField(
        child=serializers.CharField(max_length=40, allow_blank=True),
        help_text=_("{question id: choice id}, every question answered"),
    )


class InvestProfileOut(serializers.Serializer):
    profile = serializers.ChoiceField(choices=PROFILES)
    profile_label = serializers.CharField()
    score = serializers.IntegerField()
    max_risk = serializers.IntegerField(help_text=_("The highest product risk level (1-7) that fits"))
    max_risk_label = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text=_("Why the risk is capped"))
    answers = serializers.DictField(child=serializers.CharField())
    completed_at = UTCDateTimeField()


# --- orders ---


class InvestOrderIn(StrictSerializer):
    product = serializers.CharField(max_length=64, help_text=_("The product's id or code"))
    side = serializers.ChoiceField(choices=SIDES)
    amount = AmountField(
        min_value=1, required=False, help_text=_("XOF: subscriptions, and redemptions by amount")
    )
    quantity = ScaledDecimalField(
        scale=UNIT_SCALE,
        required=False,
        help_text=_("Units or shares, a decimal string with at most 4 decimals"),
    )
    limit_price = ScaledDecimalField(
        scale=PRICE_SCALE, required=False, help_text=_("Shares: the limit price per share, a decimal string")
    )
    acknowledge_risk = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("I understand that this product is riskier than my investor profile"),
    )
    step_up_token = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_(
            "Above the step-up threshold: the proof of identity's step-up for (invest.order.place, the "
            "product's id, the amount held, the currency)"
        ),
    )


class InvestOrderProductOut(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=KINDS)
    risk = serializers.IntegerField()
    risk_label = serializers.CharField()


class InvestExecutionOut(serializers.Serializer):
    id = serializers.UUIDField()
    quantity = serializers.CharField()
    price = serializers.CharField()
    amount = MoneyField(help_text=_("Gross"))
    fees = MoneyField()
    executed_at = UTCDateTimeField()
    settle_on = serializers.DateField()


class InvestOrderOut(serializers.Serializer):
    id = serializers.UUIDField()
    product = InvestOrderProductOut()
    plan = serializers.UUIDField(allow_null=True)
    side = serializers.ChoiceField(choices=SIDES)
    status = serializers.ChoiceField(choices=ORDER_STATUSES)
    status_label = serializers.CharField()
    currency = serializers.CharField()
    amount = MoneyField(allow_null=True, help_text=_("The cash asked (subscriptions, redemptions by amount)"))
    quantity = serializers.CharField(allow_null=True, help_text=_("The units or shares asked"))
    limit_price = serializers.CharField(allow_null=True)
    nav_date = serializers.DateField(allow_null=True, help_text=_("Funds: the NAV the order is executed at"))
    after_cutoff = serializers.BooleanField(help_text=_("Placed after the cut-off: it goes to the next NAV"))
    notice = serializers.CharField(help_text=_("What to know about this order, in plain words"))
    above_profile = serializers.BooleanField(help_text=_("The product is riskier than your investor profile"))
    profile_max_risk = serializers.IntegerField(allow_null=True)
    risk_acknowledged = serializers.BooleanField()
    held = MoneyField(help_text=_("Reserved in your wallet until the order settles"))
    executed_quantity = serializers.CharField()
    executed_amount = MoneyField(help_text=_("Gross amount of the executions"))
    fees = MoneyField()
    cash = MoneyField(help_text=_("Net cash out of (buys) or into (sells) your wallet"))
    settle_on = serializers.DateField(allow_null=True)
    settled_at = UTCDateTimeField(allow_null=True)
    partner_ref = serializers.CharField()
    reason = serializers.CharField(help_text=_("Why the partner rejected it"))
    created_at = UTCDateTimeField()


class InvestOrderDetailOut(InvestOrderOut):
    executions = InvestExecutionOut(many=True)


# --- the portfolio ---


class InvestPositionOut(serializers.Serializer):
    product = InvestOrderProductOut()
    currency = serializers.CharField()
    quantity = serializers.CharField(help_text=_("Units or shares held, a decimal string"))
    reserved = serializers.CharField(help_text=_("Set aside for open sells"))
    value = MoneyField(help_text=_("At the latest valuation"))
    cost = MoneyField(help_text=_("What the units held cost, fees included (average cost)"))
    unrealised = MoneyField(help_text=_("Value less cost"))
    realised = MoneyField(help_text=_("Gains and losses of what was sold"))
    income = MoneyField(help_text=_("Dividends and coupons received"))
    price = serializers.CharField(allow_null=True, help_text=_("The price of the valuation"))
    price_on = serializers.DateField(allow_null=True)


class InvestPortfolioOut(serializers.Serializer):
    currency = serializers.CharField()
    value = MoneyField()
    cost = MoneyField()
    unrealised = MoneyField()
    realised = MoneyField()
    income = MoneyField()
    invested = MoneyField(help_text=_("Cash put in (subscriptions and buys, fees included)"))
    withdrawn = MoneyField(help_text=_("Cash taken out (redemptions and sells)"))
    gain = MoneyField(help_text=_("Value plus what was taken out, less what was put in"))
    time_weighted = serializers.FloatField(allow_null=True, help_text=_("Time-weighted return, a ratio"))
    money_weighted = serializers.FloatField(
        allow_null=True, help_text=_("Money-weighted return (yearly), a ratio")
    )
    warning = serializers.CharField()


# --- plans ---


class InvestPlanIn(StrictSerializer):
    product = serializers.CharField(max_length=64, help_text=_("The product's id or code"))
    amount = AmountField(min_value=1, help_text=_("XOF invested each month"))
    day = StrictIntegerField(min_value=1, max_value=28, help_text=_("Day of the month (1-28)"))
    acknowledge_risk = serializers.BooleanField(required=False, default=False)


class InvestPlanUpdateIn(StrictSerializer):
    amount = AmountField(min_value=1, required=False)
    day = StrictIntegerField(min_value=1, max_value=28, required=False)


class InvestPlanOut(serializers.Serializer):
    id = serializers.UUIDField()
    product = InvestOrderProductOut()
    currency = serializers.CharField()
    amount = MoneyField()
    day = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PLAN_STATUSES)
    status_label = serializers.CharField()
    paused_reason = serializers.CharField(help_text=_("rent_first or order_refused when paused by itself"))
    next_on = serializers.DateField()
    last_run_on = serializers.DateField(allow_null=True)
    created_at = UTCDateTimeField()


# --- partner callbacks ---


class InvestCallbackOut(serializers.Serializer):
    status = serializers.CharField(help_text=_("The order's status after asking the partner, or ignored"))
