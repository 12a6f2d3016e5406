"""REST routes of the wallet's wallet part (under /api/v1/wallet/…)."""

from django.urls import path

from . import views_wallet as v

urlpatterns: list = [
    path("wallet", v.WalletView.as_view(), name="wallet"),
    path("wallet/balance", v.WalletBalanceView.as_view(), name="wallet-balance"),
    path("wallet/usage", v.WalletUsageView.as_view(), name="wallet-usage"),
    path("wallet/topups", v.TopUpListView.as_view(), name="wallet-topups"),
    path("wallet/withdrawals", v.WithdrawalListView.as_view(), name="wallet-withdrawals"),
    path("wallet/statement", v.StatementView.as_view(), name="wallet-statement"),
    path("wallet/statement.csv", v.StatementCsvView.as_view(), name="wallet-statement-csv"),
    path("wallet/statement.pdf", v.StatementPdfView.as_view(), name="wallet-statement-pdf"),
    path("wallet/rent-dues", v.RentDueListView.as_view(), name="wallet-rent-dues"),
    path("wallet/rent-dues/<uuid:due_id>/pay", v.RentDuePayView.as_view(), name="wallet-rent-due-pay"),
]
