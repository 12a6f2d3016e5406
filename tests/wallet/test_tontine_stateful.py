"""Cotis'Hokwe, a whole cycle as a hypothesis state machine: members who pay on time, pay by
hand, run dry (late, then default, before or after their turn), are refilled, replaced or leave
between rounds, while the daily run goes day after day (sometimes twice the same day).

At every step: Σ debits = Σ credits per currency on the ledger, and the pot holds exactly the
contributions of its open rounds. At the end: every member received exactly once, the pot is
empty, no guarantee is left held, and the contributions (penalties included) equal the pots
paid plus the penalties plus the organiser's commission (and the bid discounts shared)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from apps.ledger import api as ledger
from apps.ledger.models import Account
from apps.wallet.models import TontineContribution, TontineMember, TontineRound
from apps.wallet.services import tontine, tontine_rounds, wallets
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTRIBUTION = 2_000
PENALTY = 300


def _clearing():
    return ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id


def _fund(wallet, amount):
    wallets.move(
        idempotency_key=f"test:fund:{uuid.uuid4()}",
        code="wallet.topup",
        debit=_clearing(),
        credit=wallet.account,
        amount=amount,
        currency="XOF",
        into=wallet,
    )


def _drain(wallet):
    free = ledger.balance(account=wallet.account).available
    if free > 0:
        wallets.move(
            idempotency_key=f"test:drain:{uuid.uuid4()}",
            code="wallet.test",
            debit=wallet.account,
            credit=_clearing(),
            amount=free,
            currency="XOF",
            out_of=wallet,
            record_usage=False,
        )


def test_a_whole_cycle_keeps_the_books(tontine_group, tontine_otp):
    class Cycle(RuleBasedStateMachine):
        @initialize(
            n=st.integers(min_value=3, max_value=4),
            order=st.sampled_from(["fixed", "drawn", "bidding"]),
            commission=st.sampled_from([0, 150, 300]),
        )
        def start(self, n, order, commission):
            self.world = tontine_group(
                n=n,
                order=order,
                contribution=CONTRIBUTION,
                penalty=PENALTY,
                commission_bps=commission,
                grace_days=2,
                funds=CONTRIBUTION * 2,
            )
            self.group = self.world.group
            self.day = self.group.rounds.get(number=1).due_date

        # --- what happens between two runs -----------------------------------------------------

        def _seats(self):
            return list(
                TontineMember.objects.filter(group=self.group, status="active")
                .select_related("user")
                .order_by("id")
            )

        @rule(data=st.data())
        def a_member_runs_dry(self, data):
            seat = data.draw(st.sampled_from(self._seats()))
            _drain(wallets.wallet_for(seat.user, "XOF"))

        @rule(data=st.data(), rounds=st.integers(min_value=1, max_value=3))
        def a_member_tops_up(self, data, rounds):
            seat = data.draw(st.sampled_from(self._seats()))
            _fund(wallets.wallet_for(seat.user, "XOF"), rounds * CONTRIBUTION + PENALTY)

        @rule(data=st.data())
        def a_member_pays_by_hand(self, data):
            seat = data.draw(st.sampled_from(self._seats()))
            try:
                tontine.contribute(actor=seat.user, group=self.group)
            except (tontine_rounds.TontineStateConflict, ledger.InsufficientFunds):
                pass

        @precondition(lambda self: self.group.order_method == "bidding")
        @rule(data=st.data(), discount=st.integers(min_value=0, max_value=1_000))
        def a_member_bids(self, data, discount):
            seat = data.draw(st.sampled_from(self._seats()))
            try:
                tontine.bid(actor=seat.user, group=self.group, discount=discount)
            except (tontine_rounds.TontineStateConflict, tontine.TontineInvalid):
                pass

        @rule(data=st.data())
        def a_member_is_replaced(self, data):
            self.group.refresh_from_db()
            if self.group.status != "active":
                return
            received = TontineRound.objects.filter(group=self.group, status="paid").values("beneficiary")
            candidates = [s for s in self._seats() if s.user_id != self.group.organiser_id]
            candidates = [s for s in candidates if s.pk not in {r["beneficiary"] for r in received}]
            if not candidates:
                return
            leaver = data.draw(st.sampled_from(candidates))
            newcomer = UserFactory()
            _fund(wallets.wallet_for(newcomer, "XOF"), CONTRIBUTION * 8)
            try:
                seat = tontine.member_replace(
                    actor=self.group.organiser, group=self.group, member=leaver, phone=str(newcomer.phone)
                )
            except tontine_rounds.TontineStateConflict:
                return
            tontine.invitation_accept(actor=newcomer, member=seat, step_up_token=tontine_otp(newcomer, seat))

        @rule(data=st.data())
        def a_member_leaves(self, data):
            seat = data.draw(st.sampled_from(self._seats()))
            try:
                tontine.member_leave(actor=seat.user, group=self.group, member=seat)
            except tontine_rounds.TontineStateConflict:
                pass

        @rule(days=st.integers(min_value=0, max_value=3))
        def the_daily_run(self, days):
            tontine_rounds.close_due_rounds(self.day)
            self.day += timedelta(days=days)

        # --- what always holds -----------------------------------------------------------------

        @invariant()
        def the_ledger_balances(self):
            for row in Account.objects.values("currency").annotate(
                d=Sum("debits_posted"),
                c=Sum("credits_posted"),
                dp=Sum("debits_pending"),
                cp=Sum("credits_pending"),
            ):
                assert (row["d"], row["dp"]) == (row["c"], row["cp"]), row

        @invariant()
        def the_pot_holds_the_open_rounds_contributions(self):
            if not hasattr(self, "group"):
                return
            in_open = sum(
                r.amount + r.penalty
                for r in TontineContribution.objects.filter(
                    round__group=self.group, round__status="open", status="paid"
                ).exclude(method="withheld")
            )
            assert ledger.balance(account=self.group.pot_account).posted == in_open

        @invariant()
        def nobody_receives_twice(self):
            if not hasattr(self, "group"):
                return
            beneficiaries = list(
                TontineRound.objects.filter(group=self.group, status="paid").values_list(
                    "beneficiary", flat=True
                )
            )
            assert len(beneficiaries) == len(set(beneficiaries))

        def teardown(self):
            if not hasattr(self, "group"):
                return
            last = self.group.rounds.order_by("-number").first().close_date
            while self.day <= last:
                tontine_rounds.close_due_rounds(self.day)
                self.day += timedelta(days=1)
            tontine_rounds.close_due_rounds(self.day)  # a run after the last close catches up
            self.group.refresh_from_db()
            assert self.group.status == "completed"
            rounds = list(self.group.rounds.exclude(status="cancelled"))
            seats = {s.pk for s in self._seats()}
            assert sorted(r.beneficiary_id for r in rounds) == sorted(seats)  # each exactly once
            assert ledger.balance(account=self.group.pot_account).posted == 0
            assert ledger.balance(account=self.group.pot_account).credits_pending == 0
            assert not TontineMember.objects.filter(group=self.group, guarantee_hold__isnull=False).exists()
            paid = TontineContribution.objects.filter(round__group=self.group, status="paid")
            moved = paid.exclude(method="withheld", transfer__isnull=True)  # own share withheld: no money
            paid_in = sum(r.amount + r.penalty for r in moved)
            partial = sum(  # a guarantee that covered part of a default: what it covered
                r.collected
                - sum(c.amount + c.penalty for c in moved.filter(round=r).exclude(method="withheld"))
                for r in rounds
            )
            rows = moved
            withheld = sum(r.amount + r.penalty for r in rows.filter(method="withheld"))
            penalties = sum(r.penalties for r in rounds) + sum(
                r.penalty for r in rows.filter(method="withheld")
            )
            commission = sum(r.commission for r in rounds)
            discounts = sum(r.discount for r in rounds)
            pots_paid = sum(r.paid_out for r in rounds)  # withheld arrears included
            # Σ contributions (penalties included) = pots paid (their penalties apart) + penalties
            # + commission + the discounts shared
            assert paid_in + partial == (pots_paid - penalties) + penalties + commission + discounts
            assert withheld <= pots_paid

    run_state_machine_as_test(
        Cycle,
        settings=settings(
            max_examples=6,
            stateful_step_count=12,
            deadline=None,
            phases=(Phase.explicit, Phase.reuse, Phase.generate),  # a failure prints its steps as found
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
