"""Features of higher modules in the rent score (services/sources.py) and lending's loans
(apps/lending/services/scoring_source.py): the reader is set-based, a written-off loan lowers
the score and a loan repaid on time raises it, a user without a loan scores as without the
source, and scoring works with no source registered."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.lending.services import scoring_source
from apps.scoring.services import model as scorecard
from apps.scoring.services import simulate, sources, training
from apps.scoring.services.features import features_for
from tests.identity.factories import UserFactory
from tests.scoring.conftest import build_rent_history

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def _product():
    from apps.lending.models import LoanProduct

    return LoanProduct.objects.get_or_create(
        code="score-source-test",
        defaults={
            "name": "Prêt test",
            "borrower_kind": "tenant",
            "destination": "wallet",
            "currency": "XOF",
            "min_amount": 1_000,
            "max_amount": 10_000_000,
            "min_term": 1,
            "max_term": 36,
            "frequency": "monthly",
            "interest_method": "declining",
            "amortization": "equal_instalments",
            "annual_rate_bps": 2_400,
        },
    )[0]


def make_loan(borrower, *, first_due: date, paid_days_late=(0, 0, 0), status="closed", kind="tenant"):
    """A disbursed loan of 3 monthly instalments; `paid_days_late[i]` None = instalment i unpaid
    (waived when the loan is written off)."""
    from apps.lending.models import Instalment, Loan

    loan = Loan.objects.create(
        number=f"PRT-SCORE-{next(_numbers):06d}",
        product=_product(),
        borrower=borrower,
        borrower_kind=kind,
        status=status,
        single_open=False,
        currency="XOF",
        principal=30_000,
        term=3,
        frequency="monthly",
        interest_method="declining",
        amortization="equal_instalments",
        annual_rate_bps=2_400,
        destination="wallet",
        first_due_date=first_due,
        disbursed_on=first_due - timedelta(days=30),
        closed_on=None if status == "active" else first_due + timedelta(days=90),
    )
    for i, late in enumerate(paid_days_late):
        due = first_due + timedelta(days=30 * i)
        paid = late is not None
        Instalment.objects.create(
            loan=loan,
            number=i + 1,
            due_date=due,
            principal=10_000,
            interest=500,
            paid_principal=10_000 if paid else 0,
            paid_interest=500 if paid else 0,
            status="paid" if paid else ("waived" if status == "written_off" else "pending"),
            paid_on=due + timedelta(days=late) if paid else None,
        )
    return loan


@pytest.fixture
def without_sources():
    """No higher module's source registered (as with lending switched off); put back after."""
    saved = {s.name: s for s in sources.registered()}
    for name in saved:
        sources.unregister_feature_source(name)
    yield
    for s in saved.values():
        sources.register_feature_source(s.name, s.reader, features=s.features, simulate=s.simulate)


def _score(features, model=None):
    return scorecard.score_many([features], model=model or scorecard.active_model())[0]


def test_lending_registers_its_loans_from_ready():
    specs = sources.registered_specs()
    assert {
        "lending.loans_repaid",
        "lending.instalments_late_pct",
        "lending.worst_days_past_due_24",
        "lending.delinquent",
        "lending.loans_written_off",
    } <= set(specs)
    assert specs["lending.loans_written_off"].direction == "lowers"
    assert specs["lending.loans_repaid"].direction == "raises"


def test_the_reader_is_one_query_whatever_the_number_of_users(django_assert_max_num_queries):
    as_of = date.today()
    first = as_of - timedelta(days=200)
    users = [UserFactory() for _ in range(6)]
    for user in users:
        make_loan(user, first_due=first)
        make_loan(user, first_due=first + timedelta(days=10), paid_days_late=(0, 12, None), status="active")
    ids = [u.public_id for u in users] + [UserFactory().public_id]
    with django_assert_max_num_queries(1):
        one = scoring_source.read(ids[:1], as_of)
    with django_assert_max_num_queries(1):
        many = scoring_source.read(ids, as_of)
    assert len(one) == 1 and len(many) == 6  # a user with no loan is not returned
    assert many[users[3].public_id] == {
        "loans_repaid": 1,
        "instalments_late_pct": 33,  # 2 of the 6 due instalments not paid by their due date
        "worst_days_past_due_24": (as_of - (first + timedelta(days=70))).days,  # the unpaid one
        "delinquent": 1,
        "loans_written_off": 0,
    }


def test_features_for_adds_one_query_for_the_loans_whatever_the_number_of_users():
    histories = [build_rent_history() for _ in range(3)]
    for h in histories:
        make_loan(h.tenant, first_due=h.as_of - timedelta(days=150))
    ids = [h.tenant.public_id for h in histories]
    as_of = histories[0].as_of
    with CaptureQueriesContext(connection) as small:
        features_for(ids[:1], today=as_of)
    with CaptureQueriesContext(connection) as large:
        out = features_for(ids, today=as_of)
    assert len(large) == len(small) <= 15  # scoring's own 14 + lending's one
    assert all(f.value("lending.loans_repaid") == 1 for f in out.values())


def test_the_reader_reads_as_of_a_date_and_only_tenant_loans():
    user = UserFactory()
    first = date.today() - timedelta(days=200)
    make_loan(user, first_due=first, paid_days_late=(0, 0, 45))  # the last one paid 45 days late
    landlord = UserFactory()
    make_loan(landlord, first_due=first, kind="landlord")
    before = scoring_source.read([user.public_id, landlord.public_id], first + timedelta(days=61))
    # on that day: the first two paid on time, the third due the day before, not paid yet
    assert before == {
        user.public_id: {
            "loans_repaid": 0,
            "instalments_late_pct": 33,  # the third, due and not paid yet
            "worst_days_past_due_24": 1,
            "delinquent": 1,
            "loans_written_off": 0,
        }
    }
    now = scoring_source.read([user.public_id], date.today())[user.public_id]
    assert now["loans_repaid"] == 1 and now["worst_days_past_due_24"] == 45 and now["delinquent"] == 0


def test_a_written_off_loan_lowers_and_a_loan_repaid_on_time_raises_the_score():
    base, good, bad = (build_rent_history() for _ in range(3))
    as_of = base.as_of
    make_loan(good.tenant, first_due=as_of - timedelta(days=150))
    make_loan(
        bad.tenant,
        first_due=as_of - timedelta(days=200),
        paid_days_late=(0, None, None),
        status="written_off",
    )
    feats = features_for([h.tenant.public_id for h in (base, good, bad)], today=as_of)
    f_base, f_good, f_bad = (feats[h.tenant.public_id] for h in (base, good, bad))
    assert f_base.extra == ()
    assert f_bad.value("lending.loans_written_off") == 1
    population = simulate.simulate(20000, seed=20)
    trained = scorecard.load(training.train(population.X, population.y, seed=20).spec, version="t")
    for model in (scorecard.active_model(), trained):  # the provisional scorecard, a trained one
        s_base, s_good, s_bad = (_score(f, model).score for f in (f_base, f_good, f_bad))
        assert s_bad < s_base < s_good, model.version
    # the reasons say it, in French and in English
    with translation.override("fr"):
        fr = [r.text for r in _score(f_bad).reasons]
    en = [r.text for r in scorecard.score_many([f_bad], language="en")[0].reasons]
    assert "1 prêt passé en perte" in fr and "1 loan written off" in en
    assert any(
        r.code == "lending.loans_written_off" and r.direction == "lowers" for r in _score(f_bad).reasons
    )


def test_a_user_without_a_loan_scores_as_without_the_source(without_sources):
    history = build_rent_history()
    alone = features_for([history.tenant.public_id], today=history.as_of)[history.tenant.public_id]
    before = _score(alone)  # the provisional scorecard without any source
    assert before.score is not None
    scoring_source.register()
    with_source = features_for([history.tenant.public_id], today=history.as_of)[history.tenant.public_id]
    assert with_source == alone  # nothing from lending: no extra value
    assert "lending.loans_written_off" in scorecard.active_model().names  # the source's bins joined
    assert _score(with_source) == before  # and a user without a loan gets 0 points from them


def test_scoring_works_with_no_source_registered(without_sources):
    from apps.scoring.services.scores import rescore

    history = build_rent_history()
    make_loan(history.tenant, first_due=history.as_of - timedelta(days=150))
    assert scorecard.columns() == scorecard.FEATURE_FIELDS
    feats = features_for([history.tenant.public_id], today=history.as_of)[history.tenant.public_id]
    assert feats.extra == ()
    assert rescore(history.tenant.public_id, reason="test", today=history.as_of).score is not None
    # a spec trained with lending's variables still loads and scores them at their default
    spec = scorecard.provisional_spec()
    spec["variables"].append(
        {
            "name": "lending.loans_written_off",
            "direction": "lowers",
            "default": 0,
            "cuts": [1.0],
            "woe": [0.02, -1.6],
            "coef": -1.0,
        }
    )
    assert scorecard.check_spec(spec) == []
    assert _score(feats, scorecard.load(spec, version="with-loans")).score is not None
    spec["variables"][-1]["direction"] = "raises"  # the points then fall: a monotonicity violation
    assert scorecard.check_spec(spec)


def test_the_tenant_sees_the_loan_reasons_on_the_score_page_and_the_api():
    from django.urls import reverse

    from tests.helpers import bearer_client
    from tests.scoring.test_tenant_pages import client_for

    history = build_rent_history()
    make_loan(
        history.tenant,
        first_due=history.as_of - timedelta(days=200),
        paid_days_late=(0, None, None),
        status="written_off",
    )
    html = client_for(history.tenant).get(reverse("scoring:score")).content.decode()
    assert "1 prêt passé en perte" in html
    body = bearer_client(history.tenant).get("/api/v1/scoring/me", HTTP_ACCEPT_LANGUAGE="en").json()
    reasons = {r["code"]: r for r in body["reasons"]}
    assert reasons["lending.loans_written_off"]["direction"] == "lowers"
