"""The wallet's flows (services): top-up by mobile money (sandbox), withdrawal to the user's own
number (hold → posted / voided), paying a rent due from the wallet, freeze/unfreeze, dormancy,
the statement (running balance, CSV, PDF)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEntry
from apps.identity import api as identity
from apps.kyc.errors import KycLimitExceeded
from apps.ledger import api as ledger
from apps.payments import api as payments
from apps.payments.contracts import IntentStatus
from apps.wallet.errors import NotOwnNumber, ReasonRequired, WalletFrozen, WalletInsufficientBalance
from apps.wallet.models import TopUp, Wallet, Withdrawal
from apps.wallet.services import compliance, rent, statement, topups, wallets, withdrawals
from tests.helpers import enrol_totp, totp_code
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def step_up():
    """step_up(user, amount) -> a token for wallet.withdrawal.create (the authenticator app)."""

    def make(user, wallet, amount, currency="XOF"):
        device = enrol_totp(user)
        challenge = identity.step_up_start(
            actor=user,
            action=withdrawals.STEP_UP_ACTION,
            target=str(wallet.public_id),
            amount=amount,
            currency=currency,
        )
        proof = identity.step_up_verify(
            actor=user, challenge_id=challenge.challenge_id, code=totp_code(device)
        )
        return proof.token

    return make


@pytest.fixture
def compliance_officer(db):
    return UserFactory(is_staff=True, staff_role="compliance")


def sandbox_pay(client, intent_id, *, approve=True):
    """Pay an intent by the sandbox provider as the payer would (its page's decision)."""
    checkout = payments.start_payment(intent=intent_id, method="mobile_money", provider="sandbox")
    reference = checkout.url.rstrip("/").split("/")[-1]
    client.post(
        reverse("payments:sandbox", args=[reference]), {"decision": "approve" if approve else "decline"}
    )


# --- top-up --------------------------------------------------------------------------------------


def test_topup_by_sandbox_credits_the_wallet_and_counts_the_inflow_once(
    user, client, django_capture_on_commit_callbacks
):
    topup, intent = topups.topup_start(actor=user, amount=20_000, idempotency_key="k1")
    again, same = topups.topup_start(actor=user, amount=20_000, idempotency_key="k1")
    assert again.pk == topup.pk and same.public_id == intent.public_id
    assert intent.credit_account == wallets.wallet_for(user).account and intent.fee_amount == 0
    with django_capture_on_commit_callbacks(execute=True):
        sandbox_pay(client, intent.public_id)
    topup.refresh_from_db()
    assert topup.status == TopUp.Status.SUCCEEDED
    wallet = wallets.wallet_for(user)
    assert ledger.balance(account=wallet.account).posted == 20_000
    assert wallets.usage(user, "XOF").inflow_this_month == 20_000
    # the event handled again (a replay) counts nothing twice
    topups.topup_succeeded(
        topup_id=str(topup.public_id), amount=20_000, fee=0, intent_id=str(intent.public_id)
    )
    assert wallets.usage(user, "XOF").inflow_this_month == 20_000


def test_topup_is_refused_over_the_kyc_inflow_limit_and_on_a_frozen_wallet(user, fund):
    wallet = wallets.wallet_for(user)
    fund(wallet, 100_000)
    fund(wallet, 90_000)
    with pytest.raises(KycLimitExceeded) as refused:
        topups.topup_start(actor=user, amount=20_000, idempotency_key="big")
    assert refused.value.params["limit"] == "max_balance"
    assert not TopUp.objects.filter(wallet=wallet).exists()
    Wallet.objects.filter(pk=wallet.pk).update(status=Wallet.Status.FROZEN)
    with pytest.raises(WalletFrozen):
        topups.topup_start(actor=user, amount=1_000, idempotency_key="small")


# --- withdrawal ----------------------------------------------------------------------------------


def test_withdrawal_to_own_number_holds_then_posts(user, fund, step_up, django_capture_on_commit_callbacks):
    wallet = wallets.wallet_for(user)
    fund(wallet, 30_000)
    token = step_up(user, wallet, 10_000)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = withdrawals.withdrawal_request(
            actor=user, amount=10_000, step_up_token=token, idempotency_key="w1"
        )
        # held at once: available drops before the provider answers
        assert ledger.balance(account=wallet.account).available == 20_000
    withdrawal.refresh_from_db()
    assert withdrawal.status == Withdrawal.Status.PAID and withdrawal.phone == str(user.phone)
    assert ledger.balance(account=wallet.account).posted == 20_000
    assert wallets.usage(user, "XOF").outflow_today == 10_000
    again = withdrawals.withdrawal_request(
        actor=user, amount=10_000, step_up_token=None, idempotency_key="w1"
    )
    assert again.pk == withdrawal.pk and ledger.balance(account=wallet.account).posted == 20_000


def test_a_failed_withdrawal_voids_the_hold_and_gives_the_outflow_back(
    fund, step_up, django_capture_on_commit_callbacks
):
    user = UserFactory(phone="+2290166660000")  # the sandbox fails numbers ending in 0000
    wallet = wallets.wallet_for(user)
    fund(wallet, 30_000)
    token = step_up(user, wallet, 10_000)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = withdrawals.withdrawal_request(
            actor=user, amount=10_000, step_up_token=token, idempotency_key="w-fail"
        )
    withdrawal.refresh_from_db()
    assert withdrawal.status == Withdrawal.Status.FAILED and withdrawal.failure_reason
    balance = ledger.balance(account=wallet.account)
    assert balance.posted == 30_000 and balance.available == 30_000
    assert wallets.usage(user, "XOF").outflow_today == 0


def test_withdrawal_refusals(user, fund, step_up):
    wallet = wallets.wallet_for(user)
    fund(wallet, 5_000)
    with pytest.raises(NotOwnNumber):
        withdrawals.withdrawal_request(
            actor=user, amount=1_000, phone="+22901999999", step_up_token=None, idempotency_key="x"
        )
    with pytest.raises(identity.StepUpRequired):
        withdrawals.withdrawal_request(actor=user, amount=1_000, step_up_token=None, idempotency_key="x")
    token = step_up(user, wallet, 9_000)
    with pytest.raises(WalletInsufficientBalance):
        withdrawals.withdrawal_request(actor=user, amount=9_000, step_up_token=token, idempotency_key="y")
    assert not Withdrawal.objects.filter(wallet=wallet).exists()
    assert wallets.usage(user, "XOF").outflow_today == 0  # the refused request counted nothing


# --- paying a rent due ---------------------------------------------------------------------------


def test_pay_rent_due_from_the_wallet(
    estate_overdue_lease, fund, rent_otp, django_capture_on_commit_callbacks
):
    tenant = estate_overdue_lease.tenant
    dues = rent.open_dues(tenant)
    assert dues and all(d.lease == estate_overdue_lease.lease.public_id for d in dues)
    due = dues[0]
    owed = due.total - due.paid
    wallet = wallets.wallet_for(tenant)
    fund(wallet, owed + 1_000)
    assert rent.step_up_needed(owed)  # 80 000 F: above the threshold, the step-up is asked
    with pytest.raises(identity.StepUpRequired):
        rent.pay_rent_due(
            actor=tenant, due=due.public_id, account=wallet.account, idempotency_key="r0", out_of=wallet
        )
    assert ledger.balance(account=wallet.account).posted == owed + 1_000  # nothing paid
    assert wallets.usage(tenant, "XOF").outflow_today == 0
    token = rent_otp(tenant, due.public_id, owed)
    with django_capture_on_commit_callbacks(execute=True):
        info = rent.pay_rent_due(
            actor=tenant,
            due=due.public_id,
            account=wallet.account,
            idempotency_key="r1",
            out_of=wallet,
            step_up_token=token,
        )
    assert info.status == IntentStatus.SUCCEEDED and info.amount == owed
    assert ledger.balance(account=wallet.account).posted == 1_000
    assert due.public_id not in {d.public_id for d in rent.open_dues(tenant)}  # estate applied it
    assert wallets.usage(tenant, "XOF").outflow_today == owed
    again = rent.pay_rent_due(
        actor=tenant, due=due.public_id, account=wallet.account, idempotency_key="r1", out_of=wallet
    )
    assert again.public_id == info.public_id and ledger.balance(account=wallet.account).posted == 1_000


def test_pay_rent_due_refusals(estate_overdue_lease, fund):
    from apps.core.errors import NotFound

    tenant = estate_overdue_lease.tenant
    due = rent.open_dues(tenant)[0]
    wallet = wallets.wallet_for(tenant)
    fund(wallet, 100)
    with pytest.raises(ledger.InsufficientFunds):
        rent.pay_rent_due(
            actor=tenant, due=due.public_id, account=wallet.account, idempotency_key="a", out_of=wallet
        )
    assert ledger.balance(account=wallet.account).posted == 100
    assert wallets.usage(tenant, "XOF").outflow_today == 0
    stranger = UserFactory()
    other = wallets.wallet_for(stranger)
    with pytest.raises(NotFound):  # not the stranger's due
        rent.pay_rent_due(
            actor=stranger, due=due.public_id, account=other.account, idempotency_key="b", out_of=other
        )
    with pytest.raises(NotFound):  # not the tenant's wallet
        rent.pay_rent_due(
            actor=tenant, due=due.public_id, account=other.account, idempotency_key="c", out_of=other
        )


# --- compliance ----------------------------------------------------------------------------------


def test_freeze_needs_compliance_and_a_reason_and_is_audited(user, compliance_officer, fund):
    wallet = wallets.wallet_for(user)
    fund(wallet, 1_000)
    from apps.core.errors import Forbidden

    with pytest.raises((Forbidden, identity.NotAuthenticated)):
        compliance.wallet_freeze(actor=user, wallet=wallet, reason="because")
    with pytest.raises(ReasonRequired):
        compliance.wallet_freeze(actor=compliance_officer, wallet=wallet, reason=" ")
    compliance.wallet_freeze(actor=compliance_officer, wallet=wallet, reason="AML alert 42")
    with pytest.raises(WalletFrozen):
        fund(wallet, 1_000)
    entry = AuditEntry.objects.filter(action="wallet.wallet.frozen").get()
    assert entry.reason == "AML alert 42" and entry.actor_public_id == compliance_officer.public_id
    compliance.wallet_unfreeze(actor=compliance_officer, wallet=wallet, reason="cleared")
    fund(wallet, 1_000)
    assert AuditEntry.objects.filter(action="wallet.wallet.unfrozen").count() == 1


def test_dormancy_rule(user, fund, settings, clearing):
    settings.WALLET_DORMANT_AFTER_DAYS = 30
    wallet = wallets.wallet_for(user)
    fresh = wallets.wallet_for(UserFactory())
    Wallet.objects.filter(pk=wallet.pk).update(last_activity_at=timezone.now() - timedelta(days=31))
    assert compliance.mark_dormant() == 1
    assert compliance.mark_dormant() == 0  # idempotent
    wallet.refresh_from_db()
    fresh.refresh_from_db()
    assert wallet.dormant_since is not None and fresh.dormant_since is None
    fund(wallet, 2_000)  # still receives, stays dormant
    wallet.refresh_from_db()
    assert wallet.dormant_since is not None
    wallets.move(
        idempotency_key="wake",
        code="wallet.test",
        debit=wallet.account,
        credit=clearing,
        amount=500,
        currency="XOF",
        out_of=wallet,
    )
    wallet.refresh_from_db()
    assert wallet.dormant_since is None


# --- statement -----------------------------------------------------------------------------------


def test_statement_running_balance_csv_and_pdf(user, fund, clearing):
    wallet = wallets.wallet_for(user)
    fund(wallet, 10_000)
    fund(wallet, 5_000)
    wallets.move(
        idempotency_key="out1",
        code="wallet.test",
        debit=wallet.account,
        credit=clearing,
        amount=3_000,
        currency="XOF",
        out_of=wallet,
    )
    opening, lines, next_after = statement.statement_page(wallet, limit=2)
    assert opening == 0 and [x.balance for x in lines] == [10_000, 15_000] and next_after is not None
    _o, rest, end = statement.statement_page(wallet, after=next_after)
    assert [(x.amount, x.balance) for x in rest] == [(-3_000, 12_000)] and end is None
    csv_text = statement.statement_csv(wallet, language="en")
    rows = csv_text.strip().splitlines()
    assert (
        rows[0].startswith("date,operation")
        and len(rows) == 4
        and rows[-1].split(",")[3:5] == ["-3000", "12000"]
    )
    pdf = statement.statement_pdf(wallet, language="fr")
    assert pdf.startswith(b"%PDF")


def test_a_frozen_wallet_is_refused_by_payments_own_wallet_payment_too(
    estate_overdue_lease, fund, compliance_officer
):
    """payments sits below the wallet: its pay_with_wallet asks kyc, whose usage source (the
    wallet) refuses a frozen wallet."""
    tenant = estate_overdue_lease.tenant
    due = rent.open_dues(tenant)[0]
    wallet = wallets.wallet_for(tenant)
    fund(wallet, due.outstanding)
    compliance.wallet_freeze(actor=compliance_officer, wallet=wallet, reason="AML alert 9")
    from apps.estate import api as estate

    intent = estate.due_payment_intent(due.public_id, payer=tenant.public_id)
    with pytest.raises(WalletFrozen):
        payments.pay_with_wallet(actor=tenant, intent=intent.public_id)
    assert ledger.balance(account=wallet.account).posted == due.outstanding


def test_payments_own_wallet_payment_is_counted_once_in_the_outflow(
    estate_overdue_lease, fund, django_capture_on_commit_callbacks
):
    from apps.estate import api as estate
    from apps.wallet.services.rent import count_wallet_payment

    tenant = estate_overdue_lease.tenant
    due = rent.open_dues(tenant)[0]
    wallet = wallets.wallet_for(tenant)
    fund(wallet, due.outstanding)
    intent = estate.due_payment_intent(due.public_id, payer=tenant.public_id)
    with django_capture_on_commit_callbacks(execute=True):
        paid = payments.pay_with_wallet(actor=tenant, intent=intent.public_id)
    assert paid.status == IntentStatus.SUCCEEDED
    assert wallets.usage(tenant, "XOF").outflow_today == due.outstanding
    # the event handled again changes nothing
    assert not count_wallet_payment(
        intent_id=str(paid.public_id),
        payer_public_id=str(tenant.public_id),
        amount=paid.amount,
        currency="XOF",
    )
    assert wallets.usage(tenant, "XOF").outflow_today == due.outstanding


def test_a_due_paid_by_pay_rent_due_is_not_counted_twice(
    estate_overdue_lease, fund, rent_otp, django_capture_on_commit_callbacks
):
    tenant = estate_overdue_lease.tenant
    due = rent.open_dues(tenant)[0]
    wallet = wallets.wallet_for(tenant)
    fund(wallet, due.outstanding)
    with django_capture_on_commit_callbacks(execute=True):
        rent.pay_rent_due(
            actor=tenant,
            due=due.public_id,
            account=wallet.account,
            idempotency_key="once",
            out_of=wallet,
            step_up_token=rent_otp(tenant, due.public_id, due.outstanding),
        )
    assert wallets.usage(tenant, "XOF").outflow_today == due.outstanding
