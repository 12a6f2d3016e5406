"""Back-office for Hokwe staff: read everything, fix descriptive fields (support staff).
Money never moves from a form here: amounts, dues, payments and receipts are read-only;
the services (through the manager pages and the API) move the ledger."""

from __future__ import annotations

from django.contrib import admin

from apps.identity.api import PolicyAdminMixin

from .models import (
    Announcement,
    DepositSettlement,
    Expense,
    ImportBatch,
    Inspection,
    Lease,
    Mandate,
    MonthEndRun,
    OwnerStatement,
    Property,
    Quittance,
    RentDue,
    RentPayment,
    Ticket,
    Unit,
)

READ = {"view": "estate.admin.view"}
SUPPORT = {"view": "estate.admin.view", "change": "estate.admin.change"}


class ReadOnlyAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = READ

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ("label", "kind", "status", "market_rent", "rooms", "furnished")
    can_delete = False


@admin.register(Property)
class PropertyAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = SUPPORT
    list_display = ("name", "neighbourhood", "city", "organization", "owner", "is_active")
    list_filter = ("city", "is_active")
    search_fields = ("name", "neighbourhood", "public_id")
    list_select_related = ("organization", "owner")
    readonly_fields = ("organization", "owner", "mandate", "public_id", "created_at")
    fields = (
        "name",
        "address",
        "neighbourhood",
        "city",
        "latitude",
        "longitude",
        "description",
        "is_active",
        *readonly_fields,
    )
    inlines = [UnitInline]


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin):
    list_display = ("agency", "owner", "commission_bps", "start_date", "end_date", "payout_frequency")
    list_select_related = ("agency", "owner")


@admin.register(Lease)
class LeaseAdmin(ReadOnlyAdmin):
    list_display = ("reference", "unit", "status", "start_date", "end_date", "rent", "charges", "credit")
    list_filter = ("status",)
    search_fields = ("reference", "public_id", "lease_tenants__user__phone")
    list_select_related = ("unit__property",)


@admin.register(RentDue)
class RentDueAdmin(ReadOnlyAdmin):
    list_display = ("reference", "period", "due_date", "status", "total", "paid")
    list_filter = ("status", "period")
    search_fields = ("reference", "public_id")
    date_hierarchy = "due_date"


@admin.register(RentPayment)
class RentPaymentAdmin(ReadOnlyAdmin):
    list_display = ("lease", "amount", "method", "received_on", "receipt_number", "to_credit", "refunded")
    list_filter = ("method",)
    search_fields = ("receipt_number", "intent", "reference", "lease__reference")
    list_select_related = ("lease",)


@admin.register(Quittance)
class QuittanceAdmin(ReadOnlyAdmin):
    list_display = ("number", "code", "issued_at", "voided_at")
    search_fields = ("number", "code")


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ("title", "property", "status", "priority", "vendor_name", "cost")
    list_filter = ("status", "priority")
    list_select_related = ("property",)


@admin.register(OwnerStatement)
class OwnerStatementAdmin(ReadOnlyAdmin):
    list_display = ("owner", "organization", "period", "status", "collected", "commission", "expenses", "net")
    list_filter = ("status",)
    list_select_related = ("owner", "organization")


@admin.register(Expense)
class ExpenseAdmin(ReadOnlyAdmin):
    list_display = ("label", "property", "amount", "incurred_on", "statement")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("lease", "kind", "inspected_on", "tenant_signed_at", "manager_signed_at")


@admin.register(DepositSettlement)
class DepositSettlementAdmin(ReadOnlyAdmin):
    list_display = ("lease", "held", "deducted", "refund", "refund_reference")


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ("title", "property", "recipients", "created_at")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("filename", "organization", "status", "created_at")
    exclude = ("content",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "content"]


@admin.register(MonthEndRun)
class MonthEndRunAdmin(ReadOnlyAdmin):
    list_display = ("period", "started_at", "finished_at", "leases_seen", "dues_created", "batches")
