"""Mounted under /api/v1/ (hokwe/urls.py discovers it)."""

from django.urls import path

from . import views

urlpatterns = [
    path("ledger/accounts", views.AccountListView.as_view(), name="ledger-accounts"),
    path("ledger/accounts/<uuid:account_id>", views.AccountDetailView.as_view(), name="ledger-account"),
    path(
        "ledger/accounts/<uuid:account_id>/statement", views.StatementView.as_view(), name="ledger-statement"
    ),
    path(
        "ledger/accounts/<uuid:account_id>/statement.csv",
        views.StatementCsvView.as_view(),
        name="ledger-statement-csv",
    ),
]
