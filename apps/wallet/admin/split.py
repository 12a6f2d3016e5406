"""Admin of HokweSplit (finance and compliance staff): plans with their schedule, read-only;
finance may settle a plan whose due date has come (the daily run's step, for one plan) or
retry its missed auto-debits now. Every page asks the policy (rules.py: wallet.split.view /
wallet.split.manage)."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.identity import api as identity

from ..models import SplitInstalment, SplitPlan
from ..services import split

VIEW = "wallet.split.view"
MANAGE = "wallet.split.manage"


class SplitInstalmentInline(admin.TabularInline):
    model = SplitInstalment
    fields = ("seq", "on", "amount_", "status", "paid_on", "attempts", "last_error", "intent")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("seq",)

    @admin.display(description=_("amount"))
    def amount_(self, obj):
        return format_amount(obj.amount, obj.plan.currency)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SplitPlan)
class SplitPlanAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": VIEW}
    list_display = (
        "public_id",
        "user",
        "target_",
        "saved_",
        "due_date",
        "frequency",
        "source",
        "status",
        "streak",
    )
    list_filter = ("status", "frequency", "source", "withdrawal_rule", "due_date")
    search_fields = ("public_id", "due", "lease", "user__phone", "user__full_name")
    date_hierarchy = "due_date"
    ordering = ("-created_at",)
    list_select_related = ("user",)
    inlines = [SplitInstalmentInline]
    actions = ["settle_now", "retry_missed"]
    readonly_fields = (
        "public_id",
        "user",
        "wallet",
        "lease",
        "due",
        "due_date",
        "target",
        "currency",
        "frequency",
        "source",
        "withdrawal_rule",
        "withdrawal_fee_bps",
        "vault",
        "status",
        "streak",
        "best_streak",
        "shortfall_alerted_on",
        "rent_intent",
        "closed_at",
        "closed_reason",
        "created_at",
    )
    fields = readonly_fields

    @admin.display(description=_("target"), ordering="target")
    def target_(self, obj):
        return format_amount(obj.target, obj.currency)

    @admin.display(description=_("saved"))
    def saved_(self, obj):
        return format_amount(split.vault_balance(obj), obj.currency)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_manage_permission(self, request):
        return identity.can(request.user, MANAGE)

    @admin.action(
        description=_("Settle now (due date reached: the vault pays the due)"), permissions=["manage"]
    )
    def settle_now(self, request, queryset):
        today = timezone.localdate()
        done = skipped = 0
        for plan in queryset:
            if plan.due_date > today:
                skipped += 1
                continue
            try:
                split.plan_settle(plan=plan, today=today)
                done += 1
            except DomainError as refused:
                self.message_user(request, f"{plan.public_id}: {refused.message}", messages.ERROR)
        self.message_user(
            request, _("%(done)d settled, %(skipped)d not yet due.") % {"done": done, "skipped": skipped}
        )

    @admin.action(description=_("Retry the missed auto-debits now"), permissions=["manage"])
    def retry_missed(self, request, queryset):
        today = timezone.localdate()
        taken = missed = 0
        rows = SplitInstalment.objects.filter(
            plan__in=queryset, plan__source=SplitPlan.Source.WALLET, status=SplitInstalment.Status.MISSED
        )
        for row in rows:
            if split.instalment_collect(instalment=row, today=today):
                taken += 1
            else:
                missed += 1
        self.message_user(
            request, _("%(taken)d taken, %(missed)d still missed.") % {"taken": taken, "missed": missed}
        )
