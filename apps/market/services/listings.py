"""Listings: create (from a vacant unit in one click, or by an independent owner after KYC),
update (price history), submit, moderate, reserve, close, withdraw, expire (docs/market.md,
"Listings").

States (TRANSITIONS): draft -> in_review | published | withdrawn; in_review -> published
(approved) | draft (rejected) | withdrawn; published -> in_review (an edit raised a flag) |
reserved | let | sold | withdrawn | expired; reserved -> published | let | sold | withdrawn; a
draft or in-review listing of a unit just let closes as let too. let, sold, withdrawn and
expired are final. Every transition runs in one transaction on the locked row, sets
`status_changed_at`, and publishes market.ListingPublished / market.ListingClosed through the
outbox. Every write keeps `search_text`, `photo_count` and `cover` right."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.errors import DomainError, NotFound
from apps.core.outbox import publish
from apps.core.statemachine import StateMachine
from apps.estate import api as estate
from apps.identity import api as identity
from apps.kyc import api as kyc

from .. import selectors
from ..contracts import (
    AMENITIES,
    LIVE_STATUSES,
    VISIBLE_STATUSES,
    ListingHit,
    ListingKind,
    ListingPurpose,
    ListingStatus,
)
from ..errors import (
    InvalidListing,
    InvalidListingState,
    KycTierRequired,
    ListingNotFound,
    UnitAlreadyListed,
    UnitNotVacant,
)
from ..events import ListingClosed, ListingPublished
from ..models import Listing, ListingModeration, ListingPhoto, ListingPriceChange
from ..models.listing import KIND_LABELS
from . import moderation
from . import photos as photo_files

S = ListingStatus
TRANSITIONS = StateMachine(
    {
        S.DRAFT: {S.IN_REVIEW, S.PUBLISHED, S.WITHDRAWN, S.LET, S.SOLD},
        S.IN_REVIEW: {S.PUBLISHED, S.DRAFT, S.WITHDRAWN, S.LET, S.SOLD},
        S.PUBLISHED: {S.IN_REVIEW, S.RESERVED, S.LET, S.SOLD, S.WITHDRAWN, S.EXPIRED},
        S.RESERVED: {S.PUBLISHED, S.LET, S.SOLD, S.WITHDRAWN},
        S.LET: set(),
        S.SOLD: set(),
        S.WITHDRAWN: set(),
        S.EXPIRED: set(),
    }
)
CLOSED_STATUSES = frozenset({S.LET, S.SOLD, S.WITHDRAWN, S.EXPIRED})

# what an owner may write (create, update, a unit listing's overrides)
TEXT_FIELDS = ("title", "description", "city", "neighbourhood", "address", "country", "currency")
INT_FIELDS = ("rooms", "area_m2", "price", "charges", "deposit_months", "advance_months")
BOOL_FIELDS = ("furnished", *AMENITIES)
OTHER_FIELDS = ("purpose", "kind", "latitude", "longitude", "available_from")
EDITABLE = frozenset(TEXT_FIELDS + INT_FIELDS + BOOL_FIELDS + OTHER_FIELDS)
# a unit under management: its place and currency are estate's, not the listing's
UNIT_FIXED = frozenset({"country", "city", "neighbourhood", "address", "latitude", "longitude", "currency"})
MAX_LENGTHS = {"title": 140, "city": 100, "neighbourhood": 100, "address": 300, "description": 5000}
CONTENT_FIELDS = frozenset({"title", "description", "price", "kind", "purpose", "city"})


# --- reads -------------------------------------------------------------------------------------


def managed_org_ids(actor) -> set[int]:
    return identity.organization_ids_of(actor, identity.MANAGE_ROLES)


def listings_of(actor):
    """The listings the actor manages (selectors.listings_of)."""
    return selectors.listings_of(actor)


def _uuid(value) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise ListingNotFound() from None


def visible_listing(public_id) -> Listing:
    """A published or reserved listing; ListingNotFound otherwise."""
    found = Listing.objects.filter(
        public_id=_uuid(public_id), status__in=[str(s) for s in VISIBLE_STATUSES]
    ).first()
    if found is None:
        raise ListingNotFound()
    return found


def manageable_listing(actor, public_id) -> Listing:
    """A listing the actor manages (member of its organization with a manage role, or its
    owner); ListingNotFound otherwise."""
    found = listings_of(actor).filter(public_id=_uuid(public_id)).first()
    if found is None:
        raise ListingNotFound()
    return found


def search_text_of(listing) -> str:
    """What the search indexes read: accent-free, lower case (title, description, the kind's
    French label, city, neighbourhood, address)."""
    with translation.override("fr"):
        kind = str(KIND_LABELS.get(listing.kind, listing.kind))
    parts = [listing.title, listing.description, kind, listing.city, listing.neighbourhood, listing.address]
    return " ".join(moderation.fold(p).strip() for p in parts if p and p.strip())


def refresh_photos(listing) -> None:
    """photo_count and cover (the first photo's thumb) from the listing's photos (saved by the caller)."""
    if listing.pk is None:
        listing.photo_count, listing.cover = 0, ""
        return
    rows = list(
        ListingPhoto.objects.filter(listing=listing)
        .order_by("position", "id")
        .values_list("sizes", flat=True)
    )
    listing.photo_count = min(len(rows), 32767)
    listing.cover = ((rows[0] or {}).get("thumb", "") if rows else "")[:300]


def _keep(listing) -> None:
    listing.search_text = search_text_of(listing)


# --- fields ------------------------------------------------------------------------------------


def _clean(fields: dict, *, allowed=EDITABLE) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise InvalidListing(
            _("Unknown field: %(field)s.") % {"field": sorted(unknown)[0]}, field=sorted(unknown)[0]
        )
    out = {}
    for name, value in fields.items():
        if name in TEXT_FIELDS:
            value = ("" if value is None else str(value)).strip()
            if len(value) > MAX_LENGTHS.get(name, 3 if name == "currency" else 2):
                raise InvalidListing(_("This text is too long."), field=name)
            if name in ("country", "currency"):
                value = value.upper()
        elif name in INT_FIELDS:
            if value is None and name == "area_m2":
                out[name] = None
                continue
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise InvalidListing(_("Enter a whole number."), field=name) from None
            if name != "price" and (value < 0 or value > 10**12):
                raise InvalidListing(_("Enter a number between 0 and a reasonable maximum."), field=name)
            if name in ("rooms", "deposit_months", "advance_months") and value > 50:
                raise InvalidListing(_("Enter a number between 0 and 50."), field=name)
        elif name in BOOL_FIELDS:
            value = bool(value)
        elif name == "purpose":
            if value not in {p.value for p in ListingPurpose}:
                raise InvalidListing(_("Choose rent or sale."), field=name)
        elif name == "kind":
            if value not in {k.value for k in ListingKind}:
                raise InvalidListing(_("Choose a kind of home."), field=name)
        elif name in ("latitude", "longitude"):
            if value in (None, ""):
                value = None
            else:
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    raise InvalidListing(_("Enter a number."), field=name) from None
        out[name] = value
    return out


def _require_title(listing) -> None:
    if not (listing.title or "").strip():
        raise InvalidListing(_("Give the listing a title."), field="title")
    if not (listing.city or "").strip():
        raise InvalidListing(_("Say in which city the home is."), field="city")


def _lock(listing) -> Listing:
    return Listing.objects.select_for_update().get(pk=listing.pk)


def _moderation(listing, decision, *, flags=(), reason="", staff=None) -> None:
    ListingModeration.objects.create(
        listing=listing, decision=decision, flags=list(flags), reason=(reason or "")[:500], staff=staff
    )


def _org_public_id(listing) -> str:
    if listing.organization_id is None:
        return ""
    return str(identity.get_organization(id=listing.organization_id).public_id)


def _move(listing, target, *, now=None) -> None:
    """One checked transition on the locked row (saved by the caller), with its event."""
    if not TRANSITIONS.can(listing.status, target):
        raise InvalidListingState()
    now = now or timezone.now()
    before = listing.status
    listing.status = str(target)
    listing.status_changed_at = now
    if target == S.PUBLISHED and before != S.RESERVED:  # online again after a release: same term
        listing.published_at = now
        listing.expires_at = now + timedelta(days=settings.MARKET_LISTING_DAYS)
        publish(
            ListingPublished(
                listing_id=str(listing.public_id),
                organization_id=_org_public_id(listing),
                unit_id=str(listing.unit or ""),
                purpose=listing.purpose,
                city=listing.city,
            )
        )
    if target in CLOSED_STATUSES:
        publish(
            ListingClosed(
                listing_id=str(listing.public_id),
                organization_id=_org_public_id(listing),
                unit_id=str(listing.unit or ""),
                status=str(target),
            )
        )


def _publish_or_review(listing, *, actor=None, now=None) -> list[str]:
    """Run the rules on the locked listing: refusals raise; flags send it to in_review, else
    it is published. Returns the flags."""
    median = moderation.refuse_or_pass(listing)
    flags = moderation.flags_of(listing, median=median)
    listing.flags = flags
    if flags:
        _move(listing, S.IN_REVIEW, now=now)
        _moderation(listing, ListingModeration.Decision.FLAGGED, flags=flags)
    else:
        _move(listing, S.PUBLISHED, now=now)
    return flags


def _save(listing) -> None:
    _keep(listing)
    refresh_photos(listing)
    listing.save()


# --- create ------------------------------------------------------------------------------------


def _title_for(facts) -> str:
    with translation.override("fr"):
        kind = str(KIND_LABELS.get(facts.kind, facts.kind)).capitalize()
        place = facts.neighbourhood or facts.city
        return (_("%(kind)s for rent in %(place)s") % {"kind": kind, "place": place})[:140]


def create_from_unit(
    *, actor, unit_id: UUID, purpose: str = "rent", overrides: dict | None = None
) -> Listing:
    """Publish a vacant unit under management in one click: its real figures from estate
    (kind, rooms, rent, charges, deposit and advance months, place, GPS, photos); the badge
    « verified by Hokwe » when its organization is KYC-verified (KYB approved). Published at once
    when the rules raise no flag, else in review. The property's photos are copied after the
    listing is recorded (see services/photos.py)."""
    facts = estate.unit_listing_facts(unit_id)  # NotFound for an unknown unit
    if facts.organization_id not in managed_org_ids(actor):
        raise NotFound()
    if facts.status != "vacant":
        raise UnitNotVacant()
    overrides = _clean(dict(overrides or {}), allowed=EDITABLE - UNIT_FIXED - {"purpose"})
    if purpose not in {p.value for p in ListingPurpose}:
        raise InvalidListing(_("Choose rent or sale."), field="purpose")
    kind = facts.kind if facts.kind in {k.value for k in ListingKind} else ListingKind.APARTMENT
    listing = Listing(
        organization_id=facts.organization_id,
        created_by=actor,
        unit=facts.unit,
        verified=kyc.organization_verified(facts.organization_id),
        purpose=purpose,
        kind=kind,
        title=_title_for(facts),
        description=facts.description,
        rooms=facts.rooms,
        area_m2=facts.surface_m2,
        furnished=facts.furnished,
        own_meter=facts.own_meter,
        price=facts.rent,
        charges=facts.charges,
        currency=facts.currency,
        deposit_months=facts.deposit_months,
        advance_months=facts.advance_months,
        country=facts.country,
        city=facts.city,
        neighbourhood=facts.neighbourhood,
        address=facts.address,
        latitude=facts.latitude,
        longitude=facts.longitude,
    )
    for name, value in overrides.items():
        setattr(listing, name, value)
    _require_title(listing)
    try:
        with transaction.atomic():
            if Listing.objects.filter(unit=facts.unit, status__in=[str(s) for s in LIVE_STATUSES]).exists():
                raise UnitAlreadyListed()
            moderation.refuse_or_pass(listing)  # refusals before any write
            _keep(listing)
            listing.save()
            _moderation(listing, ListingModeration.Decision.SUBMITTED, staff=None)
            listing = _lock(listing)
            _publish_or_review(listing, actor=actor)
            _save(listing)
    except IntegrityError:
        raise UnitAlreadyListed() from None
    for name in facts.photos:
        _copy_estate_photo(listing, name)
    listing.refresh_from_db()
    return listing


def _copy_estate_photo(listing, name: str) -> None:
    from django.core.files.storage import default_storage

    try:
        with default_storage.open(name, "rb") as handle:
            data = handle.read(settings.MARKET_PHOTO_MAX_BYTES + 1)
        _add_processed(listing, data, caption="")
    except (OSError, DomainError):
        return  # a property photo that cannot be read is left out, the listing stands


def create(*, actor, organization_id: int | None, **fields) -> Listing:
    """A draft listing: of an organization the actor manages (organization_id, internal id), or
    of the actor as an independent owner (organization_id None: their KYC tier must be at least
    MARKET_INDEPENDENT_KYC_TIER, an ID document verified). Refusal rules apply at once."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound()
    data = _clean(fields)
    if organization_id is not None:
        if organization_id not in managed_org_ids(actor):
            raise NotFound()
        listing = Listing(organization_id=organization_id, created_by=actor)
    else:
        if kyc.tier_of(actor) < settings.MARKET_INDEPENDENT_KYC_TIER:
            raise KycTierRequired()
        listing = Listing(owner=actor, created_by=actor)
    if "kind" not in data:
        raise InvalidListing(_("Choose a kind of home."), field="kind")
    if "price" not in data:
        raise InvalidListing(_("Give the price."), field="price")
    for name, value in data.items():
        setattr(listing, name, value)
    _require_title(listing)
    with transaction.atomic():
        moderation.refuse_or_pass(listing)
        listing.status = S.DRAFT
        listing.status_changed_at = timezone.now()
        _save(listing)
    return listing


# --- update ------------------------------------------------------------------------------------


def update(*, actor, listing, **fields) -> Listing:
    """Change a live listing's fields (a managed unit's place and currency stay estate's). A
    new price is kept in the price history; refusal rules apply; a published listing whose
    new content raises a flag goes back to review."""
    listing = manageable_listing(actor, listing.public_id)
    allowed = EDITABLE - UNIT_FIXED if listing.unit else EDITABLE
    data = _clean(fields, allowed=allowed)
    with transaction.atomic():
        row = _lock(listing)
        if row.status not in LIVE_STATUSES:
            raise InvalidListingState()
        old_price = row.price
        changed = {name for name, value in data.items() if getattr(row, name) != value}
        for name in changed:
            setattr(row, name, data[name])
        _require_title(row)
        median = moderation.refuse_or_pass(row)
        if row.price != old_price:
            ListingPriceChange.objects.create(
                listing=row, old_price=old_price, new_price=row.price, currency=row.currency, changed_by=actor
            )
        if changed & CONTENT_FIELDS and row.status in (S.PUBLISHED, S.IN_REVIEW):
            flags = moderation.flags_of(row, median=median)
            if flags and row.status == S.PUBLISHED:
                _move(row, S.IN_REVIEW)
                _moderation(row, ListingModeration.Decision.FLAGGED, flags=flags)
            row.flags = flags if flags or row.status == S.PUBLISHED else row.flags
        _save(row)
    return row


# --- transitions -------------------------------------------------------------------------------


def submit(*, actor, listing) -> Listing:
    """A draft goes online: published when the rules raise no flag, else to the review queue."""
    listing = manageable_listing(actor, listing.public_id)
    with transaction.atomic():
        row = _lock(listing)
        if row.status != S.DRAFT:
            raise InvalidListingState()
        _require_title(row)
        _moderation(row, ListingModeration.Decision.SUBMITTED)
        _publish_or_review(row, actor=actor)
        _save(row)
    return row


def _staff(staff) -> None:
    identity.require(staff, "market.listing.moderate")


def approve(*, staff, listing) -> Listing:
    """Staff approve a listing in review: it is published (its flags kept on the decision)."""
    _staff(staff)
    with transaction.atomic():
        row = _lock(listing)
        if row.status != S.IN_REVIEW:
            raise InvalidListingState()
        _moderation(row, ListingModeration.Decision.APPROVED, flags=row.flags, staff=staff)
        _move(row, S.PUBLISHED)
        row.flags = []
        _save(row)
    return row


def reject(*, staff, listing, reason: str) -> Listing:
    """Staff reject a listing in review, with the reason: it goes back to draft for its owner."""
    _staff(staff)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidListing(_("Say why the listing is rejected."), field="reason")
    with transaction.atomic():
        row = _lock(listing)
        if row.status != S.IN_REVIEW:
            raise InvalidListingState()
        _moderation(row, ListingModeration.Decision.REJECTED, flags=row.flags, reason=reason, staff=staff)
        _move(row, S.DRAFT)
        _save(row)
    return row


def _simple(listing, target, *, allowed_from=None) -> Listing:
    with transaction.atomic():
        row = _lock(listing)
        if allowed_from is not None and row.status not in allowed_from:
            raise InvalidListingState()
        _move(row, target)
        _save(row)
    return row


def reserve(listing) -> Listing:
    """published -> reserved (an application accepted)."""
    return _simple(listing, S.RESERVED, allowed_from={S.PUBLISHED})


def release(listing) -> Listing:
    """reserved -> published (the accepted application fell through)."""
    return _simple(listing, S.PUBLISHED, allowed_from={S.RESERVED})


def close(listing, status) -> Listing:
    """The home is let or sold: the listing closes (final)."""
    if status not in (S.LET, S.SOLD):
        raise InvalidListingState()
    return _simple(listing, S(status))


def withdraw(*, actor, listing) -> Listing:
    """Its manager takes the listing offline (final; the unit may be listed again)."""
    listing = manageable_listing(actor, listing.public_id)
    return _simple(listing, S.WITHDRAWN)


def close_unit_let(unit_id) -> int:
    """estate let the unit: its live listing closes as let (0 when there is none). Idempotent."""
    row = Listing.objects.filter(
        unit=_uuid_or_none(unit_id), status__in=[str(s) for s in LIVE_STATUSES]
    ).first()
    if row is None:
        return 0
    close(row, S.LET)
    return 1


def _uuid_or_none(value):
    try:
        return UUID(str(value))
    except (TypeError, ValueError):
        return None


def expire_due(*, now=None) -> int:
    """Published listings past their `expires_at` expire (one transaction each). Idempotent."""
    now = now or timezone.now()
    count = 0
    ids = list(
        Listing.objects.filter(status=S.PUBLISHED, expires_at__lte=now)
        .order_by("expires_at")
        .values_list("pk", flat=True)[:5000]
    )
    for pk in ids:
        with transaction.atomic():
            row = (
                Listing.objects.select_for_update()
                .filter(pk=pk, status=S.PUBLISHED, expires_at__lte=now)
                .first()
            )
            if row is None:
                continue
            _move(row, S.EXPIRED, now=now)
            row.save(update_fields=["status", "status_changed_at", "updated_at"])
            count += 1
    return count


# --- photos ------------------------------------------------------------------------------------


def _add_processed(listing, data: bytes, *, caption: str = "") -> ListingPhoto:
    processed = photo_files.process(data)
    original, sizes = photo_files.store(processed)  # storage writes outside the transaction
    try:
        with transaction.atomic():
            row, photo = photo_files.record(
                listing_pk=listing.pk, processed=processed, original=original, sizes=sizes, caption=caption
            )
            if row.status == S.PUBLISHED and moderation.duplicate_photos(row, [processed.phash]):
                row.flags = sorted({*row.flags, moderation.FLAG_DUPLICATE_PHOTO})
                _move(row, S.IN_REVIEW)
                _moderation(row, ListingModeration.Decision.FLAGGED, flags=row.flags)
            _save(row)
    except Exception:
        photo_files.discard(original, sizes)
        raise
    return photo


def add_photo(*, actor, listing, upload, caption: str = "") -> ListingPhoto:
    """Add a photo to a live listing the actor manages (checked, resized, EXIF stripped)."""
    listing = manageable_listing(actor, listing.public_id)
    if listing.status not in LIVE_STATUSES:
        raise InvalidListingState()
    if listing.photo_count >= settings.MARKET_PHOTOS_PER_LISTING:
        raise InvalidListing(_("This listing has as many photos as it may."), field="photo")
    data = photo_files.read_upload(upload)
    return _add_processed(listing, data, caption=caption)


def remove_photo(*, actor, listing, photo_id) -> None:
    listing = manageable_listing(actor, listing.public_id)
    with transaction.atomic():
        row = _lock(listing)
        photo = ListingPhoto.objects.filter(listing=row, public_id=_uuid(photo_id)).first()
        if photo is None:
            raise NotFound()
        names = (photo.original.name, dict(photo.sizes))
        photo.delete()
        _save(row)
    transaction.on_commit(lambda: photo_files.discard(*names))


# the columns `hit_of` reads (a list or a search loads only these)
HIT_FIELDS = (
    "public_id",
    "title",
    "purpose",
    "kind",
    "price",
    "charges",
    "currency",
    "rooms",
    "furnished",
    "city",
    "neighbourhood",
    "latitude",
    "longitude",
    "verified",
    "status",
    "cover",
    "published_at",
)


def hit_of(listing) -> ListingHit:
    """A listing as the public contract reads it."""
    return ListingHit(
        public_id=str(listing.public_id),
        title=listing.title,
        purpose=listing.purpose,
        kind=listing.kind,
        price=listing.price,
        charges=listing.charges,
        currency=listing.currency,
        rooms=listing.rooms,
        furnished=listing.furnished,
        city=listing.city,
        neighbourhood=listing.neighbourhood,
        latitude=listing.latitude,
        longitude=listing.longitude,
        verified=listing.verified,
        status=listing.status,
        cover=listing.cover,
        published_at=listing.published_at.isoformat() if listing.published_at else "",
    )


def _photo_view(photo) -> dict:
    sizes = photo.sizes or {}
    return {
        "public_id": photo.public_id,
        "position": photo.position,
        "thumb": photo_files.url_of(sizes.get("thumb", "")),
        "medium": photo_files.url_of(sizes.get("medium", "")),
        "large": photo_files.url_of(sizes.get("large", "")),
        "width": photo.width,
        "height": photo.height,
        "caption": photo.caption,
    }


def listing_view(listing, *, detail: bool = False, org_ids: dict | None = None) -> dict:
    """A listing as the transports render it (plain values; photo URLs through the storage).
    `org_ids` maps internal organization ids to public ids (one query for a page of them)."""
    view = {
        name: getattr(listing, name)
        for name in (
            "public_id",
            "status",
            "purpose",
            "kind",
            "title",
            "description",
            "verified",
            "rooms",
            "area_m2",
            "furnished",
            *AMENITIES,
            "price",
            "charges",
            "currency",
            "deposit_months",
            "advance_months",
            "country",
            "city",
            "neighbourhood",
            "address",
            "latitude",
            "longitude",
            "available_from",
            "flags",
            "photo_count",
            "published_at",
            "expires_at",
            "status_changed_at",
        )
    }
    view["unit"] = listing.unit
    if listing.organization_id is None:
        view["organization"] = None
    elif org_ids is not None and listing.organization_id in org_ids:
        view["organization"] = org_ids[listing.organization_id]
    else:
        view["organization"] = identity.get_organization(id=listing.organization_id).public_id
    view["cover"] = photo_files.url_of(listing.cover)
    if detail:
        view["photos"] = [
            _photo_view(p) for p in ListingPhoto.objects.filter(listing=listing).order_by("position", "id")
        ]
        view["price_history"] = [
            {
                "created_at": c.created_at,
                "old_price": c.old_price,
                "new_price": c.new_price,
                "currency": c.currency,
            }
            for c in ListingPriceChange.objects.filter(listing=listing).order_by("-created_at", "-id")
        ]
    return view


def organization_public_ids(listings) -> dict:
    """{internal id: public id} of the listings' organizations: one query per distinct
    organization (a manager's listings belong to the few organizations they manage)."""
    ids = sorted({row.organization_id for row in listings if row.organization_id is not None})
    return {i: identity.get_organization(id=i).public_id for i in ids}
