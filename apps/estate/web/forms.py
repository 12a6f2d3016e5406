"""Forms of the manager pages. They only parse; the services decide (their DomainErrors
become form errors on the field they name)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.web.forms import amount_input, phone_input
from apps.identity import api as identity

from ..contracts import FirstPeriodRule, LateFeePolicy, PaymentMethod, UnitKind, UnitStatus
from ..models import FIRST_PERIOD_RULE_LABELS, LATE_FEE_LABELS, UNIT_KIND_LABELS, UNIT_STATUS_LABELS, Ticket

FIRST_PERIOD_CHOICES = [(r.value, FIRST_PERIOD_RULE_LABELS[r]) for r in FirstPeriodRule]

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # the HTML date input wants ISO
MONEY = amount_input()  # apps.core.web.forms: digit keypad, no autocomplete
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"})  # counts, days


class OrgChoiceMixin:
    def set_orgs(self, orgs):
        if "organization" in self.fields:
            self.fields["organization"].choices = [(str(i), n) for i, n in orgs]
            if len(orgs) == 1:
                self.fields["organization"].initial = str(orgs[0][0])
                self.fields["organization"].widget = forms.HiddenInput()


class PropertyForm(OrgChoiceMixin, forms.Form):
    organization = forms.ChoiceField(label=_("Managed by"))
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    name = forms.CharField(label=_("Name"), max_length=150)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    neighbourhood = forms.CharField(label=_("Neighbourhood"), max_length=100, required=False)
    city = forms.CharField(label=_("City"), max_length=100, initial="Cotonou")
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    photo = forms.ImageField(label=_("Photo"), required=False)


class UnitForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=60, help_text=_("e.g. B2, Boutique 1"))
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k.value, UNIT_KIND_LABELS[k]) for k in UnitKind])
    market_rent = forms.IntegerField(label=_("Market rent (FCFA)"), min_value=0, widget=MONEY)
    rooms = forms.IntegerField(label=_("Rooms"), min_value=0, initial=1, widget=NUMBER)
    surface_m2 = forms.IntegerField(label=_("Surface (m²)"), min_value=0, required=False, widget=NUMBER)
    furnished = forms.BooleanField(label=_("Furnished"), required=False)
    water_meter = forms.CharField(label=_("Water meter no."), max_length=40, required=False)
    electricity_meter = forms.CharField(label=_("Electricity meter no."), max_length=40, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, UNIT_STATUS_LABELS[s]) for s in UnitStatus],
        initial=UnitStatus.VACANT,
    )


class MandateForm(OrgChoiceMixin, forms.Form):
    organization = forms.ChoiceField(label=_("Agency"))
    owner = forms.ChoiceField(label=_("Owner"))
    commission_percent = forms.DecimalField(
        label=_("Commission (% of the rent collected)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "autocomplete": "off", "step": "0.01"}),
    )
    start_date = forms.DateField(label=_("Start"), widget=DATE)
    end_date = forms.DateField(label=_("End"), widget=DATE, required=False)
    payout_frequency = forms.ChoiceField(
        label=_("Payout frequency"), choices=[("monthly", _("monthly")), ("quarterly", _("quarterly"))]
    )


class LeaseUnitStep(forms.Form):
    """Step 1. `occupied` maps a unit's public id to why it cannot take a new lease (its
    open-ended active lease): refused here, not at the last step."""

    unit = forms.ChoiceField(label=_("Unit"))

    def __init__(self, *args, occupied: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.occupied = occupied or {}

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if unit in self.occupied:
            raise ValidationError(self.occupied[unit], code="occupied")
        return unit


def clean_phone(value: str, field: str) -> str:
    """A phone as people write it (« 97 00 00 01 », « +229 01 97 00 00 01 », « 0197000001 »)
    -> E.164, by identity's normalisation; refused at the step where it is typed."""
    try:
        return identity.normalize_phone(value, field=field)
    except identity.InvalidPhone as exc:
        raise ValidationError(str(exc.message), code="invalid_phone") from None


class LeaseTenantsStep(forms.Form):
    """Step 2: every error at once, each next to its field."""

    tenant_name = forms.CharField(
        label=_("Tenant's full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    tenant_phone = forms.CharField(
        label=_("Tenant's phone"),
        max_length=30,
        widget=phone_input(placeholder="01 97 00 00 01"),
        help_text=_("As you write it: 01 97 00 00 01, 97 00 00 01 or +229 01 97 00 00 01."),
    )
    cotenant_name = forms.CharField(
        label=_("Co-tenant's full name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    cotenant_phone = forms.CharField(
        label=_("Co-tenant's phone"), max_length=30, required=False, widget=phone_input()
    )

    def clean_tenant_name(self):
        name = " ".join(self.cleaned_data["tenant_name"].split())
        if len(name) < 2:
            raise ValidationError(_("Write the tenant's full name."), code="required")
        return name

    def clean_tenant_phone(self):
        return clean_phone(self.cleaned_data["tenant_phone"], "tenant_phone")

    def clean_cotenant_phone(self):
        value = self.cleaned_data.get("cotenant_phone", "")
        return clean_phone(value, "cotenant_phone") if value.strip() else ""

    def clean(self):
        data = super().clean()
        phone, cophone = data.get("tenant_phone"), data.get("cotenant_phone")
        if phone and cophone and phone == cophone:
            self.add_error("cotenant_phone", _("The co-tenant's phone is the tenant's: give another number."))
        if data.get("cotenant_name", "").strip() and not cophone and "cotenant_phone" not in self.errors:
            self.add_error("cotenant_phone", _("Give the co-tenant's phone, or leave their name empty."))
        return data


class LeaseTermsStep(forms.Form):
    start_date = forms.DateField(label=_("Start"), widget=DATE)
    end_date = forms.DateField(label=_("End (empty: open-ended)"), widget=DATE, required=False)
    rent = forms.IntegerField(label=_("Monthly rent (FCFA)"), min_value=1, widget=MONEY)
    charges = forms.IntegerField(label=_("Monthly charges (FCFA)"), initial=0, min_value=0, widget=MONEY)
    deposit_months = forms.IntegerField(
        label=_("Deposit (months of rent)"), initial=2, min_value=0, widget=NUMBER
    )
    advance_months = forms.IntegerField(
        label=_("Advance (months of rent)"), initial=0, min_value=0, max_value=12, widget=NUMBER
    )
    agency_fee = forms.IntegerField(label=_("Agency fee (FCFA)"), initial=0, min_value=0, widget=MONEY)
    due_day = forms.IntegerField(
        label=_("Due day of the month"), initial=5, min_value=1, max_value=28, widget=NUMBER
    )
    grace_days = forms.IntegerField(
        label=_("Grace days"), initial=5, min_value=0, max_value=60, widget=NUMBER
    )
    late_fee_policy = forms.ChoiceField(
        label=_("Late fee"),
        choices=[(p.value, LATE_FEE_LABELS[p]) for p in LateFeePolicy],
        initial=LateFeePolicy.NONE,
    )
    late_fee_value = forms.IntegerField(
        label=_("Late fee value"),
        initial=0,
        min_value=0,
        widget=NUMBER,
        help_text=_("FCFA, or basis points for a percentage (500 = 5 %)"),
    )
    late_fee_cap = forms.IntegerField(
        label=_("Late fee cap per month (FCFA, 0: none)"), initial=0, min_value=0, widget=MONEY
    )
    first_period_rule = forms.ChoiceField(
        label=_("First month, when the lease starts after the 1st"),
        choices=FIRST_PERIOD_CHOICES,
        initial=FirstPeriodRule.PRORATA,
        required=False,  # empty: the organization's rule (estate settings)
    )
    min_part_payment = forms.IntegerField(
        label=_("Smallest part payment on the pay link (FCFA)"),
        required=False,
        min_value=1,
        widget=MONEY,
        help_text=_("Empty: 10 % of the rent."),
    )
    signed_document = forms.FileField(label=_("Signed lease (PDF)"), required=False)

    def clean_signed_document(self):
        document = self.cleaned_data.get("signed_document")
        if document and not document.name.lower().endswith(".pdf"):
            raise forms.ValidationError(_("Send the signed lease as a PDF."))
        return document

    def clean(self):
        """The service's own checks that need two fields, here too, so that every error of the
        step shows at once (the service still decides: caps, overlaps)."""
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end comes after the start."))
        if (
            data.get("late_fee_policy") == LateFeePolicy.PERCENT
            and (data.get("late_fee_value") or 0) > 10_000
        ):
            self.add_error("late_fee_value", _("A percentage late fee is at most 100 %."))
        part, rent = data.get("min_part_payment"), data.get("rent")
        if part is not None and rent is not None and part > rent + (data.get("charges") or 0):
            self.add_error(
                "min_part_payment", _("The minimum part payment cannot exceed one month's rent and charges.")
            )
        return data


class PaymentForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount received (FCFA)"), widget=MONEY)
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[
            (PaymentMethod.CASH.value, _("cash")),
            (PaymentMethod.BANK_TRANSFER.value, _("bank transfer")),
        ],
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate)
    due = forms.ChoiceField(label=_("Pay first"), required=False)
    reference = forms.CharField(label=_("Reference (bank, receipt book)"), max_length=100, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)


class TermsForm(forms.Form):
    effective_from = forms.DateField(label=_("In force from (month)"), widget=DATE)
    rent = forms.IntegerField(label=_("New monthly rent (FCFA)"), widget=MONEY)
    charges = forms.IntegerField(label=_("New monthly charges (FCFA)"), widget=MONEY)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class EndLeaseForm(forms.Form):
    end_date = forms.DateField(label=_("Move-out date"), widget=DATE)


class NoticeForm(forms.Form):
    given_on = forms.DateField(label=_("Notice given on"), widget=DATE)
    end_date = forms.DateField(label=_("Planned end"), widget=DATE)
    by = forms.ChoiceField(
        label=_("Given by"), choices=[("tenant", _("the tenant")), ("landlord", _("the landlord"))]
    )


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("discount", _("discount")), ("charge", _("charge")), ("late_fee", _("late fee"))],
    )
    amount = forms.IntegerField(label=_("Amount (FCFA)"), widget=MONEY)
    label = forms.CharField(label=_("Label"), max_length=200, required=False)


class DueFilterForm(forms.Form):
    """The page's view of selectors.DueFilter (the one due filter set)."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    period = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Choose a month.")},
    )
    property = forms.ChoiceField(label=_("Property"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    lease = forms.UUIDField(required=False, widget=forms.HiddenInput)


class TicketForm(forms.Form):
    property = forms.ChoiceField(label=_("Property"))
    title = forms.CharField(label=_("Problem"), max_length=150)
    description = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Ticket.Priority.choices, initial=Ticket.Priority.NORMAL
    )
    photo = forms.ImageField(label=_("Photo"), required=False)


class TicketUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices, required=False)
    vendor_name = forms.CharField(label=_("Vendor"), max_length=150, required=False)
    vendor_phone = forms.CharField(
        label=_("Vendor phone"), max_length=20, required=False, widget=phone_input()
    )
    cost = forms.IntegerField(label=_("Cost charged to the owner (FCFA)"), required=False, widget=MONEY)


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    message = forms.CharField(label=_("Message"), max_length=600, widget=forms.Textarea(attrs={"rows": 4}))


class ExpenseForm(forms.Form):
    property = forms.ChoiceField(label=_("Property"))
    label = forms.CharField(label=_("Label"), max_length=200)
    amount = forms.IntegerField(label=_("Amount (FCFA)"), widget=MONEY)
    incurred_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)


class ImportForm(OrgChoiceMixin, forms.Form):
    organization = forms.ChoiceField(label=_("Organization"))
    file = forms.FileField(label=_("Spreadsheet (.csv or .xlsx)"))


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("move_in", _("move-in")), ("move_out", _("move-out"))]
    )
    inspected_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SignForm(forms.Form):
    name = forms.CharField(label=_("Your full name (signature)"), max_length=150)


class EstateSettingsForm(forms.Form):
    first_period_rule = forms.ChoiceField(
        label=_("First month of a lease starting after the 1st"),
        choices=FIRST_PERIOD_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("Copied onto each lease at signing: changing it never rewrites a signed lease."),
    )
