"""REST routes of the borrower's loans (under /api/v1/lending/…)."""

from django.urls import path

from . import views_loans as v

urlpatterns: list = [
    path("lending/products", v.ProductListView.as_view(), name="lending-products"),
    path(
        "lending/products/<uuid:product_id>/simulation",
        v.ProductSimulationView.as_view(),
        name="lending-product-simulation",
    ),
    path("lending/loans", v.LoanListView.as_view(), name="lending-loans"),
    path("lending/loans/<uuid:loan_id>", v.LoanDetailView.as_view(), name="lending-loan"),
    path(
        "lending/loans/<uuid:loan_id>/key-facts.pdf",
        v.LoanKeyFactsPdfView.as_view(),
        name="lending-loan-key-facts",
    ),
    path("lending/loans/<uuid:loan_id>/accept", v.LoanAcceptView.as_view(), name="lending-loan-accept"),
    path("lending/loans/<uuid:loan_id>/withdraw", v.LoanWithdrawView.as_view(), name="lending-loan-withdraw"),
    path("lending/loans/<uuid:loan_id>/repayments", v.LoanRepayView.as_view(), name="lending-loan-repay"),
    path("lending/loans/<uuid:loan_id>/pay-link", v.LoanPayLinkView.as_view(), name="lending-loan-pay-link"),
    path(
        "lending/loans/<uuid:loan_id>/prepayment",
        v.LoanPrepaymentView.as_view(),
        name="lending-loan-prepayment",
    ),
]
