"""Lending's pages outside /manager/, mounted at the site root (hokwe/urls.py): the
borrower's loans and emergency fund under /lending/. Shared: each part appends its block of
routes (views in web/<part>*.py)."""

from django.urls import path

app_name = "lending"

urlpatterns: list = []


# --- the borrower's loans: /lending/… (web/loans.py) ---
from . import loans as _loans  # noqa: E402

urlpatterns += [
    path("lending/", _loans.home, name="loans"),
    path("lending/products/<uuid:product_id>/", _loans.product, name="product"),
    path("lending/loans/<uuid:loan_id>/", _loans.loan_detail, name="loan"),
    path("lending/loans/<uuid:loan_id>/accept", _loans.loan_accept, name="loan-accept"),
    path("lending/loans/<uuid:loan_id>/withdraw", _loans.loan_withdraw, name="loan-withdraw"),
    path("lending/loans/<uuid:loan_id>/repay", _loans.loan_repay, name="loan-repay"),
    path("lending/loans/<uuid:loan_id>/pay-link", _loans.loan_pay_link, name="loan-pay-link"),
    path("lending/loans/<uuid:loan_id>/key-facts.pdf", _loans.loan_key_facts_pdf, name="loan-key-facts"),
]


# --- emergency fund and guarantees: /lending/fund/…, /lending/guarantees/… (web/fund.py) ---
from . import fund as _fund  # noqa: E402

urlpatterns += [
    path("lending/fund/", _fund.fund_home, name="fund"),
    path("lending/fund/deposit", _fund.fund_deposit, name="fund-deposit"),
    path("lending/fund/withdraw", _fund.fund_withdraw, name="fund-withdraw"),
    path("lending/fund/automatic", _fund.fund_automatic, name="fund-automatic"),
    path(
        "lending/fund/withdrawals/<uuid:withdrawal_id>/cancel",
        _fund.fund_notice_cancel,
        name="fund-withdrawal-cancel",
    ),
    path("lending/guarantees/", _fund.guarantees, name="guarantees"),
    path("lending/guarantees/<uuid:guarantee_id>/accept", _fund.guarantee_accept, name="guarantee-accept"),
    path("lending/guarantees/<uuid:guarantee_id>/decline", _fund.guarantee_decline, name="guarantee-decline"),
]
