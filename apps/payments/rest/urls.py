"""Mounted under /api/v1/ (hokwe/urls.py discovers it)."""

from django.urls import path

from . import views, webhooks

urlpatterns = [
    path("payments/intents", views.IntentListView.as_view(), name="payments-intents"),
    path("payments/intents/<uuid:intent_id>", views.IntentDetailView.as_view(), name="payments-intent"),
    path(
        "payments/intents/<uuid:intent_id>/cancel",
        views.IntentCancelView.as_view(),
        name="payments-intent-cancel",
    ),
    path(
        "payments/intents/<uuid:intent_id>/attempts",
        views.AttemptView.as_view(),
        name="payments-intent-attempts",
    ),
    path(
        "payments/intents/<uuid:intent_id>/confirm",
        views.ConfirmView.as_view(),
        name="payments-intent-confirm",
    ),
    path(
        "payments/intents/<uuid:intent_id>/wallet",
        views.WalletPayView.as_view(),
        name="payments-intent-wallet",
    ),
    path("payments/intents/<uuid:intent_id>/push", views.PushView.as_view(), name="payments-intent-push"),
    path(
        "payments/intents/<uuid:intent_id>/refunds",
        views.RefundView.as_view(),
        name="payments-intent-refunds",
    ),
    path("payments/merchant/cash", views.CashView.as_view(), name="payments-merchant-cash"),
    path(
        "payments/merchant/cash-report", views.CashReportView.as_view(), name="payments-merchant-cash-report"
    ),
    path("payments/payout-accounts", views.PayoutAccountListView.as_view(), name="payments-payout-accounts"),
    path(
        "payments/payout-accounts/<uuid:payout_account_id>/remove",
        views.PayoutAccountRemoveView.as_view(),
        name="payments-payout-account-remove",
    ),
    path("payments/payouts", views.PayoutListView.as_view(), name="payments-payouts"),
    path("payments/payouts/<uuid:payout_id>", views.PayoutDetailView.as_view(), name="payments-payout"),
    path("payments/webhooks/<str:provider>", webhooks.receive, name="payments-webhook"),
    path(
        "payments/webhooks/<str:provider>/<uuid:config_id>", webhooks.receive, name="payments-webhook-config"
    ),
]
