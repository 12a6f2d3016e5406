"""GraphQL of the wallet's p2p part (fields named walletP2p…): the same services as REST
(services/p2p.py): preview, confirm, cancel, and the caller's own transfers."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user, or_none
from apps.core.graphql.types import Amount
from apps.identity.api import authenticated

from .. import selectors
from ..services import p2p
from .types import WalletP2pPreviewType, WalletP2pTransferType


class P2pQueries(graphene.ObjectType):
    wallet_p2p_transfers = graphene.List(
        graphene.NonNull(WalletP2pTransferType),
        required=True,
        first=graphene.Int(default_value=50),
        description=_("Your P2P transfers, sent and received, newest first."),
    )
    wallet_p2p_transfer = graphene.Field(
        WalletP2pTransferType,
        transfer_id=graphene.UUID(required=True),
        description=_("One of your P2P transfers (null if it is not yours)."),
    )

    @staticmethod
    def resolve_wallet_p2p_transfers(root, info, first=50):
        actor = authenticated(current_user(info))
        rows = selectors.p2p_transfers_of(actor)[: clamp_first(first)]
        return [p2p.p2p_view(row, actor) for row in rows]

    @staticmethod
    @or_none
    def resolve_wallet_p2p_transfer(root, info, transfer_id):
        actor = authenticated(current_user(info))
        return p2p.p2p_view(selectors.p2p_transfer_get(actor, transfer_id), actor)


class WalletP2pPreviewTransfer(HokweMutation):
    """Step 1: the receiver's masked name, the fee, whether a step-up is needed. Writes nothing."""

    class Arguments:
        phone = graphene.String(required=True)
        amount = Amount(required=True)
        currency = graphene.String(required=True)
        note = graphene.String()

    preview = graphene.Field(WalletP2pPreviewType)

    @classmethod
    def perform(cls, info, user, *, phone, amount, currency, note=""):
        return {
            "preview": p2p.p2p_preview(
                actor=user, phone=phone, amount=amount, currency=currency, note=note or ""
            )
        }


class WalletP2pConfirmTransfer(HokweMutation):
    """Step 2: send the previewed transfer (idempotent on idempotencyKey; above the threshold,
    the step-up token of the preview's operation)."""

    class Arguments:
        preview_token = graphene.String(required=True)
        idempotency_key = graphene.String(required=True)
        step_up_token = graphene.String()

    transfer = graphene.Field(WalletP2pTransferType)

    @classmethod
    def perform(cls, info, user, *, preview_token, idempotency_key, step_up_token=None):
        row = p2p.p2p_confirm(
            actor=user,
            preview_token=preview_token,
            idempotency_key=idempotency_key,
            step_up_token=step_up_token,
        )
        return {"transfer": p2p.p2p_view(row, user)}


class WalletP2pCancelTransfer(HokweMutation):
    """Take back a transfer still waiting for its receiver to sign up."""

    class Arguments:
        transfer_id = graphene.UUID(required=True)

    transfer = graphene.Field(WalletP2pTransferType)

    @classmethod
    def perform(cls, info, user, *, transfer_id):
        row = selectors.p2p_transfer_get(user, transfer_id)
        return {"transfer": p2p.p2p_view(p2p.p2p_cancel(actor=user, transfer=row), user)}


class P2pMutations(graphene.ObjectType):
    wallet_p2p_preview_transfer = WalletP2pPreviewTransfer.Field()
    wallet_p2p_confirm_transfer = WalletP2pConfirmTransfer.Field()
    wallet_p2p_cancel_transfer = WalletP2pCancelTransfer.Field()
