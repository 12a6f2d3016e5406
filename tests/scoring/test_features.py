"""The rent score's features: set-based reads of estate, recovery, the wallet and kyc through
their APIs."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.scoring import api as scoring
from apps.scoring.contracts import RentLineCode, ScoreFeatures
from apps.scoring.services.features import features_for, features_for_all
from tests.scoring.conftest import build_rent_history

pytestmark = pytest.mark.django_db


def test_rent_lines_code_each_month_as_it_was_paid(rent_history):
    lines = scoring.rent_lines(rent_history.tenant.public_id, today=rent_history.as_of)
    assert [line.code for line in lines] == (
        [RentLineCode.ON_TIME] * 9
        + [RentLineCode.LATE_1_29, RentLineCode.LATE_30_59, RentLineCode.PARTIAL, RentLineCode.UNPAID]
    )
    dues = rent_history.dues
    assert [line.month for line in lines] == [d.period.strftime("%Y-%m") for d in dues]
    assert lines[9].days_late == 10 and lines[10].days_late == 40
    assert lines[11].paid == dues[11].total // 2 and lines[11].amount == dues[11].total
    assert lines[12].paid == 0
    assert lines[12].days_late == (rent_history.as_of - dues[12].due_date).days
    assert {line.lease for line in lines} == {rent_history.lease.public_id}
    assert {line.currency for line in lines} == {"XOF"}


def test_rent_lines_window_and_not_yet_late_months(rent_history):
    # 6 months back from as_of: only the last 6 lines
    lines = scoring.rent_lines(rent_history.tenant.public_id, 6, today=rent_history.as_of)
    assert len(lines) == 6
    # on the day the last month falls due (inside its grace days, unpaid) it is not a line yet
    last = rent_history.dues[-1]
    lines = scoring.rent_lines(rent_history.tenant.public_id, today=last.due_date)
    assert lines[-1].month == rent_history.dues[-2].period.strftime("%Y-%m")


def test_features_count_the_history(rent_history):
    tenant = rent_history.tenant.public_id
    features = scoring.features_for([tenant], today=rent_history.as_of)[tenant]
    dues = rent_history.dues
    assert features.months_observed == 13
    assert (features.on_time_12, features.late_12, features.partial_12, features.unpaid_12) == (8, 2, 1, 1)
    assert features.avg_days_late_12 == 25.0
    assert features.max_days_late_12 == (rent_history.as_of - dues[11].due_date).days
    assert features.tenure_months == 12
    assert features.kyc_tier == 0
    assert features.recovery_opened == 0


def test_features_read_recovery_and_kyc(rent_history):
    from apps.kyc.models import KycProfile
    from apps.recovery import services as recovery

    recovery.cases_sync(today=rent_history.as_of, organizations=[rent_history.agency.public_id])
    KycProfile.objects.create(user=rent_history.tenant, tier=1)
    tenant = rent_history.tenant.public_id
    features = features_for([tenant], today=rent_history.as_of)[tenant]
    assert features.recovery_opened == 1
    assert features.recovery_paid == 0
    assert features.kyc_tier == 1


def test_a_user_without_history_gets_zero_features(db):
    from tests.identity.factories import UserFactory

    user = UserFactory()
    unknown = uuid.uuid4()
    out = features_for([user.public_id, unknown])
    assert out[user.public_id] == ScoreFeatures()
    assert out[unknown] == ScoreFeatures()


def test_features_for_is_set_based(db):
    """The same number of queries for 1 tenant and for 3."""
    one = build_rent_history()
    more = [build_rent_history() for _ in range(2)]
    with CaptureQueriesContext(connection) as small:
        features_for([one.tenant.public_id], today=one.as_of)
    with CaptureQueriesContext(connection) as large:
        out = features_for([one.tenant.public_id] + [h.tenant.public_id for h in more], today=one.as_of)
    assert len(large) == len(small) <= 15  # scoring's 14 + lending's registered loan source (one)
    assert all(f.months_observed == 13 for f in out.values())


def test_features_for_all_walks_every_tenant_in_chunks(db):
    histories = [build_rent_history() for _ in range(3)]
    as_of = histories[0].as_of
    chunks = list(features_for_all(as_of, chunk=2))
    assert [len(c) for c in chunks] == [2, 1]
    seen = {u for c in chunks for u in c}
    assert seen == {h.tenant.public_id for h in histories}


def test_days_late_counts_from_the_day_the_money_came_in(rent_history):
    """A payment recorded later with an earlier receipt date counts on its receipt date."""
    lines = scoring.rent_lines(rent_history.tenant.public_id, today=rent_history.as_of + timedelta(days=1))
    assert lines[0].code == RentLineCode.ON_TIME


def test_a_line_whose_dispute_was_upheld_no_longer_counts(rent_history):
    """disputes: staff upheld the tenant's dispute of the unpaid month."""
    from apps.scoring.models import RentLineDispute

    tenant = rent_history.tenant
    unpaid = rent_history.dues[12]
    RentLineDispute.objects.create(
        user=tenant,
        lease=rent_history.lease.public_id,
        organization=rent_history.agency.public_id,
        month=unpaid.period.strftime("%Y-%m"),
        reason="paid_on_time",
        respond_by=rent_history.as_of,
        status="upheld",
    )
    features = features_for([tenant.public_id], today=rent_history.as_of)[tenant.public_id]
    assert features.months_observed == 12
    assert (features.on_time_12, features.late_12, features.partial_12, features.unpaid_12) == (8, 2, 1, 0)
    assert features.avg_days_late_12 == 25.0
    assert features.max_days_late_12 == (rent_history.as_of - rent_history.dues[11].due_date).days
    assert features.tenure_months == 12
    # the data behind the score still shows the line (with its dispute, on the tenant's page)
    assert len(scoring.rent_lines(tenant.public_id, today=rent_history.as_of)) == 13
