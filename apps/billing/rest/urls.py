"""Mounted under /api/v1/ (paths start with `billing/`)."""

from django.urls import path

from . import views as v

urlpatterns: list = [
    path("billing/subscription", v.SubscriptionView.as_view(), name="billing-subscription"),
    path("billing/subscription/change", v.ChangePlanView.as_view(), name="billing-subscription-change"),
    path("billing/subscription/cancel", v.CancelView.as_view(), name="billing-subscription-cancel"),
    path("billing/subscription/resume", v.ResumeView.as_view(), name="billing-subscription-resume"),
    path("billing/plans", v.PlanListView.as_view(), name="billing-plans"),
    path("billing/usage", v.UsageView.as_view(), name="billing-usage"),
    path("billing/invoices", v.InvoiceListView.as_view(), name="billing-invoices"),
    path("billing/invoices/<uuid:invoice_id>", v.InvoiceDetailView.as_view(), name="billing-invoice"),
    path("billing/invoices/<uuid:invoice_id>/pdf", v.InvoicePdfView.as_view(), name="billing-invoice-pdf"),
    path(
        "billing/invoices/<uuid:invoice_id>/pay-link",
        v.PayLinkView.as_view(),
        name="billing-invoice-pay-link",
    ),
    path("billing/credit-notes", v.CreditNoteListView.as_view(), name="billing-credit-notes"),
    path(
        "billing/credit-notes/<uuid:credit_note_id>/pdf",
        v.CreditNotePdfView.as_view(),
        name="billing-credit-note-pdf",
    ),
    path("billing/payment-method", v.PaymentMethodView.as_view(), name="billing-payment-method"),
    path("billing/credits", v.BuyCreditsView.as_view(), name="billing-credits"),
]
