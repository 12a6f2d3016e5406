"""The offerer's listings (/manager/market/listings/, manager:market-listings): the listings of
the organizations the user manages (and their own) with their status, the vacant units they
may publish in one click (a POST; the rules' outcome is said on the next page: published, or in
review with the flags), a listing's page (edit form with its errors, photos upload, price
history, submit, withdraw after a confirmation page). Signed-in users; everything goes through
services/listings.py, scoped to the user: another organization's listing is a 404."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError, NotFound
from apps.estate import api as estate

from .. import selectors
from ..contracts import AMENITIES, LIVE_STATUSES, ListingKind, ListingStatus
from ..models.listing import KIND_LABELS, STATUS_LABELS
from ..services import listings as svc
from ..services import photos as photo_files
from ..services.moderation import flag_labels


def listings_page(view):
    """Signed-in users only (else the login); a listing not theirs is the 404 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            if isinstance(exc, NotFound) or getattr(exc, "status", None) == 404:
                raise Http404 from None
            raise

    return wrapper


class ListingForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=140)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=[(k.value, KIND_LABELS[k]) for k in ListingKind]
    )
    rooms = forms.IntegerField(label=gettext_lazy("Rooms"), min_value=0, max_value=50)
    area_m2 = forms.IntegerField(label=gettext_lazy("Area (m²)"), min_value=1, required=False)
    price = forms.IntegerField(label=gettext_lazy("Price"))
    charges = forms.IntegerField(label=gettext_lazy("Monthly charges"), min_value=0)
    deposit_months = forms.IntegerField(
        label=gettext_lazy("Deposit (months of rent)"), min_value=0, max_value=50
    )
    advance_months = forms.IntegerField(
        label=gettext_lazy("Advance (months of rent)"), min_value=0, max_value=50
    )
    available_from = forms.DateField(
        label=gettext_lazy("Available from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    furnished = forms.BooleanField(label=gettext_lazy("Furnished"), required=False)
    water = forms.BooleanField(label=gettext_lazy("Running water"), required=False)
    own_meter = forms.BooleanField(label=gettext_lazy("Own electricity meter"), required=False)
    parking = forms.BooleanField(label=gettext_lazy("Parking"), required=False)
    air_conditioning = forms.BooleanField(label=gettext_lazy("Air conditioning"), required=False)
    security = forms.BooleanField(label=gettext_lazy("Guard or secured compound"), required=False)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100)
    neighbourhood = forms.CharField(label=gettext_lazy("Neighbourhood"), max_length=100, required=False)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)
    latitude = forms.FloatField(label=gettext_lazy("Latitude"), required=False)
    longitude = forms.FloatField(label=gettext_lazy("Longitude"), required=False)

    PLACE = ("city", "neighbourhood", "address", "latitude", "longitude")

    def __init__(self, *args, listing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if listing is not None and listing.unit:
            for name in self.PLACE:  # a unit under management: estate's place
                self.fields[name].disabled = True


class PhotoForm(forms.Form):
    photo = forms.ImageField(label=gettext_lazy("Photo"))
    caption = forms.CharField(label=gettext_lazy("Caption"), max_length=200, required=False)


def _form_error(form, exc: DomainError) -> None:
    field = (exc.field or "").split(".")[0]
    form.add_error(field if field in form.fields else None, str(exc.message))


def _status(listing) -> dict:
    tone = {"published": "good", "reserved": "good", "in_review": "warn", "draft": ""}.get(
        listing.status, "muted"
    )
    return {"label": str(STATUS_LABELS.get(listing.status, listing.status)), "tone": tone}


def _outcome(request, listing) -> None:
    """Say what the rules decided."""
    if listing.status == ListingStatus.PUBLISHED:
        messages.success(request, _("The listing is online."))
    elif listing.status == ListingStatus.IN_REVIEW:
        messages.warning(
            request,
            _("The listing waits for Hokwe's review: %(flags)s.")
            % {"flags": ", ".join(flag_labels(listing.flags))},
        )


@listings_page
@require_GET
def listings_home(request):
    rows = list(selectors.listings_of(request.user)[:200])
    listed_units = {r.unit for r in rows if r.unit and r.status in LIVE_STATUSES}
    vacant = [u for u in estate.vacant_units(svc.managed_org_ids(request.user)) if u.unit not in listed_units]
    return render(
        request,
        "market/manager/listings.html",
        {
            "rows": [
                {"listing": r, "status": _status(r), "kind": KIND_LABELS.get(r.kind, r.kind)} for r in rows
            ],
            "vacant": [{"unit": u, "kind": KIND_LABELS.get(u.kind, u.kind)} for u in vacant],
        },
    )


@listings_page
@require_POST
def listing_publish(request):
    """One click: publish a vacant unit (the rules' outcome said on the listing's page)."""
    try:
        listing = svc.create_from_unit(actor=request.user, unit_id=request.POST.get("unit", ""))
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise Http404 from None
        messages.error(request, str(exc.message))
        return redirect("manager:market-listings")
    _outcome(request, listing)
    return redirect("manager:market-listing", listing.public_id)


def _initial(listing) -> dict:
    names = list(ListingForm.base_fields)
    return {name: getattr(listing, name) for name in names}


@listings_page
@require_http_methods(["GET", "POST"])
def listing_page(request, listing_id):
    listing = svc.manageable_listing(request.user, listing_id)
    form = ListingForm(request.POST or None, initial=_initial(listing), listing=listing)
    if request.method == "POST" and listing.status in LIVE_STATUSES and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not form.fields[k].disabled}
        try:
            before = listing.status
            listing = svc.update(actor=request.user, listing=listing, **data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The listing is saved."))
            if listing.status != before:
                _outcome(request, listing)
            return redirect("manager:market-listing", listing.public_id)
    view = svc.listing_view(listing, detail=True)
    return render(
        request,
        "market/manager/listings_edit.html",
        {
            "listing": listing,
            "view": view,
            "status": _status(listing),
            "flags": flag_labels(listing.flags),
            "form": form,
            "photo_form": PhotoForm(),
            "live": listing.status in LIVE_STATUSES,
            "can_submit": listing.status == ListingStatus.DRAFT,
            "amenities": AMENITIES,
        },
        status=400 if request.method == "POST" else 200,
    )


@listings_page
@require_POST
def listing_photo(request, listing_id):
    listing = svc.manageable_listing(request.user, listing_id)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo (JPEG, PNG or WebP)."))
        return redirect("manager:market-listing", listing.public_id)
    try:
        svc.add_photo(
            actor=request.user,
            listing=listing,
            upload=form.cleaned_data["photo"],
            caption=form.cleaned_data.get("caption") or "",
        )
    except DomainError as exc:
        if getattr(exc, "status", None) == 404:
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The photo is added."))
        listing.refresh_from_db()
        if listing.status == ListingStatus.IN_REVIEW:
            _outcome(request, listing)
    return redirect("manager:market-listing", listing.public_id)


@listings_page
@require_POST
def listing_submit(request, listing_id):
    listing = svc.manageable_listing(request.user, listing_id)
    try:
        listing = svc.submit(actor=request.user, listing=listing)
    except DomainError as exc:
        if getattr(exc, "status", None) == 404:
            raise
        messages.error(request, str(exc.message))
    else:
        _outcome(request, listing)
    return redirect("manager:market-listing", listing.public_id)


@listings_page
@require_http_methods(["GET", "POST"])
def listing_withdraw(request, listing_id):
    """A confirmation page, then the listing goes offline for good."""
    listing = svc.manageable_listing(request.user, listing_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            svc.withdraw(actor=request.user, listing=listing)
        except DomainError as exc:
            if getattr(exc, "status", None) == 404:
                raise
            messages.error(request, str(exc.message))
            return redirect("manager:market-listing", listing.public_id)
        messages.success(request, _("The listing is withdrawn."))
        return redirect("manager:market-listings")
    return render(
        request, "market/manager/listings_withdraw.html", {"listing": listing, "status": _status(listing)}
    )


def photo_url(name: str) -> str:
    return photo_files.url_of(name)
