"""Market data and the nightly valuation (docs/invest.md « Valuation »).

- `load_quotes(on)`: the market data source's NAVs and prices of `on` stored (one row per
  product and day, a replay changes nothing) and each product's latest price moved forward.
- `value_positions(today)`: every position valued at its product's latest price by
  set-based statements in chunks of ids (never a loop over positions), then each investor's
  value and the day's net flows written to PortfolioDay (performance).
- `value_positions_naively(today)`: the same, one position at a time (the benchmark's
  baseline; never called by the app).
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.models import Case, Exists, F, IntegerField, Max, OuterRef, Subquery, Sum, When
from django.utils import timezone

from .. import domain
from ..contracts import Quote
from ..models import Order, PortfolioDay, Position, Price, Product
from ..providers.market_data import market_data_source

CHUNK = 50_000
SCALE = domain.UNIT_SCALE * domain.PRICE_SCALE


def store_quotes(quotes: list[Quote], *, source: str = "") -> int:
    """Store quotes of known products; returns how many were new. Idempotent."""
    codes = {q.product_code for q in quotes}
    products = dict(Product.objects.filter(code__in=codes).values_list("code", "pk"))
    rows = [
        Price(product_id=products[q.product_code], on=q.on, price=q.price, source=source[:20])
        for q in quotes
        if q.product_code in products and q.price > 0
    ]
    with transaction.atomic():
        before = Price.objects.filter(product_id__in=products.values()).count()
        Price.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2_000)
        added = Price.objects.filter(product_id__in=products.values()).count() - before
        # each product's latest price, in one statement whatever the number of products
        latest = Price.objects.filter(product_id=OuterRef("pk")).order_by("-on")
        Product.objects.filter(pk__in=list(products.values())).filter(Exists(latest)).update(
            price=Subquery(latest.values("price")[:1]), price_on=Subquery(latest.values("on")[:1])
        )
    return added


def load_quotes(on: date | None = None) -> int:
    """The market data run (beat invest.market_data). MarketDataUnavailable propagates."""
    on = on or timezone.localdate()
    source = market_data_source()
    return store_quotes(source.quotes(on), source=type(source).__name__.replace("MarketData", "").lower())


_VALUE_SQL = """
UPDATE invest_position AS p
   SET value = CAST(FLOOR(CAST(p.quantity AS NUMERIC) * pr.price / {scale}) AS BIGINT),
       price = pr.price, price_on = pr.price_on, valued_at = %s
  FROM invest_product AS pr
 WHERE pr.id = p.product_id AND pr.price IS NOT NULL
   AND p.id >= %s AND p.id < %s
"""


def value_positions(today: date | None = None) -> int:
    """Value every position at its product's latest price; returns how many were valued."""
    today = today or timezone.localdate()
    now = timezone.now()
    hi = Position.objects.aggregate(hi=Max("id"))["hi"] or 0
    valued = 0
    if connection.vendor == "postgresql":
        sql = _VALUE_SQL.format(scale=SCALE)
        for start in range(1, hi + 1, CHUNK):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [now, start, start + CHUNK])
                valued += cursor.rowcount
    else:  # the embedded default: few positions
        for position in Position.objects.select_related("product").filter(product__price__isnull=False):
            position.value = domain.value(position.quantity, position.product.price)
            position.price, position.price_on, position.valued_at = (
                position.product.price,
                position.product.price_on,
                now,
            )
            position.save(update_fields=["value", "price", "price_on", "valued_at"])
            valued += 1
    write_portfolio_days(today)
    return valued


def write_portfolio_days(today: date) -> int:
    """Each investor's value today and the cash they put in (+) or took out (-) today."""
    values = Position.objects.values("user_id").annotate(total=Sum("value"))
    flows = dict(
        Order.objects.filter(settled_at__date=today)
        .values("user_id")
        .annotate(
            flow=Sum(
                Case(
                    When(side__in=["subscribe", "buy"], then=F("cash")),
                    default=-F("cash"),
                    output_field=IntegerField(),
                )
            )
        )
        .values_list("user_id", "flow")
    )
    rows = [
        PortfolioDay(
            user_id=row["user_id"], on=today, value=row["total"] or 0, flow=flows.get(row["user_id"], 0)
        )
        for row in values.iterator(chunk_size=10_000)
    ]
    with transaction.atomic():
        PortfolioDay.objects.bulk_create(
            rows,
            batch_size=5_000,
            update_conflicts=True,
            unique_fields=["user", "on"],
            update_fields=["value", "flow"],
        )
    return len(rows)


def value_positions_naively(today: date | None = None) -> int:
    """The benchmark's baseline: read each position, its product, compute, save."""
    now = timezone.now()
    count = 0
    for position in Position.objects.all().iterator(chunk_size=2_000):
        product = Product.objects.get(pk=position.product_id)
        if product.price is None:
            continue
        position.value = domain.value(position.quantity, product.price)
        position.price, position.price_on, position.valued_at = product.price, product.price_on, now
        position.save(update_fields=["value", "price", "price_on", "valued_at"])
        count += 1
    return count
