"""No network call under a lock: a provider call is recorded in a waiting state and
committed, made with no transaction open, and its answer applied in a new transaction;
the sweeper (`payments.recover_provider_calls`) resolves calls cut short.

The providers are local HTTP servers (pytest-httpserver) that misbehave: one sleeps past
the client's timeout, one loses its answers after doing the work."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from apps.core.models import OutboxEvent
from apps.identity.models import Membership
from apps.kyc.errors import KycLimitExceeded, OrganizationNotVerified
from apps.ledger import api as ledger
from apps.payments import config, services
from apps.payments.errors import InvalidTransition, ProviderDown
from apps.payments.models import PaymentIntent, Payout, Refund
from apps.payments.providers.http import ProviderCallInTransaction, open_transaction

from .conftest import balance, make_intent, member, on_commit
from .fakes import kkiapay as kkiapay_fake
from .test_payouts_and_reconciliation import account_for, funded

CLIENT_TIMEOUT = 1.0  # seconds: the provider below answers only after the client gave up


class SlowRevertKkiapay(kkiapay_fake.FakeKkiapay):
    """Kkiapay whose first revert is slow: it holds the request until the test releases
    it (after our client has timed out), then reverts the transaction. The revert happened
    at the provider; we never heard of it."""

    def __init__(self):
        super().__init__()
        self.slow = True
        self.entered = threading.Event()
        self.release = threading.Event()
        self.finished = threading.Event()
        self.reverts = 0

    def revert(self, request):
        self.reverts += 1
        if not self.slow:
            return super().revert(request)
        self.slow = False
        self.entered.set()
        self.release.wait(10)
        try:
            return super().revert(request)
        finally:
            self.finished.set()


@pytest.fixture
def slow_kkiapay(httpserver, settings):
    fake = SlowRevertKkiapay()
    fake.install(httpserver)
    settings.PAYMENT_PROVIDERS = ["kkiapay", "sandbox", "fedapay"]
    settings.PAYMENT_ROUTES = "mobile_money:*=kkiapay;card:*=kkiapay"
    settings.KKIAPAY_BASE_URL = httpserver.url_for("").rstrip("/")
    settings.KKIAPAY_PUBLIC_KEY = kkiapay_fake.PUBLIC
    settings.KKIAPAY_PRIVATE_KEY = kkiapay_fake.PRIVATE
    settings.KKIAPAY_SECRET_KEY = kkiapay_fake.SECRET
    settings.KKIAPAY_WEBHOOK_SECRET = kkiapay_fake.WEBHOOK_SECRET
    settings.PAYMENT_HTTP_TIMEOUT_SECONDS = CLIENT_TIMEOUT
    yield fake
    fake.release.set()  # never leave the server thread waiting


def paid_by_kkiapay(org, fake, *, amount=10_000, fee_bp=100, purpose_id="due-1"):
    intent = make_intent(org, amount=amount, fee_bp=fee_bp, purpose_id=purpose_id)
    attempt, checkout = services.attempt_start(intent=intent, method="mobile_money")
    assert checkout.kind == "widget" and attempt.provider_call == ""
    reference = fake.add(amount=amount, partner=attempt.token)
    assert services.callback_confirm(intent=intent, provider="kkiapay", reference=reference) == "succeeded"
    intent.refresh_from_db()
    return intent


def refunded_events(intent) -> int:
    return OutboxEvent.objects.filter(
        name="payments.PaymentRefunded", payload__intent_id=str(intent.public_id)
    ).count()


@pytest.mark.django_db(transaction=True)
def test_a_provider_sleeping_past_the_timeout_holds_no_lock_and_the_sweeper_resolves_it(
    org, slow_kkiapay, step_up
):
    fake = slow_kkiapay
    manager = member(org, Membership.Role.MANAGER)
    intent = paid_by_kkiapay(org, fake)
    payable = intent.credit_account
    assert balance(payable) == 9_900  # 10 000 minus the 1 % fee
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=10_000, currency="XOF")

    outcome = {}
    pid_known = threading.Event()

    def refund_in_a_thread():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                outcome["pid"] = cursor.fetchone()[0]
            pid_known.set()
            outcome["refund"] = services.intent_refund(
                actor=manager, intent=intent, amount=None, step_up_token=token
            )
        except Exception as exc:  # shown by the assertions below
            outcome["error"] = exc
        finally:
            pid_known.set()
            connection.close()

    caller = threading.Thread(target=refund_in_a_thread)
    caller.start()
    try:
        assert fake.entered.wait(10), outcome.get("error")
        # The provider has the request. From another connection: the refund is recorded and
        # committed, and neither its row nor the intent's is locked.
        with transaction.atomic():
            PaymentIntent.objects.select_for_update(nowait=True).get(pk=intent.pk)
            waiting = Refund.objects.select_for_update(nowait=True).get(intent=intent)
        assert waiting.status == "requested" and waiting.hold is not None
        # The calling thread's connection is idle: no transaction open during the call.
        assert pid_known.wait(10) and "pid" in outcome
        with connection.cursor() as cursor:
            cursor.execute("SELECT state, xact_start FROM pg_stat_activity WHERE pid = %s", [outcome["pid"]])
            state, xact_start = cursor.fetchone()
        assert (state, xact_start) == ("idle", None)
        caller.join(10)
        assert not caller.is_alive()
    finally:
        fake.release.set()
        caller.join(10)
    assert "error" not in outcome, outcome.get("error")

    # After the timeout: still requested, the money held (not moved), nothing published.
    refund = outcome["refund"]
    refund.refresh_from_db()
    intent.refresh_from_db()
    assert refund.status == "requested" and refund.transfer is None
    assert intent.status == "succeeded" and intent.amount_refunded == 0
    assert balance(payable) == 9_900 and ledger.balance(account=payable).available == 0
    assert ledger.hold_state(hold=refund.hold) == "pending"
    assert refunded_events(intent) == 0

    # The provider did revert after our client gave up.
    assert fake.finished.wait(10)
    assert fake.transactions[intent.attempts.get().provider_reference]["status"] == "REVERTED"

    # The sweeper asks again under the same reference: Kkiapay refuses a second revert,
    # its status says REVERTED, and the refund is applied once.
    assert services.provider_calls_recover(older_than_minutes=0) == {
        "attempts": 0,
        "refunds": 1,
        "payouts": 0,
    }
    refund.refresh_from_db()
    intent.refresh_from_db()
    assert refund.status == "succeeded" and refund.transfer is not None and fake.reverts == 2
    assert intent.status == "refunded" and intent.amount_refunded == 10_000 and intent.fee_refunded == 100
    assert balance(payable) == 0 and ledger.hold_state(hold=refund.hold) == "posted"
    assert refunded_events(intent) == 1

    # Idempotent: the sweeper again, the same answer again, a contrary answer: no change.
    assert services.provider_calls_recover(older_than_minutes=0) == {
        "attempts": 0,
        "refunds": 0,
        "payouts": 0,
    }
    again = services.refund_apply(refund_pk=refund.pk, succeeded=True, provider_reference="other")
    contrary = services.refund_apply(refund_pk=refund.pk, succeeded=False, reason="late refusal")
    assert again.status == contrary.status == "succeeded" and again.transfer == refund.transfer
    assert fake.reverts == 2 and balance(payable) == 0 and refunded_events(intent) == 1
    assert ledger.hold_state(hold=refund.hold) == "posted"


def test_a_provider_is_never_called_inside_a_transaction(org, kkiapay):
    provider = config.provider_for("kkiapay")
    assert open_transaction() is False  # the test case's own wrapping block does not count
    with transaction.atomic():
        assert open_transaction() is True
        with pytest.raises(ProviderCallInTransaction):
            provider.verify("abc")
    assert kkiapay.calls == []
    assert provider.verify("abc").status == "not_found" and len(kkiapay.calls) == 1


def test_a_refund_asked_inside_the_callers_transaction_is_sent_after_commit(org, kkiapay, step_up):
    manager = member(org, Membership.Role.MANAGER)
    intent = paid_by_kkiapay(org, kkiapay, fee_bp=0)
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=10_000, currency="XOF")
    with on_commit():
        with transaction.atomic():  # a transport that wraps its work in a transaction
            refund = services.intent_refund(actor=manager, intent=intent, amount=None, step_up_token=token)
            assert refund.status == "requested"
            assert not [path for path, _body in kkiapay.calls if path.endswith("/revert")]
    refund.refresh_from_db()
    intent.refresh_from_db()
    assert refund.status == "succeeded" and intent.status == "refunded"
    assert [path for path, _body in kkiapay.calls if path.endswith("/revert")] == [
        "/api/v1/transactions/revert"
    ]


def test_a_refused_refund_releases_the_money_and_says_so(org, kkiapay, step_up):
    manager = member(org, Membership.Role.MANAGER)
    intent = paid_by_kkiapay(org, kkiapay, fee_bp=0)
    kkiapay.set_status(intent.attempts.get().provider_reference, "FAILED")  # not eligible any more
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=10_000, currency="XOF")
    from apps.payments.errors import UnsupportedOperation

    with pytest.raises(UnsupportedOperation):
        services.intent_refund(actor=manager, intent=intent, amount=None, step_up_token=token)
    refund = Refund.objects.get(intent=intent)
    intent.refresh_from_db()
    assert refund.status == "failed" and ledger.hold_state(hold=refund.hold) == "voided"
    assert intent.status == "succeeded" and ledger.balance(account=intent.credit_account).available == 10_000
    assert services.provider_calls_recover(older_than_minutes=0)["refunds"] == 0


def test_a_checkout_whose_answer_was_lost_is_found_by_the_sweeper(org, fedapay):
    intent = make_intent(org, amount=5_000)
    fedapay.lose_answer = {("POST", "/v1/transactions")}  # created at FedaPay, answer lost
    with pytest.raises(ProviderDown):
        services.attempt_start(intent=intent, method="mobile_money")
    attempt = intent.attempts.get()
    assert attempt.provider_call == "starting" and attempt.provider_reference == ""
    (created,) = fedapay.transactions.values()
    created["created_at"] = timezone.now().isoformat()  # FedaPay stamps its own clock
    fedapay.lose_answer = set()
    assert services.provider_calls_recover(older_than_minutes=0)["attempts"] == 1
    attempt.refresh_from_db()
    assert attempt.provider_call == "" and attempt.provider_reference == str(created["id"])
    assert attempt.status == "pending" and len(fedapay.transactions) == 1
    assert services.provider_calls_recover(older_than_minutes=0)["attempts"] == 0
    # the start's own answer arriving now changes nothing
    assert services.start_apply(attempt_id=attempt.pk, provider_reference="9999") is False


def test_a_checkout_that_never_reached_the_provider_fails_and_the_intent_is_payable_again(org, fedapay):
    intent = make_intent(org, amount=5_000)
    fedapay.down = "500"
    with pytest.raises(ProviderDown):
        services.attempt_start(intent=intent, method="mobile_money")
    attempt = intent.attempts.get()
    intent.refresh_from_db()
    assert attempt.provider_call == "starting" and intent.status == "pending"
    assert services.provider_calls_recover(older_than_minutes=10)["attempts"] == 0  # not stale yet
    fedapay.down = ""
    assert services.provider_calls_recover(older_than_minutes=0)["attempts"] == 1
    attempt.refresh_from_db()
    intent.refresh_from_db()
    assert (attempt.status, attempt.failure_code, attempt.provider_call) == (
        "failed",
        "start_interrupted",
        "",
    )
    assert intent.status == "failed"
    second, checkout = services.attempt_start(intent=intent, method="mobile_money")
    assert checkout.kind == "redirect" and second.provider_reference and second.provider_call == ""
    assert services.start_failed(attempt_id=attempt.pk, code="again") is False


def test_a_payout_whose_answer_was_lost_is_found_not_sent_twice(org, fedapay, settings, step_up):
    settings.PAYMENT_PAYOUT_PROVIDER = "fedapay"
    owner = member(org, Membership.Role.OWNER)
    payable = funded(org, 50_000)
    token = step_up(owner, "payments.payout.create", org.public_id, amount=30_000, currency="XOF")
    fedapay.lose_answer = {("POST", "/v1/payouts")}  # created at FedaPay, never started, answer lost
    with on_commit():
        payout = services.payout_request(
            actor=owner,
            organization_id=org.pk,
            account=account_for(org),
            amount=30_000,
            currency="XOF",
            step_up_token=token,
        )
    payout.refresh_from_db()
    assert (payout.status, payout.provider_call, payout.provider_reference) == ("requested", "sending", "")
    assert ledger.balance(account=payable).available == 20_000  # still held
    with pytest.raises(InvalidTransition):
        services.payout_cancel(actor=owner, payout=payout)  # it may be at the provider
    # the task retried at once does not send again while the call may still be in flight
    assert services.payout_send(payout_pk=payout.pk) == "requested" and len(fedapay.payouts) == 1
    fedapay.lose_answer = set()
    assert services.provider_calls_recover(older_than_minutes=0)["payouts"] == 1
    payout.refresh_from_db()
    (sent,) = fedapay.payouts.values()
    assert payout.status == "processing" and payout.provider_reference == str(sent["id"])
    assert sent["status"] == "started" and payout.provider_call == ""
    assert services.provider_calls_recover(older_than_minutes=0)["payouts"] == 0
    assert services.payout_send_apply(payout_pk=payout.pk, provider_reference="") == "processing"
    assert len(fedapay.payouts) == 1 and ledger.hold_state(hold=payout.hold) == "pending"


def test_a_payout_whose_send_task_was_lost_is_sent_by_the_sweeper(org, providers, step_up):
    owner = member(org, Membership.Role.OWNER)
    payable = funded(org, 20_000)
    token = step_up(owner, "payments.payout.create", org.public_id, amount=15_000, currency="XOF")
    # no on_commit(): the after-commit enqueue never runs, as when the broker was down
    payout = services.payout_request(
        actor=owner,
        organization_id=org.pk,
        account=account_for(org),
        amount=15_000,
        currency="XOF",
        step_up_token=token,
    )
    assert payout.status == "requested" and payout.provider_call == ""
    assert services.provider_calls_recover(older_than_minutes=0)["payouts"] == 1
    payout.refresh_from_db()
    assert payout.status == "paid" and balance(payable) == 5_000
    assert services.provider_calls_recover(older_than_minutes=0)["payouts"] == 0


def test_limits_are_kyc_s_own_refusals(org, tenant, providers):
    """payments asks apps.kyc.api directly for wallet movements and payouts; kyc's errors
    reach the caller. An intent (paid from an outside instrument) is not kyc's to refuse."""
    intent = make_intent(org, amount=150_000, payer=tenant)
    with pytest.raises(KycLimitExceeded):
        services.wallet_pay(actor=tenant, intent=intent)
    with pytest.raises(OrganizationNotVerified):
        services.payout_request(
            actor=None,
            organization_id=org.pk,
            account=account_for(org),
            amount=5_000,
            currency="XOF",
            scheduled=True,
        )
    assert Payout.objects.count() == 0


def test_a_confirmation_inside_the_callers_transaction_is_verified_after_commit(org, kkiapay):
    intent = make_intent(org, amount=7_000)
    attempt, _checkout = services.attempt_start(intent=intent, method="mobile_money")
    reference = kkiapay.add(amount=7_000, partner=attempt.token)
    with on_commit():
        with transaction.atomic():  # GraphQL's ATOMIC_MUTATIONS, for instance
            assert (
                services.callback_confirm(intent=intent, provider="kkiapay", reference=reference)
                == "deferred"
            )
            assert kkiapay.calls == []
    intent.refresh_from_db()
    assert intent.status == "succeeded" and len(kkiapay.calls) == 1
