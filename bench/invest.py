"""HokweInvest benchmark (issue 27): the nightly valuation of 200,000 positions with new NAVs
and prices, against a naive per-position loop in the same run. Target: under 30 s.

    .venv/bin/python bench/invest.py                  # full size; starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/invest.py
    .venv/bin/python bench/invest.py --scale 0.1      # 20,000 positions

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_invest`. The book is
built set-based: `--positions` x scale positions over 40 products (funds, bills, shares) held
by positions / 4 investors, then, in one process:

  quotes    a day of new NAVs and prices for the 40 products (`store_quotes`);
  nightly   `value_positions(today)`: every position valued (chunked set-based UPDATEs)
            and every investor's PortfolioDay written;
  naive     the same valuation for `--naive` positions one by one (read the position, its
            product, compute, save), its per-position rate extrapolated to the book and
            stated as such;
  check     every position's value equals `domain.value(quantity, price)` (read back).

Results are printed and written to var/bench-invest.json (docs/performance.md « HokweInvest »).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

BENCH_DB = "hokwe_bench_invest"
PRODUCTS = 40


def build(positions: int) -> date:
    from apps.identity.models import User
    from apps.invest.contracts import ProductKind, Quote
    from apps.invest.models import Partner, Position, Product
    from apps.invest.services.market import store_quotes

    rng = random.Random(27)
    today = date(2026, 12, 1)
    partner = Partner.objects.create(code="bench-sgo", name="Bench SGO", kind=Partner.Kind.SGO)
    kinds = [
        ProductKind.MONEY_MARKET_FUND,
        ProductKind.BOND_FUND,
        ProductKind.TREASURY_BILL,
        ProductKind.SHARE,
    ]
    products = Product.objects.bulk_create(
        [
            Product(
                code=f"B{i:03d}",
                name=f"Bench product {i}",
                kind=kinds[i % 4],
                partner=partner,
                risk=1 + i % 7,
                horizon_months=12,
            )
            for i in range(PRODUCTS)
        ]
    )
    store_quotes(
        [
            Quote(
                product_code=p.code, on=today - timedelta(days=1), price=rng.randint(5_000, 30_000) * 10_000
            )
            for p in products
        ]
    )
    investors = max(1, positions // 4)
    users = []
    for start in range(0, investors, 10_000):
        users += User.objects.bulk_create(
            [
                User(phone=f"+22903{60_000_000 + i:08d}", full_name=f"Investisseur {i}", password="!")
                for i in range(start, min(investors, start + 10_000))
            ]
        )
    rows = []
    for index in range(positions):
        user = users[index % investors]
        product = products[(index * 7 + index // investors) % PRODUCTS]
        rows.append(
            Position(
                user_id=user.pk,
                product_id=product.pk,
                quantity=rng.randint(1, 5_000_000),
                cost=rng.randint(5_000, 500_000),
            )
        )
        if len(rows) == 20_000:
            Position.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    if rows:
        Position.objects.bulk_create(rows, ignore_conflicts=True)
    return today


def run(args) -> int:
    from django.db import connection

    from apps.invest import domain
    from apps.invest.contracts import Quote
    from apps.invest.models import PortfolioDay, Position, Product
    from apps.invest.services.market import store_quotes, value_positions, value_positions_naively

    positions = int(args.positions * args.scale)
    started = time.perf_counter()
    today = build(positions)
    count = Position.objects.count()
    built = time.perf_counter() - started
    print(f"built {count:,} positions in {built:.1f} s")

    rng = random.Random(271)
    t0 = time.perf_counter()
    store_quotes(
        [
            Quote(product_code=code, on=today, price=max(1, price + price * rng.randint(-150, 150) // 10_000))
            for code, price in Product.objects.values_list("code", "price")
        ]
    )
    quotes_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    valued = value_positions(today)
    nightly_s = time.perf_counter() - t0
    days = PortfolioDay.objects.filter(on=today).count()

    # the naive loop over the first --naive positions (the same work, one at a time)
    from django.db.models import Max

    first_ids = list(Position.objects.order_by("id").values_list("id", flat=True)[: args.naive])
    limit = first_ids[-1] if first_ids else 0
    t0 = time.perf_counter()
    naive = 0
    for position in Position.objects.filter(id__lte=limit).iterator(chunk_size=1_000):
        product = Product.objects.get(pk=position.product_id)
        position.value = domain.value(position.quantity, product.price)
        position.price, position.price_on = product.price, product.price_on
        position.save(update_fields=["value", "price", "price_on"])
        naive += 1
    naive_s = time.perf_counter() - t0
    naive_rate = naive / naive_s if naive_s else 0.0
    naive_extrapolated = count / naive_rate if naive_rate else 0.0
    assert value_positions_naively  # the module's own baseline (same loop) is what this inlines

    # check: every value equals domain.value at its product's price
    prices = dict(Product.objects.values_list("id", "price"))
    wrong = 0
    for quantity, product_id, value in Position.objects.values_list(
        "quantity", "product_id", "value"
    ).iterator(chunk_size=20_000):
        if value != domain.value(quantity, prices[product_id]):
            wrong += 1
    highest = Position.objects.aggregate(m=Max("value"))["m"]

    result = {
        "positions": count,
        "investors": days,
        "products": PRODUCTS,
        "quotes_s": round(quotes_s, 3),
        "nightly_s": round(nightly_s, 2),
        "nightly_positions_per_s": round(valued / nightly_s) if nightly_s else None,
        "naive_positions": naive,
        "naive_s": round(naive_s, 2),
        "naive_extrapolated_s": round(naive_extrapolated, 1),
        "ratio_naive_over_nightly": round(naive_extrapolated / nightly_s, 1) if nightly_s else None,
        "wrong_values": wrong,
        "highest_value": highest,
        "target_s": 30,
        "machine": f"{platform.machine()} {connection.vendor} {platform.python_version()}",
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "var" / "bench-invest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    return 0 if wrong == 0 else 1


def main() -> int:
    from _services import django_bench_database

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--positions", type=int, default=200_000)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--naive", type=int, default=5_000, help="positions through the per-position loop")
    args = parser.parse_args()
    with django_bench_database("hokwe-bench-invest-", BENCH_DB):
        return run(args)


if __name__ == "__main__":
    sys.exit(main())
