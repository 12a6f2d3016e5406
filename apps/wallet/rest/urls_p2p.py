"""REST routes of the wallet's p2p part (under /api/v1/wallet/…)."""

from django.urls import path

from . import views_p2p as v

urlpatterns: list = [
    path("wallet/p2p/preview", v.P2pPreviewView.as_view(), name="wallet-p2p-preview"),
    path("wallet/p2p/transfers", v.P2pTransferListView.as_view(), name="wallet-p2p-transfers"),
    path(
        "wallet/p2p/transfers/<uuid:transfer_id>",
        v.P2pTransferDetailView.as_view(),
        name="wallet-p2p-transfer",
    ),
    path(
        "wallet/p2p/transfers/<uuid:transfer_id>/cancel",
        v.P2pTransferCancelView.as_view(),
        name="wallet-p2p-transfer-cancel",
    ),
]
