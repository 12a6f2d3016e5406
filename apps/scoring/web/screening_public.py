"""The applicant's consent page (/screening/consent/<token>/): the link in the SMS. It says who
asks, for which unit, and exactly what would be shared; the applicant declares their monthly
income and consents with the code sent to their phone (identity's login code: it also signs
them in), or refuses by not answering; later they may withdraw (the report can then no longer
be read). An unknown token is a 404; throttled per client like the other public pages."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from apps.core import ratelimit
from apps.core.errors import DomainError, NotFound
from apps.core.gateway import throttled_response
from apps.identity import api as identity

from ..models import ScreeningReport
from ..services import screening as svc

TOKEN_MAX = 32


class ConsentForm(forms.Form):
    declared_income = forms.IntegerField(
        label=_lazy("Your monthly income"),
        min_value=1,
        help_text=_lazy("In the currency of the rent. It is shared as you give it."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    code = forms.CharField(
        label=_lazy("Code received by SMS"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class WithdrawForm(forms.Form):
    code = forms.CharField(
        label=_lazy("Code received by SMS"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _is_applicant(request, req) -> bool:
    user = request.user
    return bool(user.is_authenticated and str(getattr(user, "phone", "") or "") == req.applicant_phone)


def _error(form, exc: DomainError) -> None:
    field = (getattr(exc, "field", "") or "").split(".")[0]
    form.add_error(field if field in form.fields else None, str(exc.message))


@require_http_methods(["GET", "POST"])
def consent(request, token: str):
    try:
        ratelimit.hit("pages.pay", key=ratelimit.client_key(request))
    except ratelimit.RateLimited as exc:
        return throttled_response(request, exc)
    if not token or len(token) > TOKEN_MAX:
        raise Http404
    try:
        req = svc.request_by_token(token)
    except NotFound:
        raise Http404 from None
    action = request.POST.get("action", "") if request.method == "POST" else ""
    consent_form = ConsentForm(request.POST if action == "consent" else None)
    withdraw_form = WithdrawForm(request.POST if action == "withdraw" else None)
    code_sent = action == "code"
    notice = ""
    if action == "code":
        try:
            identity.login_code_request(
                phone=req.applicant_phone, language=getattr(request, "LANGUAGE_CODE", "fr")
            )
            notice = _("A code was sent by SMS to the number the agency gave.")
        except DomainError as exc:
            notice = str(exc.message)
    elif action == "consent" and consent_form.is_valid():
        try:
            identity.session_login_with_code(
                request, phone=req.applicant_phone, code=consent_form.cleaned_data["code"]
            )
            svc.consent_give(
                req, applicant=request.user, declared_income=consent_form.cleaned_data["declared_income"]
            )
        except DomainError as exc:
            _error(consent_form, exc)
            code_sent = True
        else:
            return _done(token)
    elif action == "withdraw":
        try:
            if not _is_applicant(request, req):
                identity.session_login_with_code(
                    request, phone=req.applicant_phone, code=request.POST.get("code", "")
                )
            svc.consent_withdraw(actor=request.user, req=req)
        except DomainError as exc:
            _error(withdraw_form, exc)
        else:
            return _done(token)
    req.refresh_from_db()
    current = svc.state(req)
    report_ctx = None
    if current == "issued" and _is_applicant(request, req):  # the applicant sees what the agency sees
        report = ScreeningReport.objects.filter(request=req).first()
        report_ctx = svc.report_context(report) if report is not None else None
    response = render(
        request,
        "scoring/screening_consent.html",
        {
            "req": req,
            "state": current,
            "state_label": svc.state_label(current),
            "items": svc.shared_items(),
            "form": consent_form,
            "withdraw_form": withdraw_form,
            "code_sent": code_sent or consent_form.is_bound,
            "notice": notice,
            "is_applicant": _is_applicant(request, req),
            "deadline": svc.answer_deadline(req),
            "report_ctx": report_ctx,
        },
    )
    response["Referrer-Policy"] = "same-origin"  # the token must not leak to other sites
    response["Cache-Control"] = "no-store"
    return response


def _done(token: str):
    response = redirect("scoring:screening-consent", token)
    response["Cache-Control"] = "no-store"
    return response
