"""« Mot de passe oublié ? »: a new password for the manager login, proven by a code sent by
SMS (identity's OTP machinery: hashed codes, 5-minute life, wrong tries counted then a lock,
a resend cooldown and per-phone / per-IP caps).

Three steps: the phone → the code → the new password twice (Django's validators). No user
enumeration: an unknown (or inactive) number gets the same answer and the same next page as
a known one, and nothing is sent; the phone's own limits (cooldown, hourly cap, lock) are
silent for the same reason. The per-IP limit applies to every request, known number or not,
and is the only refusal shown at the first step. At the code step every refusal reads the
same (« wrong or expired »), and this browser session may try at most OTP_MAX_ATTEMPTS
codes, for a known number (where the OTP lock also counts) and an unknown one alike.
"""

from __future__ import annotations

import logging
import time

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from apps.core import ratelimit
from apps.core.errors import DomainError

from ..models import User
from ..phones import mask_phone
from ..services.audit import Kind, audit
from ..services.otp import otp_send, otp_verify
from ..services.tokens import tokens_logout_all
from . import forms

logger = logging.getLogger("hokwe.identity.password_reset")

PURPOSE = "password_reset"
SESSION_PHONE = "identity_reset_phone"
SESSION_TRIES = "identity_reset_tries"
SESSION_VERIFIED = "identity_reset_verified"  # {"user": pk, "until": epoch seconds}
VERIFIED_SECONDS = 10 * 60  # time to choose the new password once the code is right
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class CodeForm(django_forms.Form):
    code = forms.CodeInput()


class NewPasswordForm(SetPasswordForm):
    new_password1 = django_forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        widget=django_forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
    )
    new_password2 = django_forms.CharField(
        label=gettext_lazy("New password again"),
        strip=False,
        widget=django_forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _refused(form, exc: ratelimit.RateLimited) -> None:
    wait = int(getattr(getattr(exc, "decision", None), "retry_after", 0) or 60)
    form.add_error(
        None, _("Too many attempts from this connection. Try again in %(seconds)d s.") % {"seconds": wait}
    )


def _account(phone: str) -> User | None:
    user = User.objects.filter(phone=phone).first()
    if user is None or not user.is_active:
        return None
    return user


@require_http_methods(["GET", "POST"])
def reset_request(request):
    form = forms.PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            ratelimit.hit("identity.otp_request", key=f"ip:{_ip(request)}")
        except ratelimit.RateLimited as exc:
            _refused(form, exc)
        else:
            user = _account(phone)
            if user is not None:
                try:
                    otp_send(phone=phone, purpose=PURPOSE, language=user.preferred_language, ip=_ip(request))
                except DomainError as exc:  # cooldown, hourly cap, lock: silent (no enumeration)
                    logger.info("password_reset.not_sent", extra={"reason": type(exc).__name__})
            request.session[SESSION_PHONE] = phone
            request.session[SESSION_TRIES] = 0
            request.session.pop(SESSION_VERIFIED, None)
            return redirect("manager:identity_password_reset_code")
    return render(request, "identity/password_reset_request.html", {"form": form})


@require_http_methods(["GET", "POST"])
def reset_code(request):
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("manager:identity_password_reset")
    form = CodeForm(request.POST or None)
    tries = int(request.session.get(SESSION_TRIES, 0))
    if tries >= settings.OTP_MAX_ATTEMPTS:
        return _start_again(request)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.hit("identity.otp_verify", key=f"ip:{_ip(request)}")
        except ratelimit.RateLimited as exc:
            _refused(form, exc)
            return _code_page(request, form, phone)
        request.session[SESSION_TRIES] = tries + 1
        user = _account(phone)
        ok = False
        if user is not None:
            try:
                otp_verify(phone=phone, purpose=PURPOSE, code=form.cleaned_data["code"], ip=_ip(request))
                ok = True
            except DomainError:  # wrong, expired, locked: one answer
                pass
        if ok:
            request.session.pop(SESSION_PHONE, None)
            request.session.pop(SESSION_TRIES, None)
            request.session[SESSION_VERIFIED] = {"user": user.pk, "until": time.time() + VERIFIED_SECONDS}
            return redirect("manager:identity_password_reset_new")
        if tries + 1 >= settings.OTP_MAX_ATTEMPTS:
            return _start_again(request)
        form.add_error("code", _("This code is wrong or has expired."))
    return _code_page(request, form, phone)


def _code_page(request, form, phone):
    return render(request, "identity/password_reset_code.html", {"form": form, "phone": mask_phone(phone)})


def _start_again(request):
    request.session.pop(SESSION_PHONE, None)
    request.session.pop(SESSION_TRIES, None)
    messages.error(request, _("Too many wrong codes. Ask for a new code in a few minutes."))
    return redirect("manager:identity_password_reset")


@require_http_methods(["GET", "POST"])
def reset_new_password(request):
    verified = request.session.get(SESSION_VERIFIED) or {}
    user = None
    if verified.get("until", 0) > time.time():
        user = User.objects.filter(pk=verified.get("user")).first()
    if user is None or not user.is_active:
        request.session.pop(SESSION_VERIFIED, None)
        messages.error(request, _("This reset has expired. Ask for a new code."))
        return redirect("manager:identity_password_reset")
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        request.session.pop(SESSION_VERIFIED, None)
        tokens_logout_all(user=user, reason="password_reset")  # the apps sign in again
        audit(Kind.LOGOUT_ALL, actor=user, subject=user, data={"reason": "password_reset"})
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, _("Your password was changed. You are logged in."))
        return redirect("manager:home")
    return render(request, "identity/password_reset_new.html", {"form": form})
