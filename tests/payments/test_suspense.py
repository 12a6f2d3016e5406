"""Money in suspense applied to an intent or a due, or refunded to the payer, by finance
staff: audited, four eyes above PAYMENT_SUSPENSE_FOUR_EYES_ABOVE, never twice
(docs/payments.md "Suspense and settlements")."""

from __future__ import annotations

import secrets

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.core.audit import AuditEntry
from apps.core.errors import Forbidden, NotFound
from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.payments import api as payments
from apps.payments import services
from apps.payments.contracts import IntentStatus
from apps.payments.errors import (
    FourEyesRequired,
    IntentNotPayable,
    InvalidPayment,
    SuspenseAmountMismatch,
    SuspenseCurrencyMismatch,
    SuspenseDecisionClosed,
    SuspenseItemClosed,
)
from apps.payments.models import ReconciliationItem, SandboxTransaction, SuspenseDecision
from apps.payments.services import ledgering
from apps.payments.services import suspense as suspense_services
from tests.identity.factories import UserFactory

from .conftest import make_intent

Status = SuspenseDecision.Status


@pytest.fixture
def finance(db):
    return UserFactory(is_staff=True, staff_role="finance", full_name="Awa Finance")


@pytest.fixture
def finance2(db):
    return UserFactory(is_staff=True, staff_role="finance", full_name="Koffi Finance")


def arrive(amount: int, *, provider: str = "bank_transfer", currency: str = "XOF", at_provider: bool = False):
    """Money nobody can be credited with lands in suspense (as reconciliation puts it there).
    `at_provider`: the sandbox provider holds the original transaction (refundable there)."""
    reference = f"SUSP-{secrets.token_hex(6)}"
    if at_provider:
        provider = "sandbox"
        SandboxTransaction.objects.create(
            reference=reference, kind="collect", amount=amount, currency=currency, status="SUCCESS"
        )
    return services.to_suspense(
        provider=provider,
        reference=reference,
        amount=amount,
        currency=currency,
        kind=ReconciliationItem.Kind.UNKNOWN,
        detail="paid at the provider, no intent knows it",
        refund_due=True,
    )


def posted(currency="XOF") -> int:
    return ledger.balance(account=ledgering.suspense(currency)).posted


def available(currency="XOF") -> int:
    return ledger.balance(account=ledgering.suspense(currency)).available


def test_apply_credits_the_intent_through_the_success_path_audited(org, providers, finance):
    item = arrive(40_000)
    intent = make_intent(org, amount=40_000)
    before = posted()
    decision = services.suspense_apply(
        actor=finance, item=item, intent=intent, reason="virement du locataire"
    )
    assert decision.status == Status.DONE
    intent.refresh_from_db()
    item.refresh_from_db()
    assert intent.status == IntentStatus.SUCCEEDED
    assert intent.receipt_number  # a numbered receipt, as any payment
    assert ledger.balance(account=intent.credit_account).posted == 40_000
    assert before - posted() == 40_000
    assert item.resolved
    attempt = intent.attempts.get(status="succeeded")
    assert attempt.debit_account == ledgering.suspense("XOF")
    entry = AuditEntry.objects.filter(action="payments.suspense.applied").latest("id")
    assert entry.category == "money"
    assert entry.after["amount"] == 40_000


def test_apply_twice_is_refused(org, providers, finance):
    item = arrive(30_000)
    services.suspense_apply(actor=finance, item=item, intent=make_intent(org, amount=30_000))
    second = make_intent(org, amount=30_000, purpose_id="due-2")
    with pytest.raises(SuspenseItemClosed):
        services.suspense_apply(actor=finance, item=item, intent=second)
    with pytest.raises(SuspenseItemClosed):
        services.suspense_refund(actor=finance, item=item, phone="+2290197000001", step_up_token="x")
    second.refresh_from_db()
    assert second.status == IntentStatus.CREATED


def test_apply_to_a_paid_intent_is_refused(org, providers, finance):
    paid = make_intent(org, amount=20_000)
    services.suspense_apply(actor=finance, item=arrive(20_000), intent=paid)
    other = arrive(20_000)
    before = posted()
    with pytest.raises(IntentNotPayable) as refused:
        services.suspense_apply(actor=finance, item=other, intent=paid)
    assert "déjà réglé" in str(refused.value.message)  # translated: French first
    assert posted() == before
    other.refresh_from_db()
    assert not other.resolved


def test_apply_to_another_amount_or_currency_is_refused(org, providers, finance):
    org.currencies = ["XOF", "EUR"]
    org.save()
    item = arrive(25_000)
    with pytest.raises(SuspenseAmountMismatch):
        services.suspense_apply(actor=finance, item=item, intent=make_intent(org, amount=24_000))
    with pytest.raises(SuspenseCurrencyMismatch):
        services.suspense_apply(
            actor=finance, item=item, intent=make_intent(org, amount=25_000, currency="EUR", purpose_id="e")
        )
    assert not SuspenseDecision.objects.filter(item=item).exists()


def test_only_finance_staff_decide(org, providers, manager):
    support = UserFactory(is_staff=True, staff_role="support")
    item = arrive(10_000)
    for actor in (manager, support):
        with pytest.raises((Forbidden, NotFound)):
            services.suspense_apply(actor=actor, item=item, intent=make_intent(org, amount=10_000))


def test_four_eyes_above_the_threshold(org, providers, finance, finance2, settings):
    settings.PAYMENT_SUSPENSE_FOUR_EYES_ABOVE = 500_000
    item = arrive(600_000)
    intent = make_intent(org, amount=600_000)
    before = posted()
    decision = services.suspense_apply(actor=finance, item=item, intent=intent)
    assert decision.status == Status.AWAITING_APPROVAL
    assert posted() == before  # nothing moves before the second pair of eyes
    with pytest.raises(FourEyesRequired):
        services.suspense_approve(actor=finance, decision=decision)
    with pytest.raises(SuspenseItemClosed):  # the request holds the item meanwhile
        services.suspense_apply(
            actor=finance2, item=item, intent=make_intent(org, amount=600_000, purpose_id="x")
        )
    decision = services.suspense_approve(actor=finance2, decision=decision)
    assert decision.status == Status.DONE
    assert decision.requested_by == finance and decision.approved_by == finance2
    intent.refresh_from_db()
    assert intent.status == IntentStatus.SUCCEEDED
    assert before - posted() == 600_000
    with pytest.raises(SuspenseDecisionClosed):
        services.suspense_approve(actor=finance2, decision=decision)
    assert AuditEntry.objects.filter(
        action="payments.suspense.approved", actor_public_id=finance2.public_id
    ).exists()


def test_a_rejected_request_leaves_the_money_in_suspense(org, providers, finance, finance2, settings):
    settings.PAYMENT_SUSPENSE_FOUR_EYES_ABOVE = 100
    item = arrive(50_000)
    decision = services.suspense_apply(actor=finance, item=item, intent=make_intent(org, amount=50_000))
    services.suspense_reject(actor=finance2, decision=decision, reason="mauvais locataire")
    decision.refresh_from_db()
    assert decision.status == Status.REJECTED
    assert suspense_services.open_items().filter(pk=item.pk).exists()
    again = services.suspense_apply(
        actor=finance, item=item, intent=make_intent(org, amount=50_000, purpose_id="b")
    )
    assert again.status == Status.AWAITING_APPROVAL


def test_refund_through_the_provider_needs_a_step_up(providers, finance, step_up):
    item = arrive(15_000, at_provider=True)
    with pytest.raises(identity.StepUpRequired):
        services.suspense_refund(actor=finance, item=item)
    before = posted()
    token = step_up(finance, suspense_services.REFUND_ACTION, item.public_id, 15_000, "XOF")
    decision = services.suspense_refund(actor=finance, item=item, step_up_token=token, reason="inconnu")
    assert decision.status == Status.DONE
    assert decision.provider == "sandbox" and decision.provider_reference
    assert SandboxTransaction.objects.get(reference=item.provider_reference).status == "REVERTED"
    assert before - posted() == 15_000
    item.refresh_from_db()
    assert item.resolved
    assert AuditEntry.objects.filter(action="payments.suspense.refunded").exists()


def test_refund_without_a_provider_transaction_is_paid_out_to_the_payer(providers, finance, step_up):
    item = arrive(12_000)  # a bank transfer nobody claimed: no provider can refund it
    token = step_up(finance, suspense_services.REFUND_ACTION, item.public_id, 12_000, "XOF")
    with pytest.raises(InvalidPayment):  # no number: nowhere to send it
        services.suspense_refund(actor=finance, item=item, step_up_token=token)
    with pytest.raises(InvalidPayment):  # not a mobile money number
        services.suspense_refund(actor=finance, item=item, phone="+22921000000", step_up_token=token)
    token = step_up(finance, suspense_services.REFUND_ACTION, item.public_id, 12_000, "XOF")
    before_posted, before_available = posted(), available()
    decision = services.suspense_refund(actor=finance, item=item, phone="+2290197000002", step_up_token=token)
    assert decision.status == Status.AWAITING_PAYOUT  # sent, the provider processing it
    assert decision.payee_phone == "+2290197000002" and decision.provider == "sandbox"
    sent = SandboxTransaction.objects.get(kind="payout", partner_reference=str(decision.public_id))
    assert sent.amount == 12_000 and sent.phone == "+2290197000002"
    assert posted() == before_posted and before_available - available() == 12_000  # held
    assert services.suspense_payouts_poll() == 1
    decision.refresh_from_db()
    assert decision.status == Status.DONE
    assert before_posted - posted() == 12_000
    assert SandboxTransaction.objects.filter(kind="payout").count() == 1  # sent once


def test_a_failed_payout_leaves_the_money_in_suspense(providers, finance, step_up):
    item = arrive(6_000)
    token = step_up(finance, suspense_services.REFUND_ACTION, item.public_id, 6_000, "XOF")
    before = available()
    decision = services.suspense_refund(actor=finance, item=item, phone="+2290197000000", step_up_token=token)
    services.suspense_payouts_poll()
    decision.refresh_from_db()
    assert decision.status == Status.FAILED  # the sandbox fails numbers ending in 0000
    assert available() == before
    assert suspense_services.open_items().filter(pk=item.pk).exists()


def test_refund_four_eyes_needs_the_approvers_step_up(providers, finance, finance2, step_up, settings):
    settings.PAYMENT_SUSPENSE_FOUR_EYES_ABOVE = 1_000
    item = arrive(9_000, at_provider=True)
    token = step_up(finance, suspense_services.REFUND_ACTION, item.public_id, 9_000, "XOF")
    decision = services.suspense_refund(actor=finance, item=item, step_up_token=token)
    assert decision.status == Status.AWAITING_APPROVAL
    with pytest.raises(identity.StepUpRequired):
        services.suspense_approve(actor=finance2, decision=decision)
    token = step_up(finance2, suspense_services.REFUND_ACTION, item.public_id, 9_000, "XOF")
    decision = services.suspense_approve(actor=finance2, decision=decision, step_up_token=token)
    assert decision.status == Status.DONE


def test_api_takes_public_ids(org, providers, finance):
    item = arrive(7_000)
    intent = make_intent(org, amount=7_000)
    info = payments.suspense_apply(actor=finance, item=item.public_id, intent=intent.public_id)
    assert info.status == "done" and info.intent == intent.public_id and info.item == item.public_id
    with pytest.raises(SuspenseItemClosed):
        payments.suspense_apply(
            actor=finance, item=item.public_id, intent=make_intent(org, amount=7_000).public_id
        )


def test_estate_applies_suspense_to_a_due(estate_overdue_lease, finance, django_capture_on_commit_callbacks):
    from apps.estate import api as estate

    world = estate_overdue_lease
    oldest, following = sorted(estate.open_dues(world.lease.public_id), key=lambda d: d.due_date)[:2]
    wrong = arrive(oldest.outstanding - 1)
    with pytest.raises(SuspenseAmountMismatch):
        estate.suspense_apply_to_due(actor=finance, item=wrong.public_id, due=oldest.public_id)
    item = arrive(oldest.outstanding)
    with django_capture_on_commit_callbacks(execute=True):
        info = estate.suspense_apply_to_due(actor=finance, item=item.public_id, due=oldest.public_id)
    assert info.status == "done"
    still_open = {d.public_id for d in estate.open_dues(world.lease.public_id)}
    assert oldest.public_id not in still_open  # estate's handler settled the due
    assert following.outstanding == oldest.outstanding
    with pytest.raises(SuspenseItemClosed):  # the same money never pays a second due
        estate.suspense_apply_to_due(actor=finance, item=item.public_id, due=following.public_id)


# --- the property: suspense in = applied + refunded + still in suspense, to the franc ------------

operations = st.lists(
    st.one_of(
        st.tuples(st.just("arrive"), st.integers(min_value=1, max_value=2_000_000), st.booleans()),
        st.tuples(st.just("apply"), st.integers(min_value=0, max_value=20), st.booleans()),
        st.tuples(st.just("refund"), st.integers(min_value=0, max_value=20), st.booleans()),
        st.tuples(st.just("approve"), st.integers(min_value=0, max_value=20), st.booleans()),
    ),
    min_size=1,
    max_size=10,
)


@hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_suspense_in_equals_applied_plus_refunded_plus_held(
    org, providers, finance, finance2, step_up, settings, ops
):
    """Whatever arrives, is applied (to an intent of its amount, sometimes one already paid),
    refunded (at the provider or as a payout) or waits for approval, in any order: what
    arrived = applied + refunded + still in suspense, equal to the suspense account's
    ledger balance, to the franc."""
    settings.PAYMENT_SUSPENSE_FOUR_EYES_ABOVE = 500_000
    settings.OTP_MAX_SENDS_PER_PHONE_PER_HOUR = 100_000  # many step-ups in one test
    settings.OTP_MAX_SENDS_PER_IP_PER_HOUR = 100_000
    settings.OTP_RESEND_COOLDOWN_SECONDS = 0
    start_posted, start_available = posted(), available()
    # an earlier example's payout still awaited may be paid by this one's poll: count it too
    done_before = set(SuspenseDecision.objects.filter(status=Status.DONE).values_list("pk", flat=True))
    items: list[ReconciliationItem] = []
    arrived = 0
    paid_intent = None
    for op, value, flag in ops:
        if op == "arrive":
            items.append(arrive(value, at_provider=flag))
            arrived += value
            continue
        if not items:
            continue
        item = items[value % len(items)]
        item.refresh_from_db()
        try:
            if op == "apply":
                target = (
                    paid_intent
                    if (flag and paid_intent)
                    else make_intent(org, amount=item.amount_provider, purpose_id=secrets.token_hex(4))
                )
                decision = services.suspense_apply(actor=finance, item=item, intent=target)
                if decision.status == Status.DONE:
                    paid_intent = target
            elif op == "refund":
                # money out needs the strong factor (a TOTP code each): a colleague each time
                requester = UserFactory(is_staff=True, staff_role="finance")
                token = step_up(
                    requester, suspense_services.REFUND_ACTION, item.public_id, item.amount_provider, "XOF"
                )
                decision = services.suspense_refund(
                    actor=requester, item=item, phone="+2290197000003", step_up_token=token
                )
                if decision.status == Status.AWAITING_PAYOUT and flag:
                    services.suspense_payouts_poll()  # the payout provider paid it
            else:
                waiting = item.decisions.filter(status=Status.AWAITING_APPROVAL).first()
                if waiting is None:
                    continue
                approver = UserFactory(is_staff=True, staff_role="finance")
                token = None
                if waiting.action == "refund" and flag:
                    token = step_up(
                        approver, suspense_services.REFUND_ACTION, item.public_id, item.amount_provider, "XOF"
                    )
                if flag:
                    services.suspense_approve(actor=approver, decision=waiting, step_up_token=token)
                else:
                    services.suspense_reject(actor=approver, decision=waiting)
        except (SuspenseItemClosed, IntentNotPayable, SuspenseDecisionClosed):
            pass  # refused: nothing moved
    ids = [i.pk for i in items]
    decisions = SuspenseDecision.objects.filter(item_id__in=ids)
    applied = sum(d.amount for d in decisions.filter(action="apply", status=Status.DONE))
    refunded = sum(d.amount for d in decisions.filter(action="refund", status=Status.DONE))
    held = sum(d.amount for d in decisions.filter(action="refund", status=Status.AWAITING_PAYOUT))
    still = sum(i.amount_provider for i in suspense_services.open_items().filter(pk__in=ids))
    assert arrived == applied + refunded + held + still
    moved_out = sum(
        d.amount for d in SuspenseDecision.objects.filter(status=Status.DONE).exclude(pk__in=done_before)
    )
    assert posted() - start_posted == arrived - moved_out  # a payout's hold is not posted yet
    assert available() - start_available == still
    # one decision done at most per item: never applied or refunded twice
    assert all(decisions.filter(item_id=pk, status=Status.DONE).count() <= 1 for pk in ids)


def test_a_refund_the_provider_did_not_answer_is_sent_again_once(finance, kkiapay, step_up):
    """Kkiapay down while the refund is asked: the decision stays `sending`, the money held;
    the sweeper asks again under the same key once Kkiapay answers: reverted once."""
    reference = kkiapay.add(amount=18_000)
    item = services.to_suspense(
        provider="kkiapay",
        reference=reference,
        amount=18_000,
        currency="XOF",
        kind=ReconciliationItem.Kind.UNKNOWN,
        detail="paid at Kkiapay, no intent knows it",
        refund_due=True,
    )
    before_posted, before_available = posted(), available()
    kkiapay.down = "500"
    token = step_up(finance, suspense_services.REFUND_ACTION, item.public_id, 18_000, "XOF")
    decision = services.suspense_refund(actor=finance, item=item, step_up_token=token)
    assert decision.status == Status.SENDING
    assert posted() == before_posted and before_available - available() == 18_000
    kkiapay.down = ""
    assert services.suspense_payouts_poll(stale_after_minutes=0) == 1
    decision.refresh_from_db()
    assert decision.status == Status.DONE
    assert kkiapay.transactions[reference]["status"] == "REVERTED"
    assert before_posted - posted() == 18_000
    assert services.suspense_payouts_poll(stale_after_minutes=0) == 0  # nothing twice
