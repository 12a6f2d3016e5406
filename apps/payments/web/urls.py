"""Manager pages, mounted under /manager/payments/ (namespace manager:)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.intent_list, name="payments-list"),
    path("new", views.intent_new, name="payments-new"),
    path("<uuid:intent_id>", views.intent_detail, name="payments-detail"),
    path("<uuid:intent_id>/cancel", views.intent_cancel, name="payments-cancel"),
    path("<uuid:intent_id>/refund", views.intent_refund, name="payments-refund"),
    path("payouts", views.payout_list, name="payments-payouts"),
]
