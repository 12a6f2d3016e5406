"""The debtor portal (/recover/<token>/): no login, the token in the SMS link is the proof.

The tenant sees what is owed and why (the dues), pays all or part through payments' pay
page, promises a date, or proposes a payment plan and accepts it with the code sent to their
phone; an active plan's installments each have their own pay button; the formal notices can
be downloaded. The token is looked up through its unique index (one equality probe, the
same cost whether it exists or not); an unknown token is a 404. Rate-limited per client
like the other public pay pages."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core import ratelimit
from apps.core.errors import DomainError, NotFound
from apps.core.gateway import throttled_response
from apps.estate import api as estate

from .. import documents, selectors, services
from ..contracts import CaseKind, CaseOutcome, CaseStatus, InstallmentStatus, PlanStatus
from ..models import Installment, PaymentPlan
from . import forms as f
from .common import form_error, lang

TOKEN_MAX = 32


@require_GET
def landing(request):
    """/recover/ without a token (recover.hokwepay.me's root): where the debtor's personal link
    comes from; never a lookup by name or phone."""
    return render(request, "recovery/portal/landing.html")


def portal_page(view):
    """Throttled per client; an unknown or malformed token is a 404; the case is passed on."""

    @wraps(view)
    def wrapper(request, token: str, *args, **kwargs):
        try:
            ratelimit.hit("pages.pay", key=ratelimit.client_key(request))
        except ratelimit.RateLimited as exc:
            return throttled_response(request, exc)
        if not token or len(token) > TOKEN_MAX:
            raise Http404
        try:
            case = services.case_by_token(token)
        except NotFound:
            raise Http404 from None
        try:
            response = view(request, case, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        response["Referrer-Policy"] = "same-origin"  # the token must not leak to other sites
        response["Cache-Control"] = "no-store"
        return response

    return wrapper


def _plan_form(case, bound=None):
    if bound is not None:
        return bound
    today = timezone.localdate()
    third = case.amount_owed // 3
    return f.PlanForm(
        initial={
            "date_1": today + timedelta(days=7),
            "amount_1": case.amount_owed - 2 * third,
            "date_2": today + timedelta(days=37),
            "amount_2": third,
            "date_3": today + timedelta(days=67),
            "amount_3": third,
        }
    )


def _render(request, case, *, pay=None, promise=None, plan=None, status=200):
    today = timezone.localdate()
    dues = (
        []
        if case.kind == CaseKind.LOAN  # a loan: what lending says is owed, repaid on its link
        else [
            {"due": d, "late": d.due_date < today} for d in estate.open_dues(case.lease) if d.outstanding > 0
        ]
    )
    active = next((p for p in selectors.plans_of(case) if p.status == PlanStatus.ACTIVE), None)
    proposed = next((p for p in selectors.plans_of(case) if p.status == PlanStatus.PROPOSED), None)
    installments = list(active.installments.all()) if active is not None else []
    pending_promise = next((p for p in selectors.promises_of(case) if p.status == "pending"), None)
    closed = case.status == CaseStatus.CLOSED
    return render(
        request,
        "recovery/portal/case.html",
        {
            "case": case,
            "closed": closed,
            "paid": closed and case.outcome == CaseOutcome.PAID,
            "dues": dues,
            "active_plan": active,
            "proposed_plan": proposed,
            "installments": installments,
            "pending_promise": pending_promise,
            "notices": list(selectors.notices_of(case)),
            "pay_form": pay or f.PayForm(initial={"amount": case.amount_owed}, auto_id="pay_%s"),
            "promise_form": promise
            or f.PromiseForm(initial={"amount": case.amount_owed}, auto_id="promise_%s"),
            "plan_form": _plan_form(case, plan),
            "token": case.token,
        },
        status=status,
    )


@portal_page
@require_http_methods(["GET", "POST"])
def portal(request, case):
    if request.method == "GET":
        return _render(request, case)
    action = request.POST.get("action", "")
    if case.status == CaseStatus.CLOSED:
        return _render(request, case)
    if action == "pay":
        form = f.PayForm(request.POST, auto_id="pay_%s")
        if form.is_valid():
            try:
                intent = services.debt_pay_link(case=case, amount=form.cleaned_data["amount"])
            except DomainError as exc:
                form_error(form, exc)
            else:
                return redirect(intent.pay_url)
        return _render(request, case, pay=form)
    if action == "promise":
        form = f.PromiseForm(request.POST, auto_id="promise_%s")
        if form.is_valid():
            try:
                services.promise_create(
                    actor=None,
                    case=case,
                    amount=form.cleaned_data["amount"],
                    promised_on=form.cleaned_data["promised_on"],
                    channel="portal",
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                return redirect("recovery:portal", token=case.token)
        return _render(request, case, promise=form)
    if action == "plan":
        form = f.PlanForm(request.POST)
        if form.is_valid():
            rows = form.cleaned_data["installments"]
            if len(rows) > 6:
                form.add_error(None, _("At most 6 installments."))
            else:
                try:
                    plan = services.plan_propose(actor=None, case=case, installments=rows, channel="portal")
                    services.plan_accept_start(plan=plan)
                except DomainError as exc:
                    form_error(form, exc)
                else:
                    return redirect("recovery:portal-plan", token=case.token, plan_id=plan.public_id)
        return _render(request, case, plan=form)
    raise Http404


@portal_page
@require_http_methods(["GET", "POST"])
def plan_confirm(request, case, plan_id):
    plan = PaymentPlan.objects.filter(case=case, public_id=plan_id).prefetch_related("installments").first()
    if plan is None:
        raise Http404
    form = f.OtpForm(request.POST or None)
    if request.method == "POST" and plan.status == PlanStatus.PROPOSED:
        if request.POST.get("resend"):
            try:
                services.plan_accept_start(plan=plan)
            except DomainError as exc:
                form = f.OtpForm()
                form_error(form, exc)
        elif form.is_valid():
            try:
                services.plan_accept_verify(
                    plan=plan, challenge_id=plan.challenge, code=form.cleaned_data["code"].strip()
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                return redirect("recovery:portal", token=case.token)
    return render(
        request,
        "recovery/portal/plan_confirm.html",
        {
            "case": case,
            "plan": plan,
            "rows": list(plan.installments.all()),
            "form": form,
            "phone_hint": _mask(case.tenant.phone if case.tenant_id else ""),
            "token": case.token,
        },
    )


def _mask(phone) -> str:
    digits = str(phone or "")
    return f"•••• {digits[-2:]}" if len(digits) >= 2 else ""


@portal_page
@require_POST
def installment_pay(request, case, installment_id):
    installment = (
        Installment.objects.select_related("plan__case")
        .filter(plan__case=case, public_id=installment_id, plan__status=PlanStatus.ACTIVE)
        .exclude(status=InstallmentStatus.PAID)
        .first()
    )
    if installment is None:
        raise Http404
    try:
        intent = services.installment_pay_link(installment=installment)
    except DomainError as exc:  # e.g. the payer's KYC limit: say why on the portal
        form = f.PayForm(initial={"amount": installment.outstanding}, auto_id="pay_%s")
        form.add_error(None, str(exc.message))
        return _render(request, case, pay=form)
    return redirect(intent.pay_url)


@portal_page
@require_GET
def notice_pdf(request, case, number: str):
    notice = selectors.notice_for_case(case, number) if number else None
    if notice is None:
        raise Http404
    response = HttpResponse(
        documents.formal_notice_pdf(notice, language=lang(request)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{notice.number}.pdf"'
    return response
