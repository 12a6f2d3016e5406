"""The « Sécurité » page of my account: my authenticator apps and passkeys, recovery codes,
and the SIM-swap hold (docs/identity.md, "A real second factor").

    /manager/identity/security/                        list, add, hold notice
    /manager/identity/security/totp/                   enrol an authenticator app (QR, first code)
    /manager/identity/security/passkeys/options/       JSON: options for navigator.credentials.create()
    /manager/identity/security/passkeys/               JSON: the authenticator's answer
    /manager/identity/security/<factor id>/remove/     confirm with a code of the strong factor
    /manager/identity/security/recovery-codes/         new recovery codes (code of the strong factor)
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.errors import DomainError

from ..services import protection, second_factor, step_up


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code of your authenticator app (or a recovery code)"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 12, "autofocus": True}
        ),
    )


class TotpNameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of this device (e.g. « Téléphone de Mathieu »)"),
        max_length=64,
        required=False,
    )


def _factor(user, factor_id: str):
    found = next((f for f in second_factor.factors_of(user) if f.id == factor_id and f.confirmed), None)
    if found is None:
        raise Http404()
    return found


@login_required
@require_http_methods(["GET", "POST"])
def security(request):
    user = request.user
    if request.method == "POST":  # « Ajouter une application d'authentification »
        form = TotpNameForm(request.POST)
        form.is_valid()
        second_factor.totp_start(actor=user, name=form.cleaned_data.get("name", ""))
        return redirect("manager:identity_security_totp")
    new_codes = request.session.pop("identity_new_recovery_codes", None)
    if new_codes:  # the first passkey's recovery codes: shown once
        return render(request, "identity/security_recovery_codes.html", {"codes": new_codes})
    hold = protection.hold_of(user)
    return render(
        request,
        "identity/security.html",
        {
            "factors": [f for f in second_factor.factors_of(user) if f.confirmed],
            "must_enrol": protection.must_enrol(user),
            "has_factor": second_factor.has_strong_factor(user),
            "recovery_left": second_factor.recovery_codes_left(user),
            "hold": hold,
            "name_form": TotpNameForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def totp_enrol(request):
    user = request.user
    enrolment = second_factor.totp_pending(user)
    if enrolment is None:
        messages.info(request, _("Start again: the enrolment has expired or was finished."))
        return redirect("manager:identity_security")
    form = CodeForm(request.POST or None)
    form.fields["code"].label = _("The 6-digit code your app shows")
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.totp_confirm(
                actor=user, device_id=enrolment.device_id, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            form.add_error("code", str(exc.message))
        else:
            messages.success(request, _("Your authenticator app is added: it now confirms your payouts."))
            if codes:
                return render(request, "identity/security_recovery_codes.html", {"codes": codes})
            return redirect("manager:identity_security")
    return render(request, "identity/security_totp.html", {"enrolment": enrolment, "form": form})


def _strong_answer(request, *, action: str, target: str, code: str) -> str:
    """Start and answer a strong step-up with a TOTP or recovery code; the proof token."""
    methods = second_factor.methods_of(request.user)
    challenge = step_up.step_up_start(
        actor=request.user, action=action, target=target, method="totp" if "totp" in methods else None
    )
    return step_up.step_up_verify(actor=request.user, challenge_id=challenge.challenge_id, code=code).token


@login_required
@require_http_methods(["GET", "POST"])
def factor_remove(request, factor_id: str):
    factor = _factor(request.user, factor_id)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token = _strong_answer(
                request, action=second_factor.REMOVE_ACTION, target=factor.id, code=form.cleaned_data["code"]
            )
            second_factor.second_factor_remove(actor=request.user, device_id=factor.id, step_up_token=token)
        except DomainError as exc:
            form.add_error("code", str(exc.message))
        else:
            messages.success(request, _("« %(name)s » was removed.") % {"name": factor.name})
            return redirect("manager:identity_security")
    return render(request, "identity/security_remove.html", {"factor": factor, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    if not second_factor.has_strong_factor(request.user):
        return redirect("manager:identity_security")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token = _strong_answer(
                request,
                action=second_factor.RECOVERY_ACTION,
                target=str(request.user.public_id),
                code=form.cleaned_data["code"],
            )
            codes = second_factor.recovery_codes_create(actor=request.user, step_up_token=token)
        except DomainError as exc:
            form.add_error("code", str(exc.message))
        else:
            return render(request, "identity/security_recovery_codes.html", {"codes": codes})
    return render(request, "identity/security_recovery.html", {"form": form})


@login_required
@require_POST
def passkey_options(request):
    return JsonResponse(json.loads(second_factor.passkey_registration_options(actor=request.user)))


@login_required
@require_POST
def passkey_register(request):
    try:
        body = json.loads(request.body or b"{}")
        passkey = second_factor.passkey_register(
            actor=request.user, credential=body.get("credential") or {}, name=str(body.get("name") or "")
        )
    except (ValueError, AttributeError):
        return JsonResponse(
            {"ok": False, "message": _("This passkey could not be verified. Try again.")}, status=400
        )
    except DomainError as exc:
        return JsonResponse({"ok": False, "message": str(exc.message)}, status=400)
    messages.success(request, _("Your passkey is added: it now confirms your payouts."))
    codes = getattr(passkey, "recovery_codes", [])
    if codes:
        request.session["identity_new_recovery_codes"] = codes
    return JsonResponse({"ok": True, "next": request.build_absolute_uri("/manager/identity/security/")})


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("New phone number"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "size": 16}),
    )


SESSION_PHONE = "identity_phone_change"


@login_required
@require_http_methods(["GET", "POST"])
def phone_change(request):
    """Change my phone number: a code to the NEW number, then payouts wait 72 h and the OLD
    number and the e-mail are told (SIM-swap protection)."""
    pending = request.session.get(SESSION_PHONE)
    if request.method == "POST" and request.POST.get("step") == "code" and pending:
        form = CodeForm(request.POST)
        form.fields["code"].label = _("Code received by SMS on the new number")
        if form.is_valid():
            try:
                protection.phone_change_confirm(
                    actor=request.user, phone=pending, code=form.cleaned_data["code"]
                )
            except DomainError as exc:
                form.add_error("code", str(exc.message))
            else:
                request.session.pop(SESSION_PHONE, None)
                messages.success(
                    request,
                    _("Your phone number was changed. For your protection, payouts wait 72 hours."),
                )
                return redirect("manager:identity_security")
        return render(
            request, "identity/security_phone.html", {"step": "code", "form": form, "phone": pending}
        )
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            protection.phone_change_request(actor=request.user, phone=form.cleaned_data["phone"])
        except DomainError as exc:
            form.add_error("phone", str(exc.message))
        else:
            from ..phones import normalize_phone

            request.session[SESSION_PHONE] = normalize_phone(form.cleaned_data["phone"])
            code_form = CodeForm()
            code_form.fields["code"].label = _("Code received by SMS on the new number")
            return render(
                request,
                "identity/security_phone.html",
                {"step": "code", "form": code_form, "phone": request.session[SESSION_PHONE]},
            )
    return render(request, "identity/security_phone.html", {"step": "phone", "form": form})
