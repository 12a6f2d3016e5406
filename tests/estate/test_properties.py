"""Property tests (hypothesis): payment allocation and the due status state machine."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.estate import domain
from apps.estate.contracts import DueStatus

dues_strategy = st.lists(
    st.tuples(st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=500_000)),
    min_size=0,
    max_size=12,
)


def _dues(raw):
    start = date(2025, 1, 1)
    return [
        domain.OpenDue(key=i, due_date=start + timedelta(days=d), outstanding=o)
        for i, (d, o) in enumerate(raw)
    ]


@settings(max_examples=200, deadline=None)
@given(
    amount=st.integers(min_value=0, max_value=3_000_000),
    raw=dues_strategy,
    pick=st.integers(min_value=-1, max_value=11),
)
def test_allocation_preserves_the_sum_pays_oldest_first_and_keeps_the_rest_as_credit(amount, raw, pick):
    dues = _dues(raw)
    first = pick if 0 <= pick < len(dues) else None
    lines, credit = domain.allocate(amount, dues, first=first)
    by_key = {d.key: d for d in dues}
    # the sum is preserved: nothing invented, nothing lost (the rest is credit)
    assert sum(part for _k, part in lines) + credit == amount
    assert credit >= 0 and all(part > 0 for _k, part in lines)
    # never more than a due's outstanding amount, each due at most once
    assert len({k for k, _p in lines}) == len(lines)
    assert all(part <= by_key[k].outstanding for k, part in lines)
    # credit only when every open due is paid in full
    if credit:
        assert sum(d.outstanding for d in dues) == amount - credit
    # oldest first (after the named due): only the last line may be partial, and a due is
    # paid only once every older open due is fully paid
    rest = [(k, p) for k, p in lines if k != first]
    paid = dict(rest)
    ordered = sorted(
        (d for d in dues if d.key != first and d.outstanding > 0), key=lambda d: (d.due_date, str(d.key))
    )
    for index, due in enumerate(ordered):
        if paid.get(due.key, 0) > 0:
            assert all(paid.get(older.key, 0) == older.outstanding for older in ordered[:index])
    if first is not None and by_key[first].outstanding and amount:
        assert lines[0][0] == first


events = st.lists(
    st.one_of(
        st.tuples(st.just("day"), st.integers(min_value=1, max_value=20)),
        st.tuples(st.just("pay"), st.integers(min_value=1, max_value=60_000)),
        st.tuples(st.just("refund"), st.integers(min_value=1, max_value=60_000)),
        st.tuples(st.just("charge"), st.integers(min_value=1, max_value=10_000)),
        st.tuples(st.just("write_off"), st.just(0)),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(events=events)
def test_due_status_state_machine(events):
    """Whatever happens (days pass, payments, refunds, charges, a write-off), every status
    change is an allowed transition, the status always matches the facts, and a written-off
    or paid due never shows money missing."""
    due_date, grace = date(2026, 4, 5), date(2026, 4, 10)
    today, total, paid = date(2026, 3, 25), 80_000, 0
    status = domain.due_status(today=today, due_date=due_date, grace_until=grace, total=total, paid=paid)
    for kind, value in events:
        if status == DueStatus.WRITTEN_OFF:
            break
        if kind == "day":
            today += timedelta(days=value)
        elif kind == "pay":
            paid = min(total, paid + value)
        elif kind == "refund":
            paid = max(0, paid - value)
        elif kind == "charge":
            total += value
        elif kind == "write_off":
            assert domain.can_move(status, DueStatus.WRITTEN_OFF) or status == DueStatus.PAID
            if status != DueStatus.PAID:
                status = DueStatus.WRITTEN_OFF
            continue
        new = domain.due_status(today=today, due_date=due_date, grace_until=grace, total=total, paid=paid)
        assert domain.can_move(status, new), (status, new, kind)
        status = new
        assert (status == DueStatus.PAID) == (paid >= total)
        if status == DueStatus.OVERDUE:
            assert today > grace and paid < total
        if status == DueStatus.UPCOMING:
            assert today < due_date and paid == 0


@settings(max_examples=200, deadline=None)
@given(
    amount=st.integers(min_value=0, max_value=10**9),
    bps=st.integers(min_value=0, max_value=10_000),
    parts=st.lists(st.integers(min_value=1, max_value=10**6), max_size=8),
)
def test_commission_of_partial_payments_adds_up_to_the_whole(amount, bps, parts):
    """Each allocation's commission is the difference of cumulative commissions, so the
    parts always add up to the commission of the total (no franc lost to rounding)."""
    paid, total_commission = 0, 0
    for part in parts:
        before = paid
        paid = min(amount, paid + part)
        total_commission += domain.commission_of(paid, bps) - domain.commission_of(before, bps)
    assert total_commission == domain.commission_of(paid, bps)
    assert 0 <= domain.commission_of(amount, bps) <= amount
