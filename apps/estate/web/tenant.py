"""The tenant space (/pay/, production host pay.hokwepay.me): login by SMS code, the
tenant's leases and their terms, balance and next due, dues with their status, payment
history, receipts (quittances) to download, tickets with photos, inspections to sign, the
lease documents and the announcements of the tenant's buildings.

Every URL but /pay/ itself has at least two segments under /pay/me/: payments mounts
/pay/<token> (one segment) before estate. Every page needs a login (else the tenant login,
with `next`) and is scoped to the leases the user is a tenant of: another tenant's object
is the tenant-look 404 page, never its data. Paying goes through the pay link of a due
(/pay/rent/<token>, public.py), which hands over to payments' checkout."""

from __future__ import annotations

from django import forms
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError, NotFound
from apps.core.money import format_amount
from apps.core.web.pages import signed_in_page
from apps.identity import api as identity

from .. import documents, selectors, services
from ..contracts import OPEN_DUE_STATUSES, DueStatus, LeaseStatus
from ..models import RentDue, Ticket

SESSION_PHONE = "estate_tenant_login_phone"
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 8 * 1024 * 1024
LIST_LIMIT = 120  # dues / payments / receipts shown on one page (a 10-year lease)


# --- helpers ----------------------------------------------------------------------------------


def _lang(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "fr") or "fr"


def _login_url(request) -> str:
    return f"{reverse('estate:tenant-login')}?{urlencode({'next': request.get_full_path()})}"


def _not_found(request):
    return render(request, "estate/tenant/not_found.html", {"hide_nav": False}, status=404)


def tenant_page(methods=("GET",)):
    """Logged-in users only (else the tenant login with `next`); NotFound → the tenant 404."""
    return signed_in_page(methods, login_url=_login_url, not_found=_not_found)


def _next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("estate:tenant-home")


def _money(amount, currency, language):
    return format_amount(amount, currency, language)


def _due_label(due, language: str) -> str:
    """« mars 2026 » for a month's rent; other kinds (deposit, agency fee, opening balance…)
    say what they are with their own label."""
    label = services.period_label(due.period, language)
    if due.kind != "rent":
        label = f"{due.get_kind_display().capitalize()} · {label}"
    return label


def _due_row(due, language: str) -> dict:
    label = _due_label(due, language)
    quittance = getattr(due, "quittance", None) if due.status == DueStatus.PAID else None
    return {
        "due": due,
        "label": label,
        "total": _money(due.total, due.currency, language),
        "paid": _money(due.paid, due.currency, language),
        "left": _money(due.outstanding, due.currency, language),
        "open": due.status in OPEN_DUE_STATUSES,
        "quittance": quittance if quittance is not None and quittance.voided_at is None else None,
    }


def _base(request, **context) -> dict:
    context.setdefault("is_manager", bool(identity.organization_ids_of(request.user)))
    return context


# --- login by SMS code ------------------------------------------------------------------------


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Your phone number"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "inputmode": "tel",
                "autocomplete": "tel",
                "autofocus": True,
                "placeholder": "01 97 00 00 01",
            }
        ),
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\d{6}$",
        label=gettext_lazy("Code received by SMS"),
        error_messages={"invalid": gettext_lazy("The code has 6 digits.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"\d{6}",
                "maxlength": 6,
                "autofocus": True,
            }
        ),
    )


def _domain_error(form, exc: DomainError) -> None:
    message = str(exc.message)
    retry = getattr(exc, "retry_after", None)
    if retry:
        message = _("%(message)s (wait %(seconds)d s)") % {"message": message, "seconds": retry}
    form.add_error(exc.field if exc.field in form.fields else None, message)


@require_http_methods(["GET", "POST"])
def login_phone(request):
    """Step 1: the phone number; identity sends the code (its rate limits apply)."""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next(request))
    form = PhoneForm(request.POST or None, initial={"phone": request.session.get(SESSION_PHONE, "")})
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"].strip()
        try:
            identity.login_code_request(phone=phone, language=_lang(request))
        except DomainError as exc:
            _domain_error(form, exc)
        else:
            request.session[SESSION_PHONE] = phone
            return redirect(f"{reverse('estate:tenant-login-code')}?{urlencode({'next': _next(request)})}")
    return render(
        request,
        "estate/tenant/login.html",
        {"form": form, "next": _next(request), "hide_nav": True},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def login_code(request):
    """Step 2: the 6-digit code; right, the session opens and the tenant is in."""
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect(f"{reverse('estate:tenant-login')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            identity.session_login_with_code(request, phone=phone, code=form.cleaned_data["code"])
        except DomainError as exc:
            _domain_error(form, exc)
        else:
            request.session.pop(SESSION_PHONE, None)
            return redirect(_next(request))
    return render(
        request,
        "estate/tenant/login_code.html",
        {"form": form, "phone": phone, "next": _next(request), "hide_nav": True},
        status=400 if form.errors else 200,
    )


@require_http_methods(["POST"])
def logout_view(request):
    logout(request)
    return redirect("estate:tenant-login")


# --- home -------------------------------------------------------------------------------------


def _pay_tokens(leases, open_dues) -> dict[int, str]:
    """The due whose pay link the « Payer » button opens: the oldest open one, else the
    newest due (its link offers to pay the next month ahead)."""
    tokens: dict[int, str] = {}
    for due in open_dues:  # oldest first
        tokens.setdefault(due.lease_id, due.pay_token)
    for lease in leases:
        if lease.pk not in tokens and lease.last_pay_token:
            tokens[lease.pk] = lease.last_pay_token
    return tokens


@tenant_page()
def home(request):
    language = _lang(request)
    leases = list(
        selectors.tenant_leases(request.user)
        .annotate(
            last_pay_token=Subquery(
                RentDue.objects.filter(lease=OuterRef("pk")).order_by("-period").values("pay_token")[:1]
            )
        )
        .order_by("status", "-start_date")
    )
    if not leases:
        return render(request, "estate/tenant/no_lease.html", _base(request))
    open_dues = list(
        selectors.tenant_dues(request.user)
        .filter(status__in=OPEN_DUE_STATUSES)
        .order_by("due_date", "period")
    )
    payments = list(selectors.tenant_payments(request.user)[: 5 * len(leases)])
    tokens = _pay_tokens(leases, open_dues)
    cards = []
    for lease in leases:
        dues = [d for d in open_dues if d.lease_id == lease.pk]
        owed = sum(d.outstanding for d in dues)
        overdue = sum(d.outstanding for d in dues if d.status == DueStatus.OVERDUE)
        next_due = dues[0] if dues else None
        cards.append(
            {
                "lease": lease,
                "active": lease.status == LeaseStatus.ACTIVE,
                "owed": owed,
                "owed_text": _money(owed, lease.currency, language),
                "overdue_text": _money(overdue, lease.currency, language) if overdue else "",
                "credit_text": _money(lease.credit, lease.currency, language) if lease.credit else "",
                "rent_text": _money(lease.rent, lease.currency, language),
                "charges_text": _money(lease.charges, lease.currency, language) if lease.charges else "",
                "deposit_text": _money(lease.deposit_paid, lease.currency, language)
                if lease.deposit_paid
                else "",
                "next_due": _due_row(next_due, language) if next_due else None,
                "pay_token": tokens.get(lease.pk) if lease.status == LeaseStatus.ACTIVE or owed else None,
                "payments": [
                    {
                        "p": p,
                        "amount": _money(p.amount, p.currency, language),
                    }
                    for p in payments
                    if p.lease_id == lease.pk
                ][:3],
            }
        )
    announcements = list(selectors.tenant_announcements(request.user)[:5])
    to_sign = list(
        selectors.tenant_inspections(request.user)
        .filter(tenant_signed_at__isnull=True)
        .order_by("inspected_on")
    )
    return render(
        request,
        "estate/tenant/home.html",
        _base(request, cards=cards, announcements=announcements, to_sign=to_sign),
    )


# --- a lease ----------------------------------------------------------------------------------


@tenant_page()
def lease_detail(request, lease_id):
    lease = selectors.tenant_lease_get(request.user, lease_id)
    language = _lang(request)
    dues = list(
        selectors.tenant_dues(request.user)
        .filter(lease=lease)
        .select_related("quittance")
        .order_by("-period")[:24]
    )
    open_dues = sorted((d for d in dues if d.status in OPEN_DUE_STATUSES), key=lambda d: d.due_date)
    owed = sum(d.outstanding for d in open_dues)
    pay_token = open_dues[0].pay_token if open_dues else (dues[0].pay_token if dues else None)
    m = lambda amount: _money(amount, lease.currency, language)  # noqa: E731
    return render(
        request,
        "estate/tenant/lease.html",
        _base(
            request,
            lease=lease,
            rows=[_due_row(d, language) for d in dues],
            owed_text=m(owed),
            owed=owed,
            credit_text=m(lease.credit) if lease.credit else "",
            rent_text=m(lease.rent),
            charges_text=m(lease.charges),
            deposit_amount_text=m(lease.deposit_amount),
            deposit_paid_text=m(lease.deposit_paid),
            fee_text=m(lease.agency_fee) if lease.agency_fee else "",
            pay_token=pay_token if lease.status == LeaseStatus.ACTIVE or owed else None,
            inspections=list(lease.inspections.order_by("kind")),
            tenants=[lt.user.full_name or "" for lt in lease.lease_tenants.select_related("user")],
        ),
    )


@tenant_page()
def lease_pdf(request, lease_id):
    lease = selectors.tenant_lease_get(request.user, lease_id)
    return _pdf(documents.lease_pdf(lease, language=_lang(request)), f"{lease.reference}.pdf")


@tenant_page()
def lease_signed_pdf(request, lease_id):
    lease = selectors.tenant_lease_get(request.user, lease_id)
    if not lease.signed_document:
        raise NotFound()
    with lease.signed_document.open("rb") as handle:
        return _pdf(handle.read(), f"{lease.reference}-signe.pdf")


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- dues and payments ------------------------------------------------------------------------


@tenant_page()
def dues(request):
    language = _lang(request)
    rows = [
        _due_row(d, language)
        for d in selectors.tenant_dues(request.user)
        .select_related("quittance")
        .order_by("-period", "-due_date")[:LIST_LIMIT]
    ]
    payments = [
        {"p": p, "amount": _money(p.amount, p.currency, language)}
        for p in selectors.tenant_payments(request.user)[:LIST_LIMIT]
    ]
    several = selectors.tenant_leases(request.user).count() > 1
    return render(
        request, "estate/tenant/dues.html", _base(request, rows=rows, payments=payments, several=several)
    )


# --- receipts ---------------------------------------------------------------------------------


@tenant_page()
def receipts(request):
    language = _lang(request)
    rows = []
    for q in (
        selectors.tenant_quittances(request.user)
        .select_related("due__lease__unit__property")
        .order_by("-due__period", "-issued_at")[:LIST_LIMIT]
    ):
        rows.append(
            {
                "q": q,
                "period": _due_label(q.due, language),
                "amount": _money(q.snapshot.get("total", q.due.total), q.due.currency, language),
            }
        )
    return render(request, "estate/tenant/receipts.html", _base(request, rows=rows))


@tenant_page()
def receipt_pdf(request, receipt_id):
    """The quittance PDF (with its verification QR), rendered as the manager's receipt view
    does — but only one of the tenant's own."""
    quittance = selectors.tenant_quittance_get(request.user, receipt_id)
    return _pdf(
        documents.quittance_pdf(quittance, language=_lang(request)), f"quittance-{quittance.number}.pdf"
    )


# --- tickets ----------------------------------------------------------------------------------


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.ImageField):
    widget = MultipleImageInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
        cleaned = []
        for file in files:
            if file.size > MAX_PHOTO_BYTES:
                raise ValidationError(_("Each photo is at most 8 MB."))
            cleaned.append(super().clean(file, initial))
        return cleaned


class TicketForm(forms.Form):
    lease = forms.ChoiceField(label=gettext_lazy("Dwelling"))
    title = forms.CharField(label=gettext_lazy("What is the problem?"), max_length=150)
    description = forms.CharField(
        label=gettext_lazy("Details"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    urgent = forms.BooleanField(label=gettext_lazy("Urgent (water, electricity, security)"), required=False)
    photos = PhotosField(
        label=gettext_lazy("Photos (up to 3)"),
        required=False,
        widget=MultipleImageInput(attrs={"accept": "image/*", "multiple": True}),
    )


@tenant_page()
def tickets(request):
    rows = list(selectors.tenant_tickets(request.user).order_by("-created_at")[:LIST_LIMIT])
    can_open = selectors.tenant_leases(request.user).filter(status=LeaseStatus.ACTIVE).exists()
    return render(request, "estate/tenant/tickets.html", _base(request, rows=rows, can_open=can_open))


@tenant_page(methods=("GET", "POST"))
def ticket_new(request):
    leases = list(
        selectors.tenant_leases(request.user).filter(status=LeaseStatus.ACTIVE).order_by("start_date")
    )
    if not leases:
        return render(request, "estate/tenant/ticket_new.html", _base(request, form=None), status=200)
    form = TicketForm(request.POST or None, request.FILES or None)
    form.fields["lease"].choices = [
        (str(lease.public_id), f"{lease.unit.property.name} · {lease.unit.label}") for lease in leases
    ]
    if len(leases) == 1:
        form.fields["lease"].initial = str(leases[0].public_id)
        form.fields["lease"].widget = forms.HiddenInput()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lease = selectors.tenant_lease_get(request.user, data["lease"])
            ticket = services.ticket_open(
                actor=request.user,
                lease=lease,
                title=data["title"],
                description=data["description"],
                priority=Ticket.Priority.URGENT if data["urgent"] else Ticket.Priority.NORMAL,
                photos=data["photos"],
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            _domain_error(form, exc)
        else:
            return redirect("estate:tenant-ticket", ticket.public_id)
    return render(
        request,
        "estate/tenant/ticket_new.html",
        _base(request, form=form),
        status=400 if form.errors else 200,
    )


@tenant_page()
def ticket_detail(request, ticket_id):
    ticket = selectors.tenant_ticket_get(request.user, ticket_id)
    return render(
        request,
        "estate/tenant/ticket.html",
        _base(request, ticket=ticket, photos=list(ticket.photos.all())),
    )


# --- inspections ------------------------------------------------------------------------------


@tenant_page(methods=("GET", "POST"))
def inspection_detail(request, inspection_id):
    """The inspection read-only, room by room; the tenant signs it with a code by SMS."""
    from .views.inspections import inspection_sign_page

    inspection = selectors.tenant_inspection_get(request.user, inspection_id)
    if request.method == "GET" and request.GET.get("pdf"):
        return _pdf(
            documents.inspection_document(inspection, language=_lang(request)),
            f"etat-des-lieux-{inspection.lease.reference}.pdf",
        )
    if request.method == "POST":
        return inspection_sign_page(
            request,
            inspection,
            back=reverse("estate:tenant-inspection", args=[inspection.public_id]),
            base_template="estate/tenant/base.html",
        )
    rooms = list(inspection.rooms.prefetch_related("items__photos", "items__move_in_item"))
    return render(
        request,
        "estate/tenant/inspection.html",
        _base(
            request,
            inspection=inspection,
            rooms=rooms,
            meters=list(inspection.meters.all()),
            keys=list(inspection.keys.all()),
            is_move_out=inspection.kind == "move_out",
        ),
    )
