"""The database delivery store (services/store.py): the same decisions as the Redis store's
Lua scripts, in SQL under row locks. The embedded default's (SQLite, no Redis) and the
benchmark's PostgreSQL-only baseline. Its day counters are CampaignDay rows themselves."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Sum

from ..models import AdvertiserState, Campaign, CampaignDay, DeliveryMark, DeliveryState
from .store import COUNTED, CampaignState, Outcome, Pick, local_day


def _ts(value: int) -> datetime | None:
    return datetime.fromtimestamp(value, tz=UTC) if value else None


def _hex(value) -> str:
    return value.hex if hasattr(value, "hex") else str(value).replace("-", "")


class DbStore:
    kind = "db"

    # --- loading
    def load(self, state: CampaignState) -> None:
        campaign = Campaign.objects.only("id", "advertiser_id", "spent_milli").get(public_id=state.key)
        advertiser_id = campaign.advertiser_id
        # the day rows are this store's counters: what they hold beyond the last sync is spent
        counted = (
            CampaignDay.objects.filter(campaign_id=campaign.pk).aggregate(spent=Sum("spent_milli"))["spent"]
            or 0
        )
        budget = max(state.budget_milli - max(0, counted - campaign.spent_milli), 0)
        DeliveryState.objects.update_or_create(
            campaign_id=campaign.pk,
            defaults={
                "advertiser_id": advertiser_id,
                "live": True,
                "placements": list(state.placements),
                "cities": list(state.cities),
                "neighbourhoods": list(state.neighbourhoods),
                "audiences": list(state.audiences),
                "languages": list(state.languages),
                "creatives": {k: list(v) for k, v in state.creatives.items()},
                "pricing": state.pricing,
                "cost_milli": state.cost_milli,
                "score": state.score,
                "budget_milli": budget,
                "daily_milli": state.daily_milli,
                "day": date.fromisoformat(state.day),
                "spent_day_milli": state.spent_day_milli,
                "cap": state.cap,
                "starts_at": _ts(state.starts_at),
                "ends_at": _ts(state.ends_at),
            },
        )
        self._mark("epoch", 1, timedelta(days=3650))

    def unload(self, key: str) -> None:
        DeliveryState.objects.filter(campaign__public_id=key).update(live=False)

    def set_balance(self, advertiser: str, milli: int) -> None:
        from ..models import Advertiser

        pk = Advertiser.objects.filter(public_id=advertiser).values_list("pk", flat=True).first()
        if pk is not None:
            AdvertiserState.objects.update_or_create(advertiser_id=pk, defaults={"balance_milli": milli})

    def balance(self, advertiser: str) -> int | None:
        return (
            AdvertiserState.objects.filter(advertiser__public_id=advertiser)
            .values_list("balance_milli", flat=True)
            .first()
        )

    def add_balance(self, advertiser: str, milli: int) -> None:
        AdvertiserState.objects.filter(advertiser__public_id=advertiser).update(
            balance_milli=F("balance_milli") + milli
        )

    def loaded(self) -> bool:
        return DeliveryMark.objects.filter(key="epoch").exists()

    def state(self, key: str) -> dict:
        row = DeliveryState.objects.filter(campaign__public_id=key).first()
        if row is None:
            return {}
        return {
            "live": "1" if row.live else "0",
            "bud": str(row.budget_milli),
            "sd": str(row.spent_day_milli),
        }

    # --- delivering
    def pick(self, *, placement, city, neighbourhood, audience, language, viewer, want, now) -> list[Pick]:
        day, seconds = local_day(now)
        qs = DeliveryState.objects.filter(live=True, starts_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )
        if connection.vendor == "postgresql":  # JSON containment is indexed SQL there
            qs = qs.filter(placements__contains=[placement]).filter(
                Q(cities=[]) | Q(cities__contains=[city]) if city else Q(cities=[])
            )
        rows = list(
            qs.select_related("campaign")
            .only(
                "campaign__public_id", *[f.name for f in DeliveryState._meta.fields if f.name != "campaign"]
            )
            .order_by("-score")[:200]
        )
        balances = dict(
            AdvertiserState.objects.filter(advertiser_id__in={r.advertiser_id for r in rows}).values_list(
                "advertiser_id", "balance_milli"
            )
        )
        keys = [f"f:{_hex(r.campaign.public_id)}:{viewer}:{day}" for r in rows if viewer and r.cap]
        seen = (
            dict(DeliveryMark.objects.filter(key__in=keys, expires_at__gt=now).values_list("key", "count"))
            if keys
            else {}
        )
        out: list[Pick] = []
        rnd = random.randrange(1 << 20)  # noqa: S311 -- rotating creatives, not a secret
        for row in rows:
            if placement not in row.placements or (row.cities and city not in row.cities):
                continue
            if (
                (row.neighbourhoods and neighbourhood not in row.neighbourhoods)
                or (row.audiences and audience not in row.audiences)
                or (row.languages and language not in row.languages)
            ):
                continue
            creatives = row.creatives.get(placement) or []
            if not creatives:
                continue
            if row.pricing != "flat":
                cost = row.cost_milli
                if row.budget_milli < cost or balances.get(row.advertiser_id, 0) < cost:
                    continue
                if row.daily_milli:
                    spent = row.spent_day_milli if row.day.isoformat() == day else 0
                    allowed = (
                        row.daily_milli * min(86400, seconds + settings.ADS_PACING_INTERVAL_SECONDS) // 86400
                    )
                    if spent + cost > allowed or spent + cost > row.daily_milli:
                        continue
            key = _hex(row.campaign.public_id)
            if viewer and row.cap and seen.get(f"f:{key}:{viewer}:{day}", 0) >= row.cap:
                continue
            out.append(Pick(key, creatives[(rnd + len(out)) % len(creatives)]))
            if len(out) >= want:
                break
        return out

    def _mark(self, key: str, add: int, ttl: timedelta, *, now=None, value: str = "") -> int:
        """Add to a counted key (created, or restarted when expired); its count after."""
        now = now or datetime.now(tz=UTC)
        expires = now + ttl
        with transaction.atomic():
            row = DeliveryMark.objects.select_for_update().filter(key=key).first()
            if row is None:
                try:
                    with transaction.atomic():
                        DeliveryMark.objects.create(key=key, count=add, value=value, expires_at=expires)
                    return add
                except IntegrityError:
                    row = DeliveryMark.objects.select_for_update().get(key=key)
            if row.expires_at <= now:
                row.count, row.expires_at = add, expires
            else:
                row.count += add
            if value:
                row.value, row.expires_at = value, expires
            row.save(update_fields=["count", "value", "expires_at"])
            return row.count

    def count(self, *, kind: str, beacon, user: str, now) -> Outcome:
        day, _seconds = local_day(now)
        with transaction.atomic():
            state = (
                DeliveryState.objects.select_for_update().filter(campaign__public_id=beacon.campaign).first()
            )
            if state is None:
                return Outcome("unknown")
            if (
                self._mark(
                    f"s:{kind}:{beacon.impression}",
                    1,
                    timedelta(seconds=settings.ADS_BEACON_TTL_SECONDS + 60),
                    now=now,
                )
                > 1
            ):
                return Outcome("replay")
            counters = CampaignDay.objects.get_or_create(
                campaign_id=state.campaign_id, day=date.fromisoformat(day)
            )[0]
            if beacon.viewer:
                minute = int(now.timestamp()) // 60
                if (
                    self._mark(f"r:{beacon.viewer}:{minute}", 1, timedelta(seconds=120), now=now)
                    > settings.ADS_VIEWER_BEACONS_PER_MINUTE
                ):
                    return self._filtered(counters, "rate")
                window = timedelta(seconds=settings.ADS_DEDUP_WINDOW_SECONDS)
                if self._mark(f"u:{kind}:{beacon.campaign}:{beacon.viewer}", 1, window, now=now) > 1:
                    return self._filtered(counters, "duplicate")
            charge = 0
            if (kind == "i" and state.pricing == "cpm") or (kind == "c" and state.pricing == "cpc"):
                cost = state.cost_milli
                balance = (
                    AdvertiserState.objects.select_for_update()
                    .filter(advertiser_id=state.advertiser_id)
                    .first()
                )
                spent = state.spent_day_milli if state.day.isoformat() == day else 0
                room = min(state.budget_milli, balance.balance_milli if balance else 0)
                if state.daily_milli:
                    room = min(room, state.daily_milli - spent)
                if room >= cost:
                    charge = cost
                    balance.balance_milli -= charge
                    balance.save(update_fields=["balance_milli"])
                state.budget_milli -= charge
                state.day, state.spent_day_milli = date.fromisoformat(day), spent + charge
                if state.budget_milli < cost:
                    state.live = False
                    self._mark(f"exh:{beacon.campaign}", 1, timedelta(days=30), now=now)
                state.save(update_fields=["budget_milli", "day", "spent_day_milli", "live"])
            CampaignDay.objects.filter(pk=counters.pk).update(
                impressions=F("impressions") + (1 if kind == "i" else 0),
                clicks=F("clicks") + (1 if kind == "c" else 0),
                spent_milli=F("spent_milli") + charge,
            )
            self._mark(f"dirty:{beacon.campaign}|{day}", 1, timedelta(days=8), now=now)
            if kind == "i" and beacon.viewer:
                self._mark(f"f:{beacon.campaign}:{beacon.viewer}:{day}", 1, timedelta(days=2), now=now)
            if kind == "c" and user and beacon.listing:
                self._mark(
                    f"l:{user}:{beacon.listing}",
                    0,
                    timedelta(days=settings.ADS_ATTRIBUTION_DAYS),
                    now=now,
                    value=f"{beacon.campaign}|{beacon.creative}|{int(now.timestamp())}",
                )
            return Outcome(COUNTED, charge)

    def _filtered(self, counters, status: str) -> Outcome:
        CampaignDay.objects.filter(pk=counters.pk).update(filtered=F("filtered") + 1)
        self._mark(
            f"dirty:{_hex(Campaign.objects.filter(pk=counters.campaign_id).values_list('public_id', flat=True)[0])}|{counters.day.isoformat()}",
            1,
            timedelta(days=8),
        )
        return Outcome(status)

    def last_click(self, user: str, listing: str):
        row = DeliveryMark.objects.filter(
            key=f"l:{user}:{listing}", expires_at__gt=datetime.now(tz=UTC)
        ).first()
        if row is None or not row.value:
            return None
        campaign, creative, at = row.value.split("|")
        return campaign, creative, int(at)

    # --- synchronising
    def dirty(self, limit: int = 5000) -> list[tuple[str, str]]:
        with transaction.atomic():
            rows = list(DeliveryMark.objects.select_for_update().filter(key__startswith="dirty:")[:limit])
            DeliveryMark.objects.filter(key__in=[r.key for r in rows]).delete()
        return [tuple(r.key[len("dirty:") :].split("|", 1)) for r in rows]

    def mark_dirty(self, key: str, day: str) -> None:
        self._mark(f"dirty:{key}|{day}", 1, timedelta(days=8))

    def counters(self, key: str, day: str) -> dict:
        row = CampaignDay.objects.filter(campaign__public_id=key, day=date.fromisoformat(day)).first()
        if row is None:
            return {"imp": 0, "clk": 0, "spent": 0, "flt": 0}
        return {"imp": row.impressions, "clk": row.clicks, "spent": row.spent_milli, "flt": row.filtered}

    def exhausted(self, key: str) -> bool:
        return DeliveryMark.objects.filter(key=f"exh:{key}").exists()


__all__ = ["DbStore"]
