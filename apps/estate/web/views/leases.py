"""Leases: list, the new-lease wizard, the lease page and its actions, documents, inspections."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.core.templatetags.dates import day
from apps.core.web.confirm import Confirmation, confirm_flow

from ... import documents, domain, selectors, services
from ...contracts import LeaseStatus
from ...models import METHOD_LABELS
from ...services.dues import move_in_invoice
from ...services.leases import settings_for
from .. import forms as f
from .common import _error, _lang, _pdf, _tenant_names, page, raise_form
from .inspections import inspection_detail, inspection_new  # noqa: F401  (the inspection pages)


@page
@require_GET
def lease_list(request):
    status = request.GET.get("status") or LeaseStatus.ACTIVE
    qs = (
        selectors.leases_for(request.user)
        .prefetch_related("lease_tenants__user")
        .order_by("unit__property__name", "unit__label")
    )
    if status != "all":
        qs = qs.filter(status=status)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(
            Q(reference__icontains=q)
            | Q(unit__label__icontains=q)
            | Q(unit__property__name__icontains=q)
            | Q(lease_tenants__user__full_name__icontains=q)
            | Q(lease_tenants__user__phone__icontains=q)
        ).distinct()
    paginator = Paginator(qs, 50)
    page_obj = paginator.get_page(request.GET.get("page"))
    rows = [
        (lease, format_amount(lease.rent + lease.charges, lease.currency, _lang(request)))
        for lease in page_obj
    ]
    return render(
        request, "estate/lease_list.html", {"rows": rows, "page": page_obj, "status": status, "q": q}
    )


WIZARD = "estate_lease_wizard"
# GET parameters the wizard takes as initial values next to `unit` (market's lease pre-fill)
PREFILL_KEYS = (
    "tenant_name",
    "tenant_phone",
    "rent",
    "charges",
    "deposit_months",
    "advance_months",
    "agency_fee",
    "start_date",
)


def _occupied_units(actor, units) -> dict[str, str]:
    """The units a new lease cannot take (an active lease without an end date), with what to
    tell the manager at step 1 of the wizard."""
    busy = (
        selectors.leases_for(actor)
        .filter(status=LeaseStatus.ACTIVE, end_date__isnull=True, unit__in=units)
        .select_related("unit")
        .prefetch_related("lease_tenants__user")
    )
    return {
        str(lease.unit.public_id): _(
            "This unit is occupied: lease %(reference)s of %(tenants)s has no end date. "
            "End that lease first, or choose another unit."
        )
        % {
            "reference": lease.reference,
            "tenants": ", ".join(t.user.full_name or str(t.user.phone) for t in lease.lease_tenants.all()),
        }
        for lease in busy
    }


def _free_from(actor, units) -> dict[str, date]:
    """The units whose active lease has an end date: a new lease may start the day after."""
    ending = selectors.leases_for(actor).filter(
        status=LeaseStatus.ACTIVE, end_date__isnull=False, unit__in=units
    )
    free: dict[str, date] = {}
    for public_id, end in ending.values_list("unit__public_id", "end_date"):
        free[str(public_id)] = max(free.get(str(public_id), end), end) + timedelta(days=1)
    return free


@page
@require_http_methods(["GET", "POST"])
def lease_new(request):
    """The new-lease wizard: 1. the unit, 2. the tenants, 3. the terms (then signature)."""
    units = selectors.units_for(request.user).order_by("property__name", "label")
    state = request.session.get(WIZARD, {})
    step = request.POST.get("step") or request.GET.get("step") or "unit"
    occupied = _occupied_units(request.user, units)
    if request.GET.get("unit"):
        if request.GET["unit"] in occupied:  # straight from a unit's page: refused at step 1 too
            step = "unit"
            state = {}
        else:
            state = {"unit": request.GET["unit"]}
            # initial values from the link (market's accepted application): shown, not trusted
            prefill = {k: request.GET[k][:150] for k in PREFILL_KEYS if request.GET.get(k)}
            if prefill:
                state["prefill"] = prefill
            request.session[WIZARD] = state
            step = "tenants"
    if step == "unit":
        data = request.POST or ({"unit": request.GET["unit"]} if request.GET.get("unit") else None)
        form = f.LeaseUnitStep(data, initial={"unit": state.get("unit")}, occupied=occupied)
        free = _free_from(request.user, units)
        form.fields["unit"].choices = [
            (
                str(u.public_id),
                f"{u.property.name} · {u.label} ({u.get_status_display()})"
                + (
                    " — " + _("free from %(date)s") % {"date": day(free[str(u.public_id)])}
                    if str(u.public_id) in free
                    else ""
                ),
            )
            for u in units
        ]
        if request.method == "POST" and form.is_valid():
            request.session[WIZARD] = {"unit": form.cleaned_data["unit"]}
            return redirect(f"{reverse('manager:estate-lease-new')}?step=tenants")
    elif step == "tenants":
        if "unit" not in state:
            return redirect("manager:estate-lease-new")
        form = f.LeaseTenantsStep(
            request.POST or None,
            initial=state.get("tenants")
            or {k: v for k, v in state.get("prefill", {}).items() if k in ("tenant_name", "tenant_phone")},
        )
        if request.method == "POST" and form.is_valid():
            state["tenants"] = form.cleaned_data
            request.session[WIZARD] = state
            return redirect(f"{reverse('manager:estate-lease-new')}?step=terms")
    else:
        if "tenants" not in state:
            return redirect("manager:estate-lease-new")
        unit = selectors.unit_get(request.user, state["unit"])
        free = _free_from(request.user, [unit]).get(str(unit.public_id))
        initial = {
            "rent": unit.market_rent,
            # the day the unit is free when its current lease ends later than this month's 1st
            "start_date": max(domain.month_start(timezone.localdate()), free or date.min),
            "first_period_rule": settings_for(unit.organization_id).first_period_rule,
        }
        initial.update(
            {k: v for k, v in state.get("prefill", {}).items() if k not in ("tenant_name", "tenant_phone")}
        )
        form = f.LeaseTermsStep(request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            tenants = [
                services.TenantInput(
                    phone=state["tenants"]["tenant_phone"], full_name=state["tenants"]["tenant_name"]
                )
            ]
            if state["tenants"].get("cotenant_phone"):
                tenants.append(
                    services.TenantInput(
                        phone=state["tenants"]["cotenant_phone"],
                        full_name=state["tenants"].get("cotenant_name", ""),
                    )
                )
            try:
                lease = services.lease_create(actor=request.user, unit=unit, tenants=tenants, **data)
                request.session.pop(WIZARD, None)
                messages.success(request, _("Lease %(ref)s signed.") % {"ref": lease.reference})
                return redirect("manager:estate-lease", lease.public_id)
            except DomainError as exc:
                if (exc.field or "").startswith("tenants"):
                    messages.error(request, str(exc.message))
                _error(form, exc)
    unit_obj = None
    if state.get("unit") and step != "unit":
        unit_obj = selectors.unit_get(request.user, state["unit"])
    return render(
        request,
        "estate/lease_wizard.html",
        {"form": form, "step": step, "steps": ["unit", "tenants", "terms"], "unit": unit_obj, "state": state},
    )


@page
@require_GET
def lease_detail(request, lease_id):
    lease = selectors.lease_get(request.user, lease_id)
    dues = list(lease.dues.select_related("quittance").order_by("-period"))
    payments = list(lease.payments.order_by("-received_on", "-id")[:20])
    m = lambda amount: format_amount(amount, lease.currency, _lang(request))  # noqa: E731
    pay_form = f.PaymentForm(
        initial={"idempotency_key": uuid.uuid4().hex, "received_on": timezone.localdate()}
    )
    pay_form.fields["due"].choices = [("", _("the oldest dues"))] + [
        (str(d.public_id), f"{_due_label(d, _lang(request))} — {m(d.outstanding)}")
        for d in reversed(dues)
        if d.status in ("upcoming", "due", "partially_paid", "overdue")
    ]
    invoice = move_in_invoice(lease)
    move_in = None
    if invoice:
        open_ones = [d for d in invoice if d.status in ("upcoming", "due", "partially_paid", "overdue")]
        first_open = min(open_ones, key=lambda d: (d.due_date, d.pk)) if open_ones else None
        move_in = {
            "rows": [
                (d, _move_in_label(d, _lang(request)), m(d.total), m(d.paid), m(d.outstanding))
                for d in invoice
            ],
            "total": m(sum(d.total for d in invoice)),
            "left": m(sum(d.outstanding for d in open_ones)),
            "pay_url": reverse("estate:pay-due", args=[first_open.pay_token]) if first_open else "",
        }
    return render(
        request,
        "estate/lease_detail.html",
        {
            "move_in": move_in,
            "lease": lease,
            "tenants": [t.user for t in lease.lease_tenants.all()],
            "dues": [
                (d, _due_label(d, _lang(request)), m(d.total), m(d.paid), m(d.outstanding)) for d in dues
            ],
            "payments": [(p, m(p.amount), METHOD_LABELS.get(p.method, p.method)) for p in payments],
            "rent": m(lease.rent),
            "charges": m(lease.charges),
            "deposit": m(lease.deposit_amount),
            "deposit_paid": m(lease.deposit_paid),
            "credit": m(lease.credit),
            "pay_form": pay_form,
            # Three forms on one page: each its own ids, so every label points at its own field.
            # No end date given: ending a lease is a choice, then a confirmation.
            "terms_form": f.TermsForm(
                initial={"rent": lease.rent, "charges": lease.charges}, auto_id="terms_%s"
            ),
            "end_form": f.EndLeaseForm(auto_id="end_%s"),
            "notice_form": f.NoticeForm(initial={"given_on": timezone.localdate()}, auto_id="notice_%s"),
            "terms": list(lease.terms.order_by("-effective_from")),
            "inspections": list(lease.inspections.all()),
        },
    )


def _due_label(due, language: str) -> str:
    label = services.period_label(due.period, language)
    if due.kind == "deposit":
        return _("Deposit")
    if due.kind == "fee":
        return _("Agency fee")
    if due.kind == "opening":
        return _("Opening balance (%(period)s)") % {"period": label}
    return label


def _move_in_label(due, language: str) -> str:
    if due.kind == "deposit":
        return _("Deposit")
    if due.kind == "fee":
        return _("Agency fee")
    label = services.period_label(due.period, language)
    if due.rent != due.lease.rent and due.period == domain.month_start(due.lease.start_date):
        return _("Rent %(period)s (pro rata)") % {"period": label}
    return _("Rent %(period)s") % {"period": label}


@page
@require_POST
def payment_new(request, lease_id):
    lease = selectors.lease_get(request.user, lease_id)
    form = f.PaymentForm(request.POST)
    form.fields["due"].choices = [("", "")] + [(str(d.public_id), "") for d in lease.dues.all()]
    if form.is_valid():
        data = form.cleaned_data
        due = lease.dues.filter(public_id=data["due"]).first() if data["due"] else None
        try:
            payment = services.payment_record(
                actor=request.user,
                lease=lease,
                amount=data["amount"],
                method=data["method"],
                received_on=data["received_on"],
                due=due,
                reference=data["reference"],
                idempotency_key=f"page:{request.user.pk}:{data['idempotency_key']}"
                if data["idempotency_key"]
                else None,
            )
            text = _("Payment of %(amount)s recorded (receipt %(number)s).") % {
                "amount": format_amount(payment.amount, payment.currency, _lang(request)),
                "number": payment.receipt_number or "—",
            }
            if payment.to_credit:
                text += " " + _("%(credit)s kept as tenant credit.") % {
                    "credit": format_amount(payment.to_credit, payment.currency, _lang(request))
                }
            messages.success(request, text)
        except DomainError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(
            request,
            " ".join(
                f"{form.fields[name].label if name in form.fields else ''} : {e}"
                for name, errs in form.errors.items()
                for e in errs
            ),
        )
    return redirect("manager:estate-lease", lease.public_id)


@page
@require_POST
def lease_action(request, lease_id, action):
    lease = selectors.lease_get(request.user, lease_id)
    try:
        if action == "terms":
            form = f.TermsForm(request.POST)
            if not form.is_valid():
                raise_form(form)
            services.lease_change_terms(actor=request.user, lease=lease, **form.cleaned_data)
            messages.success(request, _("New terms saved."))
        elif action == "end":
            form = f.EndLeaseForm(request.POST)
            if not form.is_valid():
                raise_form(form)
            return _lease_end_confirm(request, lease, form.cleaned_data["end_date"])
        elif action == "notice":
            form = f.NoticeForm(request.POST)
            if not form.is_valid():
                raise_form(form)
            services.lease_give_notice(actor=request.user, lease=lease, **form.cleaned_data)
            messages.success(request, _("Notice recorded."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("manager:estate-lease", lease.public_id)


OPEN_DUE_STATUSES = ("upcoming", "due", "partially_paid", "overdue")


def _lease_end_confirm(request, lease, end_date):
    """Ending a lease asks first: the date, the deposit held (due back to the tenant, less the
    move-out deductions), what the tenant still owes up to that month, the later months' dues
    that will be cancelled. Then services.lease_end."""
    lang = _lang(request)
    m = lambda amount: format_amount(amount, lease.currency, lang)  # noqa: E731
    last_month = domain.month_start(end_date)
    open_dues = [d for d in lease.dues.all() if d.status in OPEN_DUE_STATUSES]
    owed = sum(d.outstanding for d in open_dues if d.period <= last_month)
    cancelled = [d for d in open_dues if d.period > last_month]
    lease_url = reverse("manager:estate-lease", args=[lease.public_id])
    facts = [
        (_("Move-out date"), day(end_date)),
        (_("Deposit to give back"), m(lease.deposit_paid)),
        (_("Still owed by the tenant"), m(owed)),
    ]
    if lease.credit:
        facts.append((_("Tenant credit"), m(lease.credit)))
    if cancelled:
        facts.append((_("Later dues cancelled"), str(len(cancelled))))
    confirmation = Confirmation(
        title=_("End the lease %(reference)s") % {"reference": lease.reference},
        question=_("End the lease of %(tenants)s on %(date)s?")
        % {"tenants": _tenant_names(lease) or lease.reference, "date": day(end_date)},
        facts=facts,
        warning=_("The unit becomes vacant and the lease can no longer be changed."),
        hidden={"end_date": end_date.isoformat()},
        action_url=reverse("manager:estate-lease-action", args=[lease.public_id, "end"]),
        cancel_url=lease_url,
        button=_("End the lease"),
        base_template="estate/_page.html",
    )

    def perform(*, challenge, code):
        services.lease_end(actor=request.user, lease=lease, end_date=end_date)
        messages.success(request, _("Lease ended."))
        return redirect(lease_url)

    return confirm_flow(request, confirmation, key=f"estate.lease.end:{lease.public_id}", perform=perform)


@page
@require_GET
def lease_pdf(request, lease_id):
    lease = selectors.lease_get(request.user, lease_id)
    if lease.signed_document and request.GET.get("signed"):
        return _pdf(lease.signed_document.read(), f"{lease.reference}-signe.pdf")
    return _pdf(documents.lease_pdf(lease, language=_lang(request)), f"{lease.reference}.pdf")
