"""Forms of recovery's pages. They only parse; the services decide (a DomainError becomes a
form error on the field it names)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ..contracts import CallOutcome, LegalKind, LegalStatus, StepAction, VisitOutcome
from ..models import STEP_ACTION_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MONEY = forms.NumberInput(attrs={"inputmode": "numeric", "min": "1", "step": "1"})

VISIT_OUTCOME_LABELS = {
    VisitOutcome.PAID: _("paid (cash collected)"),
    VisitOutcome.PROMISE: _("promised a date"),
    VisitOutcome.ABSENT: _("nobody home"),
    VisitOutcome.REFUSED: _("refused to pay"),
    VisitOutcome.UNREACHABLE: _("could not reach the home"),
    VisitOutcome.MOVED_OUT: _("the tenant moved out"),
    VisitOutcome.OTHER: _("other"),
}
CALL_OUTCOME_LABELS = {
    CallOutcome.REACHED: _("reached"),
    CallOutcome.PROMISE: _("promised a date"),
    CallOutcome.NO_ANSWER: _("no answer"),
    CallOutcome.WRONG_NUMBER: _("wrong number"),
    CallOutcome.REFUSED: _("refused to pay"),
}
LEGAL_KIND_LABELS = {LegalKind.BAILIFF: _("bailiff (huissier)"), LegalKind.LAWYER: _("lawyer")}
LEGAL_STATUS_LABELS = {
    LegalStatus.REFERRED: _("file sent"),
    LegalStatus.IN_PROGRESS: _("proceedings started"),
    LegalStatus.JUDGMENT: _("judgment obtained"),
    LegalStatus.SETTLED: _("settled through the bailiff"),
    LegalStatus.CLOSED: _("dropped"),
}
PLAN_ROWS = 6


def idempotency_field() -> forms.CharField:
    return forms.CharField(widget=forms.HiddenInput, max_length=100)


def new_key() -> str:
    return uuid.uuid4().hex


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(
        label=_("Debt"),
        required=False,
        choices=[("", _("rent and loans")), ("rent", _("rent")), ("loan", _("loans"))],
    )
    collector = forms.ChoiceField(label=_("Collector"), required=False)
    property = forms.ChoiceField(label=_("Property"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-amount", _("largest debt first")),
            ("amount", _("smallest debt first")),
            ("-age", _("oldest debt first")),
            ("age", _("newest debt first")),
        ],
    )


class AssignForm(forms.Form):
    collector = forms.ChoiceField(label=_("Collector"), required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    next_action_on = forms.DateField(label=_("Next action on"), required=False, widget=DATE)


class PromiseForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount promised (FCFA)"), min_value=1, widget=MONEY)
    promised_on = forms.DateField(label=_("To be paid by"), widget=DATE)


class PlanForm(forms.Form):
    """Up to six installments; empty rows are ignored."""

    def __init__(self, *args, rows: int = PLAN_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for i in range(1, rows + 1):
            self.fields[f"date_{i}"] = forms.DateField(
                label=_("Installment %(n)d, date") % {"n": i}, required=False, widget=DATE
            )
            self.fields[f"amount_{i}"] = forms.IntegerField(
                label=_("amount (FCFA)"), required=False, min_value=1, widget=MONEY
            )

    def row_pairs(self):
        return [(self[f"date_{i}"], self[f"amount_{i}"]) for i in range(1, self.rows + 1)]

    def clean(self):
        data = super().clean()
        rows = []
        for i in range(1, self.rows + 1):
            d, a = data.get(f"date_{i}"), data.get(f"amount_{i}")
            if d is None and a is None:
                continue
            if d is None or a is None:
                raise forms.ValidationError(_("Give both the date and the amount of each installment."))
            rows.append((d, a))
        if len(rows) < 2:
            raise forms.ValidationError(_("A plan has at least 2 installments."))
        data["installments"] = rows
        return data


class NoticeForm(forms.Form):
    pay_within_days = forms.IntegerField(label=_("Days to pay"), min_value=1, max_value=60, initial=8)


class LegalForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hand over to"), choices=[(k.value, v) for k, v in LEGAL_KIND_LABELS.items()]
    )
    firm = forms.CharField(label=_("Firm or name"), max_length=150, required=False)
    contact = forms.CharField(label=_("Contact"), max_length=150, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class LegalUpdateForm(forms.Form):
    action = forms.UUIDField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"), choices=[(k.value, v) for k, v in LEGAL_STATUS_LABELS.items()]
    )
    reference = forms.CharField(label=_("Their reference"), max_length=60, required=False)
    cost = forms.IntegerField(label=_("Cost (FCFA)"), min_value=0, required=False, widget=MONEY)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Close as"),
        choices=[("settled", _("settled (arrangement outside Hokwe)")), ("written_off", _("written off"))],
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


# --- the ladder editor ------------------------------------------------------------------------


class LadderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    country = forms.CharField(label=_("Country (holidays, legal wording)"), max_length=2, min_length=2)
    quiet_start = forms.TimeField(label=_("Quiet hours from"), widget=TIME)
    quiet_end = forms.TimeField(label=_("Quiet hours until"), widget=TIME)
    skip_sundays = forms.BooleanField(label=_("No step on Sundays"), required=False)
    skip_holidays = forms.BooleanField(label=_("No step on public holidays"), required=False)


class StepForm(forms.Form):
    day_offset = forms.IntegerField(label=_("Day"), min_value=-60, max_value=730)
    action = forms.ChoiceField(
        label=_("Action"), choices=[(a.value, STEP_ACTION_LABELS[a]) for a in StepAction]
    )
    label = forms.CharField(label=_("Label"), max_length=100, required=False)
    pay_within_days = forms.IntegerField(label=_("Days to pay"), min_value=1, max_value=60, initial=8)
    min_amount = forms.IntegerField(label=_("From (FCFA)"), min_value=0, initial=0)


StepFormSet = forms.formset_factory(StepForm, extra=2, can_delete=True, max_num=40, absolute_max=40)


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    name = forms.CharField(label=_("Name"), max_length=100)


class HandoverForm(forms.Form):
    collector = forms.UUIDField(widget=forms.HiddenInput)
    declared = forms.IntegerField(label=_("Cash handed over (FCFA)"), min_value=1, widget=MONEY)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    idempotency_key = idempotency_field()


# --- the collector's pages ------------------------------------------------------------------------


class VisitForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[(k.value, v) for k, v in VISIT_OUTCOME_LABELS.items()]
    )
    latitude = forms.DecimalField(widget=forms.HiddenInput, max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(widget=forms.HiddenInput, max_digits=10, decimal_places=6, required=False)
    accuracy_m = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    idempotency_key = idempotency_field()


class CallForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[(k.value, v) for k, v in CALL_OUTCOME_LABELS.items()]
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    idempotency_key = idempotency_field()


class CashForm(forms.Form):
    amount = forms.IntegerField(label=_("Cash received (FCFA)"), min_value=1, widget=MONEY)
    latitude = forms.DecimalField(widget=forms.HiddenInput, max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(widget=forms.HiddenInput, max_digits=10, decimal_places=6, required=False)
    idempotency_key = idempotency_field()


# --- the debtor portal ------------------------------------------------------------------------------


class PayForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount to pay (FCFA)"), min_value=1, widget=MONEY)


class OtpForm(forms.Form):
    code = forms.CharField(
        label=_("Code received by SMS"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
