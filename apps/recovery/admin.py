"""Back-office for Hokwe staff: read everything, fix descriptive fields (support staff).
Money never moves from a form here: amounts, cash, handovers, promises and plans are
read-only; the services (through the manager pages and the API) move the ledger."""

from __future__ import annotations

from django.contrib import admin

from apps.identity.api import PolicyAdminMixin

from .models import (
    AgingSnapshot,
    AssignmentRule,
    Call,
    Case,
    CaseEvent,
    CashCollection,
    CashHandover,
    CollectorTask,
    FormalNotice,
    Holiday,
    Installment,
    Ladder,
    LadderStep,
    LegalAction,
    PaymentPlan,
    Promise,
    StepRun,
    Visit,
)

READ = {"view": "recovery.admin.view"}
SUPPORT = {"view": "recovery.admin.view", "change": "recovery.admin.change"}


class ReadOnlyAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = READ

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


class TimelineInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("happened_at", "kind", "actor", "amount", "text")
    ordering = ("-happened_at",)
    show_change_link = False


class PromiseInline(ReadOnlyInline):
    model = Promise
    fields = ("promised_on", "amount", "status", "channel")


class LadderStepInline(admin.TabularInline):
    model = LadderStep
    extra = 0
    can_delete = False
    fields = ("day_offset", "action", "label", "pay_within_days", "min_amount", "is_active")
    readonly_fields = ("day_offset", "action", "pay_within_days", "min_amount")


@admin.register(Case)
class CaseAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Support may fix who works the case and when; amounts and status follow the services."""

    policy_permissions = SUPPORT
    list_display = (
        "lease_reference",
        "tenant_name",
        "property_name",
        "organization",
        "status",
        "amount_owed",
        "recovered",
        "next_action_on",
    )
    list_filter = ("status", "outcome", "departed")
    search_fields = ("lease_reference", "tenant_name", "tenant_phone", "property_name", "public_id")
    list_select_related = ("organization",)
    date_hierarchy = "opened_on"
    fields = (
        "public_id",
        "organization",
        "lease",
        "lease_reference",
        "tenant",
        "tenant_name",
        "tenant_phone",
        "property_name",
        "unit_label",
        "city",
        "neighbourhood",
        "status",
        "outcome",
        "amount_at_open",
        "amount_owed",
        "recovered",
        "currency",
        "oldest_due_date",
        "ladder",
        "last_step",
        "collector",
        "next_action_on",
        "paused_until",
        "broken_promises",
        "opened_on",
        "closed_at",
    )
    readonly_fields = tuple(f for f in fields if f not in ("collector", "next_action_on"))
    raw_id_fields = ("collector",)
    inlines = [PromiseInline, TimelineInline]


@admin.register(Ladder)
class LadderAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = SUPPORT
    list_display = ("name", "organization", "country", "is_active", "skip_sundays", "skip_holidays")
    list_filter = ("is_active", "country")
    list_select_related = ("organization",)
    readonly_fields = ("organization", "is_active", "public_id")
    fields = (
        "name",
        "country",
        "quiet_start",
        "quiet_end",
        "skip_sundays",
        "skip_holidays",
        *readonly_fields,
    )
    inlines = [LadderStepInline]


@admin.register(Holiday)
class HolidayAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = SUPPORT
    list_display = ("date", "name", "country", "organization")
    list_filter = ("country",)
    date_hierarchy = "date"
    raw_id_fields = ("organization",)


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = SUPPORT
    list_display = ("organization", "collector", "city", "neighbourhood", "property", "priority")
    list_select_related = ("organization", "collector")
    raw_id_fields = ("organization", "collector")


@admin.register(LegalAction)
class LegalActionAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = SUPPORT
    list_display = ("case", "kind", "firm", "status", "cost", "created_at")
    list_filter = ("kind", "status")
    list_select_related = ("case",)
    readonly_fields = ("case", "kind", "cost", "public_id", "created_at")
    fields = ("firm", "contact", "reference", "status", "notes", *readonly_fields)


@admin.register(LadderStep)
class LadderStepAdmin(ReadOnlyAdmin):
    list_display = ("ladder", "day_offset", "action", "label", "is_active")
    list_select_related = ("ladder",)


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "amount", "happened_at")
    list_filter = ("kind",)
    list_select_related = ("case",)
    search_fields = ("case__lease_reference", "case__public_id")


@admin.register(StepRun)
class StepRunAdmin(ReadOnlyAdmin):
    list_display = ("step", "subject", "run_on", "status", "messages")
    list_filter = ("status",)
    list_select_related = ("step",)


@admin.register(CollectorTask)
class CollectorTaskAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "collector", "due_on", "status")
    list_filter = ("kind", "status")
    list_select_related = ("case", "collector")


@admin.register(Promise)
class PromiseAdmin(ReadOnlyAdmin):
    list_display = ("case", "amount", "promised_on", "status", "channel")
    list_filter = ("status", "channel")
    list_select_related = ("case",)


class InstallmentInline(ReadOnlyInline):
    model = Installment
    fields = ("seq", "due_on", "amount", "paid", "status")


@admin.register(PaymentPlan)
class PaymentPlanAdmin(ReadOnlyAdmin):
    list_display = ("case", "total", "status", "channel", "accepted_at")
    list_filter = ("status",)
    list_select_related = ("case",)
    exclude = ("challenge",)
    inlines = [InstallmentInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "challenge"]


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ("case", "collector", "outcome", "called_at")
    list_filter = ("outcome",)
    list_select_related = ("case", "collector")


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("case", "collector", "outcome", "visited_at", "distance_m")
    list_filter = ("outcome",)
    list_select_related = ("case", "collector")


@admin.register(CashCollection)
class CashCollectionAdmin(ReadOnlyAdmin):
    list_display = ("case", "collector", "amount", "receipt_number", "collected_at", "handover")
    search_fields = ("receipt_number", "payment")
    list_select_related = ("case", "collector", "handover")


@admin.register(CashHandover)
class CashHandoverAdmin(ReadOnlyAdmin):
    list_display = ("day", "organization", "collector", "declared", "ledger_balance", "difference", "status")
    list_filter = ("status",)
    list_select_related = ("organization", "collector")


@admin.register(FormalNotice)
class FormalNoticeAdmin(ReadOnlyAdmin):
    list_display = ("number", "case", "issued_on", "pay_by", "amount", "country")
    search_fields = ("number",)
    list_select_related = ("case",)


@admin.register(AgingSnapshot)
class AgingSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("organization", "on", "currency", "current", "d1_30", "d31_60", "d61_90", "d90_plus")
    date_hierarchy = "on"
