"""Manager pages, mounted under /manager/estate/ (namespace manager:)."""

from django.urls import path

from . import views
from .views import statements_import as bank

urlpatterns = [
    path("", views.dashboard, name="estate-dashboard"),
    path("properties/", views.property_list, name="estate-properties"),
    path("properties/new", views.property_new, name="estate-property-new"),
    path("properties/<uuid:property_id>/", views.property_detail, name="estate-property"),
    path("properties/<uuid:property_id>/units/new", views.unit_new, name="estate-unit-new"),
    path("properties/<uuid:property_id>/announce", views.announce, name="estate-announce"),
    path("mandates/", views.mandates, name="estate-mandates"),
    path("leases/", views.lease_list, name="estate-leases"),
    path("leases/new", views.lease_new, name="estate-lease-new"),
    path("leases/<uuid:lease_id>/", views.lease_detail, name="estate-lease"),
    path("leases/<uuid:lease_id>/payments", views.payment_new, name="estate-payment-new"),
    path("leases/<uuid:lease_id>/document.pdf", views.lease_pdf, name="estate-lease-pdf"),
    path("leases/<uuid:lease_id>/inspections/new", views.inspection_new, name="estate-inspection-new"),
    path("leases/<uuid:lease_id>/<str:action>", views.lease_action, name="estate-lease-action"),
    path("inspections/<uuid:inspection_id>/", views.inspection_detail, name="estate-inspection"),
    path("dues/", views.due_list, name="estate-dues"),
    path("dues/export.<str:fmt>", views.due_export, name="estate-dues-export"),
    path("dues/<uuid:due_id>/notice.pdf", views.due_notice, name="estate-due-notice"),
    path("dues/<uuid:due_id>/adjust", views.due_adjust, name="estate-due-adjust"),
    path("receipts/", views.receipt_list, name="estate-receipts"),
    path("receipts/<uuid:receipt_id>.pdf", views.receipt_pdf, name="estate-receipt-pdf"),
    path("tickets/", views.ticket_board, name="estate-tickets"),
    path("tickets/<uuid:ticket_id>/", views.ticket_detail, name="estate-ticket"),
    path("statements/", views.statement_list, name="estate-statements"),
    path("statements/<uuid:statement_id>/", views.statement_detail, name="estate-statement"),
    path("statements/<uuid:statement_id>/page", views.statement_page, name="estate-statement-page"),
    path("statements/<uuid:statement_id>/close", views.statement_close, name="estate-statement-close"),
    path("import/", views.import_view, name="estate-import"),
    path("portal/", views.owner_portal, name="estate-owner-portal"),
    path("settings/", views.estate_settings, name="estate-settings"),
    # statement import and matching (MoMo / bank statements; issue 16)
    path("bank/", bank.statement_upload, name="estate-bank-import"),
    path(
        "bank/imports/<uuid:statement_import_id>/",
        bank.statement_import_detail,
        name="estate-bank-import-detail",
    ),
    path("bank/review/", bank.statement_review, name="estate-bank-review"),
    path("bank/lines/<uuid:statement_line_id>/", bank.statement_line, name="estate-bank-line"),
    path("bank/rules/", bank.statement_rules, name="estate-bank-rules"),
    path(
        "bank/rules/<uuid:statement_rule_id>/delete",
        bank.statement_rule_delete,
        name="estate-bank-rule-delete",
    ),
]
