"""Local services' pages.

- the provider (/market/pro/…): sign up (trades, zones; active once KYC allows it), the
  profile, the requests matching its trades and zones (never another provider's), send a
  quote, its jobs (withdraw a quote, mark a paid job done);
- the requester, a seeker or an agency member (/market/services/…): ask for quotes (open, or
  to one provider; an agency may send an estate maintenance ticket), compare the quotes,
  accept one, pay it (a confirmation page and the code received by SMS, then the payment
  page), confirm the job done, review it;
- anyone: a provider's public profile with its reviews (/market/providers/<id>/).
Everything goes through services/providers.py and services/quotes.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.identity import api as identity

from ..errors import ProviderNotFound, QuoteRequestNotFound
from ..models import Trade
from ..services import photos as photo_files
from ..services import providers, quotes
from .applications import _field_errors, _lang, page

NOT_FOUND = "market/services/not_found.html"
PAY_ACTION = "market.quote.pay"


def _money(amount, currency, request) -> str:
    return format_amount(amount, currency, _lang(request))


# --- forms ---


class ProviderForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Business name"), max_length=120)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30)
    bio = forms.CharField(
        label=gettext_lazy("About your work"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    trades = forms.MultipleChoiceField(
        label=gettext_lazy("Trades"), choices=Trade.choices, widget=forms.CheckboxSelectMultiple
    )
    zones = forms.CharField(
        label=gettext_lazy("Zones"),
        help_text=gettext_lazy("One per line: city, or city / neighbourhood (« Cotonou / Fidjrossè »)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def clean_zones(self):
        zones = []
        for line in self.cleaned_data["zones"].splitlines():
            if line.strip():
                city, _sep, hood = line.partition("/")
                zones.append((city.strip(), hood.strip()))
        return zones


class QuoteRequestForm(forms.Form):
    trade = forms.ChoiceField(label=gettext_lazy("Trade"), choices=Trade.choices)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)
    neighbourhood = forms.CharField(label=gettext_lazy("Neighbourhood"), max_length=100, required=False)
    description = forms.CharField(
        label=gettext_lazy("What needs doing"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    wanted_by = forms.DateField(
        label=gettext_lazy("Wanted by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    organization = forms.ChoiceField(label=gettext_lazy("On behalf of"), required=False)
    maintenance_ticket = forms.UUIDField(label=gettext_lazy("Maintenance ticket (estate)"), required=False)
    provider = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", _("myself"))] + [
            (str(public_id), name) for public_id, name in organizations
        ]


class QuoteForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Amount (FCFA)"), min_value=1, max_value=10**12)
    message = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("Rating"), choices=[(n, str(n)) for n in range(5, 0, -1)], coerce=int
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- the provider ---


@page(methods=("GET", "POST"), template_404=NOT_FOUND)
def pro_home(request):
    """Sign up (no profile yet) or change the profile; its status (pending until KYC)."""
    provider = providers.provider_of(request.user)
    if provider is not None:
        providers.refresh_status(provider)
    initial = {"phone": str(request.user.phone or ""), "name": request.user.full_name}
    if provider is not None:
        initial = {
            "name": provider.name,
            "phone": provider.phone,
            "bio": provider.bio,
            "trades": [t.trade for t in provider.trades.all()],
            "zones": "\n".join(
                f"{z.city} / {z.neighbourhood}" if z.neighbourhood else z.city for z in provider.zones.all()
            ),
        }
    form = ProviderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if provider is None:
                provider = providers.provider_signup(user=request.user, **data)
            else:
                provider = providers.provider_update(actor=request.user, **data)
        except DomainError as exc:
            _field_errors(form, exc)
        else:
            messages.success(request, _("Your provider profile is saved."))
            return redirect("market:pro")
    return render(
        request,
        "market/services/pro_home.html",
        {
            "provider": provider,
            "form": form,
            "photo_form": PhotoForm(),
            "photos": [
                {"id": p.public_id, "url": photo_files.url_of(p.sizes.get("thumb") or p.original.name)}
                for p in (provider.photos.all() if provider else [])
            ],
        },
        status=400 if form.errors else 200,
    )


class PhotoForm(forms.Form):
    photo = forms.ImageField(label=gettext_lazy("Photo of your work"))
    caption = forms.CharField(label=gettext_lazy("Caption"), max_length=200, required=False)


@page(methods=("POST",), template_404=NOT_FOUND)
def pro_photo(request):
    """Add a photo (resized, EXIF stripped) or remove one (`remove`: its id)."""
    if request.POST.get("remove"):
        providers.photo_remove(actor=request.user, photo_id=request.POST["remove"])
        messages.success(request, _("Photo removed."))
        return redirect("market:pro")
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            providers.photo_add(
                actor=request.user, upload=form.cleaned_data["photo"], caption=form.cleaned_data["caption"]
            )
            messages.success(request, _("Photo added."))
        except DomainError as exc:
            if getattr(exc, "status", None) == 404:
                raise
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("Choose a photo (JPEG, PNG or WebP)."))
    return redirect("market:pro")


@page(template_404=NOT_FOUND)
def pro_requests(request):
    try:
        rows = list(quotes.requests_for_provider(request.user)[:100])
    except ProviderNotFound:
        return redirect("market:pro")
    except DomainError as exc:  # not active yet
        messages.error(request, str(exc.message))
        return redirect("market:pro")
    return render(request, "market/services/pro_requests.html", {"rows": rows})


@page(methods=("GET", "POST"), template_404=NOT_FOUND)
def pro_request(request, request_id):
    req = quotes.request_for_provider(request.user, request_id)
    own = quotes.own_quote(request.user, req)
    form = QuoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            quotes.quote_send(actor=request.user, request=req, **form.cleaned_data)
        except DomainError as exc:
            if getattr(exc, "status", None) == 404:
                raise
            _field_errors(form, exc)
        else:
            messages.success(request, _("Quote sent."))
            return redirect("market:pro-jobs")
    return render(
        request,
        "market/services/pro_request.html",
        {
            "req": req,
            "own": own,
            "form": form,
            "own_amount": _money(own.amount, own.currency, request) if own else "",
        },
        status=400 if form.errors else 200,
    )


@page(template_404=NOT_FOUND)
def pro_jobs(request):
    try:
        rows = list(quotes.quotes_of_provider(request.user)[:100])
    except ProviderNotFound:
        return redirect("market:pro")
    return render(
        request,
        "market/services/pro_jobs.html",
        {"rows": [{"q": q, "amount": _money(q.amount, q.currency, request)} for q in rows]},
    )


def _quote_action(service, done_message: str, redirect_to):
    @page(methods=("POST",), template_404=NOT_FOUND)
    def view(request, quote_id):
        try:
            q = service(actor=request.user, quote=quote_id)
            messages.success(request, done_message)
        except DomainError as exc:
            if getattr(exc, "status", None) == 404:
                raise
            messages.error(request, str(exc.message))
            q = quotes.quote_for(request.user, quote_id)
        return redirect_to(q)

    return view


pro_quote_withdraw = _quote_action(
    quotes.quote_withdraw, gettext_lazy("Quote withdrawn."), lambda q: redirect("market:pro-jobs")
)
pro_job_done = _quote_action(
    quotes.job_done,
    gettext_lazy("Marked as done: the client confirms it."),
    lambda q: redirect("market:pro-jobs"),
)


# --- the requester ---


@page(methods=("GET", "POST"), template_404=NOT_FOUND)
def services_home(request):
    """The requester's quote requests and the form to ask for quotes (?provider=… to ask one)."""
    organizations = [
        (m.organization_public_id, identity.get_organization(m.organization_public_id).name)
        for m in identity.memberships_of(request.user)
    ]
    initial = {
        "provider": request.GET.get("provider") or None,
        "trade": request.GET.get("trade") or None,
        "maintenance_ticket": request.GET.get("ticket") or None,
        "organization": request.GET.get("organization") or "",
    }
    form = QuoteRequestForm(request.POST or None, initial=initial, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["organization"] = data.get("organization") or None
        try:
            req = quotes.request_create(actor=request.user, **data)
        except DomainError as exc:
            _field_errors(form, exc)
        else:
            messages.success(request, _("Request sent to the providers."))
            return redirect("market:services-request", request_id=req.public_id)
    direct = None
    if initial["provider"]:
        try:
            direct = providers.active_provider(initial["provider"])
        except ProviderNotFound:
            direct = None
    return render(
        request,
        "market/services/requests.html",
        {"rows": list(quotes.requests_of(request.user)[:100]), "form": form, "direct": direct},
        status=400 if form.errors else 200,
    )


@page(template_404=NOT_FOUND)
def services_request(request, request_id):
    req = quotes.request_of(request.user, request_id)
    rows = [
        {"q": q, "amount": _money(q.amount, q.currency, request)}
        for q in quotes.quotes_for_request(request.user, req)
    ]
    return render(request, "market/services/request.html", {"req": req, "rows": rows})


def _to_request(q):
    return redirect("market:services-request", request_id=q.request.public_id)


services_quote_accept = _quote_action(
    quotes.quote_accept, gettext_lazy("Quote accepted: pay it to confirm the job."), _to_request
)
services_quote_confirm = _quote_action(
    quotes.job_confirm, gettext_lazy("Job confirmed. You can now review it."), _to_request
)


@page(methods=("GET", "POST"), template_404=NOT_FOUND)
def services_quote_pay(request, quote_id):
    """The confirmation (amount, provider), the code received by SMS, then the payment page."""
    q = quotes.quote_for(request.user, quote_id)
    if q.request.requester_id != request.user.pk:
        raise QuoteRequestNotFound()
    back = reverse("market:services-request", args=[q.request.public_id])
    if q.status != "accepted":
        messages.error(request, _("Only an accepted quote waiting for payment can be paid."))
        return redirect(back)
    amount = _money(q.amount, q.currency, request)
    confirmation = Confirmation(
        title=_("Pay a quote"),
        question=_("Pay %(amount)s to %(provider)s?") % {"amount": amount, "provider": q.provider.name},
        facts=[
            (_("Provider"), q.provider.name),
            (_("Amount"), amount),
            (_("Job"), q.request.description[:120]),
        ],
        warning=_("The money goes to the provider's Hokwe wallet once you pay on the next page."),
        action_url=reverse("market:services-quote-pay", args=[q.public_id]),
        cancel_url=back,
        button=_("Continue to payment"),
        step_up=True,
        strong=identity.needs_strong_factor(request.user, action=PAY_ACTION, amount=q.amount),
        base_template="market/public/base.html",
    )

    def send_code():
        challenge = identity.step_up_start(
            actor=request.user,
            action=PAY_ACTION,
            target=str(q.public_id),
            amount=q.amount,
            currency=q.currency,
        )
        return challenge.challenge_id, challenge.phone_hint

    def perform(*, challenge, code):
        if challenge:
            identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code)
        intent = quotes.quote_pay(actor=request.user, quote=q.public_id)
        return redirect(intent.pay_url)

    return confirm_flow(
        request, confirmation, key=f"market.quote.pay:{q.public_id}", send_code=send_code, perform=perform
    )


@page(methods=("GET", "POST"), template_404=NOT_FOUND)
def services_quote_review(request, quote_id):
    q = quotes.quote_for(request.user, quote_id)
    if q.request.requester_id != request.user.pk:
        raise QuoteRequestNotFound()
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            quotes.review(actor=request.user, quote=q.public_id, **form.cleaned_data)
        except DomainError as exc:
            _field_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your review."))
            return redirect("market:provider", provider_id=q.provider.public_id)
    return render(
        request, "market/services/review.html", {"q": q, "form": form}, status=400 if form.errors else 200
    )


# --- public ---


@require_GET
def provider_profile(request, provider_id):
    try:
        provider = providers.active_provider(provider_id)
    except ProviderNotFound:
        return render(request, NOT_FOUND, {}, status=404)
    return render(
        request,
        "market/services/provider.html",
        {
            "p": providers.profile(provider),
            "trades": [Trade(t.trade).label for t in provider.trades.all()],
            "reviews": [
                {"review": r, "author": (r.author.full_name or "").split(" ")[0]}
                for r in providers.reviews_of(provider)
            ],
        },
    )
