"""HokweInvest's tables (docs/invest.md). Numbers as in contracts.py: cash in integer XOF,
quantities in 1/10,000 units, prices in 1/10,000 XOF per unit.

- Partner: a licensed SGI (BRVM shares) or SGO (funds) Hokwe distributes for; its client is
  chosen by `provider` (providers/).
- Product: a fund, a UMOA-Titres bill or bond, or a BRVM share, with its sheet (risk 1-7,
  horizon, fees, cut-off). Price: its NAV or closing price per day. Auction: a UMOA-Titres
  auction of the calendar.
- InvestorProfile: the suitability questionnaire scored; RiskAcknowledgement: an explicit
  « I understand » to a product above the profile.
- Order / Execution: what the investor asked and the partner's fills. Cash is held in the
  wallet at order time (`hold`), posted at settlement, released on rejection.
- Position: units per investor and product, from the executions (average cost), valued
  nightly; PortfolioDay: the investor's value and net flows per day (performance).
- Distribution / DistributionPayment: dividends and coupons credited to the wallets.
- Plan: a monthly investment from the wallet (rent first).
- Reconciliation / ReconciliationDifference: the partner's daily positions file against ours.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

from .contracts import OrderSide, ProductKind


class Partner(BaseModel):
    class Kind(models.TextChoices):
        SGI = "sgi", _("SGI (stockbroker)")
        SGO = "sgo", _("SGO (fund manager)")

    class Provider(models.TextChoices):
        SANDBOX = "sandbox", _("sandbox (executes nothing real)")
        HTTP = "http", _("partner API over HTTP")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    licence = models.CharField(_("AMF-UMOA approval"), max_length=80, blank=True, default="")
    provider = models.CharField(
        _("provider"), max_length=8, choices=Provider.choices, default=Provider.SANDBOX
    )
    base_url = models.URLField(_("API base URL"), blank=True, default="")
    api_key = models.CharField(_("API key"), max_length=200, blank=True, default="")
    callback_secret = models.CharField(_("callback secret"), max_length=200, blank=True, default="")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("investment partner")
        verbose_name_plural = _("investment partners")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Product(BaseModel):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("an investment product", "open")
        CLOSED = "closed", pgettext_lazy("an investment product", "closed")

    code = models.CharField(_("code (ISIN or ticker)"), max_length=20, unique=True)
    isin = models.CharField(_("ISIN"), max_length=12, blank=True, default="")
    ticker = models.CharField(_("ticker"), max_length=12, blank=True, default="")
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=[(k.value, k.value) for k in ProductKind])
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="products")
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    risk = models.PositiveSmallIntegerField(_("risk level (1-7)"))
    horizon_months = models.PositiveSmallIntegerField(_("recommended horizon (months)"))
    sector = models.CharField(_("sector"), max_length=80, blank=True, default="")
    summary = models.TextField(_("plain-language summary (French)"), blank=True, default="")
    summary_en = models.TextField(_("plain-language summary (English)"), blank=True, default="")
    entry_fee_bps = models.PositiveIntegerField(_("entry fee (basis points)"), default=0)
    exit_fee_bps = models.PositiveIntegerField(_("exit fee (basis points)"), default=0)
    management_fee_bps = models.PositiveIntegerField(_("yearly management fee (basis points)"), default=0)
    brokerage_bps = models.PositiveIntegerField(_("brokerage (basis points)"), default=0)
    min_fee = models.PositiveIntegerField(_("minimum fee"), default=0)
    min_amount = models.PositiveIntegerField(_("minimum order"), default=5_000)
    cutoff = models.TimeField(
        _("cut-off time"), null=True, blank=True
    )  # funds: orders after it get the next NAV
    settlement_days = models.PositiveSmallIntegerField(_("settlement (business days)"), default=0)
    maturity_on = models.DateField(_("maturity"), null=True, blank=True)  # bills and bonds
    coupon_bps = models.PositiveIntegerField(_("coupon (basis points a year)"), default=0)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    # the latest price (denormalised by the market-data run; the nightly valuation reads it)
    price = models.BigIntegerField(_("latest price"), null=True, blank=True)
    price_on = models.DateField(_("latest price date"), null=True, blank=True)

    class Meta:
        verbose_name = _("investment product")
        verbose_name_plural = _("investment products")
        ordering = ["risk", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(risk__gte=1, risk__lte=7), name="invest_product_risk_1_7"),
            models.CheckConstraint(
                condition=Q(entry_fee_bps__lte=10_000, exit_fee_bps__lte=10_000, brokerage_bps__lte=10_000),
                name="invest_product_fees_bps",
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gt=0), name="invest_price_positive"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def is_fund(self) -> bool:
        return self.kind in (ProductKind.MONEY_MARKET_FUND, ProductKind.BOND_FUND)

    @property
    def is_share(self) -> bool:
        return self.kind == ProductKind.SHARE


class Price(models.Model):
    id = models.BigAutoField(primary_key=True)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    on = models.DateField(_("date"))
    price = models.BigIntegerField(_("price"))
    source = models.CharField(_("source"), max_length=20, default="")

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(fields=["product", "on"], name="invest_price_one_per_day"),
            models.CheckConstraint(condition=Q(price__gt=0), name="invest_price_row_positive"),
        ]

    def __str__(self):
        return f"{self.product_id} {self.on} {self.price}"


class Auction(BaseModel):
    """A UMOA-Titres auction (the calendar UMOA-Titres publishes)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="auctions")
    auction_on = models.DateField(_("auction date"))
    value_on = models.DateField(_("value date"))
    maturity_on = models.DateField(_("maturity"))
    issue_amount = models.BigIntegerField(_("amount offered"), default=0)
    min_amount = models.PositiveIntegerField(_("minimum bid"), default=5_000)

    class Meta:
        verbose_name = _("UMOA-Titres auction")
        verbose_name_plural = _("UMOA-Titres auctions")
        ordering = ["auction_on"]


class InvestorProfile(BaseModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invest_profile"
    )
    answers = models.JSONField(_("answers"), default=dict)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    profile = models.CharField(_("profile"), max_length=12)
    max_risk = models.PositiveSmallIntegerField(_("highest risk that fits"))
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("investor profile")
        verbose_name_plural = _("investor profiles")


class RiskAcknowledgement(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    product_risk = models.PositiveSmallIntegerField()
    profile_max_risk = models.PositiveSmallIntegerField()
    text = models.TextField(_("what was acknowledged"))

    class Meta:
        verbose_name = _("risk acknowledgement")
        verbose_name_plural = _("risk acknowledgements")


class PartnerAccount(BaseModel):
    """The investor's account reference at a partner (opened on the first order)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="accounts")
    reference = models.CharField(_("reference"), max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "partner"], name="invest_one_account_per_partner"),
            models.UniqueConstraint(fields=["partner", "reference"], name="invest_account_reference"),
        ]


class Plan(BaseModel):
    """Invest `amount` in `product` every month on `day` from the wallet (rent first)."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("an investment plan", "active")
        PAUSED = "paused", pgettext_lazy("an investment plan", "paused")
        CANCELLED = "cancelled", pgettext_lazy("an investment plan", "cancelled")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invest_plans")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="plans")
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    day = models.PositiveSmallIntegerField(_("day of the month"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    paused_reason = models.CharField(_("why paused"), max_length=40, blank=True, default="")
    next_on = models.DateField(_("next investment"))
    last_run_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("monthly investment plan")
        verbose_name_plural = _("monthly investment plans")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="invest_plan_amount_positive"),
            models.CheckConstraint(condition=Q(day__gte=1, day__lte=28), name="invest_plan_day_1_28"),
        ]
        indexes = [models.Index(fields=["status", "next_on"], name="invest_plan_due")]


class Order(BaseModel):
    class Status(models.TextChoices):
        CREATED = "created", pgettext_lazy("an investment order", "created")
        SENT = "sent", pgettext_lazy("an investment order", "sent to the partner")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("an investment order", "acknowledged")
        PARTIALLY_EXECUTED = "partially_executed", pgettext_lazy("an investment order", "partially executed")
        EXECUTED = "executed", pgettext_lazy("an investment order", "executed")
        REJECTED = "rejected", pgettext_lazy("an investment order", "rejected")
        CANCELLED = "cancelled", pgettext_lazy("an investment order", "cancelled")

    OPEN = (Status.CREATED, Status.SENT, Status.ACKNOWLEDGED, Status.PARTIALLY_EXECUTED)
    FINAL = (Status.EXECUTED, Status.REJECTED, Status.CANCELLED)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invest_orders")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="orders")
    plan = models.ForeignKey(Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders")
    side = models.CharField(_("side"), max_length=10, choices=[(s.value, s.value) for s in OrderSide])
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    amount = models.BigIntegerField(
        _("amount"), null=True, blank=True
    )  # cash asked (subscribe, redeem by amount)
    quantity = models.BigIntegerField(_("quantity"), null=True, blank=True)  # 1/10,000 units
    limit_price = models.BigIntegerField(_("limit price"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CREATED)
    nav_date = models.DateField(_("NAV date"), null=True, blank=True)
    after_cutoff = models.BooleanField(_("placed after the cut-off"), default=False)
    idempotency_key = models.CharField(max_length=200)
    # the wallet hold (buys and subscriptions) and the day kyc counted its outflow
    hold = models.UUIDField(null=True, blank=True)
    held = models.BigIntegerField(_("held"), default=0)
    usage_day = models.DateField(null=True, blank=True)
    reserved_units = models.BigIntegerField(default=0)  # sells and redemptions: units set aside
    partner_ref = models.CharField(_("partner reference"), max_length=64, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True, default="")
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    risk_acknowledged = models.BooleanField(default=False)
    # what the executions add up to
    executed_quantity = models.BigIntegerField(default=0)
    executed_amount = models.BigIntegerField(default=0)  # gross
    fees = models.BigIntegerField(default=0)
    cash = models.BigIntegerField(default=0)  # net cash out of (buys) or into (sells) the wallet
    settle_on = models.DateField(_("settlement date"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("investment order")
        verbose_name_plural = _("investment orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="invest_order_idempotency"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="invest_order_amount"
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0), name="invest_order_quantity"
            ),
            models.CheckConstraint(
                condition=Q(held__gte=0, cash__gte=0, fees__gte=0, executed_quantity__gte=0),
                name="invest_order_sums",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "checked_at"], name="invest_order_open"),
            models.Index(fields=["user", "-created_at"], name="invest_order_user"),
        ]

    def __str__(self):
        return f"{self.side} {self.product_id} {self.status}"

    @property
    def buys(self) -> bool:
        return self.side in (OrderSide.SUBSCRIBE, OrderSide.BUY)


class Execution(BaseModel):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="executions")
    execution_id = models.CharField(max_length=64)
    quantity = models.BigIntegerField()
    price = models.BigIntegerField()
    amount = models.BigIntegerField()
    fees = models.BigIntegerField()
    executed_at = models.DateTimeField()
    settle_on = models.DateField()

    class Meta:
        verbose_name = _("execution")
        verbose_name_plural = _("executions")
        constraints = [
            models.UniqueConstraint(fields=["order", "execution_id"], name="invest_execution_once"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0, price__gt=0, amount__gte=0, fees__gte=0),
                name="invest_execution_sums",
            ),
        ]


class Position(models.Model):
    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invest_positions"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="positions")
    quantity = models.BigIntegerField(_("quantity"), default=0)
    reserved = models.BigIntegerField(_("set aside for open sells"), default=0)
    cost = models.BigIntegerField(_("cost"), default=0)  # average cost basis, XOF
    realised = models.BigIntegerField(_("realised gain"), default=0)
    income = models.BigIntegerField(_("dividends and coupons"), default=0)
    value = models.BigIntegerField(_("value"), default=0)
    price = models.BigIntegerField(null=True, blank=True)
    price_on = models.DateField(null=True, blank=True)
    valued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(fields=["user", "product"], name="invest_one_position"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0, reserved__gte=0, cost__gte=0)
                & Q(reserved__lte=models.F("quantity")),
                name="invest_position_sums",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.product_id} {self.quantity}"


class PortfolioDay(models.Model):
    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    on = models.DateField()
    value = models.BigIntegerField()
    flow = models.BigIntegerField(default=0)  # cash invested (+) or taken out (-) that day

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "on"], name="invest_portfolio_day")]

    def __str__(self):
        return f"{self.user_id} {self.on} {self.value}"


class Distribution(BaseModel):
    class Kind(models.TextChoices):
        DIVIDEND = "dividend", _("dividend")
        COUPON = "coupon", _("coupon")

    class Status(models.TextChoices):
        ANNOUNCED = "announced", pgettext_lazy("a dividend", "announced")
        PAID = "paid", pgettext_lazy("a dividend", "paid")

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="distributions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    per_unit = models.BigIntegerField(_("per unit (1/10,000 XOF)"))
    record_on = models.DateField(_("record date"))
    pay_on = models.DateField(_("payment date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ANNOUNCED)

    class Meta:
        verbose_name = _("dividend or coupon")
        verbose_name_plural = _("dividends and coupons")
        constraints = [
            models.CheckConstraint(condition=Q(per_unit__gt=0), name="invest_distribution_positive")
        ]


class DistributionPayment(BaseModel):
    distribution = models.ForeignKey(Distribution, on_delete=models.PROTECT, related_name="payments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField()
    amount = models.BigIntegerField()
    transfer = models.UUIDField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["distribution", "user"], name="invest_distribution_once")
        ]


class Reconciliation(BaseModel):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="reconciliations")
    on = models.DateField(_("date"))
    lines = models.PositiveIntegerField(_("lines in the partner's file"), default=0)
    matched = models.PositiveIntegerField(_("lines that agree"), default=0)
    differences = models.PositiveIntegerField(_("differences"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("reconciliation with a partner")
        verbose_name_plural = _("reconciliations with the partners")
        ordering = ["-on"]
        constraints = [models.UniqueConstraint(fields=["partner", "on"], name="invest_reconciliation_day")]


class ReconciliationDifference(BaseModel):
    reconciliation = models.ForeignKey(Reconciliation, on_delete=models.CASCADE, related_name="items")
    account = models.CharField(_("account"), max_length=64)
    product_code = models.CharField(_("product"), max_length=20)
    ours = models.BigIntegerField(_("our quantity"))
    theirs = models.BigIntegerField(_("the partner's quantity"))
    resolved = models.BooleanField(_("resolved"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("reconciliation difference")
        verbose_name_plural = _("reconciliation differences")
