"""The modules' kpis.py (apps/core/kpis.py): every metric declared once, every source turning
its events into facts a batch at a time, and the platform's own figures (loans, tontines,
subscriptions) on the staff view."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from apps.analytics.services.dashboard import staff_dashboard
from apps.analytics.services.registry import kpis
from apps.analytics.services.rollups import apply_facts
from apps.core.kpis import PLATFORM, Fact
from apps.lending.events import InstalmentPaid, LoanDisbursed
from apps.payments.events import PaymentFailed
from apps.wallet.events import ContributionPaid

DAY = date(2026, 11, 12)


def _facts(event) -> list[Fact]:
    return [f for source in kpis().sources[event.name] for f in next(iter(source.facts([event])))]


def test_every_module_with_figures_is_found_and_each_metric_is_declared_once():
    found = kpis()
    for metric in (
        "rent.collected",
        "payments.succeeded",
        "recovery.recovered",
        "loans.disbursed",
        "tontine.contributions",
        "billing.mrr",
        "dues.receivable",
    ):
        assert metric in found.metrics
    assert {label for label, _fn in found.snapshots} >= {"estate", "lending", "billing"}
    assert {label for label, _fn in found.reconcilers} == {"estate"}


def test_lending_counts_for_the_platform_and_splits_late_repayments():
    loan = str(uuid.uuid4())
    disbursed = _facts(
        LoanDisbursed(
            loan=loan,
            number="PR-1",
            borrower=str(uuid.uuid4()),
            organization=None,
            product="urgence",
            borrower_kind="tenant",
            destination="wallet",
            principal=150_000,
            currency="XOF",
            disbursed_on=DAY.isoformat(),
        )
    )
    assert [(f.metric, f.organization, f.value, f.dimension) for f in disbursed] == [
        ("loans.disbursed", PLATFORM, 150_000, "urgence")
    ]
    late = _facts(
        InstalmentPaid(
            loan=loan,
            borrower="b",
            number=2,
            due_date="2026-11-01",
            paid_on="2026-11-12",
            days_late=11,
            amount=26_000,
            currency="XOF",
        )
    )
    assert [(f.metric, f.dimension, f.day) for f in late] == [("loans.repaid", "late", DAY)]


def test_a_late_contribution_is_counted_as_late():
    facts = _facts(
        ContributionPaid(
            group_id="g",
            round_id="r",
            round_number=3,
            member_id="m",
            user_id=None,
            amount=10_000,
            penalty=500,
            currency="XOF",
            method="wallet",
            due_date="2026-11-10",
            paid_on="2026-11-12",
            late=True,
            ledger_transfer=None,
        )
    )
    assert [(f.metric, f.value, f.dimension) for f in facts] == [("tontine.contributions", 10_000, "late")]


def test_a_failed_payment_counts_for_its_provider_and_method():
    org = str(uuid.uuid4())
    facts = _facts(
        PaymentFailed(
            intent_id="i",
            attempt_id="a",
            organization_id=org,
            purpose_type="estate.RentDue",
            purpose_id="d",
            provider="kkiapay",
            reason="declined",
            method="mobile_money",
        )
    )
    assert [(f.metric, f.organization, f.dimension) for f in facts] == [
        ("payments.failed", org, "kkiapay/mobile_money")
    ]


@pytest.mark.django_db
def test_the_staff_view_shows_the_platform_products():
    def fact(metric, value, dimension="", count=1):
        return Fact(
            metric,
            organization=PLATFORM,
            day=DAY,
            value=value,
            count=count,
            currency="XOF",
            dimension=dimension,
        )

    apply_facts(
        [
            (
                uuid.uuid4(),
                "snapshot",
                [
                    fact("billing.mrr", 1_250_000, count=25),
                    fact("loans.outstanding", 900_000, "current"),
                    fact("loans.outstanding", 100_000, "31-60"),
                ],
            ),
            (uuid.uuid4(), "wallet.ContributionPaid", [fact("tontine.contributions", 40_000, "on_time")]),
        ]
    )
    board = staff_dashboard(today=DAY)
    assert board.mrr == {"XOF": 1_250_000}
    assert board.par30_bps == {"XOF": 1_000}  # 100 000 of 1 000 000: 10 %
    assert board.tontine == {"XOF": 40_000}
