"""Delivery: picking ads for a placement and a context, and counting their beacons
(docs/ads.md, "Delivery" and "Tracking").

`deliver(ctx)` asks the store (Redis, else the database) for the best campaigns that may
still spend — targeting, dates, budget left, even pacing of the daily budget, the viewer's
frequency cap — and returns each with its creative and signed beacon URLs. `record(kind,
token, …)` counts an impression or a click once: the token is checked (forged or expired:
not counted), robots (user agent, rate) and duplicates (one per viewer and window) are
filtered, and the store charges CPM on impressions, CPC on clicks, never beyond the budget.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from apps.market import api as market

from ..contracts import (
    PLACEMENT_KINDS,
    AdContext,
    CampaignStatus,
    CreativeKind,
    CreativeStatus,
    DeliveredAd,
    Placement,
    Pricing,
)
from ..errors import UnknownPlacement
from ..models import Advertiser, Campaign, Creative
from . import beacons
from .store import CampaignState, Outcome, fold, get_store, local_day

log = logging.getLogger(__name__)

PAYLOAD_TTL = 60  # seconds a creative's rendering stays cached in the process
_payloads: dict[str, tuple[float, dict]] = {}


def absolute(path: str) -> str:
    base = settings.ADS_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else path


def _hex(value) -> str:
    return value.hex


def score_of(campaign: Campaign) -> int:
    """Priority first; then what one impression is expected to earn (thousandths): a CPM
    bid's own price, a CPC bid times a 1 % click rate; a flat fee is always first."""
    if campaign.pricing == Pricing.FLAT:
        return 11 * 10**12
    per_impression = campaign.bid if campaign.pricing == Pricing.CPM else campaign.bid * 10
    return campaign.priority * 10**12 + min(per_impression, 10**12 - 1)


def cost_milli(campaign: Campaign) -> int:
    if campaign.pricing == Pricing.CPM:
        return campaign.bid  # a CPM of B minor units is B thousandths an impression
    if campaign.pricing == Pricing.CPC:
        return campaign.bid * 1000
    return 0


def state_of(campaign: Campaign, creatives, *, now: datetime | None = None) -> CampaignState:
    now = now or timezone.now()
    day, _ = local_day(now)
    by_placement: dict[str, list[str]] = {}
    for creative in creatives:
        for placement in campaign.placements:
            if creative.kind in PLACEMENT_KINDS.get(Placement(placement), ()):
                by_placement.setdefault(placement, []).append(_hex(creative.public_id))
    tz = timezone.get_current_timezone()
    starts = datetime.combine(campaign.starts_on, datetime.min.time(), tzinfo=tz)
    ends = (
        datetime.combine(campaign.ends_on, datetime.min.time(), tzinfo=tz) + timezone.timedelta(days=1)
        if campaign.ends_on
        else None
    )
    today = campaign.days.filter(day=day).first() if campaign.pk else None
    budget = campaign.total_budget * 1000 - campaign.spent_milli
    if campaign.pricing == Pricing.FLAT:
        budget = 0
    return CampaignState(
        key=_hex(campaign.public_id),
        advertiser=_hex(campaign.advertiser.public_id),
        pricing=campaign.pricing,
        cost_milli=cost_milli(campaign),
        score=score_of(campaign),
        budget_milli=max(budget, 0),
        daily_milli=(campaign.daily_budget or 0) * 1000,
        day=day,
        spent_day_milli=today.spent_milli if today else 0,
        cap=campaign.frequency_cap,
        starts_at=int(starts.timestamp()),
        ends_at=int(ends.timestamp()) if ends else 0,
        placements=tuple(by_placement),
        cities=tuple(fold(c) for c in campaign.cities),
        neighbourhoods=tuple(fold(n) for n in campaign.neighbourhoods),
        audiences=tuple(campaign.audiences),
        languages=tuple(campaign.languages),
        creatives={k: tuple(v) for k, v in by_placement.items()},
        counted=(today.impressions, today.clicks, today.spent_milli, today.filtered)
        if today
        else (0, 0, 0, 0),
    )


def delivery_balance_milli(advertiser: Advertiser) -> int:
    """What delivery may still spend for an advertiser: its ledger balance less the spend
    counted but not charged yet (thousandths)."""
    from django.db.models import Sum

    from .advertisers import balance_of

    counted = Campaign.objects.filter(advertiser=advertiser).aggregate(
        spent=Sum("spent_milli"), charged=Sum("charged")
    )
    uncharged = (counted["spent"] or 0) - (counted["charged"] or 0) * 1000
    return max(balance_of(advertiser) * 1000 - max(uncharged, 0), 0)


def load(campaign_id: int) -> bool:
    """Put a campaign in the store as it stands in PostgreSQL (call after commit): active,
    with approved creatives → delivered; otherwise taken out. True when loaded."""
    campaign = Campaign.objects.select_related("advertiser").filter(pk=campaign_id).first()
    if campaign is None:
        return False
    store = get_store()
    creatives = list(campaign.creatives.filter(status=CreativeStatus.APPROVED))
    if campaign.status != CampaignStatus.ACTIVE or not creatives or campaign.advertiser.suspended:
        store.unload(_hex(campaign.public_id))
        return False
    advertiser_key = _hex(campaign.advertiser.public_id)
    if store.balance(advertiser_key) is None:
        store.set_balance(advertiser_key, delivery_balance_milli(campaign.advertiser))
    store.load(state_of(campaign, creatives))
    return True


def load_on_commit(campaign_id: int) -> None:
    transaction.on_commit(lambda: load(campaign_id))


def reload_all() -> int:
    """Rebuild the store from PostgreSQL (after Redis lost its data): every active campaign,
    every advertiser's balance."""
    store = get_store()
    count = 0
    for advertiser in Advertiser.objects.filter(campaigns__status=CampaignStatus.ACTIVE).distinct():
        store.set_balance(_hex(advertiser.public_id), delivery_balance_milli(advertiser))
    for campaign_id in Campaign.objects.filter(status=CampaignStatus.ACTIVE).values_list("pk", flat=True):
        count += load(campaign_id)
    return count


# --- delivering -------------------------------------------------------------------------------


def _payload(keys: list[str]) -> dict[str, dict]:
    """How each creative renders (cached PAYLOAD_TTL seconds in the process)."""
    now = time.monotonic()
    found = {k: v for k in keys if (hit := _payloads.get(k)) and hit[0] > now for v in (hit[1],)}
    missing = [k for k in keys if k not in found]
    if missing:
        rows = Creative.objects.filter(public_id__in=missing).only(
            "public_id", "kind", "listing", "headline", "body", "image", "link_url"
        )
        for row in rows:
            data = {
                "kind": row.kind,
                "listing": str(row.listing) if row.listing else "",
                "headline": row.headline,
                "body": row.body,
                "image": row.image.url if row.image else "",
                "link": row.link_url,
            }
            if row.kind == CreativeKind.LISTING and row.listing:
                data["link"] = reverse("market:listing-short", args=[row.listing])
                try:
                    hit = market.listing_facts(row.listing)
                except Exception:  # noqa: BLE001 -- no longer online: not shown
                    log.info("ads: the promoted listing %s is no longer online", row.listing)
                    continue
                data["headline"] = data["headline"] or hit.title
                data["image"] = data["image"] or (settings.MEDIA_URL + hit.cover if hit.cover else "")
                data["body"] = (
                    data["body"] or f"{hit.neighbourhood + ', ' if hit.neighbourhood else ''}{hit.city}"
                )
            key = row.public_id.hex
            _payloads[key] = (now + PAYLOAD_TTL, data)
            found[key] = data
    return found


def forget_payload(creative_key: str) -> None:
    _payloads.pop(creative_key, None)


def deliver(ctx: AdContext, *, count: int = 1, now: datetime | None = None) -> list[DeliveredAd]:
    """Up to `count` ads for `ctx` (AdContext), best first, each with signed beacon URLs."""
    try:
        placement = Placement(ctx.placement)
    except ValueError:
        raise UnknownPlacement(field="placement") from None
    now = now or timezone.now()
    viewer = beacons.viewer_hash(ctx.viewer)
    excluded = set(ctx.exclude_listings)
    try:
        picks = get_store().pick(
            placement=placement.value,
            city=fold(ctx.city),
            neighbourhood=fold(ctx.neighbourhood),
            audience=fold(ctx.audience),
            language=fold(ctx.language)[:2],
            viewer=viewer,
            want=count + len(excluded),
            now=now,
        )
    except Exception:
        log.exception("ads: the delivery store failed; nothing delivered")
        return []
    payloads = _payload([p.creative for p in picks])
    label = pgettext("an ad", "Sponsored")
    out: list[DeliveredAd] = []
    for pick in picks:
        data = payloads.get(pick.creative)
        if data is None or (data["listing"] and data["listing"] in excluded):
            continue
        token = beacons.sign(
            campaign=pick.campaign,
            creative=pick.creative,
            placement=placement.value,
            listing=data["listing"],
            viewer=viewer,
            now=now.timestamp(),
        )
        out.append(
            DeliveredAd(
                campaign_id=str(_uuid(pick.campaign)),
                creative_id=str(_uuid(pick.creative)),
                kind=data["kind"],
                placement=placement.value,
                listing_id=data["listing"],
                headline=data["headline"],
                body=data["body"],
                image_url=absolute(data["image"]) if data["image"].startswith("/") else data["image"],
                link_url=absolute(data["link"]) if data["link"].startswith("/") else data["link"],
                impression_url=absolute(reverse("ads:impression", args=[token])),
                click_url=absolute(reverse("ads:click", args=[token])),
                label=label,
            )
        )
        if len(out) >= count:
            break
    return out


def _uuid(key: str):
    import uuid

    return uuid.UUID(hex=key)


def record(
    kind: str, token: str, *, user_agent: str, user_key: str = "", now: datetime | None = None
) -> tuple[Outcome, beacons.Beacon | None]:
    """Count an impression ("i") or a click ("c") of a delivered ad, once; the outcome says
    what was counted and charged (thousandths), and the beacon the token carried (None:
    forged or expired, not counted)."""
    now = now or timezone.now()
    beacon = beacons.verify(token, now=now.timestamp())
    if beacon is None:
        return Outcome("invalid"), None
    if beacons.is_bot(user_agent):
        return Outcome("bot"), beacon
    try:
        return get_store().count(kind=kind, beacon=beacon, user=user_key, now=now), beacon
    except Exception:
        log.exception("ads: the delivery store failed; a beacon was not counted")
        return Outcome("unavailable"), beacon


def link_of(beacon: beacons.Beacon) -> str:
    """Where a click on the beacon's ad goes."""
    data = _payload([beacon.creative]).get(beacon.creative)
    return data["link"] if data else "/"


def viewer_of(request) -> tuple[str, str]:
    """(viewer key, language) of a request for the apps' and sites' placements: the signed-in
    user, else the app's X-Device-Id, else the address and user agent (hashed before use)."""
    user = getattr(request, "user", None)
    language = getattr(request, "LANGUAGE_CODE", "") or ""
    if user is not None and user.is_authenticated:
        return f"u:{user.public_id}", language
    device = (request.headers.get("X-Device-Id") or "")[:100]
    if device:
        return f"d:{device}", language
    agent = (request.headers.get("User-Agent") or "")[:300]
    return f"a:{request.META.get('REMOTE_ADDR', '')}|{agent}", language
