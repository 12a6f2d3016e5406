"""The Graph API adapter (apps/ads/providers/graph.py) against a local server speaking Meta's
documented endpoints: the request shapes (versioned paths, appsecret_proof on every call,
the HOUSING special ad category, the ad set's budget, dates and targeting), the answers
parsed, and Graph's errors mapped to typed exceptions. `FakeGraph` is shared with the other
social tests (the only thing standing in for the outside world)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from werkzeug import Response

from apps.ads.providers.base import BoostSpec, NetworkRejected, NetworkUnavailable, TokenExpired
from apps.ads.providers.graph import GraphNetwork, NetworkCallInTransaction, appsecret_proof

APP_ID = "987654321"
APP_SECRET = "app-secret-for-tests"
VERSION = "v21.0"
PAGE_TOKEN = "EAAPageTokenSecret-0123456789abcdef"
USER_TOKEN = "EAAUserTokenSecret-fedcba9876543210"


class FakeGraph:
    """Meta's Graph API as the documentation describes it, on a local server: routes answer
    canned bodies (or a function of the request's parameters); every request is recorded;
    a call carrying an access token without the right appsecret_proof is refused the way
    Graph refuses it."""

    def __init__(self, httpserver, *, app_secret: str = APP_SECRET, version: str = VERSION):
        self.server = httpserver
        self.app_secret = app_secret
        self.version = version
        self.routes: dict = {}
        self.requests: list[tuple[str, str, dict]] = []
        httpserver.expect_request(re.compile(rf"^/{re.escape(version)}/.*")).respond_with_handler(
            self._handle
        )

    @property
    def url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def on(self, method: str, path: str, body=None, *, status: int = 200) -> FakeGraph:
        self.routes[(method, path)] = (status, body)
        return self

    def error(
        self, method: str, path: str, *, code: int, status: int = 400, subcode=None, message="Error"
    ) -> FakeGraph:
        body = {"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "Axyz"}}
        if subcode is not None:
            body["error"]["error_subcode"] = subcode
        return self.on(method, path, body, status=status)

    def calls(self, method: str, path: str) -> list[dict]:
        return [params for m, p, params in self.requests if m == method and p == path]

    def _handle(self, request):
        path = request.path[len(self.version) + 1 :]
        params = {k: v for k, v in request.args.items()}
        params.update({k: v for k, v in request.form.items()})
        self.requests.append((request.method, path, params))
        token = params.get("access_token")
        if token:
            expected = hmac.new(self.app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()
            if params.get("appsecret_proof") != expected:
                return self._json(
                    400,
                    {
                        "error": {
                            "message": "Invalid appsecret_proof",
                            "type": "GraphMethodException",
                            "code": 100,
                        }
                    },
                )
        status, body = self.routes.get((request.method, path), (404, None))
        if body is None and status == 404:
            return self._json(
                404,
                {"error": {"message": f"Unknown path {path}", "type": "GraphMethodException", "code": 803}},
            )
        if callable(body):
            body = body(params)
            if isinstance(body, tuple):  # (status, body) decided per call
                status, body = body
        return self._json(status, body)

    @staticmethod
    def _json(status, body):
        return Response(json.dumps(body), status=status, content_type="application/json")

    # the happy paths every social test needs
    def standard(self, *, page_id="1122334455", ig="17841400000000001", account="123456789") -> FakeGraph:
        self.on(
            "GET",
            "/oauth/access_token",
            lambda p: (
                {"access_token": USER_TOKEN, "token_type": "bearer", "expires_in": 5183944}
                if p.get("grant_type") == "fb_exchange_token"
                else {"access_token": "EAAShortLived", "token_type": "bearer", "expires_in": 3600}
            ),
        )
        self.on(
            "GET",
            "/me/accounts",
            {
                "data": [
                    {
                        "id": page_id,
                        "name": "Agence Social",
                        "access_token": PAGE_TOKEN,
                        "instagram_business_account": {"id": ig, "username": "agence_social"},
                    },
                    {"id": "5566778899", "name": "Autre page", "access_token": "EAAOtherPageToken"},
                ],
                "paging": {"cursors": {"before": "a", "after": "b"}},
            },
        )
        self.on(
            "GET",
            "/me/adaccounts",
            {"data": [{"id": f"act_{account}", "account_id": account, "name": "Pub", "currency": "XOF"}]},
        )
        self.on("POST", f"/{page_id}/feed", {"id": f"{page_id}_777000111"})
        self.on("POST", f"/{page_id}/photos", {"id": "888", "post_id": f"{page_id}_888000222"})
        self.on("POST", f"/{ig}/media", {"id": "17900000000000042"})
        self.on("POST", f"/{ig}/media_publish", {"id": "17900000000000099"})
        self.on("POST", f"/act_{account}/campaigns", {"id": "120200000000000001"})
        self.on("POST", f"/act_{account}/adsets", {"id": "120200000000000002"})
        self.on("POST", f"/act_{account}/adcreatives", {"id": "120200000000000003"})
        self.on("POST", f"/act_{account}/ads", {"id": "120200000000000004"})
        self.on(
            "GET",
            "/120200000000000004/insights",
            {
                "data": [
                    {
                        "impressions": "5400",
                        "reach": "3100",
                        "clicks": "87",
                        "spend": "7250",
                        "date_start": "2026-12-01",
                        "date_stop": "2026-12-04",
                    }
                ],
            },
        )
        self.on(
            "GET",
            f"/{page_id}_777000111/insights",
            {
                "data": [
                    {"name": "post_impressions", "period": "lifetime", "values": [{"value": 1200}]},
                    {"name": "post_impressions_unique", "period": "lifetime", "values": [{"value": 950}]},
                    {"name": "post_clicks", "period": "lifetime", "values": [{"value": 44}]},
                ]
            },
        )
        self.on(
            "GET",
            "/17900000000000099/insights",
            {
                "data": [
                    {"name": "views", "period": "lifetime", "values": [{"value": 640}]},
                    {"name": "reach", "period": "lifetime", "values": [{"value": 410}]},
                ]
            },
        )
        return self


def network_for(fake: FakeGraph, **kwargs) -> GraphNetwork:
    return GraphNetwork(
        app_id=APP_ID, app_secret=APP_SECRET, graph_url=fake.url, version=VERSION, timeout=2.0, **kwargs
    )


@pytest.fixture
def fake(httpserver):
    return FakeGraph(httpserver).standard()


def _spec(**changes) -> BoostSpec:
    values = dict(
        ad_account_id="123456789",
        page_id="1122334455",
        story_id="1122334455_777000111",
        name="Hokwe boost",
        budget=25_000,
        currency="XOF",
        starts_at=datetime(2026, 12, 5, 8, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 12, 8, 0, tzinfo=UTC),
        countries=("BJ",),
    )
    values.update(changes)
    return BoostSpec(**values)


def test_the_dialog_url_is_versioned_and_carries_the_state_and_scopes():
    network = GraphNetwork(app_id=APP_ID, app_secret=APP_SECRET, version=VERSION)
    url = network.dialog_url(
        redirect_uri="https://app.hokwe.com/cb/", state="s1", scopes=["pages_show_list", "ads_management"]
    )
    parsed = urlparse(url)
    assert (parsed.scheme, parsed.netloc, parsed.path) == ("https", "www.facebook.com", "/v21.0/dialog/oauth")
    query = parse_qs(parsed.query)
    assert query == {
        "client_id": [APP_ID],
        "redirect_uri": ["https://app.hokwe.com/cb/"],
        "state": ["s1"],
        "scope": ["pages_show_list,ads_management"],
        "response_type": ["code"],
    }


def test_code_exchange_long_lived_token_pages_and_ad_accounts(fake):
    network = network_for(fake)
    short = network.exchange_code(code="the-code", redirect_uri="https://app.hokwe.com/cb/")
    assert short.token == "EAAShortLived" and short.expires_at is not None
    exchange = fake.calls("GET", "/oauth/access_token")[0]
    assert exchange == {
        "client_id": APP_ID,
        "redirect_uri": "https://app.hokwe.com/cb/",
        "client_secret": APP_SECRET,
        "code": "the-code",
    }

    long = network.long_lived(token=short.token)
    assert long.token == USER_TOKEN
    assert fake.calls("GET", "/oauth/access_token")[1] == {
        "grant_type": "fb_exchange_token",
        "client_id": APP_ID,
        "client_secret": APP_SECRET,
        "fb_exchange_token": "EAAShortLived",
    }

    pages = network.pages(user_token=long.token)
    assert [(p.id, p.name, p.instagram_account_id, p.instagram_username) for p in pages] == [
        ("1122334455", "Agence Social", "17841400000000001", "agence_social"),
        ("5566778899", "Autre page", "", ""),
    ]
    assert pages[0].access_token == PAGE_TOKEN and PAGE_TOKEN not in repr(pages[0])
    call = fake.calls("GET", "/me/accounts")[0]
    assert call["fields"] == "id,name,access_token,instagram_business_account{id,username}"
    assert call["access_token"] == USER_TOKEN
    assert call["appsecret_proof"] == appsecret_proof(USER_TOKEN, APP_SECRET)

    accounts = network.ad_accounts(user_token=long.token)
    assert [(a.id, a.currency) for a in accounts] == [("123456789", "XOF")]


def test_publishing_on_the_page_and_on_instagram(fake):
    network = network_for(fake)
    post = network.publish_page_post(
        page_id="1122334455",
        page_token=PAGE_TOKEN,
        message="Studio",
        link="https://market.hokwe.com/market/l/x",
    )
    assert post.id == "1122334455_777000111"
    feed = fake.calls("POST", "/1122334455/feed")[0]
    assert feed["message"] == "Studio" and feed["link"] == "https://market.hokwe.com/market/l/x"
    assert feed["appsecret_proof"] == appsecret_proof(PAGE_TOKEN, APP_SECRET)

    photo = network.publish_page_photo(
        page_id="1122334455", page_token=PAGE_TOKEN, image_url="https://cdn/x.jpg", caption="Studio"
    )
    assert photo.id == "1122334455_888000222"
    assert fake.calls("POST", "/1122334455/photos")[0]["url"] == "https://cdn/x.jpg"

    media = network.publish_instagram(
        ig_user_id="17841400000000001", page_token=PAGE_TOKEN, image_url="https://cdn/x.jpg", caption="Studio"
    )
    assert media.id == "17900000000000099"
    container = fake.calls("POST", "/17841400000000001/media")[0]
    assert container["image_url"] == "https://cdn/x.jpg" and container["caption"] == "Studio"
    assert fake.calls("POST", "/17841400000000001/media_publish")[0]["creation_id"] == "17900000000000042"


def test_a_boost_is_a_housing_ad_on_the_advertisers_account(fake):
    network = network_for(fake)
    spec = _spec()
    campaign = network.create_boost_campaign(user_token=USER_TOKEN, spec=spec)
    adset = network.create_boost_adset(user_token=USER_TOKEN, spec=spec, campaign_id=campaign)
    creative = network.create_boost_creative(user_token=USER_TOKEN, spec=spec)
    ad = network.create_boost_ad(user_token=USER_TOKEN, spec=spec, adset_id=adset, creative_id=creative)
    assert (campaign, adset, creative, ad) == (
        "120200000000000001",
        "120200000000000002",
        "120200000000000003",
        "120200000000000004",
    )
    c = fake.calls("POST", "/act_123456789/campaigns")[0]
    assert json.loads(c["special_ad_categories"]) == ["HOUSING"]
    assert json.loads(c["special_ad_category_country"]) == ["BJ"]
    assert c["objective"] == "OUTCOME_TRAFFIC" and c["access_token"] == USER_TOKEN
    assert c["appsecret_proof"] == appsecret_proof(USER_TOKEN, APP_SECRET)
    a = fake.calls("POST", "/act_123456789/adsets")[0]
    assert a["campaign_id"] == campaign and a["lifetime_budget"] == "25000"
    assert a["start_time"] == "2026-12-05T08:00:00+0000" and a["end_time"] == "2026-12-12T08:00:00+0000"
    assert a["billing_event"] == "IMPRESSIONS" and a["optimization_goal"] == "LINK_CLICKS"
    assert json.loads(a["targeting"]) == {"geo_locations": {"countries": ["BJ"]}}
    assert fake.calls("POST", "/act_123456789/adcreatives")[0]["object_story_id"] == "1122334455_777000111"
    d = fake.calls("POST", "/act_123456789/ads")[0]
    assert (
        json.loads(d["creative"]) == {"creative_id": creative}
        and d["adset_id"] == adset
        and d["status"] == "ACTIVE"
    )


def test_results_are_read_back(fake):
    network = network_for(fake)
    ad = network.ad_results(user_token=USER_TOKEN, ad_id="120200000000000004", currency="XOF")
    assert (ad.impressions, ad.reach, ad.clicks, ad.spend) == (5400, 3100, 87, 7250)
    call = fake.calls("GET", "/120200000000000004/insights")[0]
    assert call["fields"] == "impressions,reach,clicks,spend" and call["date_preset"] == "maximum"
    post = network.post_results(page_token=PAGE_TOKEN, post_id="1122334455_777000111")
    assert (post.impressions, post.reach, post.clicks, post.spend) == (1200, 950, 44, 0)
    ig = network.instagram_results(page_token=PAGE_TOKEN, media_id="17900000000000099")
    assert (ig.impressions, ig.reach) == (640, 410)


def test_spend_in_a_currency_with_cents_becomes_minor_units(httpserver):
    fake = FakeGraph(httpserver).on(
        "GET",
        "/42/insights",
        {"data": [{"impressions": "10", "reach": "9", "clicks": "1", "spend": "12.345"}]},
    )
    assert network_for(fake).ad_results(user_token=USER_TOKEN, ad_id="42", currency="EUR").spend == 1235


def test_graph_errors_become_typed_exceptions(httpserver):
    fake = FakeGraph(httpserver)
    fake.error(
        "POST", "/1/feed", code=190, subcode=463, message="Error validating access token: Session has expired"
    )
    fake.error("POST", "/2/feed", code=4, message="Application request limit reached")
    fake.error("POST", "/3/feed", code=100, message="Invalid parameter")
    fake.error("POST", "/4/feed", code=2, status=500, message="Service temporarily unavailable")
    network = network_for(fake)
    with pytest.raises(TokenExpired) as expired:
        network.publish_page_post(page_id="1", page_token=PAGE_TOKEN, message="m", link="")
    assert (
        expired.value.code == 190 and expired.value.subcode == 463 and PAGE_TOKEN not in expired.value.reason
    )
    with pytest.raises(NetworkUnavailable) as limited:
        network.publish_page_post(page_id="2", page_token=PAGE_TOKEN, message="m", link="")
    assert limited.value.maybe_sent is False
    with pytest.raises(NetworkRejected) as rejected:
        network.publish_page_post(page_id="3", page_token=PAGE_TOKEN, message="m", link="")
    assert not isinstance(rejected.value, TokenExpired) and "Invalid parameter" in rejected.value.reason
    with pytest.raises(NetworkUnavailable) as down:
        network.publish_page_post(page_id="4", page_token=PAGE_TOKEN, message="m", link="")
    assert down.value.maybe_sent is True
    # a POST is sent once, whatever the answer
    assert len(fake.calls("POST", "/4/feed")) == 1


def test_a_wrong_app_secret_is_refused_by_graph(fake):
    network = GraphNetwork(app_id=APP_ID, app_secret="not-the-secret", graph_url=fake.url, version=VERSION)
    with pytest.raises(NetworkRejected, match="appsecret_proof"):
        network.pages(user_token=USER_TOKEN)


def test_timeouts_and_refused_connections(unused_tcp_port):
    def hang(request):
        raise httpx.ReadTimeout("slow", request=request)

    network = GraphNetwork(
        app_id=APP_ID,
        app_secret=APP_SECRET,
        graph_url="http://graph.test",
        version=VERSION,
        transport=httpx.MockTransport(hang),
    )
    with pytest.raises(NetworkUnavailable) as slow:
        network.publish_page_post(page_id="1", page_token=PAGE_TOKEN, message="m", link="")
    assert slow.value.maybe_sent is True
    closed = GraphNetwork(
        app_id=APP_ID,
        app_secret=APP_SECRET,
        graph_url=f"http://127.0.0.1:{unused_tcp_port}",
        version=VERSION,
        timeout=1.0,
    )
    with pytest.raises(NetworkUnavailable) as refused:
        closed.publish_page_post(page_id="1", page_token=PAGE_TOKEN, message="m", link="")
    assert refused.value.maybe_sent is False


@pytest.mark.django_db
def test_the_network_is_never_called_inside_a_transaction(fake):
    from django.db import transaction

    network = network_for(fake)
    with transaction.atomic(), pytest.raises(NetworkCallInTransaction):
        network.pages(user_token=USER_TOKEN)
    assert fake.calls("GET", "/me/accounts") == []
