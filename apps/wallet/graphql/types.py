"""The wallet's GraphQL types (each part appends its block, names prefixed Wallet…)."""

# --- P2P transfers ---
import graphene as _p2p_graphene

from apps.core.graphql.types import MoneyField as _P2pMoneyField
from apps.core.graphql.types import PublicIdField as _P2pPublicIdField
from apps.core.graphql.types import UTCDateTime as _P2pUTCDateTime


class WalletP2pPreviewType(_p2p_graphene.ObjectType):
    """Step 1 of a P2P transfer: who receives (masked name), the fee, whether a step-up is
    needed (identityStartStepUp with stepUpAction, stepUpTarget, the amount and currency)."""

    class Meta:
        name = "WalletP2pPreview"

    preview_id = _p2p_graphene.UUID(required=True)
    preview_token = _p2p_graphene.String(required=True)
    receiver_phone = _p2p_graphene.String(required=True)
    receiver_name = _p2p_graphene.String(required=True)
    receiver_has_account = _p2p_graphene.Boolean(required=True)
    amount = _P2pMoneyField()
    fee = _P2pMoneyField()
    total = _P2pMoneyField()
    currency = _p2p_graphene.String(required=True)
    note = _p2p_graphene.String(required=True)
    step_up_required = _p2p_graphene.Boolean(required=True)
    step_up_action = _p2p_graphene.String(required=True)
    step_up_target = _p2p_graphene.String(required=True)
    expires_at = _P2pUTCDateTime(required=True)
    claim_days = _p2p_graphene.Int(required=True)

    @staticmethod
    def resolve_preview_token(preview, info):
        return preview.token


class WalletP2pTransferType(_p2p_graphene.ObjectType):
    """A P2P transfer as the caller sees it (sent or received)."""

    class Meta:
        name = "WalletP2pTransfer"

    id = _P2pPublicIdField()
    direction = _p2p_graphene.String(required=True, description="sent or received")
    status = _p2p_graphene.String(required=True, description="completed, held, claimed, returned, cancelled")
    amount = _P2pMoneyField()
    fee = _P2pMoneyField()
    currency = _p2p_graphene.String(required=True)
    note = _p2p_graphene.String(required=True)
    counterpart_name = _p2p_graphene.String(required=True)
    counterpart_phone = _p2p_graphene.String(required=True)
    can_cancel = _p2p_graphene.Boolean(required=True)
    created_at = _P2pUTCDateTime(required=True)
    claim_until = _P2pUTCDateTime()
    settled_at = _P2pUTCDateTime()
