"""Advertisers, campaigns, creatives, top-ups and their surfaces (REST, GraphQL, pages)."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from PIL import Image

from apps.ads import handlers
from apps.ads.errors import AdvertiserNotVerified, CreativeRefused, InsufficientAdBalance, InvalidCampaign
from apps.ads.models import Campaign, Creative, TopUp
from apps.ads.services import campaigns, charging, delivery
from apps.ads.services.advertisers import advertiser_open, balance_of
from apps.ads.services.store import get_store
from apps.ads.services.topups import topup_create
from apps.market.events import VisitBooked
from apps.payments.events import PaymentSucceeded
from tests.fixtures.ads import ads_campaign, ads_world
from tests.fixtures.market import listings_owner, search_listing
from tests.helpers import bearer_client, gql
from tests.identity.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1"


def _png(width=300, height=100, fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 80)).save(out, format=fmt)
    return out.getvalue()


# --- advertisers ---


def test_only_a_verified_identity_opens_an_advertiser_and_opening_again_returns_it():
    agency = OrganizationFactory()
    manager = MembershipFactory(organization=agency, role="manager").user
    with pytest.raises(AdvertiserNotVerified):
        advertiser_open(actor=manager, organization=agency.public_id)
    with pytest.raises(AdvertiserNotVerified):
        advertiser_open(actor=listings_owner(tier=0))
    owner = listings_owner(tier=1)
    first = advertiser_open(actor=owner)
    assert advertiser_open(actor=owner).pk == first.pk and first.organization_id is None
    assert balance_of(first) == 0


def test_a_member_who_does_not_manage_cannot_open_the_organizations_advertiser():
    world = ads_world()
    clerk = MembershipFactory(organization=world.agency, role="collector").user
    from apps.core.errors import DomainError

    with pytest.raises(DomainError) as caught:
        advertiser_open(actor=clerk, organization=world.agency.public_id)
    assert caught.value.status in (403, 404)


# --- campaigns ---


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"pricing": "cpc", "bid": 5, "total_budget": 1000}, "bid"),
        ({"pricing": "cpc", "bid": 100, "total_budget": 1000, "daily_budget": 2000}, "daily_budget"),
        ({"pricing": "cpc", "bid": 100, "total_budget": 50}, "total_budget"),
        ({"pricing": "cpm", "bid": 1000, "total_budget": 1000, "placements": ["nowhere"]}, "placements"),
        ({"pricing": "cpm", "bid": 1000, "total_budget": 1000, "audiences": ["aliens"]}, "audiences"),
        ({"pricing": "cpm", "bid": 1000, "total_budget": 1000, "cities": ["<script>x</script>"]}, "cities"),
        ({"pricing": "barter", "bid": 1000, "total_budget": 1000}, "pricing"),
    ],
)
def test_a_campaign_that_cannot_be_meant_is_refused_on_its_field(fields, field):
    world = ads_world()
    with pytest.raises((InvalidCampaign, CreativeRefused)) as caught:
        campaigns.campaign_create(actor=world.manager, advertiser=world.advertiser, name="x", **fields)
    assert caught.value.field == field
    assert not Campaign.objects.exists()


def _in(days: int):
    return timezone.localdate() + timedelta(days=days)


def test_a_flat_fee_needs_an_end_date():
    world = ads_world()
    with pytest.raises(InvalidCampaign) as caught:
        campaigns.campaign_create(
            actor=world.manager, advertiser=world.advertiser, name="x", pricing="flat", bid=5_000
        )
    assert caught.value.field == "ends_on" and not Campaign.objects.exists()


def test_dates_must_be_in_order_and_not_past():
    world = ads_world()
    today = timezone.localdate()
    with pytest.raises(InvalidCampaign) as caught:
        campaigns.campaign_create(
            actor=world.manager,
            advertiser=world.advertiser,
            name="x",
            pricing="cpc",
            bid=100,
            total_budget=1000,
            starts_on=today + timedelta(days=5),
            ends_on=today + timedelta(days=2),
        )
    assert caught.value.field == "ends_on"
    with pytest.raises(InvalidCampaign):
        campaigns.campaign_create(
            actor=world.manager,
            advertiser=world.advertiser,
            name="x",
            pricing="cpc",
            bid=100,
            total_budget=1000,
            starts_on=today - timedelta(days=1),
        )


def _fee_proof(user, campaign) -> str:
    """The strong step-up of a flat fee, answered with the authenticator app."""
    from apps.identity import api as identity
    from tests.helpers import enrol_totp, totp_code

    device = enrol_totp(user)
    challenge = identity.step_up_start(
        actor=user,
        action=campaigns.STEP_UP_FLAT,
        target=str(campaign.public_id),
        amount=campaign.bid,
        currency=campaign.currency,
    )
    return identity.step_up_verify(
        actor=user, challenge_id=challenge.challenge_id, code=totp_code(device)
    ).token


def test_a_flat_fee_is_charged_once_at_activation_with_its_step_up_and_refused_without_the_balance():
    from apps.identity.errors import StepUpRequired

    world = ads_world(balance=20_000)
    campaign = ads_campaign(world, pricing="flat", bid=15_000, activate=False, ends_on=_in(30))
    assert campaign.total_budget == 15_000
    with pytest.raises(StepUpRequired):
        campaigns.campaign_activate(actor=world.manager, campaign=campaign)
    assert balance_of(world.advertiser) == 20_000
    with TestCase.captureOnCommitCallbacks(execute=True):
        campaign = campaigns.campaign_activate(
            actor=world.manager, campaign=campaign, step_up_token=_fee_proof(world.manager, campaign)
        )
    assert (campaign.status, campaign.charged) == ("active", 15_000)
    assert balance_of(world.advertiser) == 5_000
    with TestCase.captureOnCommitCallbacks(execute=True):  # paused and resumed: not charged again
        campaigns.campaign_pause(actor=world.manager, campaign=campaign)
        campaign = campaigns.campaign_activate(actor=world.manager, campaign=campaign)
    assert (campaign.status, balance_of(world.advertiser)) == ("active", 5_000)
    other = ads_campaign(world, pricing="flat", bid=10_000, activate=False, name="second", ends_on=_in(30))
    with pytest.raises(InsufficientAdBalance):
        campaigns.campaign_activate(
            actor=world.manager, campaign=other, step_up_token=_fee_proof(world.manager, other)
        )
    other.refresh_from_db()
    assert (other.status, other.charged, balance_of(world.advertiser)) == ("draft", 0, 5_000)


def test_the_flat_fee_page_asks_for_the_authenticator_code(client):
    from tests.helpers import enrol_totp, totp_code

    world = ads_world(balance=20_000)
    campaign = ads_campaign(world, pricing="flat", bid=15_000, activate=False, ends_on=_in(30))
    device = enrol_totp(world.manager)
    client.force_login(world.manager)
    url = reverse("manager:ads-campaign-action", args=[campaign.public_id, "activate"])
    asked = client.post(url, {"confirm_step": "confirm"})
    assert asked.status_code == 200 and 'name="code"' in asked.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "draft" and balance_of(world.advertiser) == 20_000
    wrong = client.post(url, {"confirm_step": "code", "code": "000000"})
    assert wrong.status_code in (200, 400)
    campaign.refresh_from_db()
    assert campaign.status == "draft"
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(url, {"confirm_step": "code", "code": totp_code(device)})
    assert done.status_code == 302, done.content.decode()[-1500:]
    campaign.refresh_from_db()
    assert (campaign.status, campaign.charged, balance_of(world.advertiser)) == ("active", 15_000, 5_000)


def test_activation_needs_a_balance():
    world = ads_world(balance=0)
    campaign = ads_campaign(world, activate=False)
    with pytest.raises(InsufficientAdBalance):
        campaigns.campaign_activate(actor=world.manager, campaign=campaign)


def test_raising_the_budget_of_a_spent_campaign_lets_it_run_again():
    world = ads_world(balance=10_000)
    campaign = ads_campaign(world, pricing="cpc", bid=100, total_budget=100)
    [ad] = delivery.deliver(_ctx("u:1"), count=1)
    delivery.record("c", ad.click_url.rsplit("/", 1)[1], user_agent=UA)
    with TestCase.captureOnCommitCallbacks(execute=True):
        charging.sync()
    campaign.refresh_from_db()
    assert campaign.status == "exhausted"
    with TestCase.captureOnCommitCallbacks(execute=True):
        campaign = campaigns.campaign_update(actor=world.manager, campaign=campaign, total_budget=1_000)
    assert campaign.status == "active"
    assert len(delivery.deliver(_ctx("u:2"), count=1)) == 1
    with pytest.raises(InvalidCampaign):
        campaigns.campaign_update(actor=world.manager, campaign=campaign, bid=500)


def _ctx(viewer):
    from apps.ads.contracts import AdContext

    return AdContext(placement="market.search", viewer=viewer, city="Cotonou")


# --- creatives ---


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (
            {"kind": "text", "headline": "<script>alert(1)</script>", "link_url": "https://a.example"},
            "headline",
        ),
        (
            {
                "kind": "text",
                "headline": "Promo",
                "body": "<img src=x onerror=alert(1)>",
                "link_url": "https://a.example",
            },
            "body",
        ),
        ({"kind": "text", "headline": "Promo", "link_url": "javascript:alert(1)"}, "link_url"),
        (
            {"kind": "banner", "link_url": "https://a.example", "image": b"<svg onload=alert(1)></svg>"},
            "image",
        ),
        ({"kind": "banner", "link_url": "https://a.example", "image": _png(4000, 100)}, "image"),
        (
            {
                "kind": "banner",
                "link_url": "https://a.example",
                "image": b"\x89PNG\r\n\x1a\n" + b"0" * 600_000,
            },
            "image",
        ),
        ({"kind": "banner", "link_url": "https://a.example", "image": b"\xff\xd8\xff garbage"}, "image"),
    ],
)
def test_a_creative_with_a_script_or_a_bad_image_is_refused(fields, field):
    world = ads_world()
    campaign = ads_campaign(world, placements=("app.home",), activate=False)
    before = Creative.objects.count()
    with pytest.raises(CreativeRefused) as caught:
        campaigns.creative_create(actor=world.manager, campaign=campaign, **fields)
    assert caught.value.field == field
    assert Creative.objects.count() == before


def test_only_ones_own_verified_listing_online_is_promoted():
    world = ads_world()
    other = ads_world(org_name="Autre agence")
    campaign = ads_campaign(world, activate=False)
    with pytest.raises(CreativeRefused, match="propres"):
        campaigns.creative_create(
            actor=world.manager, campaign=campaign, kind="listing", listing=other.listing.public_id
        )
    unverified = search_listing(organization=world.agency, owner=None, verified=False)
    with pytest.raises(CreativeRefused, match="vérifiée"):
        campaigns.creative_create(
            actor=world.manager, campaign=campaign, kind="listing", listing=unverified.public_id
        )
    draft = search_listing(organization=world.agency, owner=None, verified=True, status="draft")
    with pytest.raises(CreativeRefused):
        campaigns.creative_create(
            actor=world.manager, campaign=campaign, kind="listing", listing=draft.public_id
        )


def test_a_banner_waits_for_staff_and_shows_once_approved(settings):
    from tests.identity.factories import UserFactory

    world = ads_world()
    campaign = ads_campaign(world, placements=("app.home",), pricing="cpm", bid=1_000)
    banner = campaigns.creative_create(
        actor=world.manager,
        campaign=campaign,
        kind="banner",
        link_url="https://agence.example/offre",
        headline="Visitez nos appartements",
        image=_png(),
    )
    assert banner.status == "pending" and "external_link" in banner.flags
    assert banner.image.name.endswith(".png") and banner.image_width == 300
    home = _ctx("u:1").__class__(placement="app.home", viewer="u:1", city="Cotonou")
    shown = {ad.kind for ad in delivery.deliver(home, count=3)}
    assert "banner" not in shown
    staff = UserFactory(is_staff=True, staff_role="support")
    with TestCase.captureOnCommitCallbacks(execute=True):
        campaigns.creative_approve(staff=staff, creative=banner)
    kinds = set()
    for n in range(12):
        kinds |= {
            ad.kind
            for ad in delivery.deliver(
                home.__class__(placement="app.home", viewer=f"u:{n}", city="Cotonou"), count=1
            )
        }
    assert "banner" in kinds
    with pytest.raises(Exception) as caught:
        campaigns.creative_approve(staff=world.manager, creative=banner)
    assert getattr(caught.value, "status", None) in (403, 404)


# --- top-ups ---


def test_a_paid_top_up_counts_once_and_delivery_may_spend_it():
    world = ads_world(balance=0)
    topup = topup_create(actor=world.manager, advertiser=world.advertiser, amount=5_000)
    assert topup.pay_url and topup.status == "pending"
    with pytest.raises(Exception) as caught:
        topup_create(actor=world.manager, advertiser=world.advertiser, amount=10)
    assert getattr(caught.value, "field", None) == "amount"
    event = PaymentSucceeded(
        intent_id=str(topup.intent),
        organization_id="",
        amount=5_000,
        currency="XOF",
        fee_amount=0,
        credit_account=str(world.advertiser.balance_account),
        purpose_type="ads.TopUp",
        purpose_id=str(world.advertiser.public_id),
        provider="sandbox",
        method="mobile_money",
        payer_id=None,
        receipt_number="R1",
        succeeded_at=timezone.now().isoformat(),
        ledger_transfer="",
    )
    for _ in range(2):  # a replayed event
        handlers.topup_paid(event, event_id=str(uuid.uuid4()))
    topup.refresh_from_db()
    assert topup.status == "paid" and TopUp.objects.filter(status="paid").count() == 1


# --- conversions ---


def test_a_booked_visit_after_a_click_is_a_conversion_of_that_campaign_once():
    from tests.identity.factories import UserFactory

    world = ads_world()
    campaign = ads_campaign(world)
    seeker = UserFactory()
    [ad] = delivery.deliver(_ctx(f"u:{seeker.public_id}"), count=1)
    delivery.record("c", ad.click_url.rsplit("/", 1)[1], user_agent=UA, user_key=str(seeker.public_id))
    event = VisitBooked(
        booking_id=str(uuid.uuid4()),
        listing_id=str(world.listing.public_id),
        organization_id="",
        seeker_id=str(seeker.public_id),
    )
    event_id = str(uuid.uuid4())
    handlers.visit_conversion(event, event_id=event_id)
    handlers.visit_conversion(event, event_id=event_id)
    other = UserFactory()  # booked without clicking: not the ad's
    handlers.visit_conversion(
        VisitBooked(
            booking_id="b",
            listing_id=str(world.listing.public_id),
            organization_id="",
            seeker_id=str(other.public_id),
        ),
        event_id=str(uuid.uuid4()),
    )
    campaign.refresh_from_db()
    assert campaign.conversions == 1


# --- the money, whatever the traffic (property) ---


@hsettings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    bid=st.integers(min_value=25, max_value=400),
    budget=st.integers(min_value=400, max_value=3_000),
    events=st.lists(st.sampled_from(["i", "c", "dup", "bot"]), min_size=1, max_size=25),
)
def test_whatever_the_traffic_the_ledger_is_charged_what_was_counted_never_beyond_the_budget(
    bid, budget, events
):
    from django.db import transaction

    get_store()._client().flushdb() if get_store().kind == "redis" else None
    sid = transaction.savepoint()
    try:
        world = ads_world(balance=10_000, org_name=f"Agence {uuid.uuid4().hex[:6]}")
        campaign = ads_campaign(world, pricing="cpc", bid=bid, total_budget=max(budget, bid))
        charged = 0
        for n, kind in enumerate(events):
            ads = delivery.deliver(_ctx(f"u:{n}"), count=1)
            if not ads:
                break
            token = ads[0].click_url.rsplit("/", 1)[1]
            if kind == "bot":
                assert delivery.record("c", token, user_agent="curl/8.0")[0].charge_milli == 0
                continue
            outcome, _ = delivery.record("c" if kind != "i" else "i", token, user_agent=UA)
            charged += outcome.charge_milli
            if kind == "dup":
                assert delivery.record("c", token, user_agent=UA)[0].status == "replay"
        charging.sync()
        campaign.refresh_from_db()
        assert campaign.charged == charged // 1000 <= campaign.total_budget
        assert balance_of(world.advertiser) == 10_000 - campaign.charged
    finally:
        transaction.savepoint_rollback(sid)


# --- REST ---


def test_rest_campaign_lifecycle_and_report(django_assert_max_num_queries):
    world = ads_world(balance=10_000)
    client = bearer_client(world.manager)
    response = client.post(
        "/api/v1/ads/campaigns",
        {
            "advertiser": str(world.advertiser.public_id),
            "name": "Rentrée",
            "pricing": "cpc",
            "bid": 100,
            "total_budget": 5_000,
            "placements": ["market.search"],
            "cities": ["Cotonou"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    campaign_id = response.json()["id"]
    assert (
        response.json()["bid"] == {"amount": 100, "currency": "XOF"}
        or response.json()["bid"]["amount"] == 100
    )
    response = client.post(
        f"/api/v1/ads/campaigns/{campaign_id}/creatives",
        {"kind": "listing", "listing": str(world.listing.public_id)},
        format="json",
    )
    assert response.status_code == 201 and response.json()["status"] == "approved"
    bad = client.post(
        f"/api/v1/ads/campaigns/{campaign_id}/creatives",
        {"kind": "text", "headline": "<b>x</b>", "link_url": "https://x.example"},
        format="json",
    )
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(f"/api/v1/ads/campaigns/{campaign_id}/activate").status_code == 200
    served = bearer_client(world.manager).get(
        "/api/v1/ads/serve", {"placement": "market.search", "city": "Cotonou"}
    )
    assert served.status_code == 200 and served.json()[0]["label"]
    for n in range(3):
        ads_campaign(world, name=f"c{n}", activate=False)
    with django_assert_max_num_queries(8):
        listed = client.get("/api/v1/ads/campaigns")
    assert listed.status_code == 200 and len(listed.json()["results"]) == 4
    report = client.get(f"/api/v1/ads/campaigns/{campaign_id}/report")
    assert report.status_code == 200 and report.json()["total"]["impressions"] == 0
    outsider = bearer_client(ads_world(org_name="Concurrent").manager)
    assert outsider.get(f"/api/v1/ads/campaigns/{campaign_id}/report").status_code == 404
    assert client.get("/api/v1/ads/serve", {"placement": "mars"}).status_code == 400


def test_beacon_routes_count_once_and_redirect_to_the_listing(client):
    world = ads_world()
    campaign = ads_campaign(world)
    [ad] = delivery.deliver(_ctx("u:1"), count=1)
    pixel = client.get(ad.impression_url, HTTP_USER_AGENT=UA, HTTP_ACCEPT="image/avif,image/webp,*/*")
    assert (
        pixel.status_code == 200
        and pixel["Content-Type"] == "image/gif"
        and pixel["Cache-Control"].startswith("no-store")
    )
    clicked = client.get(ad.click_url, HTTP_USER_AGENT=UA)
    assert clicked.status_code == 302 and str(world.listing.public_id) in clicked["Location"]
    assert client.get(ad.click_url, HTTP_USER_AGENT=UA).status_code == 302  # replayed: not counted
    forged = client.get("/ads/c/not.atoken", HTTP_USER_AGENT=UA)
    assert forged.status_code == 302 and forged["Location"] == "/"
    charging.sync()
    campaign.refresh_from_db()
    assert (campaign.impressions, campaign.clicks, campaign.charged) == (1, 1, 100)


# --- GraphQL ---


def test_graphql_creates_a_campaign_and_refuses_with_typed_errors():
    world = ads_world()
    client = bearer_client(world.manager)
    data = gql(
        client,
        'mutation($a: UUID!) { adsCampaignCreate(advertiserId: $a, fields: {name: "G", pricing: "cpm", bid: 1000, totalBudget: 5000}) { ok errors { field code } campaign { id name bid { amount currency } } } }',
        {"a": str(world.advertiser.public_id)},
    )
    assert data["adsCampaignCreate"]["ok"] and data["adsCampaignCreate"]["campaign"]["bid"]["amount"] == 1000
    bad = gql(
        client,
        'mutation($a: UUID!) { adsCampaignCreate(advertiserId: $a, fields: {name: "G", pricing: "cpm", bid: 1, totalBudget: 5000}) { ok errors { field code } } }',
        {"a": str(world.advertiser.public_id)},
    )
    assert not bad["adsCampaignCreate"]["ok"] and bad["adsCampaignCreate"]["errors"][0]["field"] == "bid"
    served = gql(bearer_client(world.manager), '{ adsServe(placement: "market.search") { label } }')
    assert served["adsServe"] == []


# --- pages ---


def test_the_manager_creates_starts_and_reads_a_campaign_from_the_pages(client):
    world = ads_world(balance=10_000)
    client.force_login(world.manager)
    home = client.get(reverse("manager:ads-home"))
    assert home.status_code == 200 and "10 000" in home.content.decode().replace("\u202f", " ").replace(
        "\xa0", " "
    )
    response = client.post(
        reverse("manager:ads-campaign-new") + f"?advertiser={world.agency.public_id}",
        {
            "name": "Fidjrossè à la une",
            "listing": str(world.listing.public_id),
            "pricing": "cpc",
            "bid": 100,
            "total_budget": 10_000,
            "starts_on": timezone.localdate().isoformat(),
            "placements": ["market.search"],
            "cities": "Cotonou",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(name="Fidjrossè à la une")
    url = reverse("manager:ads-campaign-action", args=[campaign.public_id, "activate"])
    asked = client.post(url)
    assert asked.status_code == 200 and "10 000" in asked.content.decode().replace("\u202f", " ").replace(
        "\xa0", " "
    )
    campaign.refresh_from_db()
    assert campaign.status == "draft"  # nothing done before the confirmation
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(url, {"confirm_step": "confirm"})
    assert done.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "active"
    page = client.get(reverse("manager:ads-campaign", args=[campaign.public_id]))
    assert page.status_code == 200 and 'data-testid="ads-report"' in page.content.decode()
    bad = client.post(
        reverse("manager:ads-campaign", args=[campaign.public_id]),
        {"kind": "text", "headline": "<script>", "link_url": "https://x.example"},
    )
    assert bad.status_code == 400 and "errorlist" in bad.content.decode(), bad.content.decode()[-3000:]
    assert not Creative.objects.filter(headline="<script>").exists()


def test_the_managers_hear_when_a_campaign_spent_its_budget_once():
    from apps.ads.events import CampaignBudgetSpent
    from apps.notifications.models import Message

    world = ads_world()
    campaign = ads_campaign(world)
    event = CampaignBudgetSpent(
        campaign_id=str(campaign.public_id),
        advertiser_id=str(world.advertiser.public_id),
        charged=0,
        currency="XOF",
    )
    for _ in range(2):
        handlers.budget_spent_notice(event, event_id=str(uuid.uuid4()))
    sent = Message.objects.filter(template_key="ads.campaign_budget_spent", user=world.manager)
    assert sent.count() == 1 and campaign.name in sent.first().body  # by SMS (no e-mail address), not twice


def test_raising_the_budget_of_a_spent_campaign_from_its_page_lets_it_run_again(client):
    world = ads_world(balance=10_000)
    campaign = ads_campaign(world, pricing="cpc", bid=100, total_budget=100)
    [ad] = delivery.deliver(_ctx("u:1"), count=1)
    delivery.record("c", ad.click_url.rsplit("/", 1)[1], user_agent=UA)
    with TestCase.captureOnCommitCallbacks(execute=True):
        charging.sync()
    client.force_login(world.manager)
    campaign.refresh_from_db()
    assert campaign.status == "exhausted", campaign.status
    page = client.get(reverse("manager:ads-campaign", args=[campaign.public_id])).content.decode()
    assert (
        'data-testid="ads-activate"' not in page and 'data-testid="ads-edit"' in page
    )  # spent: change it first
    url = reverse("manager:ads-campaign-edit", args=[campaign.public_id])
    bad = client.post(url, {"name": "x", "total_budget": 50, "placements": ["market.search"]})
    assert bad.status_code == 400
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(
            url,
            {"name": "Relancée", "total_budget": 2_000, "placements": ["market.search"], "cities": "Cotonou"},
        )
    assert done.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.total_budget, campaign.status, campaign.cities) == (
        "Relancée",
        2_000,
        "active",
        ["Cotonou"],
    )
    assert len(delivery.deliver(_ctx("u:2"), count=1)) == 1
