"""Admin of loan products (credit staff): French names, summaries and disclosures first (the
English ones optional), the terms, the fees, the eligibility. Saving runs the products'
validation (services/products.py): ranges, destinations, bands, and every allowed amount and
term's schedule and TEG against the country's usury ceiling; each refusal shows on its field.
The list shows each product's worst TEG and the ceiling. Products are never deleted (loans
keep them): one stops offering it (« offered » unticked)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.identity import api as identity

from ..models import LoanProduct
from ..services import products
from ..services.teg import ceiling_bps

FIELDSETS = (
    (None, {"fields": ("code", "name", "name_en", "summary", "summary_en", "active")}),
    (_("Who and where"), {"fields": ("borrower_kind", "destination", "country", "currency")}),
    (
        _("Amounts and term"),
        {"fields": ("min_amount", "max_amount", "min_term", "max_term", "frequency", "align_to_rent_date")},
    ),
    (_("Price"), {"fields": ("interest_method", "amortization", "annual_rate_bps", "grace_periods")}),
    (
        _("Fees"),
        {
            "fields": (
                "upfront_fee_bps",
                "upfront_fee_fixed",
                "late_fee_bps",
                "late_fee_fixed",
                "late_fee_after_days",
            )
        },
    ),
    (_("Repayments"), {"fields": ("allocation_order", "excess_rule", "prepayment_allowed")}),
    (
        _("Eligibility"),
        {
            "fields": (
                "min_score_band",
                "review_band",
                "min_tenure_months",
                "min_kyc_tier",
                "one_open_loan",
                "requires_guarantor",
                "pledge_bps",
            )
        },
    ),
    (_("Disclosures"), {"fields": ("disclosures", "disclosures_en")}),
)
FIELDS = [name for _title, options in FIELDSETS for name in options["fields"]]


class LoanProductForm(forms.ModelForm):
    class Meta:
        model = LoanProduct
        fields = FIELDS

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = self.instance
        for name, value in cleaned.items():
            setattr(candidate, name, value)
        for field, messages in products.problems(candidate).items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)
        return cleaned


@admin.register(LoanProduct)
class LoanProductAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {
        "view": "lending.admin.view",
        "change": "lending.product.change",
        "add": "lending.product.change",
    }
    form = LoanProductForm
    list_display = (
        "name",
        "code",
        "borrower_kind",
        "destination",
        "amounts_",
        "terms_",
        "annual_rate_bps",
        "ceiling_",
        "active",
    )
    list_filter = ("active", "borrower_kind", "destination", "country")
    search_fields = ("name", "name_en", "code")
    ordering = ("name",)
    fieldsets = FIELDSETS

    @admin.display(description=_("amounts"))
    def amounts_(self, obj):
        return f"{obj.min_amount:,} - {obj.max_amount:,} {obj.currency}".replace(",", " ")

    @admin.display(description=_("instalments"))
    def terms_(self, obj):
        return f"{obj.min_term} - {obj.max_term}"

    @admin.display(description=_("usury ceiling"))
    def ceiling_(self, obj):
        ceiling = ceiling_bps(obj.country)
        return "—" if ceiling is None else f"{ceiling / 100:.2f} %"

    def has_delete_permission(self, request, obj=None):
        return False
