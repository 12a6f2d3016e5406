"""Demo HokweInvest (seed_demo; idempotent): two labelled sandbox partners — an SGO for the
funds and an SGI for BRVM shares — a money-market fund, a bond fund, a UMOA-Titres bill with
its next auction and a BRVM share, each with a year of NAVs or closing prices (the sandbox
walk), so the sheets show a past performance. The demo tenant at kyc tier 2 (the first
tenant) has not invested yet: the questionnaire and the first order are theirs to do."""

from __future__ import annotations

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from .contracts import ProductKind
from .models import Auction, Partner, Price, Product
from .providers.sandbox import _step

SGO = "sandbox-sgo"
SGI = "sandbox-sgi"
FUND = "HKW-MONETAIRE"
HISTORY_DAYS = 400

PRODUCTS = [
    {
        "code": FUND,
        "name": "Fonds Monétaire Hokwe (démo)",
        "kind": ProductKind.MONEY_MARKET_FUND,
        "partner": SGO,
        "risk": 1,
        "horizon_months": 3,
        "entry_fee_bps": 0,
        "exit_fee_bps": 0,
        "management_fee_bps": 50,
        "min_amount": 5_000,
        "cutoff": time(12, 0),
        "settlement_days": 0,
        "price": 10_000 * 10_000,  # 10,000 FCFA a unit
        "summary": (
            "Un fonds commun de placement monétaire : votre argent est placé en bons du Trésor et dépôts "
            "à court terme de la zone UEMOA. Il vise à faire un peu mieux qu'un compte d'épargne, avec très "
            "peu de variations. Vous pouvez retirer votre argent chaque jour ouvré : avant 12 h, au prix du "
            "jour ; après, au prix du jour ouvré suivant."
        ),
        "summary_en": (
            "A money-market fund: your money is placed in short-term treasury bills and deposits of the "
            "WAEMU zone. It aims to do a little better than a savings account, with very small moves. You "
            "can take your money out every business day: before noon at that day's price, after at the next."
        ),
    },
    {
        "code": "HKW-OBLIG-UEMOA",
        "name": "Obligations UEMOA (démo)",
        "kind": ProductKind.BOND_FUND,
        "partner": SGO,
        "risk": 3,
        "horizon_months": 24,
        "entry_fee_bps": 100,
        "exit_fee_bps": 50,
        "management_fee_bps": 120,
        "min_amount": 5_000,
        "cutoff": time(12, 0),
        "settlement_days": 2,
        "price": 5_000 * 10_000,
        "summary": (
            "Un fonds obligataire : des obligations d'États et d'entreprises de l'UEMOA. Il rapporte plus "
            "qu'un fonds monétaire sur deux ans ou plus, mais sa valeur peut baisser quelques mois. Frais "
            "d'entrée 1 %, de sortie 0,5 %."
        ),
        "summary_en": (
            "A bond fund: bonds of WAEMU states and companies. Over two years or more it earns more than a "
            "money-market fund, but its value can fall for some months. Entry fee 1 %, exit fee 0.5 %."
        ),
    },
    {
        "code": "HKW-BAT-BJ-12M",
        "name": "Bon du Trésor Bénin 12 mois (démo)",
        "kind": ProductKind.TREASURY_BILL,
        "partner": SGO,
        "risk": 2,
        "horizon_months": 12,
        "min_amount": 5_000,
        "cutoff": time(10, 0),
        "settlement_days": 1,
        "price": 10_000 * 10_000,
        "coupon_bps": 0,
        "summary": (
            "Un bon assimilable du Trésor (UMOA-Titres) du Bénin à 12 mois, acheté par le fonds du "
            "partenaire à l'adjudication. Remboursé à l'échéance ; le rendement vient de la décote à "
            "l'achat."
        ),
        "summary_en": (
            "A 12-month Benin treasury bill (UMOA-Titres) bought at auction. Repaid at maturity; the "
            "return is the discount at purchase."
        ),
    },
    {
        "code": "SNTS",
        "ticker": "SNTS",
        "name": "Sonatel (BRVM, démo)",
        "kind": ProductKind.SHARE,
        "partner": SGI,
        "risk": 6,
        "horizon_months": 60,
        "sector": "Télécommunications",
        "brokerage_bps": 120,
        "min_fee": 1_000,
        "min_amount": 5_000,
        "settlement_days": 3,
        "price": 25_000 * 10_000,
        "summary": (
            "Une action cotée à la BRVM (Abidjan). Son cours monte et descend chaque jour ; vous pouvez "
            "perdre une partie de ce que vous investissez. L'achat se règle trois jours ouvrés après "
            "l'exécution (T+3)."
        ),
        "summary_en": (
            "A share listed on the BRVM (Abidjan). Its price moves every day; you can lose part of what "
            "you invest. A purchase settles three business days after execution (T+3)."
        ),
    },
]


def _history(product: Product, start_price: int, today) -> None:
    """A year of prices ending yesterday (today's NAV comes with the evening's market data),
    walking backwards from the start price (deterministic)."""
    if Price.objects.filter(product=product).exists():
        return
    prices = []
    price = start_price
    for offset in range(1, HISTORY_DAYS + 1):
        day = today - timedelta(days=offset)
        prices.append(Price(product=product, on=day, price=price, source="sandbox"))
        step = _step(product.code, day, product.kind)
        price = max(1, price - price * step // 10_000)
    Price.objects.bulk_create(prices, ignore_conflicts=True)
    Product.objects.filter(pk=product.pk).update(price=start_price, price_on=today - timedelta(days=1))


@transaction.atomic
def seed(ctx) -> None:
    partners = {
        SGO: Partner.objects.get_or_create(
            code=SGO,
            defaults={
                "name": "SGO Bac à sable (démo)",
                "kind": Partner.Kind.SGO,
                "licence": "Démo — aucun agrément",
            },
        )[0],
        SGI: Partner.objects.get_or_create(
            code=SGI,
            defaults={
                "name": "SGI Bac à sable (démo)",
                "kind": Partner.Kind.SGI,
                "licence": "Démo — aucun agrément",
            },
        )[0],
    }
    today = timezone.localdate()
    for spec in PRODUCTS:
        spec = dict(spec)
        price = spec.pop("price")
        spec["partner"] = partners[spec["partner"]]
        product, _ = Product.objects.get_or_create(code=spec["code"], defaults=spec)
        _history(product, price, today)
        if product.kind == ProductKind.TREASURY_BILL and not Auction.objects.filter(product=product).exists():
            auction_on = today + timedelta(days=(2 - today.weekday()) % 7 or 7)  # next Wednesday
            Auction.objects.create(
                product=product,
                auction_on=auction_on,
                value_on=auction_on + timedelta(days=1),
                maturity_on=auction_on + timedelta(days=365),
                issue_amount=30_000_000_000,
                min_amount=5_000,
            )
    ctx["invest"] = {"fund": FUND}
