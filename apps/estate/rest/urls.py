"""Mounted under /api/v1/ (hokwe/urls.py discovers it)."""

from django.urls import path

from . import statements_views as sv
from . import views as v

urlpatterns = [
    path("estate/properties", v.PropertyListView.as_view(), name="estate-properties"),
    path("estate/properties/<uuid:property_id>", v.PropertyDetailView.as_view(), name="estate-property"),
    path("estate/properties/<uuid:property_id>/units", v.UnitListView.as_view(), name="estate-units"),
    path(
        "estate/properties/<uuid:property_id>/announcements",
        v.AnnouncementView.as_view(),
        name="estate-announcements",
    ),
    path("estate/units/<uuid:unit_id>", v.UnitDetailView.as_view(), name="estate-unit"),
    path("estate/mandates", v.MandateListView.as_view(), name="estate-mandates"),
    path("estate/leases", v.LeaseListView.as_view(), name="estate-leases"),
    path("estate/leases/<uuid:lease_id>", v.LeaseDetailView.as_view(), name="estate-lease"),
    path("estate/leases/<uuid:lease_id>/terms", v.LeaseTermsView.as_view(), name="estate-lease-terms"),
    path("estate/leases/<uuid:lease_id>/notice", v.LeaseNoticeView.as_view(), name="estate-lease-notice"),
    path("estate/leases/<uuid:lease_id>/end", v.LeaseEndView.as_view(), name="estate-lease-end"),
    path(
        "estate/leases/<uuid:lease_id>/payments", v.LeasePaymentView.as_view(), name="estate-lease-payments"
    ),
    path(
        "estate/leases/<uuid:lease_id>/deposit-settlement",
        v.DepositSettlementView.as_view(),
        name="estate-lease-deposit",
    ),
    path("estate/dues", v.DueListView.as_view(), name="estate-dues"),
    path("estate/dues/<uuid:due_id>", v.DueDetailView.as_view(), name="estate-due"),
    path("estate/dues/<uuid:due_id>/adjustments", v.DueAdjustView.as_view(), name="estate-due-adjustments"),
    path("estate/dues/<uuid:due_id>/write-off", v.DueWriteOffView.as_view(), name="estate-due-write-off"),
    path("estate/dues/<uuid:due_id>/pay-link", v.DuePayLinkView.as_view(), name="estate-due-pay-link"),
    path("estate/receipts/<uuid:receipt_id>/pdf", v.ReceiptPdfView.as_view(), name="estate-receipt-pdf"),
    path("estate/tickets", v.TicketListView.as_view(), name="estate-tickets"),
    path("estate/tickets/<uuid:ticket_id>", v.TicketDetailView.as_view(), name="estate-ticket"),
    path("estate/statements", v.StatementView.as_view(), name="estate-statement"),
    path(
        "estate/statements/<uuid:statement_id>/close",
        v.StatementCloseView.as_view(),
        name="estate-statement-close",
    ),
    # statement import and matching (MoMo / bank statements; issue 16)
    path("estate/statements/imports", sv.StatementImportListView.as_view(), name="estate-statement-imports"),
    path(
        "estate/statements/imports/<uuid:statement_import_id>",
        sv.StatementImportDetailView.as_view(),
        name="estate-statement-import",
    ),
    path("estate/statements/lines", sv.StatementLineListView.as_view(), name="estate-statement-lines"),
    path(
        "estate/statements/lines/<uuid:statement_line_id>/confirm",
        sv.StatementLineConfirmView.as_view(),
        name="estate-statement-line-confirm",
    ),
    path(
        "estate/statements/lines/<uuid:statement_line_id>/ignore",
        sv.StatementLineIgnoreView.as_view(),
        name="estate-statement-line-ignore",
    ),
    path("estate/statements/rules", sv.StatementRuleListView.as_view(), name="estate-statement-rules"),
    path(
        "estate/statements/rules/<uuid:statement_rule_id>",
        sv.StatementRuleDetailView.as_view(),
        name="estate-statement-rule",
    ),
    path("estate/dashboard", v.DashboardView.as_view(), name="estate-dashboard"),
    path("estate/settings", v.SettingsView.as_view(), name="estate-settings"),
    path("estate/me/leases", v.MyLeasesView.as_view(), name="estate-my-leases"),
    path("estate/me/leases/<uuid:lease_id>/pay", v.MyLeasePayView.as_view(), name="estate-my-lease-pay"),
    path("estate/me/dues", v.MyDuesView.as_view(), name="estate-my-dues"),
    path("estate/me/dues/<uuid:due_id>", v.MyDueDetailView.as_view(), name="estate-my-due"),
    path("estate/me/receipts", v.MyReceiptsView.as_view(), name="estate-my-receipts"),
    path("estate/me/tickets", v.MyTicketsView.as_view(), name="estate-my-tickets"),
]
