"""Reads, always scoped to what the actor may see. Each part appends its own."""


# --- emergency fund and guarantors ---


def own_fund_withdrawals(actor, currency: str | None = None):
    """The actor's emergency fund withdrawals (with or without notice), newest first."""
    from .models import WithdrawalNotice

    rows = WithdrawalNotice.objects.filter(fund__user_id=getattr(actor, "pk", None)).select_related("fund")
    if currency:
        rows = rows.filter(fund__currency=currency)
    return rows.order_by("-created_at", "-id")


def own_loan_for_guarantors(actor, loan_public_id):
    """The actor's own loan (as its borrower) by public id, or None."""
    from .models import Loan

    return (
        Loan.objects.select_related("product", "borrower")
        .filter(public_id=loan_public_id, borrower_id=getattr(actor, "pk", None))
        .first()
    )
