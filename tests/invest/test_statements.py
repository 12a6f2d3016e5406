"""The investor's documents (services/statements.py, rest/views_statements.py): an investor
subscribes 100 000 FCFA to a money-market fund in February 2025 (1 % entry fee), is executed
at a NAV of 10 000 FCFA, redeems half of the units in March at 10 500 FCFA (0.5 % exit fee)
and receives a coupon — all through the sandbox partner, the market data and the wallet's
ledger. The numbers below are computed by hand:

    subscription 100 000: fees 1 000, 99 000 net -> 9.9000 units (99 000 / 10^4), cost 100 000
    redemption 4.9500 units at 10 500: gross 51 975, exit fee 259, proceeds 51 716
    cost removed: 100 000 x 49 500 / 99 000 = 50 000 -> realised gain 1 716
    coupon 200 FCFA a unit on 4.9500 units: 990
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time
from io import BytesIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import Resolver404, include, path, resolve
from django.utils import timezone

from apps.invest import domain
from apps.invest.contracts import Quote
from apps.invest.models import Distribution, InvestorProfile, Order, Partner, Product
from apps.invest.services import orders, statements
from apps.invest.services.distributions import pay_distribution
from apps.invest.services.market import store_quotes
from tests.helpers import bearer_client
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

ABIDJAN = ZoneInfo("Africa/Abidjan")
NAV_SUBSCRIBE = 100_000_000  # 10 000 FCFA a unit, in 1/10,000 XOF
NAV_FEB_END = 102_000_000
NAV_REDEEM = 105_000_000
NAV_MAR_END = 106_000_000

# when the project's REST urls do not include ours yet, the tests mount them at the same path
urlpatterns = [path("api/v1/", include("apps.invest.rest.urls_statements"))]


@pytest.fixture(autouse=True)
def _wallet_usage_source():
    """The wallet is kyc's usage source (a kyc test may have swapped it out)."""
    from apps.kyc import api as kyc
    from apps.wallet.services.wallets import WalletUsageSource

    kyc.set_usage_source(WalletUsageSource())
    yield


@pytest.fixture
def statement_urls(settings):
    try:
        resolve("/api/v1/invest/fiscal/2025")
    except Resolver404:
        settings.ROOT_URLCONF = __name__


# ---------------------------------------------------------------- the world (shared with test_admin)


def sandbox_partner(code: str = "sbx-sgo") -> Partner:
    return Partner.objects.create(
        code=code,
        name="SGO Bac à sable",
        kind=Partner.Kind.SGO,
        licence="AMF-UMOA SGO/2021-04",
        provider=Partner.Provider.SANDBOX,
        api_key="sk_live_abcdefghijklmnop1234",
        callback_secret="whsec_0123456789abcdefWXYZ",
    )


def money_market_fund(partner: Partner, *, code: str = "CI0000000001", settlement_days: int = 0) -> Product:
    return Product.objects.create(
        code=code,
        isin=code,
        name="Fonds Monétaire Horizon",
        kind="money_market_fund",
        partner=partner,
        risk=1,
        horizon_months=3,
        summary="Un fonds monétaire prudent.",
        entry_fee_bps=100,
        exit_fee_bps=50,
        management_fee_bps=75,
        min_amount=5_000,
        cutoff=time(12, 0),
        settlement_days=settlement_days,
    )


def fund_wallet(user, amount: int):
    from apps.ledger import api as ledger
    from apps.wallet.services import wallets

    wallet = wallets.wallet_for(user, "XOF")
    clearing = ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id
    wallets.move(
        idempotency_key=f"test:fund:{uuid.uuid4()}",
        code="wallet.topup",
        debit=clearing,
        credit=wallet.account,
        amount=amount,
        currency="XOF",
        into=wallet,
        kyc_operation=None,
    )
    return wallet


def wallet_balance(user) -> int:
    from apps.ledger import api as ledger
    from apps.wallet.services import wallets

    return ledger.balance(account=wallets.wallet_for(user, "XOF").account).posted


def investor(*, name: str = "Awa Koné", money: int = 500_000):
    """A user with kyc tier 2, a scored questionnaire (every risk fits) and `money` in the
    wallet."""
    from apps.kyc.models import KycProfile

    user = UserFactory(full_name=name)
    KycProfile.objects.update_or_create(user=user, defaults={"tier": 2})
    InvestorProfile.objects.create(
        user=user, answers={}, score=21, profile="dynamic", max_risk=7, completed_at=timezone.now()
    )
    if money:
        fund_wallet(user, money)
    return user


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=ABIDJAN)


def executed(user, product, *, side, on: date, nav: int, key: str, **amounts) -> Order:
    """An order placed on `on` before the cut-off, sent to the sandbox partner (received: no
    NAV yet), the NAV of `on` brought by the market data, the partner asked again (executed,
    settled when its date has come)."""
    order = orders.place_order(
        actor=user, product=product, side=side, idempotency_key=key, now=at(on), **amounts
    )
    assert order.status == Order.Status.ACKNOWLEDGED and order.nav_date == on
    store_quotes([Quote(product_code=product.code, on=on, price=nav)], source="test")
    order = orders.refresh_order(order)
    assert order.status == Order.Status.EXECUTED
    return order


@pytest.fixture
def history():
    """February: subscribed 100 000 (executed at 10 000); March: redeemed 4.95 units at 10 500
    and received a 990 coupon; NAVs stored for the end of both months."""
    partner = sandbox_partner()
    fund = money_market_fund(partner)
    user = investor()
    before = wallet_balance(user)
    subscription = executed(
        user, fund, side="subscribe", on=date(2025, 2, 24), nav=NAV_SUBSCRIBE, key="sub-1", amount=100_000
    )
    store_quotes([Quote(product_code=fund.code, on=date(2025, 2, 28), price=NAV_FEB_END)], source="test")
    redemption = executed(
        user, fund, side="redeem", on=date(2025, 3, 17), nav=NAV_REDEEM, key="red-1", quantity=49_500
    )
    coupon = Distribution.objects.create(
        product=fund,
        kind=Distribution.Kind.COUPON,
        per_unit=2_000_000,
        record_on=date(2025, 3, 20),
        pay_on=date(2025, 3, 21),
    )
    with time_machine.travel(at(date(2025, 3, 21), 10), tick=False):
        assert pay_distribution(coupon) == 1
    store_quotes([Quote(product_code=fund.code, on=date(2025, 3, 31), price=NAV_MAR_END)], source="test")
    return SimpleNamespace(
        partner=partner, fund=fund, user=user, before=before, subscription=subscription, redemption=redemption
    )


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)


# ---------------------------------------------------------------- the history is real


def test_the_orders_went_through_the_partner_and_the_ledger(history):
    history.subscription.refresh_from_db()
    history.redemption.refresh_from_db()
    assert (history.subscription.executed_quantity, history.subscription.fees, history.subscription.cash) == (
        99_000,
        1_000,
        100_000,
    )
    assert (history.redemption.executed_amount, history.redemption.fees, history.redemption.cash) == (
        51_975,
        259,
        51_716,
    )
    assert history.subscription.settled_at and history.redemption.settled_at
    assert wallet_balance(history.user) == history.before - 100_000 + 51_716 + 990


# ---------------------------------------------------------------- the monthly statement


def test_march_statement_values_the_position_at_both_ends_and_lists_the_month(history):
    s = statements.monthly_statement(history.user, 2025, 3)
    assert (s.start, s.end, s.holder) == (date(2025, 3, 1), date(2025, 3, 31), "Awa Koné")
    [holding] = s.holdings
    assert (holding.opening_units, holding.opening_price, holding.opening_value) == (
        99_000,
        NAV_FEB_END,
        100_980,
    )
    assert (holding.closing_units, holding.closing_price, holding.closing_value) == (
        49_500,
        NAV_MAR_END,
        52_470,
    )
    assert holding.closing_cost == 50_000
    [order] = s.orders  # the February subscription is not March's
    assert order.order == str(history.redemption.public_id) and order.side == "redeem"
    [execution] = order.executions
    assert (execution.executed_on, execution.units, execution.price) == (
        date(2025, 3, 17),
        49_500,
        NAV_REDEEM,
    )
    assert (execution.gross, execution.fees, execution.cash) == (51_975, 259, 51_716)
    [coupon] = s.income_lines
    assert (coupon.paid_on, coupon.kind, coupon.units, coupon.amount) == (
        date(2025, 3, 21),
        "coupon",
        49_500,
        990,
    )
    assert (s.opening_value, s.closing_value, s.invested, s.withdrawn, s.fees, s.income) == (
        100_980,
        52_470,
        0,
        51_716,
        259,
        990,
    )
    assert s.warning == str(domain.PAST_PERFORMANCE_WARNING)


def test_february_statement_has_the_subscription_at_its_nav(history):
    s = statements.monthly_statement(history.user, 2025, 2)
    [holding] = s.holdings
    assert (holding.opening_units, holding.opening_value) == (0, 0)
    assert (holding.closing_units, holding.closing_value, holding.closing_cost) == (99_000, 100_980, 100_000)
    [order] = s.orders
    [execution] = order.executions
    assert (execution.units, execution.price, execution.gross, execution.fees, execution.cash) == (
        99_000,
        NAV_SUBSCRIBE,
        99_000,
        1_000,
        -100_000,
    )
    assert (s.invested, s.withdrawn, s.income) == (100_000, 0, 0)
    assert statements.monthly_statement(history.user, 2025, 1).holdings == ()


def test_the_statement_pdf_is_a_real_pdf_with_the_month_in_it(history):
    body = statements.monthly_statement_pdf(history.user, 2025, 3)
    assert body.startswith(b"%PDF")
    text = squeeze(pdf_text(body))
    assert "AwaKoné" in text and "FondsMonétaireHorizon" in text
    for amount in ("51716", "51975", "259", "990", "100980", "52470", "4,9500", "10500,00"):
        assert amount in text, amount
    assert squeeze(str(domain.PAST_PERFORMANCE_WARNING)) in text
    assert "mars2025" in text  # the month, in French


def test_a_month_not_started_or_not_a_month_is_refused(history):
    with pytest.raises(statements.StatementPeriodInFuture):
        statements.monthly_statement(history.user, 2025, 4, today=date(2025, 3, 31))
    with pytest.raises(statements.StatementPeriodInvalid):
        statements.monthly_statement(history.user, 2025, 13)
    with pytest.raises(statements.StatementPeriodInvalid):
        statements.parse_month("2025-3")
    assert statements.parse_month("2025-03") == (2025, 3)


# ---------------------------------------------------------------- the fiscal summary


def test_fiscal_summary_realised_gain_is_proceeds_less_the_average_cost_removed(history):
    f = statements.fiscal_summary(history.user, 2025)
    [line] = f.lines
    proceeds = 51_975 - 51_975 * 50 // 10_000  # gross less the exit fee: 51 716
    removed = 100_000 * 49_500 // 99_000  # the average cost of the units redeemed: 50 000
    assert (line.proceeds, line.cost_removed) == (proceeds, removed) == (51_716, 50_000)
    assert line.realised == line.gains == proceeds - removed == 1_716 and line.losses == 0
    assert (line.coupons, line.dividends, line.fees) == (990, 0, 1_000 + 259)
    assert f.total.realised == 1_716 and f.total.fees == 1_259 and f.total.coupons == 990
    assert statements.fiscal_summary(history.user, 2024).lines == ()


def test_a_later_year_counts_only_its_own_sales_replayed_from_the_first_order(history):
    """The rest is redeemed in 2026 at 9 000 FCFA: the cost left (50 000) is removed, a loss —
    computed from the 2025 history, not from Position.realised (all-time)."""
    rest = executed(
        history.user,
        history.fund,
        side="redeem",
        on=date(2026, 1, 5),
        nav=90_000_000,
        key="red-2",
        quantity=49_500,
    )
    assert (rest.executed_amount, rest.fees, rest.cash) == (44_550, 222, 44_328)
    f = statements.fiscal_summary(history.user, 2026)
    [line] = f.lines
    assert (line.proceeds, line.cost_removed, line.gains, line.losses, line.realised) == (
        44_328,
        50_000,
        0,
        5_672,
        -5_672,
    )
    assert statements.fiscal_summary(history.user, 2025).total.realised == 1_716  # unchanged
    with pytest.raises(statements.StatementPeriodInFuture):
        statements.fiscal_summary(history.user, 2027, today=date(2026, 12, 31))


def test_fiscal_pdf(history):
    body = statements.fiscal_summary_pdf(history.user, 2025)
    assert body.startswith(b"%PDF")
    text = squeeze(pdf_text(body))
    assert "2025" in text and "1716" in text and "51716" in text and "50000" in text and "990" in text


# ---------------------------------------------------------------- REST


def test_rest_statement_pdf_and_fiscal_json_are_the_callers_own(history, statement_urls):
    client = bearer_client(history.user)
    pdf = client.get("/api/v1/invest/statements/2025-03.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    body = client.get("/api/v1/invest/fiscal/2025").json()
    assert body["year"] == 2025
    assert body["total"]["realised"]["amount"] == 1_716 and body["total"]["realised"]["currency"] == "XOF"
    [line] = body["lines"]
    assert line["product_code"] == history.fund.code and line["cost_removed"]["amount"] == 50_000
    fiscal_pdf = client.get("/api/v1/invest/fiscal/2025.pdf")
    assert fiscal_pdf.status_code == 200 and fiscal_pdf.content.startswith(b"%PDF")
    negotiated = client.get("/api/v1/invest/fiscal/2025", HTTP_ACCEPT="application/pdf")
    assert negotiated.status_code == 200 and negotiated.content.startswith(b"%PDF")
    stranger = bearer_client(investor(name="Koffi Adjovi", money=0)).get("/api/v1/invest/fiscal/2025").json()
    assert stranger["lines"] == [] and stranger["total"]["realised"]["amount"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/invest/statements/2025-13.pdf",
        "/api/v1/invest/statements/mars.pdf",
        "/api/v1/invest/statements/2999-01.pdf",
        "/api/v1/invest/fiscal/2999",
        "/api/v1/invest/fiscal/25",
        "/api/v1/invest/fiscal/1999.pdf",
    ],
)
def test_rest_a_bad_or_future_period_is_a_400_problem(url, statement_urls):
    response = bearer_client(investor(money=0)).get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"].startswith("invest_statement_period_")


def test_rest_needs_a_signed_in_caller(statement_urls):
    assert bearer_client(None).get("/api/v1/invest/fiscal/2025").status_code == 401
