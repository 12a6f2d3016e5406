"""wallet's REST/GraphQL parity (checked by tests/core/test_transport_parity.py). Each part
appends its own block to the four tables."""

BOTH: dict[str, str] = {}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}


# --- P2P transfers (W3) ---
BOTH.update(
    {
        "POST /api/v1/wallet/p2p/preview": "walletP2pPreviewTransfer",
        "POST /api/v1/wallet/p2p/transfers": "walletP2pConfirmTransfer",
        "POST /api/v1/wallet/p2p/transfers/{transfer_id}/cancel": "walletP2pCancelTransfer",
    }
)
