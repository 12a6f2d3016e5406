"""Confirmation pages for irreversible actions (closing a statement and paying the landlord,
ending a lease, writing a debt off, …), the same for every module.

The action's own button only *asks*: its POST shows a page that states the consequence in
words (« Verser 535 900 FCFA à Famille Adjovi ? »), the figures, and, when needed, a box to
tick (« Je clôture un mois en cours ») and a code received by SMS. Nothing is done before the
person confirms on that page.

    confirmation = Confirmation(
        title=_("Close the statement"),
        question=_("Pay %(amount)s to %(owner)s?") % {...},
        facts=[(_("Month"), "mars 2026"), ...],
        action_url=request.path, cancel_url=..., button=_("Close and pay over"),
        acknowledge=_("I am closing a month in progress") if in_progress else "",
        step_up=True,
    )
    return confirm_flow(request, confirmation, key=f"estate.statement.close:{statement.public_id}",
                        send_code=send_code, perform=perform)

Steps, carried by the hidden field `confirm_step`:
    ""       the action's own form: the confirmation page, nothing done;
    confirm  the person confirmed (and ticked the box if asked): without step-up `perform`
             runs now; with step-up `send_code()` sends the SMS and the code field is shown;
    code     `perform(challenge=..., code=...)` runs.
`perform` returns the response (a redirect, PRG) or raises a DomainError, shown on the page.
The step-up itself stays in identity: the module's view calls apps.identity.api in its
`send_code` and `perform` (core does not import identity). The pending challenge lives in the
session under the operation's key and is dropped once done, so a replayed POST does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError

STEP_FIELD = "confirm_step"
SESSION_PREFIX = "confirm:"


@dataclass
class Confirmation:
    title: str
    question: str  # the consequence, as a question: « Verser 535 900 FCFA à Famille Adjovi ? »
    action_url: str
    cancel_url: str
    button: str
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, value) shown as a list
    warning: str = ""  # one more sentence (« Cette action est définitive. »)
    hidden: dict = field(default_factory=dict)  # the first form's data, carried to the next steps
    acknowledge: str = ""  # label of a box that must be ticked ("" = none)
    step_up: bool = False  # money: a code sent by SMS is asked before doing it
    # the step-up's code comes from the authenticator app (identity's strong actions:
    # `identity.api.needs_strong_factor`), not by SMS: the page says so before the code step
    strong: bool = False
    base_template: str = "base.html"


class ConfirmForm(forms.Form):
    acknowledge = forms.BooleanField(required=False)
    code = forms.CharField(
        label=gettext_lazy("Code received by SMS"),
        required=False,
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*", "size": 8}
        ),
    )

    def __init__(self, *args, acknowledge_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if acknowledge_label:
            self.fields["acknowledge"].label = acknowledge_label
        else:
            del self.fields["acknowledge"]


def _session_key(key: str) -> str:
    return SESSION_PREFIX + key


def pending(request, key: str) -> dict | None:
    return request.session.get(_session_key(key))


def render_confirmation(request, confirmation: Confirmation, form: ConfirmForm, *, step: str, hint: str = ""):
    if step == "code" and not hint and "code" in form.fields:
        # no phone: a money action's strong factor answers (identity: TOTP or a recovery code)
        form.fields["code"].label = _("Code of your authenticator app")
    return render(
        request,
        "confirm/page.html",
        {"c": confirmation, "form": form, "step": step, "phone_hint": hint, "step_field": STEP_FIELD},
    )


def confirm_flow(
    request,
    confirmation: Confirmation,
    *,
    key: str,
    perform: Callable[..., HttpResponse],
    send_code: Callable[[], tuple[str, str]] | None = None,
) -> HttpResponse:
    """Drive the confirmation of one operation (see the module docstring). `send_code()`
    returns (challenge_id, masked phone); `perform(challenge=..., code=...)` does the action
    (challenge and code are None without step-up)."""
    step = request.POST.get(STEP_FIELD, "") if request.method == "POST" else ""
    if step not in ("confirm", "code"):
        request.session.pop(_session_key(key), None)
        return render_confirmation(
            request, confirmation, ConfirmForm(acknowledge_label=confirmation.acknowledge), step="confirm"
        )
    if step == "code" and not confirmation.step_up:
        step = "confirm"
    form = ConfirmForm(request.POST, acknowledge_label=confirmation.acknowledge)
    form.is_valid()
    if step == "confirm":
        if confirmation.acknowledge and not form.cleaned_data.get("acknowledge"):
            form.add_error("acknowledge", _("Tick this box to confirm, or cancel."))
            return render_confirmation(request, confirmation, form, step="confirm")
        if confirmation.step_up and send_code is not None:
            try:
                challenge, hint = send_code()
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                return render_confirmation(request, confirmation, form, step="confirm")
            request.session[_session_key(key)] = {"challenge": challenge, "hint": hint}
            return render_confirmation(
                request, confirmation, ConfirmForm(acknowledge_label=""), step="code", hint=hint
            )
        return _perform(request, confirmation, form, key=key, perform=perform, challenge=None, code=None)
    # step == "code"
    state = pending(request, key)
    if not state:
        form = ConfirmForm({}, acknowledge_label=confirmation.acknowledge)
        form.is_valid()
        form.add_error(None, _("This confirmation has expired or was already used: confirm again."))
        return render_confirmation(request, confirmation, form, step="confirm")
    code = (form.cleaned_data.get("code") or "").strip()
    if not code:
        form.add_error(
            "code",
            _("Enter the code received by SMS.")
            if state.get("hint")
            else _("Enter the code of your authenticator app."),
        )
        return render_confirmation(request, confirmation, form, step="code", hint=state.get("hint", ""))
    return _perform(
        request,
        confirmation,
        form,
        key=key,
        perform=perform,
        challenge=state["challenge"],
        code=code,
        hint=state.get("hint", ""),
    )


def _perform(request, confirmation, form, *, key, perform, challenge, code, hint=""):
    try:
        response = perform(challenge=challenge, code=code)
    except DomainError as exc:
        field_name = exc.field if exc.field in form.fields else None
        form.add_error(field_name, str(exc.message))
        return render_confirmation(
            request, confirmation, form, step="code" if challenge else "confirm", hint=hint
        )
    request.session.pop(_session_key(key), None)
    return response
