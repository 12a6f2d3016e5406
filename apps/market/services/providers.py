"""Local service providers (docs/market.md, "Local services").

    p = provider_signup(user=u, name="Plomberie Akpovi", phone="+229…", trades=["plumber"],
                        zones=[("Cotonou", ""), ("Abomey-Calavi", "Togoudo")])
    providers_for("plumber", "Cotonou", "Fidjrossè")   # active providers only

A provider is a user (one profile each). It is `pending` until its KYC tier reaches
settings.MARKET_PROVIDER_MIN_KYC_TIER (checked at sign-up, on every profile change and when
kyc's KycTierChanged arrives), then `active`; staff may suspend it (admin)."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.identity import api as identity
from apps.kyc import api as kyc

from ..errors import InvalidProvider, ProviderNotFound
from ..models import ProviderPhoto, ProviderTrade, ProviderZone, ServiceProvider, ServiceReview, Trade
from . import photos as photo_files

Status = ServiceProvider.Status
MODERATE = "market.provider.moderate"
MAX_ZONES = 20
MAX_BIO = 2000


def _uuid(value) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        return None


def _clean_trades(trades) -> list[str]:
    picked = []
    for trade in trades or ():
        if trade not in Trade.values:
            raise InvalidProvider(_("Unknown trade."), field="trades")
        if trade not in picked:
            picked.append(trade)
    if not picked:
        raise InvalidProvider(_("Choose at least one trade."), field="trades")
    return picked


def _clean_zones(zones, country: str) -> list[tuple[str, str, str]]:
    picked: list[tuple[str, str, str]] = []
    for zone in zones or ():
        if isinstance(zone, dict):
            city, hood = zone.get("city", ""), zone.get("neighbourhood", "")
        else:
            city, hood = (list(zone) + [""])[:2]
        city, hood = str(city or "").strip(), str(hood or "").strip()
        if not city or len(city) > 100 or len(hood) > 100:
            raise InvalidProvider(_("Give each zone a city (100 characters at most)."), field="zones")
        key = (country, city, hood)
        if key not in picked:
            picked.append(key)
    if not picked:
        raise InvalidProvider(_("Give at least one zone where you work."), field="zones")
    if len(picked) > MAX_ZONES:
        raise InvalidProvider(_("At most %(n)s zones.") % {"n": MAX_ZONES}, field="zones")
    return picked


def _clean(name: str, bio: str, phone: str, country: str) -> tuple[str, str, str, str]:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise InvalidProvider(_("Give your business name (120 characters at most)."), field="name")
    bio = (bio or "").strip()
    if len(bio) > MAX_BIO:
        raise InvalidProvider(_("At most %(n)s characters.") % {"n": MAX_BIO}, field="bio")
    phone = identity.normalize_phone(phone, field="phone")
    country = (country or "BJ").upper()
    if len(country) != 2 or not country.isalpha():
        raise InvalidProvider(_("Unknown country."), field="country")
    return name, bio, phone, country


def kyc_ok(user) -> bool:
    return kyc.tier_of(user) >= settings.MARKET_PROVIDER_MIN_KYC_TIER


def provider_of(user) -> ServiceProvider | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return ServiceProvider.objects.filter(user=user).first()


@transaction.atomic
def provider_signup(
    *,
    user,
    name: str,
    phone: str,
    trades,
    zones,
    bio: str = "",
    country: str = "BJ",
) -> ServiceProvider:
    """A signed-in user becomes a provider: active at once when their KYC tier allows it,
    else pending until it does."""
    user = identity.authenticated(user)
    name, bio, phone, country = _clean(name, bio, phone, country)
    trades = _clean_trades(trades)
    zones = _clean_zones(zones, country)
    status = Status.ACTIVE if kyc_ok(user) else Status.PENDING
    try:
        with transaction.atomic():
            provider = ServiceProvider.objects.create(
                user=user, name=name, bio=bio, phone=phone, status=status
            )
    except IntegrityError:
        raise InvalidProvider(_("You already have a provider profile."), field="name") from None
    _write_trades_zones(provider, trades, zones)
    return provider


def _write_trades_zones(provider, trades, zones) -> None:
    ProviderTrade.objects.filter(provider=provider).exclude(trade__in=trades).delete()
    have = set(ProviderTrade.objects.filter(provider=provider).values_list("trade", flat=True))
    ProviderTrade.objects.bulk_create(
        [ProviderTrade(provider=provider, trade=t) for t in trades if t not in have]
    )
    keep = Q(pk__in=[])
    for country, city, hood in zones:
        keep |= Q(country=country, city=city, neighbourhood=hood)
    ProviderZone.objects.filter(provider=provider).exclude(keep).delete()
    existing = set(
        ProviderZone.objects.filter(provider=provider).values_list("country", "city", "neighbourhood")
    )
    ProviderZone.objects.bulk_create(
        [
            ProviderZone(provider=provider, country=c, city=ci, neighbourhood=h)
            for c, ci, h in zones
            if (c, ci, h) not in existing
        ]
    )


@transaction.atomic
def provider_update(
    *, actor, name: str, phone: str, trades, zones, bio: str = "", country: str = "BJ"
) -> ServiceProvider:
    """The provider changes its own profile (a suspended one stays suspended)."""
    provider = ServiceProvider.objects.select_for_update().filter(user=actor).first() if actor else None
    if provider is None:
        raise ProviderNotFound()
    name, bio, phone, country = _clean(name, bio, phone, country)
    trades = _clean_trades(trades)
    zones = _clean_zones(zones, country)
    provider.name, provider.bio, provider.phone = name, bio, phone
    provider.save(update_fields=["name", "bio", "phone", "updated_at"])
    _write_trades_zones(provider, trades, zones)
    refresh_status(provider)
    return provider


def refresh_status(provider: ServiceProvider) -> ServiceProvider:
    """pending → active once the KYC tier allows it (never lifts a suspension)."""
    if provider.status == Status.PENDING and kyc_ok(provider.user):
        ServiceProvider.objects.filter(pk=provider.pk, status=Status.PENDING).update(status=Status.ACTIVE)
        provider.status = Status.ACTIVE
    return provider


def refresh_user(user_public_id) -> None:
    """kyc's KycTierChanged: a pending provider of that user may become active."""
    provider = (
        ServiceProvider.objects.select_related("user").filter(user__public_id=user_public_id).first()
        if _uuid(user_public_id)
        else None
    )
    if provider is not None:
        refresh_status(provider)


@transaction.atomic
def provider_suspend(*, staff, provider: ServiceProvider, suspended: bool = True) -> ServiceProvider:
    """Staff suspend a provider (hidden from matching and from the public) or lift it."""
    if not identity.can(staff, MODERATE):
        raise ProviderNotFound()
    provider = ServiceProvider.objects.select_for_update().get(pk=provider.pk)
    if suspended:
        provider.status = Status.SUSPENDED
    else:
        provider.status = Status.ACTIVE if kyc_ok(provider.user) else Status.PENDING
    provider.save(update_fields=["status", "updated_at"])
    return provider


def active_provider(public_id) -> ServiceProvider:
    """A public profile: active providers only, else ProviderNotFound."""
    found = (
        ServiceProvider.objects.filter(public_id=public_id, status=Status.ACTIVE)
        .prefetch_related("trades", "zones", "photos")
        .first()
        if _uuid(public_id)
        else None
    )
    if found is None:
        raise ProviderNotFound()
    return found


def providers_for(trade: str, city: str, neighbourhood: str = "", *, country: str = "", limit: int = 50):
    """Active providers of `trade` working in `city` (the whole city, or `neighbourhood`),
    best rated first."""
    if trade not in Trade.values or not (city or "").strip():
        return ServiceProvider.objects.none()
    zone = Q(zones__city__iexact=city.strip()) & (
        Q(zones__neighbourhood="") | Q(zones__neighbourhood__iexact=(neighbourhood or "").strip())
    )
    if country:
        zone &= Q(zones__country=country.upper())
    ids = ServiceProvider.objects.filter(zone, status=Status.ACTIVE, trades__trade=trade).values("id")
    return (
        ServiceProvider.objects.filter(id__in=ids)
        .prefetch_related("trades", "zones")
        .order_by("-rating_sum", "-jobs_done", "name", "id")[: max(1, min(int(limit), 100))]
    )


def rating(provider: ServiceProvider) -> float | None:
    """The average rating for display (1 decimal), None without a review."""
    if not provider.rating_count:
        return None
    return round(provider.rating_sum / provider.rating_count, 1)


def reviews_of(provider: ServiceProvider, limit: int = 20):
    return (
        ServiceReview.objects.filter(provider=provider)
        .select_related("author")
        .order_by("-created_at", "-id")[: max(1, min(int(limit), 100))]
    )


def profile(provider: ServiceProvider) -> dict:
    """What a public profile shows: no phone of the provider's user account, no KYC detail."""
    return {
        "public_id": provider.public_id,
        "name": provider.name,
        "bio": provider.bio,
        "phone": provider.phone,
        "status": provider.status,
        "trades": [t.trade for t in provider.trades.all()],
        "zones": [
            {"country": z.country, "city": z.city, "neighbourhood": z.neighbourhood}
            for z in provider.zones.all()
        ],
        "photos": [
            photo_files.url_of(p.sizes.get("medium") or p.original.name) for p in provider.photos.all()
        ],
        "rating": rating(provider),
        "rating_count": provider.rating_count,
        "jobs_done": provider.jobs_done,
    }


# --- photos: resized and stripped of EXIF by the listings' photo pipeline (services/photos.py) ---


def photo_add(*, actor, upload, caption: str = "") -> ProviderPhoto:
    """Add a photo of the provider's work: checked, resized to the listings' sizes, metadata
    (EXIF, GPS) stripped; stored before the row is written, removed if the row is not."""
    provider = provider_of(actor)
    if provider is None:
        raise ProviderNotFound()
    if ProviderPhoto.objects.filter(provider=provider).count() >= settings.MARKET_PROVIDER_MAX_PHOTOS:
        raise InvalidProvider(_("You have as many photos as you may."), field="photo")
    processed = photo_files.process(photo_files.read_upload(upload))
    original, sizes = photo_files.store(processed)  # storage writes outside any transaction
    try:
        return ProviderPhoto.objects.create(
            provider=provider, original=original, sizes=sizes, caption=(caption or "").strip()[:200]
        )
    except Exception:
        photo_files.discard(original, sizes)
        raise


def photo_remove(*, actor, photo_id) -> None:
    provider = provider_of(actor)
    photo = (
        ProviderPhoto.objects.filter(provider=provider, public_id=photo_id).first()
        if provider is not None and _uuid(photo_id)
        else None
    )
    if photo is None:
        raise ProviderNotFound()
    original, sizes = photo.original.name, dict(photo.sizes)
    photo.delete()
    transaction.on_commit(lambda: photo_files.discard(original, sizes))
