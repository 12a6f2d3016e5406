"""The staff report's figures (services/reports.py): MRR and ARR per currency of the paying
subscriptions (a yearly plan a twelfth, per-unit prices at the quantities read at the period
start, trials and cancellations out), logo and revenue churn over a month, subscriptions by
plan and status."""

from __future__ import annotations

from datetime import date

import pytest

from apps.billing.models import PlanVersion
from apps.billing.services import reports
from tests.fixtures.billing import make_plan

from . import surfaces as w

pytestmark = pytest.mark.django_db

MONTH = date(2026, 11, 1)


@pytest.fixture
def catalog():
    essentiel = make_plan("essentiel", name="Essentiel", flat=10_000, position=1)
    agence = make_plan("agence", name="Agence", flat=15_000, per_unit=500, position=2)
    annual = make_plan("pro-annuel", name="Pro annuel", flat=120_005, position=3)
    PlanVersion.objects.filter(pk=annual.pk).update(interval="year")
    annual.refresh_from_db()
    return essentiel, agence, annual


def test_mrr_arr_churn_and_counts(catalog):
    essentiel, agence, annual = catalog
    before = date(2026, 9, 1)
    a = w.agency("A")
    w.subscription(a.customer, essentiel, start=before)  # 10 000
    b = w.agency("B")
    w.subscription(b.customer, agence, start=before, quantities={"estate.units": 40})  # 15 000 + 40 × 500
    c = w.agency("C")
    w.subscription(c.customer, annual, start=before)  # 120 005 / 12 = 10 000 (rounded down)
    d = w.agency("D")
    w.subscription(
        d.customer, agence, status="trialing", start=date(2026, 11, 20), trial_ends_on=date(2026, 12, 20)
    )
    e = w.agency("E")  # paying at the start of November, canceled on 15 November
    w.subscription(e.customer, essentiel, status="canceled", start=before, canceled_on=date(2026, 11, 15))
    f = w.agency("F")  # canceled before November: not in its churn
    w.subscription(f.customer, essentiel, status="canceled", start=before, canceled_on=date(2026, 10, 3))
    g = w.agency("G")  # past due still pays
    w.subscription(g.customer, essentiel, status="past_due", start=before)

    [xof] = reports.mrr()
    assert xof.currency == "XOF"
    assert xof.subscriptions == 4
    assert xof.mrr == 10_000 + 35_000 + 10_000 + 10_000
    assert xof.arr == 12 * xof.mrr

    [churn] = reports.churn(month=date(2026, 11, 17))
    assert churn.month == MONTH
    assert churn.at_start == 5  # A, B, C, E, G (D starts later, F left before)
    assert churn.canceled == 1
    assert churn.mrr_at_start == 10_000 + 35_000 + 10_000 + 10_000 + 10_000
    assert churn.mrr_canceled == 10_000
    assert churn.logo_churn_bps == 2_000  # 1 of 5
    assert churn.revenue_churn_bps == 10_000 * 10_000 // 75_000  # 13.33 %

    counts = {row.plan: row for row in reports.by_plan_and_status()}
    assert counts["essentiel"].counts["active"] == 1
    assert counts["essentiel"].counts["canceled"] == 2
    assert counts["essentiel"].counts["past_due"] == 1
    assert counts["essentiel"].total == 4
    assert counts["agence"].counts == {**counts["agence"].counts, "active": 1, "trialing": 1}
    assert [row.plan for row in reports.by_plan_and_status()] == ["essentiel", "agence", "pro-annuel"]


def test_no_subscription_no_figures(db):
    assert reports.mrr() == []
    assert reports.churn(month=MONTH) == []
    assert reports.by_plan_and_status() == []


def test_the_staff_page_shows_the_figures(catalog, client):
    from tests.identity.factories import UserFactory

    essentiel, _agence, _annual = catalog
    a = w.agency("A")
    w.subscription(a.customer, essentiel, start=date(2026, 9, 1))
    client.force_login(UserFactory(is_staff=True, staff_role="finance"))
    html = client.get("/manager/billing/staff/?month=2026-11").content.decode()
    assert "10\u202f000" in html or "10 000" in html
    assert "120\u202f000" in html or "120 000" in html  # ARR
