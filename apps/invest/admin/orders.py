"""Admin of the orders: read-only (their money fields come only from the partner's fills and
the settlement), with the repair actions, each after a confirmation page:

- « Ask the partner again »: services.orders.refresh_order for each selected open order (the
  partner's status call applied; a partner that does not know a sent order gets it again);
- « Send again »: services.orders.send_order for each selected created or sent order
  (idempotent at the partner: the order's public id is its key);
- « Settle now »: the selected orders whose settlement date has come (final, executed, not
  settled) settled now (services.orders.settle_due on them only)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.money import format_amount

from ..models import Execution, Order
from ..services import orders
from .common import ReadOnlyInline, StaffAdmin, confirmed


class ExecutionInline(ReadOnlyInline):
    model = Execution
    fields = ("execution_id", "executed_at", "quantity", "price", "amount", "fees", "settle_on")
    ordering = ("executed_at", "id")


def _due(today):
    return Q(status__in=Order.FINAL, settled_at__isnull=True, executed_quantity__gt=0, settle_on__lte=today)


@admin.register(Order)
class OrderAdmin(StaffAdmin):
    list_display = (
        "public_id",
        "user",
        "product",
        "side",
        "amount_",
        "quantity",
        "status",
        "partner_ref",
        "nav_date",
        "cash_",
        "settle_on",
        "settled_at",
        "created_at",
    )
    list_filter = ("status", "side", "product")
    search_fields = ("public_id", "partner_ref", "user__phone")
    list_select_related = ("user", "product", "product__partner")
    ordering = ("-created_at", "-id")
    date_hierarchy = "created_at"
    inlines = (ExecutionInline,)
    actions = ["ask_again", "send_again", "settle_now"]
    readonly_fields = [f.name for f in Order._meta.fields if f.name != "id"]

    @admin.display(description=_("amount"), ordering="amount")
    def amount_(self, obj):
        return format_amount(obj.amount, obj.currency) if obj.amount is not None else "—"

    @admin.display(description=_("net cash"), ordering="cash")
    def cash_(self, obj):
        return format_amount(obj.cash, obj.currency)

    def _done(self, request, rows, skipped: int):
        counts: dict[str, int] = {}
        for row in rows:
            label = str(row.get_status_display())
            counts[label] = counts.get(label, 0) + 1
        summary = ", ".join(f"{label}: {n}" for label, n in sorted(counts.items())) or "—"
        self.message_user(
            request,
            _("%(done)d order(s) handled (%(summary)s); %(skipped)d skipped.")
            % {"done": len(rows), "summary": summary, "skipped": skipped},
            messages.SUCCESS if rows else messages.WARNING,
        )

    @admin.action(description=_("Ask the partner again (open orders)"), permissions=["manage"])
    def ask_again(self, request, queryset):
        answer = confirmed(
            self,
            request,
            queryset,
            action="ask_again",
            title=_("Ask the partner about these orders again?"),
            warning=_(
                "The partner's status of each open order is fetched and applied (its fills, its "
                "status); an order the partner does not know is sent again. Final orders are skipped."
            ),
        )
        if answer is not True:
            return answer
        rows, skipped = [], 0
        for order in queryset.select_related(None):
            if order.status not in Order.OPEN:
                skipped += 1
                continue
            rows.append(orders.refresh_order(order))
        self._done(request, rows, skipped)

    @admin.action(description=_("Send again (created or sent orders)"), permissions=["manage"])
    def send_again(self, request, queryset):
        answer = confirmed(
            self,
            request,
            queryset,
            action="send_again",
            title=_("Send these orders to the partner again?"),
            warning=_(
                "Each created or sent order is submitted again with its own key: the partner "
                "recognises an order it already has, never doubles it. Other orders are skipped."
            ),
        )
        if answer is not True:
            return answer
        rows, skipped = [], 0
        for order in queryset.select_related(None):
            if order.status not in (Order.Status.CREATED, Order.Status.SENT):
                skipped += 1
                continue
            rows.append(orders.send_order(order))
        self._done(request, rows, skipped)

    @admin.action(description=_("Settle now (settlement date reached)"), permissions=["manage"])
    def settle_now(self, request, queryset):
        answer = confirmed(
            self,
            request,
            queryset,
            action="settle_now",
            title=_("Settle these orders now?"),
            warning=_(
                "The settlement run moves the cash of the executed orders whose settlement date has "
                "come: the hold is posted, or the proceeds are credited to the wallet. Orders not due "
                "yet, not executed or already settled are skipped."
            ),
        )
        if answer is not True:
            return answer
        today = timezone.localdate()
        due = list(queryset.filter(_due(today)).values_list("pk", flat=True))
        if due:
            orders.settle_due(today=today, ids=due)
        settled = Order.objects.filter(pk__in=due, settled_at__isnull=False).count()
        self.message_user(
            request,
            _("%(settled)d order(s) settled; %(skipped)d not due, not executed or already settled.")
            % {"settled": settled, "skipped": queryset.count() - settled},
            messages.SUCCESS if settled else messages.WARNING,
        )
