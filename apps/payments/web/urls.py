"""Manager pages, mounted under /manager/payments/ (namespace manager:)."""

from django.urls import path

from . import finance, views

urlpatterns = [
    path("", views.intent_list, name="payments-list"),
    path("new", views.intent_new, name="payments-new"),
    path("<uuid:intent_id>", views.intent_detail, name="payments-detail"),
    path("<uuid:intent_id>/cancel", views.intent_cancel, name="payments-cancel"),
    path("<uuid:intent_id>/refund", views.intent_refund, name="payments-refund"),
    path("payouts", views.payout_list, name="payments-payouts"),
    # finance staff (web/finance.py): the suspense queue and settlement imports
    path("finance/suspense", finance.suspense_queue, name="payments-finance-suspense"),
    path("finance/suspense/<uuid:item_id>", finance.suspense_item, name="payments-finance-item"),
    path("finance/suspense/<uuid:item_id>/apply", finance.suspense_apply, name="payments-finance-apply"),
    path("finance/suspense/<uuid:item_id>/refund", finance.suspense_refund, name="payments-finance-refund"),
    path(
        "finance/decisions/<uuid:decision_id>/approve",
        finance.decision_approve,
        name="payments-finance-approve",
    ),
    path(
        "finance/decisions/<uuid:decision_id>/reject", finance.decision_reject, name="payments-finance-reject"
    ),
    path("finance/settlements", finance.settlements, name="payments-finance-settlements"),
]
