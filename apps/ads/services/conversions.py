"""Conversions attributed to the last click (docs/ads.md, "Tracking"): a signed-in seeker who
clicked a promoted listing and then, within ADS_ATTRIBUTION_DAYS, books a visit of it or
applies to it converts for the campaign of that last click — once per market event."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.identity import api as identity

from ..models import Campaign, CampaignDay, Conversion, Creative
from .store import get_store, local_day


def attribute(*, kind: str, listing: str, user: str, source: str) -> Conversion | None:
    if not user or not listing:
        return None
    click = get_store().last_click(user, listing)
    if click is None:
        return None
    campaign_key, creative_key, clicked = click
    campaign = Campaign.objects.filter(public_id=campaign_key).first()
    if campaign is None:
        return None
    creative = Creative.objects.filter(public_id=creative_key).first()
    try:
        user_id = identity.get_user(user).id
    except Exception:  # noqa: BLE001 -- a deleted account: counted without the person
        user_id = None
    day, _seconds = local_day(timezone.now())
    try:
        with transaction.atomic():
            row = Conversion.objects.create(
                campaign=campaign,
                creative=creative,
                kind=kind,
                listing=listing,
                user_id=user_id,
                clicked_at=datetime.fromtimestamp(clicked, tz=UTC),
                source=source,
            )
            Campaign.objects.filter(pk=campaign.pk).update(conversions=F("conversions") + 1)
            CampaignDay.objects.get_or_create(campaign=campaign, day=day)
            CampaignDay.objects.filter(campaign=campaign, day=day).update(conversions=F("conversions") + 1)
    except IntegrityError:  # the same event again
        return None
    return row
