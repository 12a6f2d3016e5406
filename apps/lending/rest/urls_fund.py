"""REST routes of lending's fund part (under /api/v1/lending/…): the emergency fund, the
guarantors of a borrower's loan, the guarantee requests addressed to the caller."""

from django.urls import path

from . import views_fund as v

urlpatterns: list = [
    path("lending/fund", v.FundView.as_view(), name="lending-fund"),
    path("lending/fund/automatic", v.FundAutomaticView.as_view(), name="lending-fund-automatic"),
    path("lending/fund/deposits", v.FundDepositView.as_view(), name="lending-fund-deposits"),
    path("lending/fund/withdrawals", v.FundWithdrawalListView.as_view(), name="lending-fund-withdrawals"),
    path(
        "lending/fund/withdrawals/<uuid:withdrawal_id>/cancel",
        v.FundWithdrawalCancelView.as_view(),
        name="lending-fund-withdrawal-cancel",
    ),
    path(
        "lending/loans/<uuid:loan_id>/guarantors",
        v.LoanGuarantorListView.as_view(),
        name="lending-loan-guarantors",
    ),
    path(
        "lending/loans/<uuid:loan_id>/guarantors/<uuid:guarantor_id>/revoke",
        v.LoanGuarantorRevokeView.as_view(),
        name="lending-loan-guarantor-revoke",
    ),
    path("lending/guarantees", v.GuaranteeRequestListView.as_view(), name="lending-guarantees"),
    path(
        "lending/guarantees/<uuid:guarantee_id>/accept",
        v.GuaranteeAcceptView.as_view(),
        name="lending-guarantee-accept",
    ),
    path(
        "lending/guarantees/<uuid:guarantee_id>/decline",
        v.GuaranteeDeclineView.as_view(),
        name="lending-guarantee-decline",
    ),
]
