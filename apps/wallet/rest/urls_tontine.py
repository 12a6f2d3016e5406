"""REST routes of Cotis'Hokwe (under /api/v1/wallet/tontines/…)."""

from django.urls import path

from . import views_tontine as v

urlpatterns: list = [
    path("wallet/tontines", v.TontineListView.as_view(), name="wallet-tontines"),
    path(
        "wallet/tontines/invitations/<uuid:invitation_id>/accept",
        v.TontineInvitationAcceptView.as_view(),
        name="wallet-tontine-invitation-accept",
    ),
    path(
        "wallet/tontines/invitations/<uuid:invitation_id>/decline",
        v.TontineInvitationDeclineView.as_view(),
        name="wallet-tontine-invitation-decline",
    ),
    path("wallet/tontines/<uuid:group_id>", v.TontineDetailView.as_view(), name="wallet-tontine"),
    path(
        "wallet/tontines/<uuid:group_id>/invitations",
        v.TontineInviteView.as_view(),
        name="wallet-tontine-invite",
    ),
    path("wallet/tontines/<uuid:group_id>/start", v.TontineStartView.as_view(), name="wallet-tontine-start"),
    path(
        "wallet/tontines/<uuid:group_id>/cancel", v.TontineCancelView.as_view(), name="wallet-tontine-cancel"
    ),
    path(
        "wallet/tontines/<uuid:group_id>/contributions",
        v.TontineContributeView.as_view(),
        name="wallet-tontine-contribute",
    ),
    path(
        "wallet/tontines/<uuid:group_id>/pay-link",
        v.TontinePayLinkView.as_view(),
        name="wallet-tontine-pay-link",
    ),
    path("wallet/tontines/<uuid:group_id>/cash", v.TontineCashView.as_view(), name="wallet-tontine-cash"),
    path("wallet/tontines/<uuid:group_id>/bids", v.TontineBidView.as_view(), name="wallet-tontine-bid"),
    path(
        "wallet/tontines/<uuid:group_id>/payout", v.TontinePayoutView.as_view(), name="wallet-tontine-payout"
    ),
    path(
        "wallet/tontines/<uuid:group_id>/members/<uuid:member_id>/replace",
        v.TontineReplaceView.as_view(),
        name="wallet-tontine-replace",
    ),
    path(
        "wallet/tontines/<uuid:group_id>/members/<uuid:member_id>/leave",
        v.TontineLeaveView.as_view(),
        name="wallet-tontine-leave",
    ),
]
