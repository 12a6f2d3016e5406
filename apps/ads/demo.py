"""Demo ads data (seed_demo runs it after market's). Idempotent: a second run changes nothing.

Each part appends a function `_seed_<part>(ctx)` and one call line at the end of `seed`."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

DEMO_CAMPAIGN = "Chambre salon Fidjrossè — à la une"


def seed(ctx) -> None:
    _seed_advertising(ctx)


# --- advertising: the agency Les Cocotiers promotes its listing with a 10,000 FCFA budget
# (100 FCFA a click) from a 10,000 FCFA prepaid balance; it shows labelled in market search ---


def _seed_advertising(ctx) -> None:
    import uuid

    from django.contrib.auth import get_user_model

    from apps.ledger import api as ledger
    from apps.ledger.contracts import Leg

    from .models import Campaign
    from .services import campaigns, delivery
    from .services.advertisers import advertiser_open

    agency = (ctx.get("organizations") or {}).get("agency")
    owner = get_user_model().objects.filter(phone="+2290197000001").first()
    if agency is None or owner is None:
        return
    from apps.market import api as market

    listing = ctx.get("market_listing") or next(
        (x.public_id for x in market.listings_offered_by(organization_id=agency.pk) if x.verified), None
    )
    if not listing:
        return
    try:
        advertiser = advertiser_open(actor=owner, organization=agency.public_id)
    except Exception as exc:  # noqa: BLE001 -- the demo agency is not verified: no ads
        log.warning("ads demo: no advertiser (%s)", exc)
        return
    if Campaign.objects.filter(advertiser=advertiser, name=DEMO_CAMPAIGN).exists():
        return
    clearing = ledger.system_account(code="provider_clearing.sandbox", currency=advertiser.currency)
    ledger.transfer(
        idempotency_key=f"ads-demo-topup:{advertiser.public_id}:{uuid.uuid4().hex[:6]}",
        code="top_up",
        legs=[
            Leg.debit(clearing.public_id, 10_000, advertiser.currency),
            Leg.credit(advertiser.balance_account, 10_000, advertiser.currency),
        ],
        description="Recharge publicité (démo)",
    )
    campaign = campaigns.campaign_create(
        actor=owner,
        advertiser=advertiser,
        name=DEMO_CAMPAIGN,
        pricing="cpc",
        bid=100,
        total_budget=10_000,
        placements=["market.search", "app.home"],
        cities=["Cotonou"],
    )
    campaigns.creative_create(actor=owner, campaign=campaign, kind="listing", listing=listing)
    campaigns.campaign_activate(actor=owner, campaign=campaign)
    delivery.load(campaign.pk)
    ctx["ads_campaign"] = str(campaign.public_id)
