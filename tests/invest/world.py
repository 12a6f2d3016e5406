"""Test data for invest's service tests: a sandbox SGO with a money-market fund (cut-off
noon, Abidjan) and a bond fund with fees, a sandbox SGI with a share (T+3), and investors at
kyc tier 2 with a profile and money in the wallet. Real ledger, real wallet."""

from __future__ import annotations

from datetime import date, time

from apps.invest.contracts import ProductKind, Quote
from apps.invest.models import InvestorProfile, Partner, Product
from apps.invest.services.market import store_quotes
from apps.wallet import api as wallet
from tests.fixtures.wallet import kyc_tier, wallet_top_up

NAV = 10_000 * 10_000  # 10,000 FCFA a unit


def partner(code="t-sgo", kind=Partner.Kind.SGO, **extra) -> Partner:
    return Partner.objects.get_or_create(code=code, defaults={"name": code.upper(), "kind": kind, **extra})[0]


def fund(code="T-MONEY", *, risk=1, entry=0, exit=0, settlement=0, nav=NAV, on: date | None = None, **extra):
    product = Product.objects.create(
        code=code,
        name=f"Fonds {code}",
        kind=extra.pop("kind", ProductKind.MONEY_MARKET_FUND),
        partner=extra.pop("partner", None) or partner(),
        risk=risk,
        horizon_months=3,
        entry_fee_bps=entry,
        exit_fee_bps=exit,
        cutoff=time(12, 0),
        settlement_days=settlement,
        **extra,
    )
    if nav:
        store_quotes([Quote(product_code=code, on=on or date(2026, 1, 2), price=nav)])
        product.refresh_from_db()
    return product


def share(code="T-SNTS", *, price=25_000 * 10_000, on: date | None = None):
    product = Product.objects.create(
        code=code,
        ticker=code,
        name=f"Action {code}",
        kind=ProductKind.SHARE,
        partner=partner("t-sgi", Partner.Kind.SGI),
        risk=6,
        horizon_months=60,
        brokerage_bps=120,
        min_fee=1_000,
        settlement_days=3,
    )
    store_quotes([Quote(product_code=code, on=on or date(2026, 1, 2), price=price)])
    product.refresh_from_db()
    return product


def investor(*, balance=100_000, tier=2, max_risk=3, profile=True):
    from tests.identity.factories import UserFactory

    user = kyc_tier(UserFactory(), tier)
    if profile:
        InvestorProfile.objects.create(
            user=user,
            answers={},
            score=8,
            profile="prudent",
            max_risk=max_risk,
            completed_at="2026-01-01T00:00Z",
        )
    if balance:
        top_up(user, balance)
    return user


top_up = wallet_top_up


def balance(user) -> tuple[int, int]:
    """(posted, available) of the user's wallet."""
    info = wallet.wallet_info(user, "XOF")
    return info.balance, info.available
