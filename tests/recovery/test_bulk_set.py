"""The ladder's and the sync's write-back of cases (`bulk_set`: one UPDATE … FROM unnest on
PostgreSQL) leaves the rows exactly as Django's `bulk_update` does, on generated values."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.recovery.models import Case
from apps.recovery.services.cases import bulk_set

pytestmark = pytest.mark.django_db

LADDER_FIELDS = ["last_step", "escalate", "next_action_on", "status"]
SYNC_FIELDS = ["amount_owed", "oldest_due_date", "departed"]
ALL = LADDER_FIELDS + SYNC_FIELDS

values = st.fixed_dictionaries(
    {
        "step": st.none() | st.integers(min_value=0, max_value=7),
        "escalate": st.booleans(),
        "next_action_on": st.none() | st.integers(min_value=-30, max_value=60),
        "status": st.sampled_from(["open", "promised", "plan", "legal"]),
        "amount_owed": st.integers(min_value=0, max_value=10**12),
        "oldest_due_date": st.none() | st.integers(min_value=-400, max_value=0),
        "departed": st.booleans(),
    }
)


class _Rollback(Exception):
    pass


def _write(ids, generated, steps, fields, *, ours: bool) -> list[dict]:
    try:
        with transaction.atomic():
            cases = list(Case.objects.filter(pk__in=ids).order_by("pk"))
            base = date(2026, 3, 10)
            for case, v in zip(cases, generated, strict=False):
                case.last_step = steps[v["step"] % len(steps)] if v["step"] is not None else None
                case.escalate = v["escalate"]
                case.next_action_on = (
                    base + timedelta(days=v["next_action_on"]) if v["next_action_on"] is not None else None
                )
                case.status = v["status"]
                case.amount_owed = v["amount_owed"]
                case.oldest_due_date = (
                    base + timedelta(days=v["oldest_due_date"]) if v["oldest_due_date"] is not None else None
                )
                case.departed = v["departed"]
            written = cases[: len(generated)]
            if ours:
                bulk_set(Case, written, fields)
            else:
                Case.objects.bulk_update(written, fields)
            raise _Rollback(list(Case.objects.filter(pk__in=ids).order_by("pk").values()))
    except _Rollback as done:
        return done.args[0]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=st.lists(values, min_size=1, max_size=2), which=st.sampled_from(["ladder", "sync", "all"]))
def test_bulk_set_writes_what_bulk_update_writes(case, unassigned_case, ladder, generated, which):
    fields = {"ladder": LADDER_FIELDS, "sync": SYNC_FIELDS, "all": ALL}[which]
    steps = list(ladder.steps.order_by("day_offset", "id"))
    ids = [case.pk, unassigned_case.pk]
    ours = _write(ids, generated, steps, fields, ours=True)
    django = _write(ids, generated, steps, fields, ours=False)
    assert ours == django
    first = ours[0]  # the values were written, not only equal
    if "escalate" in fields:
        assert (first["escalate"], first["status"]) == (generated[0]["escalate"], generated[0]["status"])
    else:
        assert (first["amount_owed"], first["departed"]) == (
            generated[0]["amount_owed"],
            generated[0]["departed"],
        )
