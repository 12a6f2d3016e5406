"""Delivery, beacons and charging on the real stores (Redis; the database store alike)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from apps.ads.contracts import AdContext
from apps.ads.models import Campaign, CampaignDay
from apps.ads.services import beacons, charging, delivery
from apps.ads.services.advertisers import balance_of
from apps.ads.services.store import get_store
from tests.fixtures.ads import ads_campaign, ads_fund, ads_world

pytestmark = pytest.mark.django_db(transaction=False)

UA = "Mozilla/5.0 (Linux; Android 13) Chrome/120 Mobile"
STORES = [pytest.param("redis", id="redis"), pytest.param("db", id="db")]


@pytest.fixture(params=["redis", "db"])
def store_kind(request, settings):
    settings.ADS_DELIVERY_STORE = request.param
    return request.param


def _ctx(viewer="u:1", city="Cotonou"):
    return AdContext(placement="market.search", viewer=viewer, city=city, audience="seekers", language="fr")


def _token(ad) -> str:
    return ad.click_url.rsplit("/", 1)[1]


def test_a_cpc_click_is_counted_charged_and_synced_to_the_ledger(store_kind):
    world = ads_world(balance=10_000)
    campaign = ads_campaign(world, pricing="cpc", bid=100, total_budget=5_000)
    [ad] = delivery.deliver(_ctx(), count=1)
    assert ad.listing_id == str(world.listing.public_id)
    assert ad.label == "Sponsorisé" or ad.label == "Sponsored"
    outcome, _ = delivery.record("i", _token(ad), user_agent=UA)
    assert (outcome.status, outcome.charge_milli) == ("counted", 0)  # CPC: impressions are free
    outcome, _ = delivery.record("c", _token(ad), user_agent=UA)
    assert (outcome.status, outcome.charge_milli) == ("counted", 100_000)
    result = charging.sync()
    assert result["synced"] == 1
    campaign.refresh_from_db()
    assert (campaign.impressions, campaign.clicks, campaign.charged) == (1, 1, 100)
    assert balance_of(world.advertiser) == 9_900
    # a second sync with nothing new charges nothing more
    charging.sync()
    campaign.refresh_from_db()
    assert campaign.charged == 100 and balance_of(world.advertiser) == 9_900


def test_forged_replayed_robot_and_duplicate_beacons_are_not_counted(store_kind):
    world = ads_world()
    campaign = ads_campaign(world, pricing="cpm", bid=2_000, total_budget=5_000)
    [ad] = delivery.deliver(_ctx(viewer="u:a"), count=1)
    token = _token(ad)
    payload, mac = token.split(".")
    assert delivery.record("i", payload + "." + mac[::-1], user_agent=UA)[0].status == "invalid"
    other = beacons.sign(
        campaign="0" * 32, creative="0" * 32, placement="market.search", listing="", viewer="x"
    )
    forged = other.split(".")[0] + "." + mac  # another payload under this token's MAC
    assert delivery.record("i", forged, user_agent=UA)[0].status == "invalid"
    assert delivery.record("i", token, user_agent="Googlebot/2.1")[0].status == "bot"
    assert delivery.record("i", token, user_agent=UA)[0].status == "counted"
    assert delivery.record("i", token, user_agent=UA)[0].status == "replay"
    [again] = delivery.deliver(_ctx(viewer="u:a"), count=1)  # the same viewer, a new impression
    assert delivery.record("i", _token(again), user_agent=UA)[0].status == "duplicate"
    expired = beacons.sign(
        campaign=campaign.public_id.hex,
        creative=ad.creative_id.replace("-", ""),
        placement="market.search",
        listing="",
        viewer="y",
        now=(timezone.now() - timedelta(hours=3)).timestamp(),
    )
    assert delivery.record("i", expired, user_agent=UA)[0].status == "invalid"
    charging.sync()
    campaign.refresh_from_db()
    day = CampaignDay.objects.get(campaign=campaign)
    assert (campaign.impressions, day.filtered) == (1, 1)
    assert campaign.spent_milli == 2_000  # a CPM of 2,000 is 2 FCFA an impression


def test_delivery_stops_when_the_budget_is_spent_and_never_overspends(store_kind):
    world = ads_world(balance=10_000)
    campaign = ads_campaign(world, pricing="cpc", bid=100, total_budget=300)
    tokens = [_token(delivery.deliver(_ctx(viewer=f"u:{n}"), count=1)[0]) for n in range(5)]
    outcomes = [delivery.record("c", t, user_agent=UA)[0] for t in tokens]
    assert [o.charge_milli for o in outcomes] == [100_000] * 3 + [0, 0]  # counted, not charged
    assert delivery.deliver(_ctx(viewer="u:new"), count=1) == []
    result = charging.sync()
    assert result["exhausted"] == 1
    campaign.refresh_from_db()
    assert campaign.status == "exhausted" and campaign.charged == 300 and campaign.clicks == 5
    assert balance_of(world.advertiser) == 9_700


def test_concurrent_clicks_never_overspend_the_budget(settings):
    settings.ADS_DELIVERY_STORE = "redis"
    world = ads_world(balance=100_000)
    campaign = ads_campaign(world, pricing="cpc", bid=100, total_budget=1_000)
    tokens = [_token(delivery.deliver(_ctx(viewer=f"u:{n}"), count=1)[0]) for n in range(40)]
    charges: list[int] = []
    lock = threading.Lock()

    def click(token):
        outcome, _ = delivery.record("c", token, user_agent=UA)
        with lock:
            charges.append(outcome.charge_milli)

    threads = [threading.Thread(target=click, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(charges) == 1_000 * 1000 and charges.count(100_000) == 10
    charging.sync()
    campaign.refresh_from_db()
    assert campaign.charged == 1_000 and campaign.clicks == 40


def test_even_pacing_holds_the_daily_budget_back_early_in_the_day(store_kind):
    world = ads_world(balance=100_000)
    ads_campaign(world, pricing="cpc", bid=100, total_budget=50_000, daily_budget=2_400)
    tz = timezone.get_current_timezone()
    early = datetime.combine(timezone.localdate(), datetime.min.time(), tzinfo=tz) + timedelta(minutes=55)
    # 55 min + the 5-min interval = 1 h of 24: 100 FCFA of 2,400 may be spent by then
    [ad] = delivery.deliver(_ctx(viewer="u:1"), count=1, now=early)
    assert delivery.record("c", _token(ad), user_agent=UA, now=early)[0].charge_milli == 100_000
    assert delivery.deliver(_ctx(viewer="u:2"), count=1, now=early) == []
    later = early + timedelta(hours=2)
    assert len(delivery.deliver(_ctx(viewer="u:2"), count=1, now=later)) == 1


def test_the_frequency_cap_stops_a_viewer_not_the_others(store_kind):
    world = ads_world()
    ads_campaign(world, pricing="cpm", bid=1_000, total_budget=5_000, frequency_cap=2)
    for _ in range(2):
        [ad] = delivery.deliver(_ctx(viewer="u:same"), count=1)
        delivery.record("i", _token(ad), user_agent=UA)
        get_store()  # the window dedup would hide the 2nd: move the viewer's window along
        if store_kind == "redis":
            client = get_store()._client()
            for key in client.scan_iter(match=f"{get_store().prefix}u:*"):
                client.delete(key)
        else:
            from apps.ads.models import DeliveryMark

            DeliveryMark.objects.filter(key__startswith="u:").delete()
    assert delivery.deliver(_ctx(viewer="u:same"), count=1) == []
    assert len(delivery.deliver(_ctx(viewer="u:other"), count=1)) == 1


def test_targeting_keeps_an_ad_to_its_city(store_kind):
    world = ads_world()
    ads_campaign(world, cities=["Cotonou"])
    assert delivery.deliver(_ctx(city="Porto-Novo"), count=1) == []
    assert len(delivery.deliver(_ctx(city="cotonou"), count=1)) == 1


def test_a_top_up_lets_a_campaign_stopped_by_its_balance_run_again(store_kind):
    world = ads_world(balance=100)
    ads_campaign(world, pricing="cpc", bid=100, total_budget=5_000)
    [ad] = delivery.deliver(_ctx(viewer="u:1"), count=1)
    assert delivery.record("c", _token(ad), user_agent=UA)[0].charge_milli == 100_000
    assert delivery.deliver(_ctx(viewer="u:2"), count=1) == []  # the balance is spent
    ads_fund(world.advertiser, 1_000)
    assert len(delivery.deliver(_ctx(viewer="u:2"), count=1)) == 1


def test_the_store_is_rebuilt_from_postgresql_after_redis_lost_it(settings):
    settings.ADS_DELIVERY_STORE = "redis"
    world = ads_world(balance=10_000)
    campaign = ads_campaign(world, pricing="cpc", bid=100, total_budget=5_000)
    [ad] = delivery.deliver(_ctx(viewer="u:1"), count=1)
    delivery.record("c", _token(ad), user_agent=UA)
    charging.sync()
    get_store()._client().flushdb()
    assert delivery.deliver(_ctx(viewer="u:2"), count=1) == []
    assert charging.sync()["reloaded"] == 1
    [ad] = delivery.deliver(_ctx(viewer="u:2"), count=1)
    assert delivery.record("c", _token(ad), user_agent=UA)[0].charge_milli == 100_000
    charging.sync()
    campaign.refresh_from_db()
    assert campaign.charged == 200 and Campaign.objects.get(pk=campaign.pk).clicks == 2


def test_reloading_a_campaign_never_gives_back_what_was_spent_since_the_last_sync(store_kind):
    world = ads_world(balance=10_000)
    campaign = ads_campaign(world, pricing="cpc", bid=100, total_budget=300)
    for n in range(2):
        [ad] = delivery.deliver(_ctx(viewer=f"u:{n}"), count=1)
        assert delivery.record("c", _token(ad), user_agent=UA)[0].charge_milli == 100_000
    delivery.load(campaign.pk)  # e.g. the name changed: PostgreSQL has not seen the 2 clicks yet
    assert get_store().state(campaign.public_id.hex)["bud"] == "100000"
    tokens = [_token(delivery.deliver(_ctx(viewer=f"u:x{n}"), count=1)[0]) for n in range(1)]
    assert [delivery.record("c", t, user_agent=UA)[0].charge_milli for t in tokens] == [100_000]
    assert delivery.deliver(_ctx(viewer="u:late"), count=1) == []
    charging.sync()
    campaign.refresh_from_db()
    assert campaign.charged == 300


def test_a_balance_spent_elsewhere_meanwhile_is_never_overdrawn(settings):
    """The store said yes, but before the sync the ledger balance went to a hold (a creator
    job): the sync charges what there is, stops the campaign, and charges the rest once money
    is back."""
    import uuid as _uuid

    from django.test import TestCase

    from apps.ads.services.advertisers import revenue_account
    from apps.ledger import api as ledger
    from apps.ledger.contracts import Leg

    settings.ADS_DELIVERY_STORE = "redis"
    world = ads_world(balance=300)
    campaign = ads_campaign(world, pricing="cpc", bid=100, total_budget=1_000)
    for n in range(3):
        [ad] = delivery.deliver(_ctx(viewer=f"u:{n}"), count=1)
        assert delivery.record("c", _token(ad), user_agent=UA)[0].charge_milli == 100_000
    held = ledger.hold(
        idempotency_key=_uuid.uuid4().hex,
        code="ads_job_hold",
        legs=[
            Leg.debit(world.advertiser.balance_account, 200, "XOF"),
            Leg.credit(revenue_account("XOF").public_id, 200, "XOF"),
        ],
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        charging.sync()
    campaign.refresh_from_db()
    assert (campaign.charged, campaign.status) == (100, "exhausted")
    assert ledger.balance(account=world.advertiser.balance_account).available == 0
    ledger.void_hold(hold=held.public_id)
    get_store().mark_dirty(campaign.public_id.hex, timezone.localdate().isoformat())
    charging.sync()
    campaign.refresh_from_db()
    assert campaign.charged == 300 and balance_of(world.advertiser) == 0


def test_a_store_that_is_down_delivers_nothing_and_counts_nothing_without_an_error(settings):
    world = ads_world()
    ads_campaign(world)
    settings.ADS_DELIVERY_STORE = "redis"
    [ad] = delivery.deliver(_ctx(viewer="u:1"), count=1)
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    assert delivery.deliver(_ctx(viewer="u:2"), count=1) == []
    assert delivery.record("c", _token(ad), user_agent=UA)[0].status == "unavailable"
