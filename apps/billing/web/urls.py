"""Billing's manager pages, mounted under /manager/billing/ (namespace manager:)."""

from django.urls import path

from . import staff, views

urlpatterns: list = [
    path("", views.home, name="billing"),
    path("plans/", views.plans, name="billing-plans"),
    path("plans/<uuid:version_id>/", views.plan_choose, name="billing-plan-choose"),
    path("cancel/", views.cancel, name="billing-cancel"),
    path("invoices/", views.invoices, name="billing-invoices"),
    path("invoices/<uuid:invoice_id>/", views.invoice_detail, name="billing-invoice"),
    path("invoices/<uuid:invoice_id>/pdf", views.invoice_pdf, name="billing-invoice-pdf"),
    path("invoices/<uuid:invoice_id>/pay", views.invoice_pay, name="billing-invoice-pay"),
    path("credit-notes/<uuid:credit_note_id>/pdf", views.credit_note_pdf, name="billing-credit-note-pdf"),
    path("payment-method/", views.payment_method, name="billing-payment-method"),
    path("credits/", views.credits, name="billing-credits"),
    path("staff/", staff.report, name="billing-staff"),
]
