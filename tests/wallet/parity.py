"""wallet's REST/GraphQL parity (checked by tests/core/test_transport_parity.py). Each part
appends its own block to the four tables."""

BOTH: dict[str, str] = {}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}


# --- P2P transfers ---
BOTH.update(
    {
        "POST /api/v1/wallet/p2p/preview": "walletP2pPreviewTransfer",
        "POST /api/v1/wallet/p2p/transfers": "walletP2pConfirmTransfer",
        "POST /api/v1/wallet/p2p/transfers/{transfer_id}/cancel": "walletP2pCancelTransfer",
    }
)


# --- wallet core ---
BOTH.update(
    {
        "POST /api/v1/wallet/topups": "walletStartTopUp",
        "POST /api/v1/wallet/withdrawals": "walletRequestWithdrawal",
        "POST /api/v1/wallet/rent-dues/{due_id}/pay": "walletPayRentDue",
    }
)


# --- HokweSplit ---
BOTH.update(
    {
        "POST /api/v1/wallet/splits": "walletSplitCreatePlan",
        "POST /api/v1/wallet/splits/{plan_id}/pause": "walletSplitPausePlan",
        "POST /api/v1/wallet/splits/{plan_id}/resume": "walletSplitResumePlan",
        "POST /api/v1/wallet/splits/{plan_id}/cancel": "walletSplitCancelPlan",
        "POST /api/v1/wallet/splits/{plan_id}/withdraw": "walletSplitWithdrawPlan",
    }
)


# --- Cotis'Hokwe ---
BOTH.update(
    {
        "POST /api/v1/wallet/tontines": "walletCreateTontine",
        "POST /api/v1/wallet/tontines/{group_id}/invitations": "walletInviteTontineMembers",
        "POST /api/v1/wallet/tontines/invitations/{invitation_id}/accept": "walletAcceptTontineInvitation",
        "POST /api/v1/wallet/tontines/invitations/{invitation_id}/decline": "walletDeclineTontineInvitation",
        "POST /api/v1/wallet/tontines/{group_id}/start": "walletStartTontine",
        "POST /api/v1/wallet/tontines/{group_id}/cancel": "walletCancelTontine",
        "POST /api/v1/wallet/tontines/{group_id}/contributions": "walletPayTontineContribution",
        "POST /api/v1/wallet/tontines/{group_id}/pay-link": "walletCreateTontinePayLink",
        "POST /api/v1/wallet/tontines/{group_id}/cash": "walletRecordTontineCash",
        "POST /api/v1/wallet/tontines/{group_id}/bids": "walletBidTontine",
        "POST /api/v1/wallet/tontines/{group_id}/members/{member_id}/replace": "walletReplaceTontineMember",
        "PATCH /api/v1/wallet/tontines/{group_id}/payout": "walletSetTontinePayout",
        "POST /api/v1/wallet/tontines/{group_id}/members/{member_id}/leave": "walletLeaveTontine",
    }
)
