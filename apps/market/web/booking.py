"""The booking web app (/booking/…, public; docs/market.md, "Visits and booking").

- /booking/<listing>/ (market:booking-listing): the listing's summary and its open slots
  grouped by day; pick one, give a name and a phone number (prefilled when signed in), book:
  two taps. The confirmation is the manage page with the code.
- /booking/v/<code>/ (market:booking-manage): the booking (only this one), « Add to
  calendar » (.ics), cancel (with a confirmation page), reschedule to another open slot.

Light pages: server-rendered, no script. Rate-limited per IP on every page (the gateway's
rule `pages.booking`, conf.py) and per client on booking (`market.book`). A bad input is a
form error, an unknown listing or code the not-found page (404), never a 500.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from apps.core import ratelimit
from apps.core.errors import DomainError
from apps.core.gateway import throttled_response
from apps.core.money import format_amount
from apps.core.web.confirm import Confirmation, confirm_flow

from ..errors import BookingNotFound, ListingNotFound
from ..models import VisitBooking
from ..services import visits

BASE = "market/booking/base.html"


class BookForm(forms.Form):
    slot = forms.UUIDField(
        label=gettext_lazy("Time of the visit"),
        error_messages={"required": gettext_lazy("Choose a time for the visit.")},
    )
    name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=visits.NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Your phone number"),
        max_length=32,
        help_text=gettext_lazy("The confirmation and the reminder are sent to it by SMS."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Booking code"),
        max_length=16,
        help_text=gettext_lazy("The 8 characters received by SMS."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class RescheduleForm(forms.Form):
    slot = forms.UUIDField(
        label=gettext_lazy("New time"),
        error_messages={"required": gettext_lazy("Choose a new time for the visit.")},
    )


@require_http_methods(["GET", "POST"])
def home_page(request):
    """booking.hokwe.com's landing page: find one's booking by its code, or a home to visit."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.hit("market.code", key=ratelimit.client_key(request))
        except ratelimit.RateLimited as exc:
            return throttled_response(request, exc)
        try:
            booking = visits.booking_by_code(form.cleaned_data["code"])
        except BookingNotFound:
            form.add_error("code", _("No booking has this code. Check the SMS you received."))
        else:
            return redirect("market:booking-manage", booking.code)
    return render(
        request,
        "market/booking/home.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _not_found(request):
    return render(request, "market/booking/not_found.html", {}, status=404)


def _days(slots) -> list[dict]:
    """Slots grouped by local day: [{"day": date, "slots": [...]}]."""
    days: OrderedDict = OrderedDict()
    for slot in slots:
        start = timezone.localtime(slot.starts_at)
        days.setdefault(start.date(), []).append(
            {"slot": slot, "start": start, "end": timezone.localtime(slot.ends_at)}
        )
    return [{"day": day, "label": date_format(day, "l j F"), "slots": rows} for day, rows in days.items()]


def _price(listing, request) -> str:
    return format_amount(listing.price, listing.currency, (getattr(request, "LANGUAGE_CODE", "") or "fr")[:2])


def _form_error(form, exc: DomainError) -> None:
    field = (exc.field or "").split(".")[0]
    form.add_error(field if field in form.fields else None, str(exc.message))


@require_http_methods(["GET", "POST"])
def listing_page(request, listing_id):
    """The listing's open slots and the booking form (POST books, then the confirmation)."""
    try:
        listing = visits.visible_listing(listing_id)
    except ListingNotFound:
        return _not_found(request)
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST":
        form = BookForm(request.POST)
        if form.is_valid():
            try:
                ratelimit.hit("market.book", key=ratelimit.client_key(request))
            except ratelimit.RateLimited as exc:
                return throttled_response(request, exc)
            data = form.cleaned_data
            try:
                booking = visits.book(
                    slot_id=data["slot"],
                    seeker=user,
                    name=data["name"],
                    phone=data["phone"],
                    idempotency_key=f"booking-page:{data['key']}" if data.get("key") else None,
                    listing=listing,
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                return redirect(reverse("market:booking-manage", args=[booking.code]) + "?new=1")
    else:
        initial = {"key": secrets.token_urlsafe(16)}
        if user is not None:
            initial |= {"name": user.full_name, "phone": str(getattr(user, "phone", "") or "")}
        if request.GET.get("slot"):
            initial["slot"] = request.GET["slot"][:40]
        form = BookForm(initial=initial)
    selected = str(form["slot"].value() or "")
    return render(
        request,
        "market/booking/listing.html",
        {
            "listing": listing,
            "price": _price(listing, request),
            "days": _days(visits.open_slots(listing)),
            "form": form,
            "selected": selected,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _booking(code) -> VisitBooking:
    try:
        return visits.booking_by_code(code)
    except BookingNotFound:
        raise Http404 from None


def _manage_context(request, booking, **extra) -> dict:
    listing = booking.listing
    can_change = booking.status == VisitBooking.Status.BOOKED and booking.starts_at > timezone.now()
    slots = visits.open_slots(listing) if can_change and listing.status in ("published", "reserved") else []
    moved_to = (
        getattr(booking, "rescheduled_to", None) if booking.status == VisitBooking.Status.CANCELED else None
    )
    return {
        "booking": booking,
        "listing": listing,
        "start": timezone.localtime(booking.starts_at),
        "day_label": date_format(timezone.localtime(booking.starts_at), "l j F Y"),
        "end": timezone.localtime(booking.ends_at),
        "place": visits.place_of(booking),
        "can_change": can_change,
        "days": _days(slots),
        "moved_to": moved_to,
        "new": request.GET.get("new") == "1",
        **extra,
    }


@require_GET
def manage_page(request, code):
    """One booking by its code: the details, .ics, cancel, reschedule."""
    try:
        booking = _booking(code)
    except Http404:
        return _not_found(request)
    return render(
        request, "market/booking/manage.html", _manage_context(request, booking, form=RescheduleForm())
    )


@require_http_methods(["POST"])
def cancel_page(request, code):
    """Cancel the booking, after a confirmation page."""
    try:
        booking = _booking(code)
    except Http404:
        return _not_found(request)
    manage = reverse("market:booking-manage", args=[booking.code])
    start = timezone.localtime(booking.starts_at)
    confirmation = Confirmation(
        title=_("Cancel the visit"),
        question=_("Cancel your visit of « %(title)s »?") % {"title": booking.listing.title},
        facts=[(_("When"), start.strftime("%d/%m/%Y %H:%M")), (_("Code"), booking.code)],
        action_url=reverse("market:booking-cancel", args=[booking.code]),
        cancel_url=manage,
        button=_("Cancel the visit"),
        warning=_("The slot will be offered to other seekers."),
        base_template=BASE,
    )

    def perform(**_kwargs):
        visits.cancel(booking, by="seeker")
        return redirect(manage)

    return confirm_flow(request, confirmation, key=f"market.booking.cancel:{booking.code}", perform=perform)


@require_http_methods(["POST"])
def reschedule_page(request, code):
    """Move the booking to another open slot of the listing: the new booking's page."""
    try:
        booking = _booking(code)
    except Http404:
        return _not_found(request)
    form = RescheduleForm(request.POST)
    if form.is_valid():
        try:
            new = visits.reschedule(booking, to_slot_id=form.cleaned_data["slot"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return redirect(reverse("market:booking-manage", args=[new.code]) + "?new=1")
    booking.refresh_from_db()
    return render(
        request, "market/booking/manage.html", _manage_context(request, booking, form=form), status=400
    )


@require_GET
def ics_download(request, code):
    """The visit as an .ics file (« Add to calendar »)."""
    try:
        booking = _booking(code)
    except Http404:
        return _not_found(request)
    response = HttpResponse(visits.ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="visite-{booking.code}.ics"'
    return response
