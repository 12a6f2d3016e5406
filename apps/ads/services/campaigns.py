"""Campaigns and creatives (docs/ads.md, "Campaigns"): an advertiser's manager creates a
campaign (pricing, bid, budgets, dates, targeting, placements), adds creatives (a promoted
listing of its own, an image banner, a text ad) that the rules then staff moderate, activates
it (a prepaid balance is needed; a flat fee is charged at once), pauses, resumes, ends it.
Every change reaches the delivery store after commit."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.outbox import publish
from apps.core.statemachine import InvalidTransition, StateMachine
from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg
from apps.market import api as market

from ..contracts import (
    PLACEMENT_KINDS,
    Audience,
    CampaignStatus,
    CreativeKind,
    CreativeStatus,
    Placement,
    Pricing,
)
from ..errors import (
    AdvertiserSuspended,
    CampaignNotFound,
    CampaignStateConflict,
    CreativeNotFound,
    CreativeRefused,
    InsufficientAdBalance,
    InvalidCampaign,
)
from ..events import CampaignBudgetSpent
from ..models import Advertiser, Campaign, Creative
from ..selectors import advertiser_get, advertisers_visible_to
from . import delivery, moderation
from .advertisers import balance_of, revenue_account

S = CampaignStatus


class CampaignTransition(CampaignStateConflict, InvalidTransition):
    code = CampaignStateConflict.code


CAMPAIGN_STATES = StateMachine(
    {
        S.DRAFT: {S.ACTIVE, S.ARCHIVED},
        S.ACTIVE: {S.PAUSED, S.EXHAUSTED, S.ENDED},
        S.PAUSED: {S.ACTIVE, S.ENDED, S.ARCHIVED},
        S.EXHAUSTED: {S.ACTIVE, S.ENDED, S.ARCHIVED},
        S.ENDED: {S.ARCHIVED},
        S.ARCHIVED: set(),
    },
    error=CampaignTransition,
)

LANGUAGES = ("fr", "en")
MAX_TARGETS = 30


# --- reads -----------------------------------------------------------------------------------


def campaigns_of(actor, *, advertiser=None):
    qs = Campaign.objects.filter(advertiser__in=advertisers_visible_to(actor)).select_related("advertiser")
    if advertiser is not None:
        qs = qs.filter(advertiser=advertiser)
    return qs


def campaign_get(actor, public_id, *, manage: bool = False) -> Campaign:
    try:
        row = (
            Campaign.objects.filter(
                advertiser__in=advertisers_visible_to(actor, manage=manage), public_id=public_id
            )
            .select_related("advertiser")
            .first()
        )
    except (ValueError, TypeError):
        row = None
    if row is None:
        raise CampaignNotFound()
    return row


def creative_get(actor, public_id, *, manage: bool = False) -> Creative:
    try:
        row = (
            Creative.objects.filter(
                campaign__advertiser__in=advertisers_visible_to(actor, manage=manage), public_id=public_id
            )
            .select_related("campaign", "campaign__advertiser")
            .first()
        )
    except (ValueError, TypeError):
        row = None
    if row is None:
        raise CreativeNotFound()
    return row


# --- validation ------------------------------------------------------------------------------


def _texts(values, field: str) -> list[str]:
    values = values or []
    if isinstance(values, str):
        values = [v for v in values.split(",")]
    cleaned = []
    for value in values:
        value = moderation.check_text(field, str(value))[:100]
        if value and value.casefold() not in {c.casefold() for c in cleaned}:
            cleaned.append(value)
    if len(cleaned) > MAX_TARGETS:
        raise InvalidCampaign(_("At most %(n)s values.") % {"n": MAX_TARGETS}, field=field)
    return cleaned


def _choices(values, allowed, field: str) -> list[str]:
    values = list(values or [])
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise InvalidCampaign(_("Unknown value: %(value)s.") % {"value": unknown[0]}, field=field)
    return sorted(set(values), key=list(allowed).index)


def _clean(advertiser: Advertiser, fields: dict, *, current: Campaign | None = None) -> dict:
    out: dict = {}
    if "name" in fields:
        out["name"] = moderation.check_text("name", fields["name"])[:120]
        if not out["name"]:
            raise InvalidCampaign(_("Give the campaign a name."), field="name")
    pricing = fields.get("pricing", current.pricing if current else Pricing.CPC)
    if pricing not in Pricing.__members__.values():
        raise InvalidCampaign(_("Unknown pricing."), field="pricing")
    out["pricing"] = pricing
    if "bid" in fields or current is None:
        bid = fields.get("bid")
        if not isinstance(bid, int) or isinstance(bid, bool) or bid <= 0:
            raise InvalidCampaign(_("The bid must be a positive whole amount."), field="bid")
        minimum = {Pricing.CPM: settings.ADS_MIN_CPM, Pricing.CPC: settings.ADS_MIN_CPC}.get(pricing, 1)
        if bid < minimum:
            raise InvalidCampaign(
                _("The bid is below the minimum of %(min)s.") % {"min": minimum}, field="bid"
            )
        out["bid"] = bid
    bid = out.get("bid", current.bid if current else 0)
    if "currency" in fields and fields["currency"] and fields["currency"] != advertiser.currency:
        raise InvalidCampaign(
            _("Campaigns are paid in %(currency)s.") % {"currency": advertiser.currency}, field="currency"
        )
    if pricing == Pricing.FLAT:
        out["total_budget"] = bid
        out["daily_budget"] = None
    else:
        if "total_budget" in fields or current is None:
            total = fields.get("total_budget")
            if not isinstance(total, int) or isinstance(total, bool) or total <= 0:
                raise InvalidCampaign(
                    _("The total budget must be a positive whole amount."), field="total_budget"
                )
            out["total_budget"] = total
        total = out.get("total_budget", current.total_budget if current else 0)
        if current is not None and total < current.charged:
            raise InvalidCampaign(
                _("The total budget cannot be below what is already spent."), field="total_budget"
            )
        if pricing == Pricing.CPC and total < bid:
            raise InvalidCampaign(
                _("The total budget must pay for at least one click."), field="total_budget"
            )
        if "daily_budget" in fields:
            daily = fields["daily_budget"]
            if daily is not None and (not isinstance(daily, int) or isinstance(daily, bool) or daily <= 0):
                raise InvalidCampaign(
                    _("The daily budget must be a positive whole amount."), field="daily_budget"
                )
            out["daily_budget"] = daily
        daily = out.get("daily_budget", current.daily_budget if current else None)
        if daily is not None and daily > total:
            raise InvalidCampaign(_("The daily budget cannot exceed the total budget."), field="daily_budget")
    today = timezone.localdate()
    if "starts_on" in fields or current is None:
        starts = fields.get("starts_on") or today
        if not isinstance(starts, date):
            raise InvalidCampaign(_("Give a start date."), field="starts_on")
        if starts < today and (current is None or current.status == S.DRAFT):
            raise InvalidCampaign(_("A campaign cannot start in the past."), field="starts_on")
        out["starts_on"] = starts
    if "ends_on" in fields:
        out["ends_on"] = fields["ends_on"]
    starts = out.get("starts_on", current.starts_on if current else today)
    ends = out.get("ends_on", current.ends_on if current else None)
    if ends is not None and ends < starts:
        raise InvalidCampaign(_("The end date is before the start date."), field="ends_on")
    if ends is not None and ends < today:
        raise InvalidCampaign(_("The end date is past."), field="ends_on")
    if pricing == Pricing.FLAT and ends is None:
        raise InvalidCampaign(
            _("A flat fee buys a featured slot between two dates: give the end date."), field="ends_on"
        )
    if "placements" in fields or current is None:
        placements = _choices(
            fields.get("placements") or [p.value for p in Placement if p != Placement.NEWS_EMAIL],
            [p.value for p in Placement],
            "placements",
        )
        if not placements:
            raise InvalidCampaign(_("Choose at least one placement."), field="placements")
        out["placements"] = placements
    if "cities" in fields:
        out["cities"] = _texts(fields["cities"], "cities")
    if "neighbourhoods" in fields:
        out["neighbourhoods"] = _texts(fields["neighbourhoods"], "neighbourhoods")
    if "audiences" in fields:
        out["audiences"] = _choices(fields["audiences"], [a.value for a in Audience], "audiences")
    if "languages" in fields:
        out["languages"] = _choices(fields["languages"], LANGUAGES, "languages")
    if "frequency_cap" in fields:
        cap = fields["frequency_cap"]
        if not isinstance(cap, int) or isinstance(cap, bool) or not 0 <= cap <= 100:
            raise InvalidCampaign(_("The frequency cap is between 0 (none) and 100."), field="frequency_cap")
        out["frequency_cap"] = cap
    return out


EDITABLE_LIVE = {
    "name",
    "total_budget",
    "daily_budget",
    "ends_on",
    "placements",
    "cities",
    "neighbourhoods",
    "audiences",
    "languages",
    "frequency_cap",
}


# --- campaigns -------------------------------------------------------------------------------


def _manage(actor, advertiser: Advertiser) -> None:
    identity.require(actor, "ads.advertiser.manage", advertiser, hide=True)
    if advertiser.suspended:
        raise AdvertiserSuspended()


@transaction.atomic
def campaign_create(*, actor, advertiser, **fields) -> Campaign:
    """A draft campaign of `advertiser` (a public id or row the actor runs)."""
    if not isinstance(advertiser, Advertiser):
        advertiser = advertiser_get(actor, advertiser, manage=True)
    _manage(actor, advertiser)
    if "name" not in fields:
        raise InvalidCampaign(_("Give the campaign a name."), field="name")
    data = _clean(advertiser, fields)
    return Campaign.objects.create(
        advertiser=advertiser, currency=advertiser.currency, created_by=actor, **data
    )


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("advertiser").get(pk=campaign.pk)


@transaction.atomic
def campaign_update(*, actor, campaign, **fields) -> Campaign:
    """Change a campaign: anything while a draft; later its name, budgets, end date,
    targeting and placements (pricing and bid stay)."""
    row = _locked(campaign_get(actor, getattr(campaign, "public_id", campaign), manage=True))
    _manage(actor, row.advertiser)
    if row.status in (S.ENDED, S.ARCHIVED):
        raise CampaignStateConflict()
    if row.status != S.DRAFT:
        frozen = set(fields) - EDITABLE_LIVE
        if frozen:
            raise InvalidCampaign(
                _("Pricing, bid and start date are fixed once a campaign has run."), field=sorted(frozen)[0]
            )
    data = _clean(row.advertiser, fields, current=row)
    for name, value in data.items():
        setattr(row, name, value)
    raised = row.status == S.EXHAUSTED and row.total_budget * 1000 > row.spent_milli + delivery.cost_milli(
        row
    )
    if raised:
        CAMPAIGN_STATES.check(row.status, S.ACTIVE)
        row.status, row.exhausted_at = S.ACTIVE, None
    row.save()
    delivery.load_on_commit(row.pk)
    return row


def _charge_flat(row: Campaign) -> None:
    if row.flat_transfer:
        return
    try:
        result = ledger.transfer(
            idempotency_key=f"ads:flat:{row.public_id}",
            code="ads_spend",
            legs=[
                Leg.debit(row.advertiser.balance_account, row.bid, row.currency),
                Leg.credit(revenue_account(row.currency).public_id, row.bid, row.currency),
            ],
            description=f"Emplacement à la une — {row.name}"[:200],
            reference=f"ads.Campaign:{row.public_id}",
        )
    except ledger.InsufficientFunds:
        raise InsufficientAdBalance() from None
    row.flat_transfer = result.public_id
    row.charged = row.bid
    row.spent_milli = row.bid * 1000
    transaction.on_commit(
        lambda key=row.advertiser.public_id.hex, fee=row.bid: (
            delivery.get_store().add_balance(key, -fee * 1000)
            if delivery.get_store().balance(key) is not None
            else None
        )
    )


STEP_UP_FLAT = "ads.campaign.flat_fee"


@transaction.atomic
def campaign_activate(*, actor, campaign, step_up_token: str | None = None) -> Campaign:
    """Start (or resume) delivery. A prepaid balance is needed; a flat fee is charged now, with
    the strong step-up of that exact fee (identity: action `ads.campaign.flat_fee`, the
    campaign's public id as target, the fee as amount)."""
    row = _locked(campaign_get(actor, getattr(campaign, "public_id", campaign), manage=True))
    _manage(actor, row.advertiser)
    CAMPAIGN_STATES.check(row.status, S.ACTIVE)
    if row.ends_on and row.ends_on < timezone.localdate():
        raise InvalidCampaign(_("The end date is past."), field="ends_on")
    if row.pricing == Pricing.FLAT and not row.flat_transfer:
        identity.require_step_up(
            actor=actor,
            action=STEP_UP_FLAT,
            target=str(row.public_id),
            amount=row.bid,
            currency=row.currency,
            token=step_up_token,
        )
        _charge_flat(row)
    else:
        if row.total_budget * 1000 - row.spent_milli < delivery.cost_milli(row):
            raise InvalidCampaign(_("Raise the total budget first: it is spent."), field="total_budget")
        if balance_of(row.advertiser) <= 0:
            raise InsufficientAdBalance()
    row.status = S.ACTIVE
    row.activated_at = row.activated_at or timezone.now()
    row.save()
    delivery.load_on_commit(row.pk)
    return row


def _move(*, actor, campaign, target) -> Campaign:
    row = _locked(campaign_get(actor, getattr(campaign, "public_id", campaign), manage=True))
    _manage(actor, row.advertiser)
    CAMPAIGN_STATES.check(row.status, target)
    row.status = target
    if target == S.ENDED:
        row.ended_at = timezone.now()
    row.save()
    delivery.load_on_commit(row.pk)
    return row


@transaction.atomic
def campaign_pause(*, actor, campaign) -> Campaign:
    return _move(actor=actor, campaign=campaign, target=S.PAUSED)


@transaction.atomic
def campaign_end(*, actor, campaign) -> Campaign:
    """End a campaign for good (it cannot run again; what is left of its budget stays in the
    advertiser's balance)."""
    return _move(actor=actor, campaign=campaign, target=S.ENDED)


@transaction.atomic
def campaign_archive(*, actor, campaign) -> Campaign:
    return _move(actor=actor, campaign=campaign, target=S.ARCHIVED)


def mark_exhausted(campaign_id: int) -> bool:
    """The store found the campaign's budget spent: ACTIVE → EXHAUSTED once, with its event."""
    with transaction.atomic():
        row = Campaign.objects.select_for_update().select_related("advertiser").get(pk=campaign_id)
        if row.status != S.ACTIVE:
            return False
        row.status, row.exhausted_at = S.EXHAUSTED, timezone.now()
        row.save(update_fields=["status", "exhausted_at", "updated_at"])
        publish(
            CampaignBudgetSpent(
                campaign_id=str(row.public_id),
                advertiser_id=str(row.advertiser.public_id),
                charged=row.charged,
                currency=row.currency,
            )
        )
    return True


def end_past(*, today: date | None = None) -> int:
    """Campaigns whose end date is past: ENDED and out of the store."""
    today = today or timezone.localdate()
    ended = 0
    for pk in Campaign.objects.filter(
        status__in=[S.ACTIVE, S.PAUSED, S.EXHAUSTED], ends_on__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            row = Campaign.objects.select_for_update().get(pk=pk)
            row.status, row.ended_at = S.ENDED, timezone.now()
            row.save(update_fields=["status", "ended_at", "updated_at"])
        delivery.load(pk)
        ended += 1
    return ended


# --- creatives -------------------------------------------------------------------------------


def _own_listing(advertiser: Advertiser, listing_id) -> str:
    try:
        offerer = market.listing_offerer(listing_id)
    except Exception:  # noqa: BLE001 -- unknown or malformed: one refusal
        raise CreativeRefused(_("This listing does not exist."), field="listing") from None
    own = (advertiser.organization_id and offerer.organization_id == advertiser.organization_id) or (
        advertiser.organization_id is None and offerer.owner_id == advertiser.owner_id
    )
    if not own:
        raise CreativeRefused(_("You can only promote your own listings."), field="listing")
    if not offerer.verified:
        raise CreativeRefused(_("Only a listing verified by Hokwe can be promoted."), field="listing")
    if offerer.status not in ("published", "reserved"):
        raise CreativeRefused(_("Only a listing online can be promoted."), field="listing")
    return offerer.public_id


def creative_create(
    *,
    actor,
    campaign,
    kind: str,
    listing=None,
    headline: str = "",
    body: str = "",
    link_url: str = "",
    image: bytes | None = None,
) -> Creative:
    """Add a creative. Refused at once: markup or scripts, a bad link, an image that is not a
    plain picture or too large, someone else's or an unverified listing. A promoted listing
    passing the rules is approved; banners and text ads wait for staff."""
    row = campaign_get(actor, getattr(campaign, "public_id", campaign), manage=True)
    _manage(actor, row.advertiser)
    if row.status in (S.ENDED, S.ARCHIVED):
        raise CampaignStateConflict()
    try:
        kind = CreativeKind(kind)
    except ValueError:
        raise CreativeRefused(_("Unknown kind of ad."), field="kind") from None
    if not any(kind in PLACEMENT_KINDS[Placement(p)] for p in row.placements):
        raise CreativeRefused(_("None of the campaign's placements shows this kind of ad."), field="kind")
    headline = moderation.check_text("headline", headline)[:90]
    body = moderation.check_text("body", body)[:200]
    link_url = moderation.check_link(link_url)
    fields = {"headline": headline, "body": body, "link_url": link_url}
    image_file = None
    if kind == CreativeKind.LISTING:
        fields["listing"] = _own_listing(row.advertiser, listing)
        fields["link_url"] = ""
    elif kind == CreativeKind.BANNER:
        if not image:
            raise CreativeRefused(_("A banner needs an image."), field="image")
        data, extension, width, height = moderation.check_image(image)
        image_file = (ContentFile(data), extension)
        fields.update(image_width=width, image_height=height)
        if not link_url:
            raise CreativeRefused(_("A banner needs a link."), field="link_url")
    else:
        if not headline:
            raise CreativeRefused(_("A text ad needs a headline."), field="headline")
        if not link_url:
            raise CreativeRefused(_("A text ad needs a link."), field="link_url")
    flags = moderation.flags_of(headline, body, link=link_url)
    auto = kind == CreativeKind.LISTING and not flags
    with transaction.atomic():
        creative = Creative(
            campaign=row,
            kind=kind,
            flags=flags,
            status=CreativeStatus.APPROVED if auto else CreativeStatus.PENDING,
            reviewed_at=timezone.now() if auto else None,
            **fields,
        )
        if image_file is not None:
            creative.image.save(f"{creative.public_id.hex}.{image_file[1]}", image_file[0], save=False)
        creative.save()
        if auto:
            delivery.load_on_commit(row.pk)
    return creative


@transaction.atomic
def creative_remove(*, actor, creative) -> None:
    row = creative_get(actor, getattr(creative, "public_id", creative), manage=True)
    _manage(actor, row.campaign.advertiser)
    campaign_id = row.campaign_id
    row.delete()
    delivery.forget_payload(row.public_id.hex)
    delivery.load_on_commit(campaign_id)


def _review(staff, creative) -> Creative:
    identity.require(staff, "ads.creative.moderate")
    row = (
        Creative.objects.select_for_update()
        .filter(public_id=getattr(creative, "public_id", creative))
        .first()
    )
    if row is None:
        raise CreativeNotFound()
    return row


@transaction.atomic
def creative_approve(*, staff, creative) -> Creative:
    row = _review(staff, creative)
    row.status, row.reviewed_by, row.reviewed_at, row.rejection_reason = (
        CreativeStatus.APPROVED,
        staff,
        timezone.now(),
        "",
    )
    row.save()
    delivery.forget_payload(row.public_id.hex)
    delivery.load_on_commit(row.campaign_id)
    return row


@transaction.atomic
def creative_reject(*, staff, creative, reason: str) -> Creative:
    row = _review(staff, creative)
    reason = (reason or "").strip()[:300]
    if not reason:
        raise CreativeRefused(_("Say why the ad is refused."), field="reason")
    row.status, row.reviewed_by, row.reviewed_at, row.rejection_reason = (
        CreativeStatus.REJECTED,
        staff,
        timezone.now(),
        reason,
    )
    row.save()
    delivery.forget_payload(row.public_id.hex)
    delivery.load_on_commit(row.campaign_id)
    return row
