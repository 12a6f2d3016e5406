"""Applications from a listing (docs/market.md, "Applications").

    app = apply(applicant=seeker, listing=listing, message="…", move_in=date(2027, 1, 1))
    # market.ApplicationSubmitted → scoring opens the screening request → attach_screening
    rows = applicants(manager, listing)            # the listing's managers only
    url = accept(actor=manager, application=app)   # estate's new-lease form, pre-filled
    decline(actor=manager, application=other, reason="…")

A seeker applies once per listing while the application is live (submitted or accepted): the
partial unique constraint `market_application_once` decides between two concurrent tries.
Accepting is one transaction: this one accepted (constraint `market_application_one_accepted`),
the other live ones declined with a notice, the listing reserved, `lease_prefill` written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode
from uuid import UUID

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.core.outbox import publish
from apps.identity import api as identity
from apps.notifications import api as notifications

from ..contracts import ApplicationScreeningFacts, ListingPurpose, ListingStatus
from ..errors import (
    AlreadyApplied,
    ApplicationNotFound,
    InvalidApplication,
    InvalidApplicationState,
    InvalidListingState,
    ListingNotFound,
)
from ..events import ApplicationSubmitted
from ..messages import APPLICATION_ACCEPTED, APPLICATION_DECLINED
from ..models import Application, Listing
from . import listings

Status = Application.Status
LIVE = (Status.SUBMITTED, Status.ACCEPTED)
MAX_MESSAGE = 2000
MAX_REASON = 300
MAX_INCOME = 10**13

# screening hook: scoring (above market) registers a reader of its requests' states
_screening_reader = None


def register_screening_reader(reader) -> None:
    """`reader(request_ids: list[UUID]) -> {UUID: (state code, label)}`; scoring registers it."""
    global _screening_reader
    _screening_reader = reader


# --- reads of listings (the listing part's rules: visible = published or reserved) ---


def visible_listing(public_id) -> Listing:
    return listings.visible_listing(public_id)


def manages(actor, listing: Listing) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    if listing.owner_id and listing.owner_id == actor.pk:
        return True
    return bool(listing.organization_id) and listing.organization_id in listings.managed_org_ids(actor)


def managed_listing(actor, public_id) -> Listing:
    """A listing the actor manages (a manager of its organization or its owner), else
    ListingNotFound (another organization's listing is not disclosed)."""
    return listings.manageable_listing(actor, public_id)


def _uuid(value) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        return None


# --- the seeker ---


@transaction.atomic
def apply(
    *,
    applicant,
    listing: Listing,
    message: str = "",
    household_size: int = 1,
    monthly_income: int | None = None,
    move_in: date | None = None,
) -> Application:
    """The signed-in seeker applies to a published listing for rent (once while live)."""
    applicant = identity.authenticated(applicant)
    listing = Listing.objects.filter(pk=listing.pk).first()
    if listing is None or listing.status != ListingStatus.PUBLISHED:
        if listing is not None and listing.status == ListingStatus.RESERVED:
            raise InvalidListingState(_("This home is already reserved for another applicant."))
        raise ListingNotFound()
    if listing.purpose != ListingPurpose.RENT:
        raise InvalidApplication(_("Only homes for rent take applications."), field="listing")
    if manages(applicant, listing):
        raise InvalidApplication(_("You cannot apply for your own listing."), field="listing")
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise InvalidApplication(_("At most %(n)s characters.") % {"n": MAX_MESSAGE}, field="message")
    if not isinstance(household_size, int) or not 1 <= household_size <= 30:
        raise InvalidApplication(_("Give a household size between 1 and 30."), field="household_size")
    if monthly_income is not None and (
        not isinstance(monthly_income, int) or not 0 <= monthly_income <= MAX_INCOME
    ):
        raise InvalidApplication(_("Give a monthly income of 0 or more."), field="monthly_income")
    today = timezone.localdate()
    if move_in is not None and (move_in < today or (move_in - today).days > 366):
        raise InvalidApplication(
            _("Give a move-in date between today and one year from now."), field="move_in"
        )
    try:
        with transaction.atomic():
            app = Application.objects.create(
                listing=listing,
                organization_id=listing.organization_id,
                applicant=applicant,
                message=message,
                household_size=household_size,
                monthly_income=monthly_income,
                move_in=move_in,
            )
    except IntegrityError:
        raise AlreadyApplied(field="listing") from None
    org = (
        str(identity.get_organization(id=listing.organization_id).public_id)
        if listing.organization_id
        else ""
    )
    publish(
        ApplicationSubmitted(
            application_id=str(app.public_id),
            listing_id=str(listing.public_id),
            organization_id=org,
            unit_id=str(listing.unit) if listing.unit else "",
            applicant_id=str(applicant.public_id),
        )
    )
    return app


def applications_of(user):
    """The seeker's applications, newest first (with their listing)."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return Application.objects.filter(applicant=user).select_related("listing").order_by("-created_at", "-id")


def application_of(user, public_id) -> Application:
    found = applications_of(user).filter(public_id=public_id).first() if _uuid(public_id) else None
    if found is None:
        raise ApplicationNotFound()
    return found


@transaction.atomic
def withdraw(*, actor, application: Application) -> Application:
    """The applicant gives up (submitted only; an accepted one is the agent's to undo)."""
    app = Application.objects.select_for_update().filter(pk=application.pk, applicant=actor).first()
    if app is None:
        raise ApplicationNotFound()
    if app.status != Status.SUBMITTED:
        raise InvalidApplicationState()
    app.status = Status.WITHDRAWN
    app.save(update_fields=["status", "updated_at"])
    return app


# --- the listing's manager ---


@dataclass(frozen=True)
class Applicant:
    application: Application
    name: str
    phone: str
    kyc_tier: int
    screening_state: str  # "" (none yet), pending, consented, issued, withdrawn, expired
    screening_label: str


def applicants(actor, listing: Listing) -> list[Applicant]:
    """The listing's applications for its managers (anyone else: ListingNotFound), live
    first then newest, with the applicant's name, phone, KYC tier and the screening state."""
    if not manages(actor, listing):
        raise ListingNotFound()
    rows = list(
        Application.objects.filter(listing=listing)
        .select_related("applicant")
        .order_by("status", "-created_at", "-id")
    )
    order = {Status.ACCEPTED: 0, Status.SUBMITTED: 1, Status.DECLINED: 2, Status.WITHDRAWN: 3}
    rows.sort(key=lambda a: order.get(a.status, 9))
    states = {}
    ids = [a.screening for a in rows if a.screening]
    if ids and _screening_reader is not None:
        states = _screening_reader(ids) or {}
    from apps.kyc import api as kyc

    tiers = kyc.tiers_of([a.applicant.public_id for a in rows]) if rows else {}
    out = []
    for a in rows:
        state, label = states.get(a.screening, ("", "")) if a.screening else ("", "")
        if a.screening and not state:
            state, label = "requested", _("screening requested")
        out.append(
            Applicant(
                application=a,
                name=a.applicant.full_name,
                phone=str(a.applicant.phone or ""),
                kyc_tier=int(tiers.get(a.applicant.public_id, 0) or 0),
                screening_state=state,
                screening_label=str(label),
            )
        )
    return out


def _managed_application(actor, application_id) -> Application:
    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related("listing", "applicant")
        .filter(public_id=application_id)
        .first()
        if _uuid(application_id)
        else None
    )
    if app is None or not manages(actor, app.listing):
        raise ApplicationNotFound()
    return app


def application_for_manager(actor, application_id) -> Application:
    app = (
        Application.objects.select_related("listing", "applicant").filter(public_id=application_id).first()
        if _uuid(application_id)
        else None
    )
    if app is None or not manages(actor, app.listing):
        raise ApplicationNotFound()
    return app


def _notify(app: Application, key: str, context: dict) -> None:
    transaction.on_commit(
        lambda: notifications.send(
            app.applicant.public_id,
            key,
            context,
            idempotency_key=f"market:application:{key}:{app.public_id}",
            organization=(
                identity.get_organization(id=app.organization_id).public_id if app.organization_id else None
            ),
        ),
        robust=True,
    )


def lease_prefill(app: Application) -> dict:
    listing = app.listing
    return {
        "unit": str(listing.unit) if listing.unit else "",
        "tenant_phone": str(app.applicant.phone or ""),
        "tenant_name": app.applicant.full_name,
        "rent": listing.price,
        "charges": listing.charges,
        "currency": listing.currency,
        "deposit_months": listing.deposit_months,
        "advance_months": listing.advance_months,
        "start_date": (app.move_in or listing.available_from or timezone.localdate()).isoformat(),
    }


def lease_form_url(prefill: dict) -> str:
    """estate's new-lease wizard with the unit, the tenant and the terms as initial values
    (an independent owner's listing has no unit under management: "")."""
    if not prefill.get("unit"):
        return ""
    keys = ("unit", "tenant_name", "tenant_phone", "rent", "charges", "deposit_months", "advance_months")
    params = {k: prefill[k] for k in keys if prefill.get(k) not in (None, "")}
    params["start_date"] = prefill.get("start_date", "")
    return f"{reverse('manager:estate-lease-new')}?{urlencode(params)}"


@transaction.atomic
def accept(*, actor, application: Application | UUID | str) -> str:
    """Accept one application: the other live ones are declined (each applicant told), the
    listing reserved and the lease pre-fill kept. Returns the URL of estate's new-lease form
    pre-filled ("" for a listing without a unit under management)."""
    application_id = getattr(application, "public_id", application)
    # the listing first, then the application: two acceptances on one listing queue on the
    # listing (locking the applications first, each would wait for the other's: a deadlock)
    probe = application_for_manager(actor, application_id)
    listing = Listing.objects.select_for_update().get(pk=probe.listing_id)
    app = _managed_application(actor, application_id)
    if app.status != Status.SUBMITTED:
        raise InvalidApplicationState()
    if listing.status not in (ListingStatus.PUBLISHED, ListingStatus.RESERVED):
        raise InvalidListingState()
    now = timezone.now()
    app.listing = listing
    app.status = Status.ACCEPTED
    app.decided_by = actor
    app.decided_at = now
    app.lease_prefill = lease_prefill(app)
    try:
        with transaction.atomic():
            app.save(update_fields=["status", "decided_by", "decided_at", "lease_prefill", "updated_at"])
    except IntegrityError:
        raise InvalidApplicationState(_("Another application has already been accepted.")) from None
    others = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant")
        .filter(listing=listing, status=Status.SUBMITTED)
        .exclude(pk=app.pk)
    )
    reason = _("Another applicant was chosen.")
    for other in others:
        other.status = Status.DECLINED
        other.decided_by = actor
        other.decided_at = now
        other.decline_reason = reason
        other.save(update_fields=["status", "decided_by", "decided_at", "decline_reason", "updated_at"])
        _notify(other, APPLICATION_DECLINED, {"listing": listing.title[:60], "reason": reason})
    if listing.status == ListingStatus.PUBLISHED:
        listings.reserve(listing)
    _notify(app, APPLICATION_ACCEPTED, {"listing": listing.title[:60]})
    return lease_form_url(app.lease_prefill)


@transaction.atomic
def decline(*, actor, application: Application | UUID | str, reason: str = "") -> Application:
    app = _managed_application(actor, getattr(application, "public_id", application))
    if app.status != Status.SUBMITTED:
        raise InvalidApplicationState()
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise InvalidApplication(_("At most %(n)s characters.") % {"n": MAX_REASON}, field="reason")
    app.status = Status.DECLINED
    app.decided_by = actor
    app.decided_at = timezone.now()
    app.decline_reason = reason
    app.save(update_fields=["status", "decided_by", "decided_at", "decline_reason", "updated_at"])
    _notify(
        app,
        APPLICATION_DECLINED,
        {"listing": app.listing.title[:60], "reason": reason or _("No reason given.")},
    )
    return app


# --- the screening hook (scoring calls it through market.api) ---


def attach_screening(application_id, screening_id) -> bool:
    """Record the screening request opened for the application (idempotent: the first one
    stays). False for an unknown application."""
    if not _uuid(application_id) or not _uuid(screening_id):
        raise NotFound()
    moved = Application.objects.filter(public_id=application_id, screening__isnull=True).update(
        screening=_uuid(screening_id), updated_at=timezone.now()
    )
    return bool(moved) or Application.objects.filter(public_id=application_id).exists()


def screening_facts(application_id) -> ApplicationScreeningFacts:
    app = (
        Application.objects.select_related("listing", "applicant").filter(public_id=application_id).first()
        if _uuid(application_id)
        else None
    )
    if app is None:
        raise ApplicationNotFound()
    return ApplicationScreeningFacts(
        application_id=str(app.public_id),
        listing_title=app.listing.title,
        unit_id=str(app.listing.unit) if app.listing.unit else "",
        organization_id=app.listing.organization_id,
        listing_created_by=app.listing.created_by_id,
        applicant_phone=str(app.applicant.phone or ""),
        applicant_name=app.applicant.full_name,
        rent=app.listing.price,
        screening=str(app.screening or ""),
    )
