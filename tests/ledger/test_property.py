"""Stateful property test: any sequence of transfers, holds, posts, voids, reversals and
retries keeps the books right. A plain-Python model runs beside the real ledger."""

import uuid

import pytest
from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, invariant, rule

from apps.ledger import api
from apps.ledger.contracts import AccountKind, Leg, OwnerType

pytestmark = pytest.mark.django_db

CURRENCY = "XOF"
amounts = st.integers(min_value=1, max_value=5_000)


class LedgerMachine(RuleBasedStateMachine):
    holds = Bundle("holds")
    transfers = Bundle("transfers")

    @initialize()
    def open_accounts(self):
        run = uuid.uuid4().hex[:8]
        self.accounts = []  # (public id, limit) with limit in {None, "debits", "credits"}
        for i, limit in enumerate([None, None, "debits", "debits", "credits"]):
            info = api.create_account(
                code=f"prop.{run}.{i}",
                name=f"property {i}",
                currency=CURRENCY,
                kind=AccountKind.ASSET if limit == "credits" else AccountKind.LIABILITY,
                owner_type=OwnerType.SYSTEM,
                debits_must_not_exceed_credits=limit == "debits",
                credits_must_not_exceed_debits=limit == "credits",
            )
            self.accounts.append((info.public_id, limit))
        # the model: account -> [debits_posted, credits_posted, debits_pending, credits_pending]
        self.model = {a: [0, 0, 0, 0] for a, _ in self.accounts}
        self.hold_legs = {}  # hold id -> legs
        self.transfer_legs = {}  # transfer id -> legs
        self.reversed = set()
        self.resolved = set()
        self.sent = {}  # idempotency key -> (legs, result id)

    # --- helpers ------------------------------------------------------------------------
    def _allowed(self, moves) -> bool:
        """moves: {account: [dp, cp, dpe, cpe] deltas}; the limit rule with pending."""
        for account, limit in self.accounts:
            dp, cp, dpe, cpe = (
                x + y for x, y in zip(self.model[account], moves.get(account, [0] * 4), strict=True)
            )
            if limit == "debits" and dp + dpe > cp and account in moves:
                return False
            if limit == "credits" and cp + cpe > dp and account in moves:
                return False
        return True

    def _apply(self, moves):
        for account, delta in moves.items():
            self.model[account] = [x + y for x, y in zip(self.model[account], delta, strict=True)]

    @staticmethod
    def _moves(legs, *, pending=False, release=()):
        moves = {}
        for leg in legs:
            d = moves.setdefault(leg.account, [0, 0, 0, 0])
            d[(0 if leg.side == "debit" else 1) + (2 if pending else 0)] += leg.amount
        for leg in release:
            d = moves.setdefault(leg.account, [0, 0, 0, 0])
            d[2 if leg.side == "debit" else 3] -= leg.amount
        return moves

    def _legs(self, data, amount):
        src = data.draw(st.sampled_from(self.accounts))[0]
        dst = data.draw(st.sampled_from(self.accounts))[0]
        return [Leg.debit(src, amount, CURRENCY), Leg.credit(dst, amount, CURRENCY)]

    # --- rules --------------------------------------------------------------------------
    @rule(target=transfers, data=st.data(), amount=amounts)
    def transfer(self, data, amount):
        legs = self._legs(data, amount)
        moves = self._moves(legs)
        k = uuid.uuid4().hex
        if self._allowed(moves):
            result = api.transfer(idempotency_key=k, code="t", legs=legs)
            self._apply(moves)
            self.transfer_legs[result.public_id] = legs
            self.sent[k] = (legs, result.public_id)
            return result.public_id
        with pytest.raises((api.InsufficientFunds, api.LimitExceeded)):
            api.transfer(idempotency_key=k, code="t", legs=legs)
        return None

    @rule(target=transfers, data=st.data(), a=amounts, b=amounts)
    def split_transfer(self, data, a, b):
        src = data.draw(st.sampled_from(self.accounts))[0]
        d1 = data.draw(st.sampled_from(self.accounts))[0]
        d2 = data.draw(st.sampled_from(self.accounts))[0]
        legs = [Leg.debit(src, a + b, CURRENCY), Leg.credit(d1, a, CURRENCY), Leg.credit(d2, b, CURRENCY)]
        moves = self._moves(legs)
        if not self._allowed(moves):
            with pytest.raises((api.InsufficientFunds, api.LimitExceeded)):
                api.transfer(idempotency_key=uuid.uuid4().hex, code="split", legs=legs)
            return None
        result = api.transfer(idempotency_key=uuid.uuid4().hex, code="split", legs=legs)
        self._apply(moves)
        self.transfer_legs[result.public_id] = legs
        return result.public_id

    @rule(data=st.data())
    def retry(self, data):
        if not self.sent:
            return
        k = data.draw(st.sampled_from(sorted(self.sent)))
        legs, first = self.sent[k]
        assert api.transfer(idempotency_key=k, code="t", legs=legs).public_id == first

    @rule(target=holds, data=st.data(), amount=amounts, timeout=st.sampled_from([None, 3600]))
    def hold(self, data, amount, timeout):
        legs = self._legs(data, amount)
        moves = self._moves(legs, pending=True)
        if not self._allowed(moves):
            with pytest.raises((api.InsufficientFunds, api.LimitExceeded)):
                api.hold(idempotency_key=uuid.uuid4().hex, code="h", legs=legs, timeout_seconds=timeout)
            return None
        result = api.hold(idempotency_key=uuid.uuid4().hex, code="h", legs=legs, timeout_seconds=timeout)
        self._apply(moves)
        self.hold_legs[result.public_id] = legs
        return result.public_id

    @rule(target=transfers, hold=consumes(holds), data=st.data())
    def post(self, hold, data):
        if hold is None:
            return None
        legs = self.hold_legs[hold]
        amount = data.draw(st.integers(min_value=1, max_value=legs[0].amount))
        posted = [Leg(leg.account, leg.side, amount, leg.currency) for leg in legs]
        moves = self._moves(posted, release=legs)
        if not self._allowed(moves):
            with pytest.raises((api.InsufficientFunds, api.LimitExceeded)):
                api.post_hold(hold=hold, amount=amount)
            api.void_hold(hold=hold)
            self._apply(self._moves([], release=legs))
            return None
        result = api.post_hold(hold=hold, amount=amount)
        self._apply(moves)
        self.transfer_legs[result.public_id] = posted
        with pytest.raises(api.HoldAlreadyResolved):
            api.void_hold(hold=hold)
        return result.public_id

    @rule(hold=consumes(holds))
    def void(self, hold):
        if hold is None:
            return
        api.void_hold(hold=hold)
        self._apply(self._moves([], release=self.hold_legs[hold]))
        assert api.void_hold(hold=hold).replayed
        with pytest.raises(api.HoldAlreadyResolved):
            api.post_hold(hold=hold)

    @rule(transfer=consumes(transfers))
    def reverse(self, transfer):
        if transfer is None:
            return
        legs = self.transfer_legs[transfer]
        mirrored = [
            Leg(leg.account, "credit" if leg.side == "debit" else "debit", leg.amount, leg.currency)
            for leg in legs
        ]
        moves = self._moves(mirrored)
        if not self._allowed(moves):
            with pytest.raises((api.InsufficientFunds, api.LimitExceeded)):
                api.reverse(transfer=transfer)
            return
        result = api.reverse(transfer=transfer)
        assert result.reverses == transfer
        self._apply(moves)
        assert api.reverse(transfer=transfer).replayed

    # --- invariants ---------------------------------------------------------------------
    @invariant()
    def stored_totals_match_the_model_and_the_limits(self):
        for account, limit in self.accounts:
            b = api.balance(account=account)
            stored = [b.debits_posted, b.credits_posted, b.debits_pending, b.credits_pending]
            assert stored == self.model[account]
            if limit == "debits":
                assert b.debits_posted + b.debits_pending <= b.credits_posted
            if limit == "credits":
                assert b.credits_posted + b.credits_pending <= b.debits_posted

    @invariant()
    def stored_totals_equal_the_sums_of_postings_and_books_sum_to_zero(self):
        from apps.ledger import verify

        report = verify.run()
        assert report.ok, report
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT currency, SUM(debits_posted - credits_posted), SUM(debits_pending - credits_pending) "
                "FROM ledger_account GROUP BY currency"
            )
            for _currency, posted, pending in cursor.fetchall():
                assert posted == 0 and pending == 0


LedgerMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
)


def test_ledger_state_machine(db):
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(LedgerMachine, settings=LedgerMachine.TestCase.settings)
