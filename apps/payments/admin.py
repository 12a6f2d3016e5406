"""Back-office: intents (with attempts and refunds), raw webhook events, reconciliation
reports (the report page), payouts and payout accounts, provider keys and routes.

Money never moves from a form here: the actions call services (bank transfer received,
payout account verified, reconciliation run), which post through the ledger."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from apps.core.audit import AuditedAdminMixin
from apps.core.errors import DomainError
from apps.identity.api import PolicyAdminMixin

from . import config, services
from .models import (
    PaymentAttempt,
    PaymentIntent,
    Payout,
    PayoutAccount,
    PayoutSchedule,
    ProviderConfig,
    ProviderRoute,
    ReconciliationItem,
    ReconciliationReport,
    Refund,
    Settlement,
    SettlementLine,
    SuspenseDecision,
    WebhookEvent,
)

READ = {"view": "payments.admin.view"}
FINANCE = {"view": "payments.admin.view", "change": "payments.admin.change"}
FINANCE_ALL = {**FINANCE, "add": "payments.admin.change", "delete": "payments.admin.change"}


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttemptInline(ReadOnlyInline):
    model = PaymentAttempt
    fields = [
        "created_at",
        "provider",
        "method",
        "status",
        "provider_reference",
        "amount_reported",
        "failure_code",
    ]
    readonly_fields = fields


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = [
        "created_at",
        "amount",
        "currency",
        "reason",
        "requested_by",
        "provider_reference",
        "status",
        "via",
        "failure_reason",
    ]
    readonly_fields = fields


@admin.register(PaymentIntent)
class PaymentIntentAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = FINANCE
    list_display = [
        "created_at",
        "organization",
        "description",
        "amount",
        "currency",
        "status",
        "provider",
        "receipt_number",
    ]
    list_filter = ["status", "provider", "method", "currency"]
    search_fields = [
        "public_id",
        "description",
        "payer_name",
        "payer_phone",
        "receipt_number",
        "purpose_id",
        "pay_token",
    ]
    list_select_related = ["organization"]
    date_hierarchy = "created_at"
    inlines = [AttemptInline, RefundInline]
    actions = ["record_bank_transfer"]
    readonly_fields = [f.name for f in PaymentIntent._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False  # read-only: changes go through services (actions)

    @admin.action(description=_("Bank transfer received (record it)"))
    def record_bank_transfer(self, request, queryset):
        done = 0
        for intent in queryset:
            try:
                services.bank_transfer_record(
                    actor=request.user, intent=intent, reference=f"admin:{request.user.pk}"
                )
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{intent}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)d payment(s) recorded.") % {"n": done}, messages.SUCCESS)


@admin.register(WebhookEvent)
class WebhookEventAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = FINANCE
    list_display = ["received_at", "provider", "event_type", "reference", "status", "attempts"]
    list_filter = ["provider", "status", "event_type"]
    search_fields = ["event_id", "reference"]
    readonly_fields = [f.name for f in WebhookEvent._meta.fields]
    actions = ["reprocess"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Process again now (asks the provider)"))
    def reprocess(self, request, queryset):
        for event in queryset:
            WebhookEvent.objects.filter(pk=event.pk).update(status=WebhookEvent.Status.RECEIVED)
            try:
                services.webhook_process(event.pk)
            except Exception as exc:  # noqa: BLE001 -- shown to staff; the event keeps its error
                self.message_user(request, f"{event}: {exc!r}", messages.WARNING)
        self.message_user(request, _("Queued."), messages.SUCCESS)


class ReconciliationItemInline(admin.TabularInline):
    model = ReconciliationItem
    extra = 0
    can_delete = False
    fields = [
        "kind",
        "provider_reference",
        "intent",
        "amount_provider",
        "amount_expected",
        "currency",
        "detail",
        "refund_due",
        "resolved",
    ]
    readonly_fields = [
        "kind",
        "provider_reference",
        "intent",
        "amount_provider",
        "amount_expected",
        "currency",
        "detail",
    ]


@admin.register(ReconciliationReport)
class ReconciliationReportAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """The daily report: one row per provider and day; open items are listed inline."""

    policy_permissions = FINANCE
    list_display = [
        "day",
        "provider",
        "checked",
        "matched",
        "flagged",
        "open_items",
        "settled",
        "finished_at",
    ]
    list_filter = ["provider"]
    date_hierarchy = "day"
    inlines = [ReconciliationItemInline]
    readonly_fields = ["provider", "day", "checked", "matched", "flagged", "settled", "finished_at"]
    actions = ["run_again"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_open=Count("items", filter=Q(items__resolved=False)))

    @admin.display(description=_("open items"), ordering="_open")
    def open_items(self, obj):
        return obj._open

    @admin.action(description=_("Run the reconciliation again"))
    def run_again(self, request, queryset):
        for report in queryset:
            services.reconcile(provider=report.provider, day=report.day)
        self.message_user(request, _("Done."), messages.SUCCESS)


@admin.register(ReconciliationItem)
class ReconciliationItemAdmin(PolicyAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    policy_permissions = FINANCE
    list_display = [
        "created_at",
        "provider",
        "kind",
        "provider_reference",
        "amount_provider",
        "amount_expected",
        "refund_due",
        "resolved",
    ]
    list_filter = ["provider", "kind", "resolved", "refund_due"]
    search_fields = ["provider_reference", "detail"]
    fields = [
        "provider",
        "kind",
        "provider_reference",
        "intent",
        "attempt",
        "amount_provider",
        "amount_expected",
        "currency",
        "detail",
        "suspense_transfer",
        "refund_due",
        "resolved",
    ]
    readonly_fields = [
        "provider",
        "kind",
        "provider_reference",
        "intent",
        "attempt",
        "amount_provider",
        "amount_expected",
        "currency",
        "detail",
        "suspense_transfer",
    ]

    def get_readonly_fields(self, request, obj=None):
        # Money held in suspense leaves it only through a decision (the finance pages:
        # apply or refund, services/suspense.py), never by ticking « resolved » here.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.suspense_transfer is not None:
            fields.append("resolved")
        return fields


class PayoutAccountForm(forms.ModelForm):
    class Meta:
        model = PayoutAccount
        fields = [
            "organization",
            "kind",
            "holder_name",
            "phone",
            "operator",
            "bank_name",
            "account_number",
            "is_active",
        ]


@admin.register(PayoutAccount)
class PayoutAccountAdmin(PolicyAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    policy_permissions = FINANCE
    list_display = [
        "organization",
        "kind",
        "masked",
        "holder_name",
        "looked_up_name",
        "verified_at",
        "verified_via",
        "verification_note",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "verified_via"]
    readonly_fields = [
        "organization",
        "kind",
        "holder_name",
        "phone",
        "operator",
        "bank_name",
        "account_number",
        "verified_at",
        "verified_via",
        "looked_up_name",
        "verification_note",
        "created_by",
    ]
    actions = ["verify"]

    def has_add_permission(self, request):
        return False  # added by the organization's owner with a step-up OTP

    @admin.action(
        description=_("Mark as verified (RIB, or the holder's name against the landlord's identity, checked)")
    )
    def verify(self, request, queryset):
        for account in queryset:
            services.payout_account_verify(actor=request.user, account=account)
        self.message_user(request, _("Verified."), messages.SUCCESS)


@admin.register(Payout)
class PayoutAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = FINANCE
    list_display = [
        "created_at",
        "organization",
        "amount",
        "currency",
        "status",
        "provider",
        "purpose",
        "scheduled",
        "paid_at",
    ]
    list_filter = ["status", "provider", "scheduled", "purpose"]
    search_fields = ["public_id", "provider_reference"]
    readonly_fields = [f.name for f in Payout._meta.fields]
    actions = ["sync"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Ask the provider for the status"))
    def sync(self, request, queryset):
        for payout in queryset:
            services.payout_sync(payout=payout)
        self.message_user(request, _("Done."), messages.SUCCESS)


@admin.register(PayoutSchedule)
class PayoutScheduleAdmin(PolicyAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    policy_permissions = FINANCE_ALL
    list_display = ["organization", "frequency", "minimum_amount", "payout_account", "is_active"]


class ProviderConfigForm(forms.ModelForm):
    """Secrets are write-only: typed here, stored encrypted, never shown again."""

    private_key = forms.CharField(label=_("private key"), required=False, widget=forms.PasswordInput)
    secret_key = forms.CharField(label=_("secret key"), required=False, widget=forms.PasswordInput)
    webhook_secret = forms.CharField(label=_("webhook secret"), required=False, widget=forms.PasswordInput)

    class Meta:
        model = ProviderConfig
        fields = ["organization", "provider", "is_enabled", "live", "public_key"]

    def save(self, commit=True):
        instance = super().save(commit=False)
        config.set_config_secrets(
            instance,
            private_key=self.cleaned_data.get("private_key", ""),
            secret_key=self.cleaned_data.get("secret_key", ""),
            webhook_secret=self.cleaned_data.get("webhook_secret", ""),
        )
        if commit:
            instance.save()
        config.clear_cache()
        return instance


@admin.register(ProviderConfig)
class ProviderConfigAdmin(PolicyAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    policy_permissions = FINANCE_ALL
    form = ProviderConfigForm
    audit_exclude = ("secrets_encrypted",)
    list_display = ["provider", "organization", "is_enabled", "live"]
    list_filter = ["provider", "is_enabled", "live"]


@admin.register(ProviderRoute)
class ProviderRouteAdmin(PolicyAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    policy_permissions = FINANCE_ALL
    list_display = ["method", "country", "provider", "organization", "priority"]
    list_filter = ["method", "provider"]


# --- suspense decisions and settlements (read-only: the finance pages and the import decide) ---


@admin.register(SuspenseDecision)
class SuspenseDecisionAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = FINANCE
    list_display = ["created_at", "action", "status", "amount", "currency", "requested_by", "approved_by"]
    list_filter = ["action", "status", "currency"]
    search_fields = ["public_id", "provider_reference", "payee_phone"]
    readonly_fields = [f.name for f in SuspenseDecision._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SettlementLineInline(ReadOnlyInline):
    model = SettlementLine
    fields = ["transaction_reference", "amount", "fees", "currency", "outcome", "attempt"]
    readonly_fields = fields


@admin.register(Settlement)
class SettlementAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = FINANCE
    list_display = [
        "created_at",
        "provider",
        "reference",
        "currency",
        "gross",
        "fees",
        "lines_count",
        "mismatches",
        "source",
    ]
    list_filter = ["provider", "source", "currency"]
    search_fields = ["reference", "filename"]
    readonly_fields = [f.name for f in Settlement._meta.fields]
    inlines = [SettlementLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
