"""Applications' pages: the seeker's apply page (/market/apply/<listing>/, market:apply,
sign-in required) and the agent's applicants of a listing
(/manager/market/listings/<listing>/applicants/, manager:market-listing-applicants): accept
(a confirmation page, then estate's new-lease form pre-filled) or decline with a reason.
Everything goes through services/applications.py; another organization's listing or
application is a 404 page."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.core.web.confirm import Confirmation, confirm_flow

from ..services import applications as svc


def _lang(request) -> str:
    return (getattr(request, "LANGUAGE_CODE", "") or "fr")[:2]


def page(methods=("GET",), template_404="market/applications/not_found.html"):
    """Signed-in users only (else the login with `next`); a refusal of ours (another's object,
    a provider not active yet) → the not-found page with its message and status."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = HttpResponse(status=405)
                response["Allow"] = ", ".join(methods)
                return response
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                return view(request, *args, **kwargs)
            except DomainError as exc:  # another's object (404), a provider not active yet (403)…
                status = getattr(exc, "status", 400) or 400
                if not 400 <= status < 500:
                    raise
                return render(request, template_404, {"message": str(exc.message)}, status=status)

        wrapper.hokwe_methods = tuple(methods)
        return wrapper

    return decorate


def _field_errors(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


class ApplyForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the agency"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    household_size = forms.IntegerField(
        label=gettext_lazy("People in the household"), min_value=1, max_value=30
    )
    monthly_income = forms.IntegerField(
        label=gettext_lazy("Monthly income (FCFA)"), min_value=0, max_value=10**12, required=False
    )
    move_in = forms.DateField(
        label=gettext_lazy("Wished move-in date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@page(methods=("GET", "POST"))
def apply(request, listing_id):
    listing = svc.visible_listing(listing_id)
    form = ApplyForm(request.POST or None, initial={"household_size": 1})
    if request.method == "POST" and form.is_valid():
        try:
            svc.apply(applicant=request.user, listing=listing, **form.cleaned_data)
        except DomainError as exc:
            if getattr(exc, "status", None) == 404:
                raise
            _field_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Application sent. The agency will get back to you; check your SMS for the screening link."
                ),
            )
            return redirect("market:apply", listing_id=listing.public_id)
    mine = svc.applications_of(request.user).filter(listing=listing).first()
    return render(
        request,
        "market/applications/apply.html",
        {
            "listing": listing,
            "form": form,
            "mine": mine,
            "price": format_amount(listing.price, listing.currency, _lang(request)),
        },
        status=400 if form.errors else 200,
    )


@page(methods=("POST",))
def withdraw(request, application_id):
    app = svc.application_of(request.user, application_id)
    try:
        svc.withdraw(actor=request.user, application=app)
        messages.success(request, _("Application withdrawn."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("market:apply", listing_id=app.listing.public_id)


# --- the agent's side ---


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (sent to the applicant)"), max_length=300, required=False
    )


@page(methods=("GET",))
def applicants(request, listing_id):
    listing = svc.managed_listing(request.user, listing_id)
    rows = svc.applicants(request.user, listing)
    lang = _lang(request)
    return render(
        request,
        "market/applications/applicants.html",
        {
            "listing": listing,
            "rows": [
                {
                    "row": r,
                    "income": format_amount(r.application.monthly_income, listing.currency, lang)
                    if r.application.monthly_income is not None
                    else "",
                }
                for r in rows
            ],
            "decline_form": DeclineForm(),
            "live": sum(1 for r in rows if r.application.status == "submitted"),
        },
    )


@page(methods=("GET", "POST"))
def accept(request, application_id):
    app = svc.application_for_manager(request.user, application_id)
    back = reverse("manager:market-listing-applicants", args=[app.listing.public_id])
    if app.status != "submitted":
        messages.error(request, _("This application is no longer waiting for a decision."))
        return redirect(back)
    others = app.listing.applications.filter(status="submitted").exclude(pk=app.pk).count()
    confirmation = Confirmation(
        title=_("Accept an applicant"),
        question=_("Accept %(name)s for « %(listing)s »?")
        % {"name": app.applicant.full_name, "listing": app.listing.title},
        facts=[
            (_("Applicant"), f"{app.applicant.full_name} · {app.applicant.phone or ''}"),
            (_("Other applications declined"), str(others)),
            (_("Move-in"), app.move_in.isoformat() if app.move_in else _("not given")),
        ],
        warning=_(
            "The listing is reserved and the other applicants are told by SMS. The lease form opens next."
        ),
        action_url=reverse("manager:market-application-accept", args=[app.public_id]),
        cancel_url=back,
        button=_("Accept and prepare the lease"),
    )

    def perform(**_kwargs):
        url = svc.accept(actor=request.user, application=app.public_id)
        messages.success(request, _("Applicant accepted: check the lease terms and sign it."))
        return redirect(url or back)

    return confirm_flow(
        request, confirmation, key=f"market.application.accept:{app.public_id}", perform=perform
    )


@page(methods=("POST",))
def decline(request, application_id):
    app = svc.application_for_manager(request.user, application_id)
    back = reverse("manager:market-listing-applicants", args=[app.listing.public_id])
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("At most %(n)s characters.") % {"n": 300})
        return redirect(back)
    try:
        svc.decline(actor=request.user, application=app.public_id, reason=form.cleaned_data["reason"])
        messages.success(request, _("Application declined; the applicant is told by SMS."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(back)
