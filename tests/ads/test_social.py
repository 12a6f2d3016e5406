"""Social-media advertising's services (apps/ads/services/social.py) against the local Graph
API (FakeGraph) and the sandbox: connecting a page by OAuth (the state signed, used once,
the tokens sealed), publishing the advertiser's own listing once whatever the retries,
boosting (a housing ad, each created object recorded), importing results idempotently,
expired tokens, disconnecting."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection as db
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.ads import conf as ads_conf
from apps.ads.errors import InvalidSocialPost, SocialPostState, SocialStateInvalid, SocialTokenExpired
from apps.ads.models import SocialConnection, SocialPost
from apps.ads.services import social
from apps.core import crypto
from apps.market.models import Listing
from tests.ads.test_social_graph import APP_ID, APP_SECRET, PAGE_TOKEN, USER_TOKEN, VERSION, FakeGraph
from tests.fixtures.ads import social_world
from tests.identity.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CALLBACK = "https://manager.hokwe.test/manager/ads/social/callback/"


@pytest.fixture
def graph(settings, httpserver):
    fake = FakeGraph(httpserver).standard()
    settings.ADS_SOCIAL_NETWORK = "graph"
    settings.ADS_FACEBOOK_APP_ID = APP_ID
    settings.ADS_FACEBOOK_APP_SECRET = APP_SECRET
    settings.ADS_GRAPH_URL = fake.url
    settings.ADS_GRAPH_VERSION = VERSION
    return fake


@pytest.fixture
def sandbox(settings):
    settings.ADS_SOCIAL_NETWORK = ""
    settings.ADS_FACEBOOK_APP_ID = ""


def _state_of(url: str) -> str:
    return parse_qs(urlparse(url).query)["state"][0]


def _raw_tokens() -> list[bytes]:
    with db.cursor() as cursor:
        cursor.execute("SELECT token_sealed, token_wrapped FROM ads_socialconnection")
        return [bytes(a) + bytes(b) for a, b in cursor.fetchall()]


# --- connecting -------------------------------------------------------------------------------


def test_connecting_a_page_seals_its_tokens(graph):
    world = social_world()
    SocialConnection.objects.all().delete()
    url = social.connect_start(actor=world.manager, advertiser=world.advertiser, redirect_uri=CALLBACK)
    assert url.startswith("https://www.facebook.com/v21.0/dialog/oauth?")
    assert parse_qs(urlparse(url).query)["redirect_uri"] == [CALLBACK]

    pending = social.connect_callback(actor=world.manager, state=_state_of(url), code="code-1")
    assert [p.id for p in pending.pages] == ["1122334455", "5566778899"]
    assert [a.id for a in pending.ad_accounts] == ["123456789"]
    assert PAGE_TOKEN not in repr(pending) and USER_TOKEN not in repr(pending)
    # the exchange sends back the redirect URI of the dialog, then asks for a long-lived token
    exchange, long = graph.calls("GET", "/oauth/access_token")
    assert exchange["redirect_uri"] == CALLBACK and exchange["code"] == "code-1"
    assert long["grant_type"] == "fb_exchange_token"

    row = social.connect_choose(
        actor=world.manager, key=pending.key, page_id="1122334455", ad_account_id="123456789"
    )
    assert (row.page_name, row.instagram_account_id, row.ad_account_id, row.status) == (
        "Agence Social",
        "17841400000000001",
        "123456789",
        "active",
    )
    assert row.token_expires_at is not None and row.connected_by == world.manager
    # sealed: the raw columns hold neither token; they open with the row's own associated data only
    for raw in _raw_tokens():
        assert PAGE_TOKEN.encode() not in raw and USER_TOKEN.encode() not in raw
    row.refresh_from_db()
    assert social._tokens(row)["page"] == PAGE_TOKEN and social._tokens(row)["user"] == USER_TOKEN
    other = SocialConnection(advertiser=world.advertiser, page_id="x")
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(
            bytes(row.token_sealed),
            crypto.WrappedKey(row.token_key_id, bytes(row.token_wrapped)),
            aad=social._aad(other),
        )
    # the pending choice is used up
    with pytest.raises(SocialStateInvalid):
        social.connect_choose(actor=world.manager, key=pending.key, page_id="1122334455")


def test_a_state_is_used_once_and_only_by_its_user(graph):
    world = social_world()
    url = social.connect_start(actor=world.manager, advertiser=world.advertiser, redirect_uri=CALLBACK)
    state = _state_of(url)
    stranger = MembershipFactory(organization=world.agency, role="manager").user
    with pytest.raises(SocialStateInvalid):
        social.connect_callback(actor=stranger, state=state, code="c")
    with pytest.raises(SocialStateInvalid):
        social.connect_callback(actor=world.manager, state=state[:-2] + "xx", code="c")
    social.connect_callback(actor=world.manager, state=state, code="c")
    with pytest.raises(SocialStateInvalid):  # replayed
        social.connect_callback(actor=world.manager, state=state, code="c")
    assert len(graph.calls("GET", "/oauth/access_token")) == 2  # one exchange + one long-lived, once


def test_another_advertisers_manager_cannot_use_the_pending_choice(graph):
    world = social_world()
    outsider = social_world(org_name="Agence B")
    url = social.connect_start(actor=world.manager, advertiser=world.advertiser, redirect_uri=CALLBACK)
    pending = social.connect_callback(actor=world.manager, state=_state_of(url), code="c")
    with pytest.raises(SocialStateInvalid):
        social.pending_get(actor=outsider.manager, key=pending.key)
    with pytest.raises(SocialStateInvalid):
        social.connect_choose(actor=outsider.manager, key=pending.key, page_id="1122334455")
    with pytest.raises(SocialStateInvalid):
        social.connect_choose(actor=world.manager, key=pending.key, page_id="999")  # not one of the pages


def test_a_member_who_does_not_manage_cannot_connect_nor_publish(graph):
    from apps.ads.errors import AdvertiserNotFound, SocialConnectionNotFound

    world = social_world()
    accountant = MembershipFactory(organization=world.agency, role="accountant").user
    for actor in (accountant, UserFactory()):
        with pytest.raises(AdvertiserNotFound):
            social.connect_start(actor=actor, advertiser=world.advertiser, redirect_uri=CALLBACK)
        with pytest.raises(SocialConnectionNotFound):
            social.post_publish(actor=actor, connection=world.connection, listing=world.listing.public_id)
    # the accountant reads the connection and the results
    assert social.connection_get(accountant, world.connection.public_id) == world.connection


def test_disconnecting_erases_the_tokens(graph):
    world = social_world()
    row = social.connection_disconnect(actor=world.manager, connection=world.connection)
    assert row.status == "revoked" and bytes(row.token_sealed) == b"" and row.token_key_id == ""
    with pytest.raises(InvalidSocialPost):
        social.post_publish(actor=world.manager, connection=row, listing=world.listing.public_id)


# --- publishing --------------------------------------------------------------------------------


def test_publishing_the_advertisers_listing_on_its_page(graph):
    world = social_world()
    post = social.post_publish(
        actor=world.manager, connection=world.connection, listing=world.listing.public_id
    )
    assert post.status == "published" and post.external_id == "1122334455_777000111"
    feed = graph.calls("POST", "/1122334455/feed")[0]
    assert feed["link"] == f"https://market.hokwe.com/market/l/{world.listing.public_id}"
    assert world.listing.title in feed["message"] and "60 000" in feed["message"].replace(
        "\u202f", " "
    ).replace("\xa0", " ")
    assert feed["access_token"] == PAGE_TOKEN
    assert post.attempt_started_at is not None and post.created_by == world.manager


def test_a_pasted_link_names_the_listing(graph):
    world = social_world()
    link = f"https://market.hokwe.com/market/l/{world.listing.public_id}/studio-a-fidjrosse"
    post = social.post_publish(
        actor=world.manager, connection=world.connection, listing=link, message="Visitez !"
    )
    assert str(post.listing) == str(world.listing.public_id) and post.message == "Visitez !"


def test_a_publish_retried_with_the_same_key_publishes_once(graph):
    world = social_world()
    first = social.post_publish(
        actor=world.manager,
        connection=world.connection,
        listing=world.listing.public_id,
        idempotency_key="k-1",
    )
    again = social.post_publish(
        actor=world.manager,
        connection=world.connection,
        listing=world.listing.public_id,
        idempotency_key="k-1",
    )
    assert again.pk == first.pk
    assert social.post_send(post=first).status == "published"
    assert len(graph.calls("POST", "/1122334455/feed")) == 1
    assert SocialPost.objects.count() == 1


def test_only_the_advertisers_own_published_listings(graph):
    world = social_world()
    other = social_world(org_name="Agence B")
    with pytest.raises(InvalidSocialPost) as theirs:
        social.post_publish(actor=world.manager, connection=world.connection, listing=other.listing.public_id)
    assert theirs.value.field == "listing"
    Listing.objects.filter(pk=world.listing.pk).update(status="draft")
    with pytest.raises(InvalidSocialPost):
        social.post_publish(actor=world.manager, connection=world.connection, listing=world.listing.public_id)
    with pytest.raises(InvalidSocialPost):
        social.post_publish(actor=world.manager, connection=world.connection, listing="not an id")
    assert graph.calls("POST", "/1122334455/feed") == [] and SocialPost.objects.count() == 0


def test_instagram_posts_the_cover_photo(graph):
    world = social_world()
    with pytest.raises(InvalidSocialPost, match="photo"):
        social.post_publish(
            actor=world.manager,
            connection=world.connection,
            listing=world.listing.public_id,
            network="instagram",
        )
    Listing.objects.filter(pk=world.listing.pk).update(cover="market/photos/cover.jpg")
    post = social.post_publish(
        actor=world.manager, connection=world.connection, listing=world.listing.public_id, network="instagram"
    )
    assert post.status == "published" and post.external_id == "17900000000000099"
    media = graph.calls("POST", "/17841400000000001/media")[0]
    assert media["image_url"].endswith("market/photos/cover.jpg") and media["image_url"].startswith("http")
    assert str(world.listing.public_id) in media["caption"]


def test_an_expired_token_marks_the_connection(graph):
    world = social_world()
    graph.error("POST", "/1122334455/feed", code=190, subcode=460, message="The session has been invalidated")
    post = social.post_publish(
        actor=world.manager, connection=world.connection, listing=world.listing.public_id
    )
    assert post.status == "failed" and "Facebook" in post.error
    world.connection.refresh_from_db()
    assert world.connection.status == "expired"
    with pytest.raises(SocialTokenExpired):
        social.post_publish(actor=world.manager, connection=world.connection, listing=world.listing.public_id)


def test_a_post_the_network_did_not_take_stays_pending_and_is_retried_once(graph):
    world = social_world()
    graph.error("POST", "/1122334455/feed", code=4, message="Application request limit reached")
    post = social.post_publish(
        actor=world.manager, connection=world.connection, listing=world.listing.public_id
    )
    assert post.status == "pending" and post.attempt_started_at is None and post.error
    graph.on("POST", "/1122334455/feed", {"id": "1122334455_42"})
    post = social.post_retry(actor=world.manager, post=post)
    assert post.status == "published" and post.external_id == "1122334455_42" and post.error == ""
    with pytest.raises(SocialPostState):
        social.post_retry(actor=world.manager, post=post)
    assert len(graph.calls("POST", "/1122334455/feed")) == 2


def test_a_post_that_may_have_reached_facebook_is_not_sent_again(graph):
    world = social_world()
    graph.error("POST", "/1122334455/feed", code=2, status=500, message="Unexpected error")
    post = social.post_publish(
        actor=world.manager, connection=world.connection, listing=world.listing.public_id
    )
    assert post.status == "failed" and "page" in post.error
    assert social.post_send(post=post).status == "failed"
    with pytest.raises(SocialPostState):
        social.post_retry(actor=world.manager, post=post)
    assert len(graph.calls("POST", "/1122334455/feed")) == 1


def test_a_post_being_sent_is_not_sent_twice(graph):
    world = social_world()
    post = SocialPost.objects.create(
        advertiser=world.advertiser,
        connection=world.connection,
        listing=world.listing.public_id,
        message="m",
        attempt_started_at=timezone.now(),
    )
    assert social.post_send(post=post).status == "pending"
    assert graph.calls("POST", "/1122334455/feed") == []


# --- boosting ---------------------------------------------------------------------------------


def _published(world):
    return social.post_publish(
        actor=world.manager, connection=world.connection, listing=world.listing.public_id
    )


def test_boosting_a_post_creates_a_housing_ad_and_records_each_object(graph):
    world = social_world()
    post = _published(world)
    start = timezone.now() + timedelta(hours=1)
    boost = social.post_boost(
        actor=world.manager, post=post, budget=25_000, starts_at=start, ends_at=start + timedelta(days=7)
    )
    assert (
        boost.kind == "boost" and boost.status == "boosting" and boost.external_ad_id == "120200000000000004"
    )
    assert boost.external_id == post.external_id and boost.budget == 25_000 and boost.currency == "XOF"
    assert {k: boost.external_refs[k] for k in ("campaign", "adset", "creative", "ad")} == {
        "campaign": "120200000000000001",
        "adset": "120200000000000002",
        "creative": "120200000000000003",
        "ad": "120200000000000004",
    }
    campaign = graph.calls("POST", "/act_123456789/campaigns")[0]
    assert campaign["special_ad_categories"] == '["HOUSING"]' and campaign["access_token"] == USER_TOKEN
    assert graph.calls("POST", "/act_123456789/adsets")[0]["lifetime_budget"] == "25000"


def test_boost_refusals(graph):
    world = social_world()
    post = _published(world)
    start = timezone.now() + timedelta(hours=1)
    for budget, ends, field in (
        (0, start + timedelta(days=2), "budget"),
        (1000, start + timedelta(hours=3), "ends_at"),
        (1000, start + timedelta(days=200), "ends_at"),
    ):
        with pytest.raises(InvalidSocialPost) as refused:
            social.post_boost(actor=world.manager, post=post, budget=budget, starts_at=start, ends_at=ends)
        assert refused.value.field == field
    with pytest.raises(InvalidSocialPost):
        social.post_boost(
            actor=world.manager,
            post=post,
            budget=1000,
            starts_at=start - timedelta(days=1),
            ends_at=start + timedelta(days=2),
        )
    no_account = social_world(org_name="Sans compte", ad_account_id="")
    post_b = _published(no_account)
    with pytest.raises(InvalidSocialPost):
        social.post_boost(
            actor=no_account.manager,
            post=post_b,
            budget=1000,
            starts_at=start,
            ends_at=start + timedelta(days=2),
        )
    assert graph.calls("POST", "/act_123456789/campaigns") == []


def test_a_boost_interrupted_before_facebook_acted_resumes_without_duplicates(graph):
    world = social_world()
    post = _published(world)
    graph.error("POST", "/act_123456789/adsets", code=17, message="User request limit reached")
    start = timezone.now() + timedelta(hours=1)
    boost = social.post_boost(
        actor=world.manager,
        post=post,
        budget=10_000,
        starts_at=start,
        ends_at=start + timedelta(days=3),
        idempotency_key="boost-1",
    )
    assert boost.status == "pending" and boost.external_refs["campaign"] == "120200000000000001"
    graph.on("POST", "/act_123456789/adsets", {"id": "120200000000000002"})
    again = social.post_boost(
        actor=world.manager,
        post=post,
        budget=10_000,
        starts_at=start,
        ends_at=start + timedelta(days=3),
        idempotency_key="boost-1",
    )
    # the same key resumes the same boost from what was recorded, never a second one
    assert again.pk == boost.pk and again.status == "boosting"
    with pytest.raises(SocialPostState):
        social.post_retry(actor=world.manager, post=boost)
    assert len(graph.calls("POST", "/act_123456789/campaigns")) == 1
    assert len(graph.calls("POST", "/act_123456789/ads")) == 1


# --- importing the results --------------------------------------------------------------------


def test_importing_results_is_idempotent_and_completes_ended_boosts(graph):
    world = social_world()
    post = _published(world)
    start = timezone.now() + timedelta(minutes=1)
    boost = social.post_boost(
        actor=world.manager, post=post, budget=25_000, starts_at=start, ends_at=start + timedelta(days=2)
    )
    first = social.results_import()
    second = social.results_import()
    assert first["imported"] == second["imported"] == 2
    post.refresh_from_db()
    boost.refresh_from_db()
    assert (post.impressions, post.reach, post.clicks, post.spend) == (1200, 950, 44, 0)
    assert (boost.impressions, boost.reach, boost.clicks, boost.spend) == (5400, 3100, 87, 7250)
    assert boost.status == "boosting" and boost.results_imported_at is not None
    later = social.results_import(now=timezone.now() + timedelta(days=3))
    boost.refresh_from_db()
    assert later["imported"] == 2 and boost.status == "completed" and boost.spend == 7250


def test_an_expired_token_at_import_marks_the_connection_and_skips_its_posts(graph):
    world = social_world()
    _published(world)
    _published(world)
    graph.error("GET", "/1122334455_777000111/insights", code=190, message="Error validating access token")
    result = social.results_import()
    assert result == {"imported": 0, "failed": 0, "expired": 1, "given_up": 0}
    world.connection.refresh_from_db()
    assert world.connection.status == "expired"
    assert len(graph.calls("GET", "/1122334455_777000111/insights")) == 1


def test_a_call_without_answer_for_long_is_given_up(graph):
    world = social_world()
    post = SocialPost.objects.create(
        advertiser=world.advertiser,
        connection=world.connection,
        listing=world.listing.public_id,
        message="m",
        attempt_started_at=timezone.now() - timedelta(hours=2),
    )
    assert social.results_import()["given_up"] == 1
    post.refresh_from_db()
    assert post.status == "failed" and post.error


# --- the sandbox ------------------------------------------------------------------------------


def test_the_sandbox_connects_publishes_boosts_and_imports_without_the_network(sandbox):
    world = social_world()
    SocialConnection.objects.all().delete()
    url = social.connect_start(actor=world.manager, advertiser=world.advertiser, redirect_uri=CALLBACK)
    assert url.startswith(CALLBACK)
    query = parse_qs(urlparse(url).query)
    pending = social.connect_callback(actor=world.manager, state=query["state"][0], code=query["code"][0])
    assert pending.sandbox and "Bac à sable" in pending.pages[0].name
    row = social.connect_choose(
        actor=world.manager,
        key=pending.key,
        page_id=pending.pages[0].id,
        ad_account_id=pending.ad_accounts[0].id,
    )
    post = social.post_publish(actor=world.manager, connection=row, listing=world.listing.public_id)
    same = SocialPost.objects.get(pk=post.pk)
    assert (
        post.status == "published"
        and post.external_id.startswith(row.page_id + "_")
        and same.external_id == post.external_id
    )
    start = timezone.now() + timedelta(hours=1)
    boost = social.post_boost(
        actor=world.manager, post=post, budget=20_000, starts_at=start, ends_at=start + timedelta(days=2)
    )
    assert boost.status == "boosting"
    social.results_import()
    boost.refresh_from_db()
    assert 0 < boost.spend <= 20_000 and boost.impressions > 0


def test_production_refuses_the_sandbox():
    assert any(
        "sandbox" in p
        for p in ads_conf.production_problems({"ADS_SOCIAL_NETWORK": "", "ADS_FACEBOOK_APP_ID": ""})
    )
    assert any(
        "sandbox" in p
        for p in ads_conf.production_problems({"ADS_SOCIAL_NETWORK": "sandbox", "ADS_FACEBOOK_APP_ID": "1"})
    )
    assert not [
        p
        for p in ads_conf.production_problems(
            {"ADS_SOCIAL_NETWORK": "", "ADS_FACEBOOK_APP_ID": "1", "ADS_FACEBOOK_APP_SECRET": "s"}
        )
        if "FACEBOOK" in p or "SOCIAL" in p
    ]


# --- a property: whatever Facebook answers, a post reaches it at most once after it acted ---

ANSWERS = {
    "ok": (200, {"id": "1122334455_1"}),
    "limit": (
        400,
        {"error": {"message": "Application request limit reached", "type": "OAuthException", "code": 4}},
    ),
    "down": (500, {"error": {"message": "Unexpected error", "type": "OAuthException", "code": 2}}),
    "refused": (400, {"error": {"message": "Invalid parameter", "type": "OAuthException", "code": 100}}),
    "expired": (400, {"error": {"message": "Session has expired", "type": "OAuthException", "code": 190}}),
}


@hypothesis_settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(sorted(ANSWERS)), min_size=1, max_size=5))
def test_a_post_is_sent_again_only_when_facebook_did_not_act(graph, answers):
    world = social_world()
    queue = list(answers)
    served: list[str] = []

    def answer(params):
        served.append(queue.pop(0) if queue else "ok")
        return ANSWERS[served[-1]]

    graph.on("POST", "/1122334455/feed", answer)
    post = social.post_publish(
        actor=world.manager, connection=world.connection, listing=world.listing.public_id
    )
    for _ in range(6):
        if post.status != "pending":
            break
        post = social.post_retry(actor=world.manager, post=post)
    # every call but the last was one Facebook did not act on (a rate limit); the last decides
    assert all(a == "limit" for a in served[:-1])
    last = served[-1]
    expected = {
        "ok": "published",
        "limit": "pending",
        "down": "failed",
        "refused": "failed",
        "expired": "failed",
    }[last]
    assert post.status == expected
    assert (post.external_id == "1122334455_1") == (last == "ok")
    world.connection.refresh_from_db()
    assert (world.connection.status == "expired") == (last == "expired")
    if post.status != "pending":
        before = len(served)
        assert social.post_send(post=post).status == post.status
        with pytest.raises(SocialPostState):
            social.post_retry(actor=world.manager, post=post)
        assert len(served) == before  # never sent again
