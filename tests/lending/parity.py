"""lending's REST/GraphQL parity (checked by tests/core/test_transport_parity.py). Each part
appends its own block to the four tables."""

BOTH: dict[str, str] = {}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}


# --- the borrower's loans ---
BOTH.update(
    {
        "POST /api/v1/lending/loans": "lendingApplyForLoan",
        "POST /api/v1/lending/loans/{loan_id}/accept": "lendingAcceptLoanOffer",
        "POST /api/v1/lending/loans/{loan_id}/withdraw": "lendingWithdrawLoan",
        "POST /api/v1/lending/loans/{loan_id}/repayments": "lendingRepayLoan",
        "POST /api/v1/lending/loans/{loan_id}/pay-link": "lendingCreateLoanPayLink",
    }
)


# --- landlord advances ---
BOTH.update(
    {
        "POST /api/v1/lending/advances": "lendingApplyForAdvance",
        "POST /api/v1/lending/advances/{loan_id}/accept": "lendingAcceptAdvanceOffer",
        "POST /api/v1/lending/advances/{loan_id}/withdraw": "lendingWithdrawAdvance",
    }
)


# --- emergency fund and guarantors ---
BOTH.update(
    {
        "POST /api/v1/lending/fund": "lendingOpenEmergencyFund",
        "PATCH /api/v1/lending/fund": "lendingUpdateEmergencyFund",
        "POST /api/v1/lending/fund/automatic": "lendingSetFundAutomaticSavings",
        "POST /api/v1/lending/fund/deposits": "lendingDepositToFund",
        "POST /api/v1/lending/fund/withdrawals": "lendingWithdrawFromFund",
        "POST /api/v1/lending/fund/withdrawals/{withdrawal_id}/cancel": "lendingCancelFundWithdrawal",
        "POST /api/v1/lending/loans/{loan_id}/guarantors": "lendingInviteGuarantor",
        "POST /api/v1/lending/loans/{loan_id}/guarantors/{guarantor_id}/revoke": "lendingRevokeGuarantor",
        "POST /api/v1/lending/guarantees/{guarantee_id}/accept": "lendingAcceptGuarantee",
        "POST /api/v1/lending/guarantees/{guarantee_id}/decline": "lendingDeclineGuarantee",
    }
)
