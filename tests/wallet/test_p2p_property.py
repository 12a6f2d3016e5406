"""Property (hypothesis): any sequence of P2P sends (to people and to numbers with no account),
sign-ups claiming held money, cancels and returns by the beat keeps Σ = 0 per currency, the
system account `wallet.p2p_held` equal to the sum of the transfers still held, every wallet
equal to what its transfers say, and the status machine one-way (a settled transfer never
changes again)."""

import itertools
import uuid
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.errors import DomainError
from apps.identity.services.users import user_get_or_create_by_phone
from apps.ledger import api as ledger
from apps.ledger import verify
from apps.wallet.models import P2pTransfer
from apps.wallet.services import p2p, wallets
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)
FUNDED = 10_000

steps = st.lists(
    st.one_of(
        st.tuples(st.just("send"), st.integers(0, 3), st.integers(1, 4_000)),
        st.tuples(st.just("signup"), st.integers(2, 3), st.just(0)),
        st.tuples(st.just("cancel"), st.integers(0, 11), st.just(0)),
        st.tuples(st.just("beat"), st.integers(0, 9), st.just(0)),
    ),
    min_size=1,
    max_size=12,
)


def _fresh_phone() -> str:
    return f"+22901964{next(_numbers):05d}"


def _held_total() -> int:
    return P2pTransfer.objects.filter(status="held").aggregate(t=Sum("amount"))["t"] or 0


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_any_sequence_keeps_the_money_where_the_transfers_say(steps, fund):
    sender = UserFactory(phone=_fresh_phone())
    fund(wallets.wallet_for(sender), FUNDED)
    # 0, 1: people with an account; 2, 3: numbers with none (until they sign up)
    people = [UserFactory(phone=_fresh_phone()) for _ in range(2)]
    phones = [str(p.phone) for p in people] + [_fresh_phone(), _fresh_phone()]
    signed_up: dict[int, object] = {}
    sent: list[P2pTransfer] = []
    settled: dict[int, str] = {}
    now = timezone.now()
    for kind, which, amount in steps:
        if kind == "send":
            try:
                preview = p2p.p2p_preview(actor=sender, phone=phones[which], amount=amount, currency="XOF")
                sent.append(
                    p2p.p2p_confirm(
                        actor=sender, preview_token=preview.token, idempotency_key=uuid.uuid4().hex
                    )
                )
            except DomainError as refused:
                assert refused.code in {"insufficient_balance", "kyc_limit_exceeded"}, refused.code
        elif kind == "signup" and which not in signed_up:
            user, _created = user_get_or_create_by_phone(phone=phones[which])
            signed_up[which] = user
            p2p.p2p_claim_for(user)  # what the UserRegistered handler does
        elif kind == "cancel" and which < len(sent):
            try:
                p2p.p2p_cancel(actor=sender, transfer=sent[which])
            except DomainError as refused:
                assert refused.code == "p2p_not_cancellable"
        elif kind == "beat":
            p2p.p2p_settle_held(now=now + timedelta(days=which))
        # the invariants, after every step
        rows = {t.pk: t for t in P2pTransfer.objects.filter(pk__in=[t.pk for t in sent])}
        for pk, status in settled.items():
            assert rows[pk].status == status  # a settled transfer never changes
        settled.update({pk: t.status for pk, t in rows.items() if t.status != "held"})
        assert ledger.balance(account=p2p.held_account("XOF")).posted == _held_total()
        gone = sum(t.amount for t in rows.values() if t.status in ("completed", "held", "claimed"))
        assert ledger.balance(account=wallets.wallet_for(sender).account).posted == FUNDED - gone
        for index, phone in enumerate(phones):
            owner = people[index] if index < 2 else signed_up.get(index)
            got = sum(
                t.amount
                for t in rows.values()
                if t.receiver_phone == phone and t.status in ("completed", "claimed")
            )
            if owner is not None:
                assert ledger.balance(account=wallets.wallet_for(owner).account).posted == got
            else:
                assert got == 0
    report = verify.run()  # Σ = 0 per currency, every account's totals equal its postings
    assert report.ok, (report.accounts[:2], report.transfers[:2], report.currencies[:2])
