"""Hypothesis drives the intent state machine through the real services (provider answers,
cash, cancel, expiry, refunds) and checks after every step: only allowed states, one
success at most, never more refunded than paid, and the ledger agreeing with the intent."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from apps.core.errors import DomainError
from apps.identity.models import Membership
from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, OwnerType
from apps.payments import services
from apps.payments.contracts import PAID_STATUSES, TRANSITIONS, IntentStatus
from apps.payments.errors import NotRefundable, RefundExceedsPaid
from apps.payments.models import PaymentIntent, SandboxTransaction
from apps.payments.providers.base import TransactionInfo, TxStatus
from apps.payments.services import ledgering

from .conftest import balance, make_intent, member

pytestmark = pytest.mark.django_db
counter = itertools.count()


@pytest.mark.usefixtures("providers")
def test_intent_state_machine(org, step_up):
    collector = member(org, Membership.Role.COLLECTOR)
    manager = member(org, Membership.Role.MANAGER)

    def step_up_token(intent, amount):
        """A refund is money out: the manager answers with the authenticator app (the
        `step_up` fixture enrols one), never an SMS code alone."""
        from django.core.cache import cache

        cache.clear()  # step-up limits are per user: each step is a fresh request here
        return step_up(manager, "payments.intent.refund", intent.public_id, amount, "XOF")

    class IntentMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            n = next(counter)
            account = ledger.create_account(
                code=f"state-machine-{n}",
                name="state machine",
                currency="XOF",
                kind=AccountKind.LIABILITY,
                owner_type=OwnerType.ORGANIZATION,
                owner=org.public_id,
            )
            self.intent = make_intent(
                org, amount=10_000, fee_bp=250, purpose_id=f"sm-{n}", credit_account=account.public_id
            )
            self.previous = IntentStatus.CREATED

        def fresh(self) -> PaymentIntent:
            return PaymentIntent.objects.get(pk=self.intent.pk)

        @rule()
        def start_attempt(self):
            try:
                services.attempt_start(intent=self.fresh(), method="mobile_money", provider="sandbox")
            except DomainError:
                assert (
                    self.fresh().status
                    not in (IntentStatus.CREATED, IntentStatus.PENDING, IntentStatus.FAILED)
                    or self.expired()
                )

        @rule(
            status=st.sampled_from([TxStatus.SUCCEEDED, TxStatus.FAILED, TxStatus.PENDING]),
            short=st.booleans(),
        )
        def provider_answers(self, status, short):
            attempt = self.fresh().attempts.exclude(provider="cash").order_by("-created_at").first()
            if attempt is None or attempt.status != "pending":
                return  # a provider does not take back a settled transaction (reconciliation's job)
            amount = self.intent.amount - (1 if short else 0)
            # the simulated provider's own book says the same thing (refunds read it)
            book = {TxStatus.SUCCEEDED: "SUCCESS", TxStatus.FAILED: "FAILED", TxStatus.PENDING: "PENDING"}[
                status
            ]
            SandboxTransaction.objects.filter(reference=attempt.provider_reference).update(
                status=book, amount=amount
            )
            info = TransactionInfo(
                reference=attempt.provider_reference, status=status, amount=amount, currency="XOF"
            )
            services.attempt_apply(attempt_id=attempt.pk, info=info)

        @rule()
        def cash(self):
            try:
                services.cash_record(actor=collector, intent=self.fresh())
            except DomainError:
                pass

        @rule()
        def cancel(self):
            try:
                services.intent_cancel(actor=manager, intent=self.fresh())
            except DomainError:
                assert self.fresh().status not in (
                    IntentStatus.CREATED,
                    IntentStatus.PENDING,
                    IntentStatus.FAILED,
                )

        @rule()
        def expire(self):
            PaymentIntent.objects.filter(pk=self.intent.pk).update(
                expires_at=timezone.now() - timedelta(seconds=1)
            )
            services.intents_expire()

        @rule(amount=st.integers(min_value=1, max_value=12_000))
        def refund(self, amount):
            intent = self.fresh()
            try:
                services.intent_refund(
                    actor=manager, intent=intent, amount=amount, step_up_token=step_up_token(intent, amount)
                )
            except (NotRefundable, RefundExceedsPaid):  # the refusals a refund may meet here
                remaining = intent.amount - intent.amount_refunded
                assert (
                    intent.status not in PAID_STATUSES
                    or amount > remaining
                    or intent.status == IntentStatus.REFUNDED
                )

        def expired(self):
            return self.fresh().expires_at <= timezone.now()

        @invariant()
        def consistent(self):
            intent = self.fresh()
            status = IntentStatus(intent.status)
            # one service call may pass through `pending` (cash: created -> pending -> succeeded)
            reachable = set(TRANSITIONS[self.previous]).union(
                *(TRANSITIONS[m] for m in TRANSITIONS[self.previous])
            )
            assert status == self.previous or status in reachable, (self.previous, status)
            self.previous = status
            assert intent.attempts.filter(status="succeeded").count() == (1 if status in PAID_STATUSES else 0)
            assert 0 <= intent.amount_refunded <= intent.amount
            credited = balance(intent.credit_account)
            if status in PAID_STATUSES:
                kept = (intent.amount - intent.fee_amount) - (intent.amount_refunded - intent.fee_refunded)
                assert credited == kept
                assert (status == IntentStatus.REFUNDED) == (intent.amount_refunded == intent.amount)
            else:
                assert credited == 0

    IntentMachine.TestCase.settings = settings(
        max_examples=12, stateful_step_count=12, deadline=None, suppress_health_check=list(HealthCheck)
    )
    run_state_machine_as_test(IntentMachine, settings=IntentMachine.TestCase.settings)
    assert ledgering.suspense("XOF")
