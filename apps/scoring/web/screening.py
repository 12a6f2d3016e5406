"""Tenant screening's manager pages (/manager/scoring/screening/…): the requests of the
manager's organizations, a new request for one of their units, a request with its report (the
recommendation, the reasons, the data shared), the French PDF, the decision (a decline sends the
adverse-action SMS) and the organization's thresholds. Owners and managers only; another
organization's request is a 404. A refusal (no consent, withdrawn, expired) is said on the
page with what to do next."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError, NotFound
from apps.estate import api as estate
from apps.identity import api as identity

from .. import selectors
from ..models import ScreeningReport
from ..services import screening as svc


def page(view):
    """Signed-in owners and managers; NotFound (and a 404 refusal) is the 404 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


def _orgs(request) -> list[int]:
    return sorted(identity.organization_ids_of(request.user, roles=identity.MANAGE_ROLES))


def _form_error(form, exc: DomainError) -> None:
    field = (getattr(exc, "field", "") or "").split(".")[0]
    form.add_error(field if field in form.fields else None, str(exc.message))


class RequestForm(forms.Form):
    unit = forms.ChoiceField(label=_lazy("Unit"))
    phone = forms.CharField(
        label=_lazy("Applicant's phone number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "off", "placeholder": "+229 01 97 00 00 01"}
        ),
    )
    applicant_name = forms.CharField(label=_lazy("Applicant's name"), max_length=150, required=False)
    rent = forms.IntegerField(
        label=_lazy("Monthly rent asked"),
        min_value=1,
        required=False,
        help_text=_lazy("Empty: the unit's rent."),
    )
    note = forms.CharField(label=_lazy("Note (yours only)"), max_length=300, required=False)


class PolicyForm(forms.Form):
    accept_min_score = forms.IntegerField(label=_lazy("Accept from a score of"), min_value=300, max_value=850)
    decline_below_score = forms.IntegerField(
        label=_lazy("Decline below a score of"), min_value=300, max_value=850
    )
    accept_max_ratio = forms.IntegerField(
        label=_lazy("Accept up to a rent-to-income ratio of (%)"), min_value=1, max_value=100
    )
    decline_above_ratio = forms.IntegerField(
        label=_lazy("Decline above a rent-to-income ratio of (%)"), min_value=1, max_value=100
    )
    decline_unpaid_months = forms.IntegerField(
        label=_lazy("Decline from this many rents not paid in full (24 months)"), min_value=1, max_value=24
    )
    decline_written_off = forms.BooleanField(
        label=_lazy("Decline after a written-off rent debt"), required=False
    )
    conditions_deposit_months = forms.IntegerField(
        label=_lazy("Deposit asked with conditions (months of rent)"),
        min_value=0,
        max_value=12,
        help_text=_lazy("Never above the legal cap of the unit's country."),
    )


@page
@require_GET
def request_list(request):
    state = request.GET.get("state", "")
    rows = selectors.screening_requests_for(request.user, state=state, q=request.GET.get("q", ""))
    pager = Paginator(rows, 25).get_page(request.GET.get("page"))
    items = [(r, svc.state(r), getattr(r, "report", None)) for r in pager]
    return render(
        request,
        "scoring/screening_list.html",
        {
            "page": pager,
            "items": [(r, s, svc.state_label(s), rep) for r, s, rep in items],
            "state": state,
            "states": [(k, svc.state_label(k)) for k in ("pending", "consented", "issued", "withdrawn")],
            "can_request": bool(_orgs(request)),
            "recommendation_label": svc.recommendation_label,
        },
    )


@page
@require_http_methods(["GET", "POST"])
def request_new(request):
    orgs = _orgs(request)
    if not orgs:
        raise NotFound()
    units = estate.screening_units_of(orgs)
    form = RequestForm(request.POST or None, initial={"unit": request.GET.get("unit", "")})
    form.fields["unit"].choices = [("", _("Choose a unit"))] + [
        (str(u.public_id), f"{u.label} ({u.city})") for u in units
    ]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = svc.request_create(
                actor=request.user,
                unit=data["unit"],
                phone=data["phone"],
                applicant_name=data["applicant_name"],
                rent=data["rent"],
                note=data["note"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Request sent: the applicant received an SMS with the consent link."))
            return redirect("manager:scoring-screening-request", req.public_id)
    return render(request, "scoring/screening_new.html", {"form": form, "has_units": bool(units)})


def _refusal(exc: DomainError) -> dict:
    return {"code": exc.code, "message": str(exc.message)}


@page
@require_GET
def request_detail(request, request_id):
    req = selectors.screening_request_get(request.user, request_id)
    current = svc.state(req)
    report = ScreeningReport.objects.filter(request=req).first()
    context = {
        "req": req,
        "state": current,
        "state_label": svc.state_label(current),
        "refusal": None,
        "report_ctx": None,
        "decision_label": req.get_decision_display() if req.decision else "",
        "consent_deadline": svc.answer_deadline(req),
    }
    if report is not None or req.status == "withdrawn":
        try:
            svc.check_readable(req, report)
            context["report_ctx"] = svc.report_context(report)
        except DomainError as exc:
            context["refusal"] = _refusal(exc)
    elif current == "expired":
        context["refusal"] = {
            "code": "scoring_screening_consent_expired",
            "message": _(
                "The applicant did not answer in time, or their consent has expired: ask for a new screening."
            ),
        }
    return render(request, "scoring/screening_detail.html", context)


@page
@require_POST
def request_action(request, request_id, action):
    req = selectors.screening_request_get(request.user, request_id)
    target = redirect("manager:scoring-screening-request", req.public_id)
    try:
        if action == "issue":
            svc.report_issue(actor=request.user, req=req)
            messages.success(request, _("The report is ready."))
        elif action == "decide":
            decision = request.POST.get("decision", "")
            svc.decide(actor=request.user, req=req, decision=decision)
            if decision == "declined":
                messages.success(
                    request, _("Decision recorded. The applicant received the main reasons by SMS.")
                )
            else:
                messages.success(request, _("Decision recorded."))
        else:
            raise NotFound()
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return target


@page
@require_GET
def report_pdf(request, request_id):
    req = selectors.screening_request_get(request.user, request_id)
    try:
        report = svc.report_get(actor=request.user, req=req)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("manager:scoring-screening-request", req.public_id)
    response = HttpResponse(svc.report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@page
@require_http_methods(["GET", "POST"])
def policy(request):
    orgs = _orgs(request)
    if not orgs:
        raise NotFound()
    wanted = request.GET.get("org") or request.POST.get("org")
    organization_id = orgs[0]
    if wanted:
        found = identity.organization_ids([wanted]).values()
        organization_id = next(iter(found), None)
        if organization_id not in orgs:
            raise NotFound()
    current = svc.policy_of(organization_id)
    initial = {
        "accept_min_score": current.accept_min_score,
        "decline_below_score": current.decline_below_score,
        "accept_max_ratio": current.accept_max_ratio_bps // 100,
        "decline_above_ratio": current.decline_above_ratio_bps // 100,
        "decline_unpaid_months": current.decline_unpaid_months,
        "decline_written_off": current.decline_written_off,
        "conditions_deposit_months": current.conditions_deposit_months,
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.policy_update(
                actor=request.user,
                organization_id=organization_id,
                accept_min_score=d["accept_min_score"],
                decline_below_score=d["decline_below_score"],
                accept_max_ratio_bps=d["accept_max_ratio"] * 100,
                decline_above_ratio_bps=d["decline_above_ratio"] * 100,
                decline_unpaid_months=d["decline_unpaid_months"],
                decline_written_off=d["decline_written_off"],
                conditions_deposit_months=d["conditions_deposit_months"],
            )
        except DomainError as exc:
            field = {
                "accept_max_ratio_bps": "accept_max_ratio",
                "decline_above_ratio_bps": "decline_above_ratio",
            }
            exc.field = field.get(exc.field or "", exc.field)
            _form_error(form, exc)
        else:
            messages.success(request, _("Thresholds saved. They apply to the next reports."))
            return redirect(
                reverse("manager:scoring-screening-policy") + (f"?org={wanted}" if wanted else "")
            )
    organizations = [identity.get_organization(id=o) for o in orgs]
    return render(
        request,
        "scoring/screening_policy.html",
        {
            "form": form,
            "organizations": organizations,
            "organization": identity.get_organization(id=organization_id),
        },
    )
