"""Lending's panels on other modules' pages (apps/core/panels.py). Each part appends its
panels to PANELS."""

from __future__ import annotations

from apps.core.panels import Panel

PANELS: list[Panel] = []


# --- the borrower's loans: `estate.tenant` (the tenant's space home) shows « Mes prêts »: an
# offer waiting, what is still owed and the next instalment, or the products to borrow ---


def tenant_loans(request, **ids) -> dict | None:
    from apps.core.money import format_amount

    from .contracts import LoanStatus
    from .services import borrower

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    language = (getattr(request, "LANGUAGE_CODE", "fr") or "fr")[:2]
    loans = list(borrower.loans_of(user).filter(status__in=borrower.CURRENT)[:3])
    rows = []
    for loan in loans:
        nxt = borrower.next_instalment(loan) if loan.status == LoanStatus.ACTIVE else None
        rows.append(
            {
                "loan": loan,
                "name": borrower.loan_view(loan, language)["product_name"],
                "offer": loan.status == LoanStatus.APPROVED,
                "active": loan.status == LoanStatus.ACTIVE,
                "outstanding": format_amount(loan.outstanding, loan.currency, language),
                "next_owed": format_amount(nxt.owed, loan.currency, language) if nxt else "",
                "next_date": nxt.due_date if nxt else None,
            }
        )
    offered = borrower.products_for(user).exists() if not rows else False
    if not rows and not offered:
        return None
    return {"rows": rows, "offered": offered}


PANELS += [
    Panel(slot="estate.tenant", template="lending/panels/tenant_loans.html", context=tenant_loans, order=60)
]


# --- emergency fund: `estate.tenant` shows what the fund holds (or how to start one) and the
# guarantee requests waiting for the tenant's answer ---


def tenant_fund(request, **ids) -> dict | None:
    from apps.core.money import format_amount

    from .models import Guarantor
    from .services import fund as fund_service
    from .services import guarantors

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    language = (getattr(request, "LANGUAGE_CODE", "fr") or "fr")[:2]
    fund = fund_service.fund_of(user, "XOF")
    asked = guarantors.requests_for(user).filter(status=Guarantor.Status.INVITED).count()
    if fund is None:
        return {"balance": "", "goal": "", "asked": asked}
    info = fund_service.fund_info(fund)
    return {
        "balance": format_amount(info.balance, fund.currency, language),
        "goal": format_amount(fund.goal, fund.currency, language) if fund.goal else "",
        "asked": asked,
    }


PANELS += [
    Panel(slot="estate.tenant", template="lending/panels/tenant_fund.html", context=tenant_fund, order=61)
]
