"""The agent's calendar of visits (/manager/market/visits/, manager:market-visits): a week of
the visits booked on the listings the user manages and of their open slots (seven columns on
a laptop, a list of days on a phone), publishing slots (one or a weekly series), marking a
visit done or no-show once it has started, canceling a visit or a slot (after a confirmation
page). Signed-in users; everything is read through services/visits.py, scoped to the user's
organizations (manage roles) and own listings: another organization's visit is a 404."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError
from apps.core.web.confirm import Confirmation, confirm_flow

from ..errors import BookingNotFound, ListingNotFound
from ..models import VisitBooking
from ..services import visits

DURATIONS = [
    (15, "15 min"),
    (30, "30 min"),
    (45, "45 min"),
    (60, "1 h"),
    (90, "1 h 30"),
    (120, "2 h"),
    (180, "3 h"),
]


class PublishForm(forms.Form):
    listing = forms.ChoiceField(label=gettext_lazy("Listing"))
    day = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.TimeField(
        label=gettext_lazy("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration = forms.TypedChoiceField(
        label=gettext_lazy("Duration"), choices=DURATIONS, coerce=int, initial=30
    )
    repeat_weeks = forms.IntegerField(
        label=gettext_lazy("Repeat every week for"),
        help_text=gettext_lazy("more weeks (0: this day only)"),
        min_value=0,
        max_value=52,
        initial=0,
    )
    meeting_point = forms.CharField(label=gettext_lazy("Meeting point"), max_length=200, required=False)

    def __init__(self, *args, listings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listing"].choices = [(str(x.public_id), x.title) for x in listings]


def week_of(text: str | None, today: date) -> date:
    """The Monday of the week holding `text` (« 2026-12-07 »), else of today's."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        day = today
    return day - timedelta(days=day.weekday())


def _bounds(monday: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(monday, time.min), zone)
    return start, start + timedelta(days=7)


@login_required
@require_http_methods(["GET", "POST"])
def visits_page(request):
    """The week's visits and open slots, and the form to publish slots (POST publishes)."""
    today = timezone.localdate()
    monday = week_of(request.GET.get("week"), today)
    listings = visits.managed_listings(request.user)
    form = PublishForm(request.POST if request.method == "POST" else None, listings=listings)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            zone = timezone.get_current_timezone()
            starts_at = timezone.make_aware(datetime.combine(data["day"], data["start"]), zone)
            try:
                listing = visits.managed_listing(request.user, data["listing"])
                created = visits.slots_create(
                    actor=request.user,
                    listing=listing,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=data["duration"]),
                    repeat_weeks=data["repeat_weeks"],
                    meeting_point=data["meeting_point"],
                )
            except DomainError as exc:
                field = (exc.field or "").split(".")[0]
                field = {"starts_at": "day", "ends_at": "duration"}.get(field, field)
                form.add_error(field if field in form.fields else None, str(exc.message))
            else:
                messages.success(
                    request,
                    _("%(count)d visit slot(s) published.") % {"count": len(created)},
                )
                return redirect(
                    reverse("manager:market-visits") + f"?week={week_of(str(data['day']), today)}"
                )
    start, end = _bounds(monday)
    bookings = visits.host_calendar(request.user, start=start, end=end)
    slots = visits.host_slots(request.user, start=start, end=end)
    now = timezone.now()
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        rows = [
            {
                "kind": "visit",
                "booking": b,
                "start": timezone.localtime(b.starts_at),
                "end": timezone.localtime(b.ends_at),
                "can_mark": b.status == VisitBooking.Status.BOOKED and b.starts_at <= now,
                "can_cancel": b.status == VisitBooking.Status.BOOKED and b.starts_at > now,
            }
            for b in bookings
            if timezone.localtime(b.starts_at).date() == day
        ]
        rows += [
            {
                "kind": "slot",
                "slot": s,
                "start": timezone.localtime(s.starts_at),
                "end": timezone.localtime(s.ends_at),
            }
            for s in slots
            if timezone.localtime(s.starts_at).date() == day
        ]
        rows.sort(key=lambda r: r["start"])
        days.append({"day": day, "label": date_format(day, "l j F"), "today": day == today, "rows": rows})
    if not form.is_bound:
        form.initial.setdefault("day", max(today, monday))
    return render(
        request,
        "market/manager/visits.html",
        {
            "days": days,
            "monday": monday,
            "previous": (monday - timedelta(days=7)).isoformat(),
            "next": (monday + timedelta(days=7)).isoformat(),
            "current": week_of(None, today).isoformat(),
            "form": form,
            "has_listings": bool(listings),
            "count": sum(1 for b in bookings if b.status == VisitBooking.Status.BOOKED),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _back(request, booking_or_slot) -> str:
    monday = week_of(timezone.localtime(booking_or_slot.starts_at).date().isoformat(), timezone.localdate())
    return reverse("manager:market-visits") + f"?week={monday.isoformat()}"


def _booking(request, booking_id) -> VisitBooking:
    try:
        booking = visits.booking_for(request.user, booking_id)
    except BookingNotFound:
        raise Http404 from None
    if not visits.is_host(request.user, booking):  # the seeker's own visits are not managed here
        raise Http404
    return booking


@login_required
@require_POST
def mark_page(request, booking_id):
    """Mark a visit done or no-show (the host, once it has started)."""
    booking = _booking(request, booking_id)
    try:
        visits.mark(booking, request.POST.get("status", ""), actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Visit marked."))
    return redirect(_back(request, booking))


@login_required
@require_POST
def cancel_visit_page(request, booking_id):
    """Cancel a booked visit (the seeker is told by SMS), after a confirmation page."""
    booking = _booking(request, booking_id)
    start = timezone.localtime(booking.starts_at)
    confirmation = Confirmation(
        title=_("Cancel the visit"),
        question=_("Cancel the visit of %(name)s?") % {"name": booking.seeker_name},
        facts=[
            (_("Listing"), booking.listing.title),
            (_("When"), start.strftime("%d/%m/%Y %H:%M")),
            (_("Phone"), booking.seeker_phone),
        ],
        action_url=reverse("manager:market-visit-cancel", args=[booking.public_id]),
        cancel_url=_back(request, booking),
        button=_("Cancel the visit"),
        warning=_("The seeker is told by SMS."),
    )

    def perform(**_kwargs):
        visits.cancel(booking, by="host", actor=request.user)
        messages.success(request, _("Visit canceled."))
        return redirect(_back(request, booking))

    return confirm_flow(
        request, confirmation, key=f"market.visit.cancel:{booking.public_id}", perform=perform
    )


@login_required
@require_POST
def cancel_slot_page(request, slot_id):
    """Withdraw an open slot, after a confirmation page."""
    try:
        slot = visits.slot_for_host(request.user, slot_id)
    except (DomainError, ListingNotFound):
        raise Http404 from None
    start = timezone.localtime(slot.starts_at)
    confirmation = Confirmation(
        title=_("Withdraw the slot"),
        question=_("Withdraw the visit slot of %(when)s?") % {"when": start.strftime("%d/%m/%Y %H:%M")},
        facts=[(_("Listing"), slot.listing.title)],
        action_url=reverse("manager:market-slot-cancel", args=[slot.public_id]),
        cancel_url=_back(request, slot),
        button=_("Withdraw the slot"),
    )

    def perform(**_kwargs):
        visits.slot_cancel(actor=request.user, slot=slot)
        messages.success(request, _("Slot withdrawn."))
        return redirect(_back(request, slot))

    return confirm_flow(request, confirmation, key=f"market.slot.cancel:{slot.public_id}", perform=perform)


@login_required
@require_GET
def visit_ics(request, booking_id):
    """A visit as an .ics file for the host's own calendar."""
    booking = _booking(request, booking_id)
    response = HttpResponse(visits.ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="visite-{booking.code}.ics"'
    return response
