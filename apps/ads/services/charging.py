"""Synchronising the delivery store into PostgreSQL and charging the ledger (docs/ads.md,
"Charging").

Every minute (beat `ads.sync`) and on demand: the campaigns whose counters changed are read
from the store (cumulative per day, so a sync that fails is simply done again), CampaignDay
and the campaign's totals are set, and what was spent since the last charge is drawn from
the advertiser's prepaid balance to Hokwe's ad revenue in whole minor units (one ledger
transfer, its idempotency key naming the campaign and the new total charged: a replayed
sync never charges twice). A campaign the store found spent becomes EXHAUSTED.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from apps.core.outbox import publish
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg

from ..contracts import CampaignStatus, Pricing
from ..events import AdSpendCharged
from ..models import Campaign, CampaignDay, Creative
from . import delivery
from .advertisers import revenue_account
from .campaigns import end_past, mark_exhausted
from .store import get_store

log = logging.getLogger(__name__)


def _apply(campaign_key: str, day: str, counters: dict) -> Campaign | None:
    """Set one day's counters (never lower than what PostgreSQL has) and the totals; charge."""
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update()
            .select_related("advertiser")
            .filter(public_id=campaign_key)
            .first()
        )
        if campaign is None:
            return None
        row, _created = CampaignDay.objects.select_for_update().get_or_create(
            campaign=campaign, day=date.fromisoformat(day)
        )
        row.impressions = max(row.impressions, counters["imp"])
        row.clicks = max(row.clicks, counters["clk"])
        row.spent_milli = max(row.spent_milli, counters["spent"])
        row.filtered = max(row.filtered, counters["flt"])
        row.save()
        totals = campaign.days.aggregate(
            impressions=Sum("impressions"), clicks=Sum("clicks"), spent=Sum("spent_milli")
        )
        campaign.impressions = totals["impressions"] or 0
        campaign.clicks = totals["clicks"] or 0
        if campaign.pricing != Pricing.FLAT:
            campaign.spent_milli = totals["spent"] or 0
            target = min(campaign.spent_milli // 1000, campaign.total_budget)
            if target > campaign.charged:
                _charge(campaign, target, day)
        campaign.synced_at = timezone.now()
        campaign.save()
    return campaign


def _charge(campaign: Campaign, target: int, day: str) -> None:
    amount = target - campaign.charged
    advertiser = campaign.advertiser
    try:
        ledger.transfer(
            idempotency_key=f"ads:charge:{campaign.public_id}:{target}",
            code="ads_spend",
            legs=[
                Leg.debit(advertiser.balance_account, amount, campaign.currency),
                Leg.credit(revenue_account(campaign.currency).public_id, amount, campaign.currency),
            ],
            description=f"Publicité — {campaign.name}"[:200],
            reference=f"ads.Campaign:{campaign.public_id}",
            metadata={"day": day, "charged": target},
        )
    except ledger.InsufficientFunds:
        # the store's balance said yes, the ledger's says no (the balance was spent elsewhere
        # meanwhile, e.g. a creator job's hold): charge what there is and stop the campaign; the
        # rest is charged from the next top-up, never overdrawn
        log.warning("ads: %s could not be charged %s in full", campaign.public_id, amount)
        available = ledger.balance(account=advertiser.balance_account).available
        mark_exhausted_later(campaign.pk)
        if available > 0:
            _charge(campaign, campaign.charged + available, day)
        return
    campaign.charged = target
    publish(
        AdSpendCharged(
            campaign_id=str(campaign.public_id),
            advertiser_id=str(advertiser.public_id),
            organization_id=str(advertiser.organization.public_id) if advertiser.organization_id else "",
            listing_ids=[
                str(x)
                for x in Creative.objects.filter(campaign=campaign, listing__isnull=False).values_list(
                    "listing", flat=True
                )
            ],
            amount=amount,
            currency=campaign.currency,
            day=day,
        )
    )


def mark_exhausted_later(campaign_id: int) -> None:
    transaction.on_commit(
        lambda: (mark_exhausted(campaign_id), delivery.get_store().unload(_key_of(campaign_id)))
    )


def _key_of(campaign_id: int) -> str:
    return Campaign.objects.filter(pk=campaign_id).values_list("public_id", flat=True)[0].hex


def sync(*, limit: int = 5000) -> dict:
    """One pass: counters and charges of the campaigns that moved, spent campaigns marked,
    campaigns past their end date ended; the store rebuilt when it lost its data."""
    store = get_store()
    reloaded = 0
    if not store.loaded() and Campaign.objects.filter(status=CampaignStatus.ACTIVE).exists():
        reloaded = delivery.reload_all()
    synced = exhausted = 0
    for key, day in store.dirty(limit):
        try:
            campaign = _apply(key, day, store.counters(key, day))
        except Exception:
            log.exception("ads: syncing %s %s failed", key, day)
            store.mark_dirty(key, day)
            continue
        synced += 1
        if campaign is not None and store.exhausted(key) and mark_exhausted(campaign.pk):
            exhausted += 1
    ended = end_past()
    return {"synced": synced, "exhausted": exhausted, "ended": ended, "reloaded": reloaded}
