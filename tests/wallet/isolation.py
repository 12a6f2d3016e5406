"""wallet's part of the isolation suite (tests/isolation/cases.py merges it): another user's
wallet objects are never visible. Each part appends its block (seeders, cases)."""

from __future__ import annotations

from django.urls import reverse

from tests.isolation.framework import GraphQLCase, RestCase, World

SEEDERS: list = []
REST_CASES: dict = {}
GRAPHQL_CASES: dict = {}
PUBLIC_ROUTES: dict = {}
PUBLIC_GRAPHQL: dict = {}
SELF_SCOPED_GRAPHQL: dict = {}


# --- P2P transfers (W3): A's owner sent money to a number with no account (held: cancellable) ---


def _p2p_transfer(world: World) -> None:
    import uuid

    from apps.ledger import api as ledger
    from apps.wallet.services import p2p, wallets

    wallet = wallets.wallet_for(world.user_a, "XOF")
    clearing = ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id
    wallets.move(
        idempotency_key=f"isolation:p2p:{uuid.uuid4()}",
        code="wallet.topup",
        debit=clearing,
        credit=wallet.account,
        amount=64_219,
        currency="XOF",
        into=wallet,
    )
    preview = p2p.p2p_preview(
        actor=world.user_a, phone="+2290197123456", amount=17_321, currency="XOF", note="Virement secret de A"
    )
    transfer = p2p.p2p_confirm(actor=world.user_a, preview_token=preview.token, idempotency_key="isolation-a")
    world.provide("transfer_id", transfer.public_id, "Virement secret de A", "+2290197123456", "17321")
    world.p2p_transfer = transfer


SEEDERS.append(_p2p_transfer)


def _p2p_status(world: World):
    world.p2p_transfer.refresh_from_db()
    return world.p2p_transfer.status


def _p2p_preview(world: World) -> RestCase:
    return RestCase(
        path=reverse("wallet-p2p-preview", kwargs={"version": "v1"}),
        body={"phone": "+2290197654321", "amount": 1_000, "currency": "XOF"},
        owned=False,
    )


def _p2p_transfers(world: World) -> RestCase:
    return RestCase(
        path=reverse("wallet-p2p-transfers", kwargs={"version": "v1"}),
        body={"preview_token": "not-a-preview"},
        owned=False,
        check_unchanged=lambda: _p2p_status(world),
    )


def _p2p_cancel(world: World) -> RestCase:
    path = reverse(
        "wallet-p2p-transfer-cancel", kwargs={"version": "v1", "transfer_id": world.ids["transfer_id"]}
    )
    return RestCase(path=path, check_unchanged=lambda: _p2p_status(world))


REST_CASES["wallet-p2p-preview"] = _p2p_preview
REST_CASES["wallet-p2p-transfers"] = _p2p_transfers
REST_CASES["wallet-p2p-transfer-cancel"] = _p2p_cancel


def _p2p_gql_preview(world: World) -> GraphQLCase:
    return GraphQLCase(
        query='mutation { walletP2pPreviewTransfer(phone: "+2290197654321", amount: 1000, currency: "XOF") '
        "{ ok errors { code } preview { receiverName receiverPhone } } }",
        owned=False,
    )


def _p2p_gql_confirm(world: World) -> GraphQLCase:
    return GraphQLCase(
        query='mutation { walletP2pConfirmTransfer(previewToken: "not-a-preview", idempotencyKey: "k") '
        "{ ok errors { code } transfer { id status } } }",
        owned=False,
    )


def _p2p_gql_list(world: World) -> GraphQLCase:
    return GraphQLCase(
        query="{ walletP2pTransfers { id note counterpartPhone amount { amount } } }", owned=False
    )


GRAPHQL_CASES["mutation.walletP2pPreviewTransfer"] = _p2p_gql_preview
GRAPHQL_CASES["mutation.walletP2pConfirmTransfer"] = _p2p_gql_confirm
GRAPHQL_CASES["query.walletP2pTransfers"] = _p2p_gql_list
