"""The property managers' web app (/manager/estate/…): server-rendered, French by default,
usable on a phone; htmx (from npm, static/vendor/) for the small interactions.

Views parse with a form, call a service, render. Every object is loaded through a
selector scoped to the user: another organization's object is a 404."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError, NotFound
from apps.core.money import Money
from apps.identity import api as identity

from .. import documents, domain, selectors, services
from ..contracts import DueStatus, LeaseStatus
from ..models import DUE_STATUS_LABELS, METHOD_LABELS, Lease, OwnerStatement, Ticket
from . import forms as f


def page(view):
    """Logged-in users only; a DomainError NotFound becomes the 404 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


def _lang(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "fr") or "fr"


def _money(request, amount: int, currency: str = "XOF") -> str:
    return Money(int(amount or 0), currency).format(_lang(request))


def _orgs(request, roles=None) -> list[tuple[int, str]]:
    ids = sorted(identity.organization_ids_of(request.user, roles))
    return [(i, identity.get_organization(id=i).name) for i in ids]


def _error(form, exc: DomainError) -> None:
    field = (exc.field or "").split(".")[0]
    form.add_error(field if field in form.fields else None, str(exc.message))


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- dashboard ---------------------------------------------------------------------------------


SHORT_MONTHS = {
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def _bars(series: list[dict], width: int = 560, height: int = 180, language: str = "fr") -> dict:
    top = max([max(s["expected"], s["collected"]) for s in series] + [1])
    slot = width / max(len(series), 1)
    bars = []
    for index, s in enumerate(series):
        x = index * slot + slot * 0.12
        bar = slot * 0.36
        he = round(s["expected"] * (height - 38) / top, 1)
        hc = round(s["collected"] * (height - 38) / top, 1)
        rate = round(s["collected"] * 100 / s["expected"]) if s["expected"] else 0
        bars.append(
            {
                "x1": round(x, 1),
                "x2": round(x + bar, 1),
                "w": round(bar, 1),
                "ye": round(height - 20 - he, 1),
                "he": he,
                "yc": round(height - 20 - hc, 1),
                "hc": hc,
                "label": SHORT_MONTHS["en" if language.startswith("en") else "fr"][s["period"].month - 1],
                "lx": round(x + bar, 1),
                "rate": rate,
            }
        )
    return {"bars": bars, "width": width, "height": height}


def _donut(percent: int) -> dict:
    circumference = 2 * 3.14159 * 40
    return {
        "dash": round(circumference * percent / 100, 1),
        "gap": round(circumference, 1),
        "percent": percent,
    }


@page
@require_GET
def dashboard(request):
    if not selectors.manages_any(request.user):
        if selectors.owner_ids(request.user):
            return redirect("manager:estate-owner-portal")
        return render(request, "manager/home.html", {})  # tenants and newcomers: the welcome page
    data = selectors.dashboard(request.user)
    m = lambda amount: _money(request, amount)  # noqa: E731
    return render(
        request,
        "estate/dashboard.html",
        {
            "d": data,
            "period": services.period_label(data["period"], _lang(request)),
            "expected": m(data["expected"]),
            "collected": m(data["collected"]),
            "arrears": m(data["arrears"]),
            "chart": _bars(data["series"], language=_lang(request)),
            "rate_donut": _donut(data["rate"]),
            "occupancy_donut": _donut(data["occupancy"]),
            "recent": [(p, m(p.amount)) for p in data["recent"]],
            "worst": [(d, m(d.left)) for d in data["worst"]],
            "today": timezone.localdate(),
        },
    )


# --- properties and units ------------------------------------------------------------------------


@page
@require_GET
def property_list(request):
    q = (request.GET.get("q") or "").strip()
    qs = selectors.properties_for(request.user).prefetch_related("units").order_by("name")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(neighbourhood__icontains=q) | Q(city__icontains=q))
    rows = []
    for prop in qs[:300]:
        units = list(prop.units.all())
        rows.append((prop, len(units), sum(1 for u in units if u.status == "occupied")))
    return render(request, "estate/property_list.html", {"rows": rows, "q": q})


def _owner_choices(request, orgs):
    ids = [i for i, _n in orgs]
    mandates = selectors.mandates_for(request.user).filter(agency_id__in=ids, end_date__isnull=True)
    choices = [("", _("the organization itself"))]
    seen = set()
    for mandate in mandates:
        if mandate.owner_id not in seen:
            seen.add(mandate.owner_id)
            choices.append((str(mandate.owner_id), mandate.owner.name))
    return choices


@page
@require_http_methods(["GET", "POST"])
def property_new(request):
    orgs = _orgs(request, identity.MANAGE_ROLES)
    if not orgs:
        raise Http404
    form = f.PropertyForm(request.POST or None, request.FILES or None)
    form.set_orgs(orgs)
    form.fields["owner"].choices = _owner_choices(request, orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            prop = services.property_create(
                actor=request.user,
                organization_id=int(data["organization"]),
                owner_id=int(data["owner"]) if data["owner"] else None,
                name=data["name"],
                city=data["city"],
                address=data["address"],
                neighbourhood=data["neighbourhood"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                description=data["description"],
            )
            if data.get("photo"):
                services.property_photo_add(actor=request.user, property=prop, image=data["photo"])
            messages.success(request, _("Property created."))
            return redirect("manager:estate-property", prop.public_id)
        except DomainError as exc:
            _error(form, exc)
    return render(request, "estate/form.html", {"form": form, "title": _("New property"), "multipart": True})


@page
@require_GET
def property_detail(request, property_id):
    prop = selectors.property_get(request.user, property_id)
    units = list(prop.units.order_by("label"))
    leases = list(
        Lease.objects.filter(unit__property=prop, status=LeaseStatus.ACTIVE)
        .select_related("unit")
        .prefetch_related("lease_tenants__user")
    )
    by_unit = {lease.unit_id: lease for lease in leases}
    return render(
        request,
        "estate/property_detail.html",
        {
            "prop": prop,
            "units": [(u, by_unit.get(u.pk), _money(request, u.market_rent, u.currency)) for u in units],
            "photos": list(prop.photos.all()[:6]),
            "tickets": list(
                prop.tickets.exclude(status__in=["closed", "canceled"]).order_by("-created_at")[:10]
            ),
            "announce_form": f.AnnouncementForm(),
        },
    )


@page
@require_http_methods(["GET", "POST"])
def unit_new(request, property_id):
    prop = selectors.property_get(request.user, property_id)
    form = f.UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            unit = services.unit_create(actor=request.user, property=prop, **data)
            messages.success(request, _("Unit %(label)s created.") % {"label": unit.label})
            return redirect("manager:estate-property", prop.public_id)
        except DomainError as exc:
            _error(form, exc)
    return render(
        request, "estate/form.html", {"form": form, "title": _("New unit in %(name)s") % {"name": prop.name}}
    )


@page
@require_POST
def announce(request, property_id):
    prop = selectors.property_get(request.user, property_id)
    form = f.AnnouncementForm(request.POST)
    if form.is_valid():
        try:
            sent = services.announcement_send(actor=request.user, property=prop, **form.cleaned_data)
            messages.success(request, _("Announcement sent to %(n)s tenant(s).") % {"n": sent.recipients})
        except DomainError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("Write a title and a message."))
    return redirect("manager:estate-property", prop.public_id)


# --- mandates ---------------------------------------------------------------------------------


@page
@require_http_methods(["GET", "POST"])
def mandates(request):
    orgs = _orgs(request, identity.MANAGE_ROLES)
    form = f.MandateForm(request.POST or None)
    form.set_orgs(orgs)
    form.fields["owner"].choices = [(str(i), n) for i, n in _owner_orgs(request)]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.mandate_create(
                actor=request.user,
                agency_id=int(data["organization"]),
                owner_id=int(data["owner"]),
                commission_bps=int(data["commission_percent"] * 100),
                start_date=data["start_date"],
                end_date=data["end_date"],
                payout_frequency=data["payout_frequency"],
            )
            messages.success(request, _("Mandate created."))
            return redirect("manager:estate-mandates")
        except DomainError as exc:
            _error(form, exc)
    rows = selectors.mandates_for(request.user).order_by("owner__name")
    return render(request, "estate/mandates.html", {"rows": rows, "form": form})


def _owner_orgs(request) -> list[tuple[int, str]]:
    """Owner organizations the user belongs to: an owner invites its agency's manager into
    its organization (identity), then the agency can sign the mandate. Never a list of
    every owner on Hokwe."""
    found = []
    for membership in identity.memberships_of(request.user):
        org = identity.get_organization(id=membership.organization_id)
        if org.kind == "owner":
            found.append((org.id, org.name))
    return sorted(found, key=lambda item: item[1])


# --- leases ------------------------------------------------------------------------------------


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
    rows = [(lease, _money(request, lease.rent + lease.charges, lease.currency)) for lease in page_obj]
    return render(
        request, "estate/lease_list.html", {"rows": rows, "page": page_obj, "status": status, "q": q}
    )


WIZARD = "estate_lease_wizard"


@page
@require_http_methods(["GET", "POST"])
def lease_new(request):
    """The new-lease wizard: 1. the unit, 2. the tenants, 3. the terms (then signature)."""
    units = selectors.units_for(request.user).order_by("property__name", "label")
    state = request.session.get(WIZARD, {})
    step = request.POST.get("step") or request.GET.get("step") or "unit"
    if request.GET.get("unit"):
        state = {"unit": request.GET["unit"]}
        request.session[WIZARD] = state
        step = "tenants"
    if step == "unit":
        form = f.LeaseUnitStep(request.POST or None, initial={"unit": state.get("unit")})
        form.fields["unit"].choices = [
            (str(u.public_id), f"{u.property.name} · {u.label} ({u.get_status_display()})") for u in units
        ]
        if request.method == "POST" and form.is_valid():
            request.session[WIZARD] = {"unit": form.cleaned_data["unit"]}
            return redirect(f"{reverse('manager:estate-lease-new')}?step=tenants")
    elif step == "tenants":
        if "unit" not in state:
            return redirect("manager:estate-lease-new")
        form = f.LeaseTenantsStep(request.POST or None, initial=state.get("tenants"))
        if request.method == "POST" and form.is_valid():
            state["tenants"] = form.cleaned_data
            request.session[WIZARD] = state
            return redirect(f"{reverse('manager:estate-lease-new')}?step=terms")
    else:
        if "tenants" not in state:
            return redirect("manager:estate-lease-new")
        unit = selectors.unit_get(request.user, state["unit"])
        initial = {"rent": unit.market_rent, "start_date": domain.month_start(timezone.localdate())}
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
    m = lambda amount: _money(request, amount, lease.currency)  # noqa: E731
    pay_form = f.PaymentForm(
        initial={"idempotency_key": uuid.uuid4().hex, "received_on": timezone.localdate()}
    )
    pay_form.fields["due"].choices = [("", _("the oldest dues"))] + [
        (str(d.public_id), f"{services.period_label(d.period, _lang(request))} — {m(d.outstanding)}")
        for d in reversed(dues)
        if d.status in ("upcoming", "due", "partially_paid", "overdue")
    ]
    return render(
        request,
        "estate/lease_detail.html",
        {
            "lease": lease,
            "tenants": [t.user for t in lease.lease_tenants.all()],
            "dues": [
                (d, services.period_label(d.period, _lang(request)), m(d.total), m(d.paid), m(d.outstanding))
                for d in dues
            ],
            "payments": [(p, m(p.amount), METHOD_LABELS.get(p.method, p.method)) for p in payments],
            "rent": m(lease.rent),
            "charges": m(lease.charges),
            "deposit": m(lease.deposit_amount),
            "deposit_paid": m(lease.deposit_paid),
            "credit": m(lease.credit),
            "pay_form": pay_form,
            "terms_form": f.TermsForm(initial={"rent": lease.rent, "charges": lease.charges}),
            "end_form": f.EndLeaseForm(initial={"end_date": timezone.localdate()}),
            "notice_form": f.NoticeForm(initial={"given_on": timezone.localdate()}),
            "terms": list(lease.terms.order_by("-effective_from")),
            "inspections": list(lease.inspections.all()),
        },
    )


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
                "amount": _money(request, payment.amount, payment.currency),
                "number": payment.receipt_number or "—",
            }
            if payment.to_credit:
                text += " " + _("%(credit)s kept as tenant credit.") % {
                    "credit": _money(request, payment.to_credit)
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
            services.lease_end(actor=request.user, lease=lease, end_date=form.cleaned_data["end_date"])
            messages.success(request, _("Lease ended."))
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


def raise_form(form):
    from ..errors import InvalidInput

    field, errors = next(iter(form.errors.items()))
    raise InvalidInput(errors[0], field=field)


@page
@require_GET
def lease_pdf(request, lease_id):
    lease = selectors.lease_get(request.user, lease_id)
    if lease.signed_document and request.GET.get("signed"):
        return _pdf(lease.signed_document.read(), f"{lease.reference}-signe.pdf")
    return _pdf(documents.lease_pdf(lease, language=_lang(request)), f"{lease.reference}.pdf")


@page
@require_http_methods(["GET", "POST"])
def inspection_new(request, lease_id):
    lease = selectors.lease_get(request.user, lease_id)
    form = f.InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        items = []
        for line in form.cleaned_data["checklist"].splitlines():
            parts = [p.strip() for p in line.split(";")]
            if len(parts) >= 3 and parts[0]:
                items.append(
                    {
                        "room": parts[0],
                        "element": parts[1],
                        "condition": parts[2],
                        "comment": parts[3] if len(parts) > 3 else "",
                    }
                )
        try:
            inspection = services.inspection_create(
                actor=request.user,
                lease=lease,
                kind=form.cleaned_data["kind"],
                inspected_on=form.cleaned_data["inspected_on"],
                items=items,
                notes=form.cleaned_data["notes"],
            )
            messages.success(request, _("Inspection saved; both sides sign it."))
            return redirect("manager:estate-inspection", inspection.public_id)
        except DomainError as exc:
            _error(form, exc)
    return render(
        request,
        "estate/form.html",
        {"form": form, "title": _("Inspection of %(ref)s") % {"ref": lease.reference}},
    )


@page
@require_http_methods(["GET", "POST"])
def inspection_detail(request, inspection_id):
    inspection = selectors.inspection_get(request.user, inspection_id)
    if request.GET.get("pdf"):
        return _pdf(
            documents.inspection_pdf(inspection, language=_lang(request)),
            f"etat-des-lieux-{inspection.lease.reference}.pdf",
        )
    form = f.SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_sign(
                actor=request.user, inspection=inspection, name=form.cleaned_data["name"]
            )
            messages.success(request, _("Signed."))
            return redirect("manager:estate-inspection", inspection.public_id)
        except DomainError as exc:
            _error(form, exc)
    return render(request, "estate/inspection.html", {"inspection": inspection, "form": form})


# --- dues ---------------------------------------------------------------------------------------


def _filtered_dues(request):
    form = f.DueFilterForm(request.GET or None)
    form.fields["status"].choices = [("", _("all"))] + [(s.value, DUE_STATUS_LABELS[s]) for s in DueStatus]
    form.fields["property"].choices = [("", _("all"))] + [
        (str(p.public_id), p.name) for p in selectors.properties_for(request.user).order_by("name")
    ]
    qs = (
        selectors.dues_for(request.user)
        .prefetch_related("lease__lease_tenants__user")
        .order_by("-due_date", "lease__unit__label")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["period"]:
            try:
                qs = qs.filter(period=date.fromisoformat(data["period"] + "-01"))
            except ValueError:
                form.add_error("period", _("Choose a month."))
        if data["property"]:
            qs = qs.filter(lease__unit__property__public_id=data["property"])
        if data["q"]:
            qs = qs.filter(
                Q(reference__icontains=data["q"])
                | Q(lease__unit__label__icontains=data["q"])
                | Q(lease__lease_tenants__user__full_name__icontains=data["q"])
            ).distinct()
    return form, qs


def _tenant_names(lease) -> str:
    return ", ".join(t.user.full_name or str(t.user.phone) for t in lease.lease_tenants.all())


@page
@require_GET
def due_list(request):
    form, qs = _filtered_dues(request)
    page_obj = Paginator(qs, 50).get_page(request.GET.get("page"))
    lang = _lang(request)
    rows = [
        (
            d,
            _tenant_names(d.lease),
            services.period_label(d.period, lang),
            _money(request, d.total),
            _money(request, d.paid),
            _money(request, d.outstanding),
        )
        for d in page_obj
    ]
    query = request.GET.copy()
    query.pop("page", None)
    template = "estate/_due_rows.html" if request.headers.get("HX-Request") else "estate/due_list.html"
    return render(
        request, template, {"form": form, "rows": rows, "page": page_obj, "query": query.urlencode()}
    )


EXPORT_COLUMNS = [
    "reference",
    "bail",
    "propriete",
    "logement",
    "locataires",
    "periode",
    "echeance",
    "total",
    "paye",
    "reste",
    "statut",
]


def _due_export_rows(qs):
    for d in qs[:20000]:
        yield [
            d.reference,
            d.lease.reference,
            d.lease.unit.property.name,
            d.lease.unit.label,
            _tenant_names(d.lease),
            d.period.strftime("%Y-%m"),
            d.due_date.isoformat(),
            d.total,
            d.paid,
            d.outstanding,
            str(DUE_STATUS_LABELS[DueStatus(d.status)]),
        ]


@page
@require_GET
def due_export(request, fmt):
    _form, qs = _filtered_dues(request)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(_due_export_rows(qs))
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="echeances-{stamp}.csv"'
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("echeances")
        sheet.append(EXPORT_COLUMNS)
        for row in _due_export_rows(qs):
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="echeances-{stamp}.xlsx"'
        return response
    raise Http404


@page
@require_GET
def due_notice(request, due_id):
    due = selectors.due_get(request.user, due_id)
    return _pdf(documents.notice_pdf(due, language=_lang(request)), f"avis-{due.reference}.pdf")


@page
@require_POST
def due_adjust(request, due_id):
    due = selectors.due_get(request.user, due_id)
    form = f.AdjustmentForm(request.POST)
    try:
        if not form.is_valid():
            raise_form(form)
        services.due_adjust(actor=request.user, due=due, **form.cleaned_data)
        messages.success(request, _("Adjustment saved."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("manager:estate-lease", due.lease.public_id)


# --- receipts -------------------------------------------------------------------------------------


@page
@require_GET
def receipt_list(request):
    qs = (
        selectors.quittances_for(request.user)
        .select_related("due__lease__unit__property")
        .order_by("-issued_at")
    )
    page_obj = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(q, _money(request, q.snapshot["total"], q.snapshot["currency"])) for q in page_obj]
    return render(request, "estate/receipt_list.html", {"rows": rows, "page": page_obj})


@page
@require_GET
def receipt_pdf(request, receipt_id):
    quittance = selectors.quittance_visible(request.user, receipt_id)
    return _pdf(
        documents.quittance_pdf(quittance, language=_lang(request)), f"quittance-{quittance.number}.pdf"
    )


# --- tickets ------------------------------------------------------------------------------------


BOARD = [Ticket.Status.OPEN, Ticket.Status.ASSIGNED, Ticket.Status.IN_PROGRESS, Ticket.Status.RESOLVED]


@page
@require_http_methods(["GET", "POST"])
def ticket_board(request):
    props = list(selectors.properties_for(request.user).order_by("name"))
    form = f.TicketForm(request.POST or None, request.FILES or None)
    form.fields["property"].choices = [(str(p.public_id), p.name) for p in props]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            prop = selectors.property_get(request.user, data["property"])
            services.ticket_open(
                actor=request.user,
                property=prop,
                title=data["title"],
                description=data["description"],
                priority=data["priority"],
                photos=[data["photo"]] if data.get("photo") else [],
            )
            messages.success(request, _("Ticket opened."))
            return redirect("manager:estate-tickets")
        except DomainError as exc:
            _error(form, exc)
    tickets = list(
        selectors.tickets_for(request.user).filter(status__in=BOARD).order_by("-priority", "created_at")[:400]
    )
    columns = [
        (status, Ticket.Status(status).label, [t for t in tickets if t.status == status]) for status in BOARD
    ]
    return render(request, "estate/tickets.html", {"columns": columns, "form": form})


@page
@require_http_methods(["GET", "POST"])
def ticket_detail(request, ticket_id):
    ticket = selectors.ticket_get(request.user, ticket_id)
    form = f.TicketUpdateForm(
        request.POST or None,
        initial={
            "status": ticket.status,
            "vendor_name": ticket.vendor_name,
            "vendor_phone": ticket.vendor_phone,
            "cost": ticket.cost,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            ticket = services.ticket_update(actor=request.user, ticket=ticket, **data)
            messages.success(request, _("Ticket updated."))
            if request.headers.get("HX-Request"):
                return render(request, "estate/_ticket_card.html", {"t": ticket})
            return redirect("manager:estate-tickets")
        except DomainError as exc:
            _error(form, exc)
    return render(
        request,
        "estate/ticket_detail.html",
        {"ticket": ticket, "form": form, "photos": list(ticket.photos.all())},
    )


# --- owner statements -----------------------------------------------------------------------------


@page
@require_http_methods(["GET", "POST"])
def statement_list(request):
    orgs = dict(_orgs(request))
    period = request.GET.get("period") or domain.add_months(
        domain.month_start(timezone.localdate()), -1
    ).strftime("%Y-%m")
    try:
        month = date.fromisoformat(period + "-01")
    except ValueError:
        month = domain.month_start(timezone.localdate())
    pairs = (
        selectors.properties_for(request.user)
        .values_list("organization_id", "owner_id")
        .distinct()
        .order_by("organization_id", "owner_id")
    )
    statements = []
    for org_id, owner_id in pairs:
        if org_id in orgs:
            statements.append(
                services.statement_get_or_refresh(
                    actor=request.user, organization_id=org_id, owner_id=owner_id, period=month
                )
            )
    expense_form = f.ExpenseForm(request.POST or None)
    props = list(selectors.properties_for(request.user).order_by("name"))
    expense_form.fields["property"].choices = [(str(p.public_id), p.name) for p in props]
    if request.method == "POST" and expense_form.is_valid():
        data = expense_form.cleaned_data
        try:
            services.expense_create(
                actor=request.user,
                property=selectors.property_get(request.user, data["property"]),
                label=data["label"],
                amount=data["amount"],
                incurred_on=data["incurred_on"],
            )
            messages.success(request, _("Expense recorded."))
            return redirect(f"{reverse('manager:estate-statements')}?period={period}")
        except DomainError as exc:
            _error(expense_form, exc)
    rows = [
        (
            s,
            _money(request, s.collected),
            _money(request, s.commission),
            _money(request, s.expenses),
            _money(request, s.net),
        )
        for s in OwnerStatement.objects.filter(pk__in=[s.pk for s in statements])
        .select_related("owner")
        .order_by("owner__name")
    ]
    return render(
        request,
        "estate/statements.html",
        {
            "rows": rows,
            "period": period,
            "label": services.period_label(month, _lang(request)),
            "expense_form": expense_form,
        },
    )


@page
@require_http_methods(["GET", "POST"])
def statement_detail(request, statement_id):
    statement = selectors.statement_get(request.user, statement_id)
    if request.method == "POST":
        try:
            services.statement_close(actor=request.user, statement=statement)
            messages.success(request, _("Statement closed: the net is on the owner's balance."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("manager:estate-statement", statement.public_id)
    return _pdf(
        documents.statement_pdf(statement, language=_lang(request)), f"releve-{statement.period:%Y-%m}.pdf"
    )


# --- import -------------------------------------------------------------------------------------


@page
@require_http_methods(["GET", "POST"])
def import_view(request):
    orgs = _orgs(request, identity.MANAGE_ROLES)
    form = f.ImportForm(request.POST or None, request.FILES or None)
    form.set_orgs(orgs)
    result = None
    if request.method == "POST" and request.POST.get("batch"):
        batch = selectors.imports_for(request.user).filter(public_id=request.POST["batch"]).first()
        if batch is None:
            raise Http404
        try:
            result = services.import_apply(actor=request.user, batch=type(batch).objects.get(pk=batch.pk))
            if result.applied:
                messages.success(
                    request,
                    _("Import done: %(n)s lease(s), %(p)s payment(s).")
                    % {"n": result.counts["leases"], "p": result.counts["payments"]},
                )
                return redirect("manager:estate-leases")
        except DomainError as exc:
            messages.error(request, str(exc.message))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_run(
                actor=request.user,
                organization_id=int(form.cleaned_data["organization"]),
                filename=upload.name,
                content=upload.read(),
                dry_run=True,
            )
        except DomainError as exc:
            _error(form, exc)
    return render(request, "estate/import.html", {"form": form, "result": result})


# --- the owner portal -----------------------------------------------------------------------------


@page
@require_GET
def owner_portal(request):
    if not selectors.owner_ids(request.user):
        raise Http404
    data = selectors.owner_overview(request.user)
    return render(
        request,
        "estate/owner_portal.html",
        {
            "d": data,
            "expected": _money(request, data["expected"]),
            "collected": _money(request, data["collected"]),
            "arrears": _money(request, data["arrears"]),
            "expenses": [(e, _money(request, e.amount, e.currency)) for e in data["expenses"]],
            "statements": [
                (s, services.period_label(s.period, _lang(request)), _money(request, s.net))
                for s in data["statements"]
            ],
        },
    )
