"""A rent accrual's legs (`ledgering.accrual_legs`): the direct path it takes when the
receivable, the owner's payable and the commission are three distinct accounts (every
month-end due of an agency) gives exactly the legs of the general rule (the three legs
netted per account), for any amount, commission and account overlap."""

from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.estate.services import ledgering
from apps.ledger.contracts import Leg, Side


class FixedAccounts:
    """The three accounts of one organization and owner (an argument, not a patch)."""

    def __init__(self, receivable: UUID, payable: UUID, revenue: UUID):
        self._r, self._p, self._c = receivable, payable, revenue

    def receivable(self, org, currency):
        return self._r

    def owner_payable(self, org, owner, currency):
        return self._p

    def commission(self, org, currency):
        return self._c


A, B, C = uuid4(), uuid4(), uuid4()


def general_rule(accounts, amount, commission, currency):
    sign = 1 if amount >= 0 else -1
    amount, commission = abs(amount), abs(commission)
    plus, minus = (Side.DEBIT, Side.CREDIT) if sign > 0 else (Side.CREDIT, Side.DEBIT)
    return ledgering.merged(
        [
            Leg(accounts.receivable(None, currency), plus, amount, currency),
            Leg(accounts.owner_payable(None, None, currency), minus, amount - commission, currency),
            Leg(accounts.commission(None, currency), minus, commission, currency),
        ]
    )


@settings(max_examples=50, deadline=None)
@given(
    amount=st.integers(min_value=-2_000_000, max_value=2_000_000),
    share=st.integers(min_value=0, max_value=10_000),
    trio=st.sampled_from([(A, B, C), (A, B, B), (A, A, C), (A, B, A), (A, A, A)]),
)
def test_the_direct_path_gives_the_general_rules_legs(amount, share, trio):
    accounts = FixedAccounts(*trio)
    commission = abs(amount) * share // 10_000
    legs = ledgering.accrual_legs(
        accounts, org=None, owner=None, amount=amount, commission=commission, currency="XOF"
    )
    assert legs == general_rule(accounts, amount, commission, "XOF")
    assert sum(leg.amount for leg in legs if leg.side == Side.DEBIT) == sum(
        leg.amount for leg in legs if leg.side == Side.CREDIT
    )
