"""P2P's hot path in round trips (issue 19, bench/wallet.py's P2P rate): a ceiling on the
queries of a preview and of a confirmation, counted with CaptureQueriesContext, so a change
that reads a wallet, a tier or a limit again is seen here before it is seen in the bench.

Today (docs/performance.md « HokweWallet », P2P): a preview is 4 queries (both wallets with
their users and usage rows; the sender's available balance; both users' tiers and limits;
the receiver's e-money balance for kyc's maximum balance) and a confirmation 7 (the
idempotency read, one locking read of both wallets, kyc, the receiver's balance, the usage
totals with the sender's activity, the transfer row, the outbox row of P2pTransferSent) —
the ledger's transfer is its one statement on a raw cursor, not seen here. The receiver's
notice is sent by that event's handler after the commit (6 more queries, out of the
request since 2026-12-05: the confirmation was 13). Savepoints are not counted. The
ceilings leave a little room; before this work they were 17 and 22 (28 with the
savepoints)."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.kyc.models import KycProfile, TierLimit
from apps.notifications.models import Message
from apps.wallet.models import P2pTransfer
from apps.wallet.services import p2p, wallets
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

PREVIEW_CEILING = 5
CONFIRM_CEILING = 8  # 7; the receiver's notice after the commit, by the outbox


@pytest.fixture
def pair(fund):
    sender = UserFactory(full_name="Brice Zinsou", phone="+2290197120001")
    receiver = UserFactory(full_name="Koffi Adjovi", phone="+2290197120002")
    fund(wallets.wallet_for(sender), 80_000)
    wallets.wallet_for(receiver)
    return sender, receiver


def _sql(ctx) -> list[str]:
    return [
        q["sql"] for q in ctx.captured_queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))
    ]


def test_preview_and_confirm_stay_under_their_query_ceilings(pair, django_capture_on_commit_callbacks):
    sender, receiver = pair
    with CaptureQueriesContext(connection) as previewed:
        preview = p2p.p2p_preview(actor=sender, phone="+2290197120002", amount=2_500, currency="XOF")
    # the receiver's notice goes out after the commit (the outbox's handler): counted apart
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as confirmed:
        transfer = p2p.p2p_confirm(
            actor=sender, preview_token=preview.token, idempotency_key=uuid.uuid4().hex
        )
    assert preview.receiver_name == "Ko*** A." and transfer.status == P2pTransfer.Status.COMPLETED
    assert Message.objects.filter(template_key="wallet.p2p_received", user=receiver).exists()
    assert len(_sql(previewed)) <= PREVIEW_CEILING, "\n".join(_sql(previewed))
    assert len(_sql(confirmed)) <= CONFIRM_CEILING, "\n".join(_sql(confirmed))
    # kyc's tiers and limits: read once per call (both users in one query), not per check
    for ctx in (previewed, confirmed):
        reads = [q for q in _sql(ctx) if "kyc_kycprofile" in q or "kyc_tierlimit" in q]
        assert len(reads) == 1, reads
    # the wallets: one read in the preview, one locking read in the confirmation
    assert sum('FROM "wallet_wallet"' in q for q in _sql(previewed)) == 1
    locks = [q for q in _sql(confirmed) if "FOR UPDATE" in q]
    assert len(locks) == 1 and "wallet_walletusage" in locks[0]


def test_the_per_call_kyc_read_sees_compliance_rows_and_tiers_as_check_does(pair, settings):
    """The one-query read gives the same answer as `check`: a compliance row of the country
    beats the "*" row and the settings; a tier raised is seen by the next call."""
    from apps.kyc import api as kyc
    from apps.kyc.errors import KycLimitExceeded

    sender, receiver = pair
    TierLimit.objects.create(
        country="*",
        tier=0,
        currency="XOF",
        max_balance=10**9,
        monthly_inflow=10**9,
        single_transaction=10**9,
        daily_outflow=10**9,
    )
    TierLimit.objects.create(
        country="BJ",
        tier=0,
        currency="XOF",
        max_balance=10**9,
        monthly_inflow=10**9,
        single_transaction=3_000,
        daily_outflow=10**9,
    )
    reads = kyc.limit_reads([sender, receiver])
    assert reads.limits(sender) == kyc.limits_for(sender) and reads.limits(sender).single_transaction == 3_000
    with pytest.raises(KycLimitExceeded) as by_reads:
        p2p.p2p_preview(actor=sender, phone="+2290197120002", amount=4_000, currency="XOF")
    with pytest.raises(KycLimitExceeded) as by_check:
        kyc.check(sender, "transfer_out", 4_000, currency="XOF")
    assert str(by_reads.value) == str(by_check.value)
    KycProfile.objects.create(user=sender, tier=1)
    KycProfile.objects.create(user=receiver, tier=1)  # the receiver's inflow is checked too
    TierLimit.objects.create(
        country="BJ",
        tier=1,
        currency="XOF",
        max_balance=10**9,
        monthly_inflow=10**9,
        single_transaction=10**9,
        daily_outflow=10**9,
    )
    assert kyc.limit_reads([sender]).tier(sender) == 1 == kyc.tier_of(sender)
    p2p.p2p_preview(actor=sender, phone="+2290197120002", amount=4_000, currency="XOF")  # allowed now
