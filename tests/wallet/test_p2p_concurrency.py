"""50 concurrent P2P transfers from one wallet that covers 10: exactly 10 succeed (issue 19,
"Tests"). Real PostgreSQL connections, one per thread, started at the same instant; no lock
of our own: the wallet primitive's row locks and the ledger's balance check under its
account locks do the work. No lost update, no overdraft, Σ = 0."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from apps.ledger import api as ledger
from apps.ledger import verify
from apps.wallet import errors
from apps.wallet.models import P2pTransfer
from apps.wallet.services import p2p, wallets
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 50


def run_concurrently(func, count: int = CLIENTS) -> list:
    barrier = threading.Barrier(count)

    def worker(index):
        try:
            barrier.wait()
            return func(index)
        except Exception as exc:
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))


def test_fifty_transfers_from_a_wallet_that_covers_ten(fund):
    sender = UserFactory()
    wallet = wallets.wallet_for(sender)
    fund(wallet, 10 * 1_000)
    receivers = [UserFactory() for _ in range(4)]
    # a third go to numbers with no account (held), the rest to four people
    phones = [
        f"+22901975{index:05d}" if index % 3 == 0 else str(receivers[index % 4].phone)
        for index in range(CLIENTS)
    ]
    previews = [p2p.p2p_preview(actor=sender, phone=phone, amount=1_000, currency="XOF") for phone in phones]

    def confirm(index):
        return p2p.p2p_confirm(
            actor=sender, preview_token=previews[index].token, idempotency_key=f"c-{index}-{uuid.uuid4().hex}"
        )

    results = run_concurrently(confirm)
    sent = [r for r in results if isinstance(r, P2pTransfer)]
    refused = [r for r in results if not isinstance(r, P2pTransfer)]
    assert len(sent) == 10, refused[:3]
    assert all(isinstance(r, errors.P2pInsufficientBalance) for r in refused), refused[:3]
    assert ledger.balance(account=wallet.account).posted == 0
    received = sum(ledger.balance(account=wallets.wallet_for(r).account).posted for r in receivers)
    held = ledger.balance(account=p2p.held_account("XOF")).posted
    assert received + held == 10_000
    assert held == 1_000 * sum(1 for t in sent if t.status == "held")
    assert P2pTransfer.objects.count() == 10
    # the stored usage total saw every transfer (no lost update)
    assert wallets.usage(sender, "XOF").outflow_today == 10_000
    assert verify.run().ok
