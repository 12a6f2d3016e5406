"""Social advertising over REST (/api/v1/ads/social/…) and GraphQL (adsSocial… fields): the
connect flow, publish (Idempotency-Key), boost, retry, disconnect, the lists with their
results (query-count ceilings), strict bodies and problem details; another advertiser's
page or post is a 404 / null / not_found; no token ever in a response."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from apps.ads.models import SocialConnection, SocialPost
from tests.ads.test_social import graph, sandbox  # noqa: F401 -- fixtures
from tests.ads.test_social_graph import PAGE_TOKEN, USER_TOKEN
from tests.fixtures.ads import social_world
from tests.helpers import bearer_client, gql, gql_response

pytestmark = pytest.mark.django_db

API = "/api/v1/ads/social"


def _no_tokens(response) -> None:
    body = response.content.decode()
    assert PAGE_TOKEN not in body and USER_TOKEN not in body


@pytest.fixture
def world(graph):  # noqa: F811
    return social_world()


def test_the_connect_flow_over_rest(world, graph):  # noqa: F811
    client = bearer_client(world.manager)
    start = client.post(f"{API}/connect", {"advertiser": str(world.advertiser.public_id)}, format="json")
    assert start.status_code == 200, start.content
    url = start.json()["dialog_url"]
    query = parse_qs(urlparse(url).query)
    assert query["redirect_uri"][0].endswith("/manager/ads/social/callback/")
    callback = client.post(
        f"{API}/connect/callback", {"state": query["state"][0], "code": "c-1"}, format="json"
    )
    assert callback.status_code == 200, callback.content
    _no_tokens(callback)
    body = callback.json()
    assert [p["id"] for p in body["pages"]] == ["1122334455", "5566778899"] and body["sandbox"] is False
    replay = client.post(
        f"{API}/connect/callback", {"state": query["state"][0], "code": "c-1"}, format="json"
    )
    assert replay.status_code == 400 and replay.json()["type"].endswith("ads_social_state_invalid")
    chosen = client.post(
        f"{API}/connections",
        {"pending": body["pending"], "page_id": "5566778899", "ad_account_id": ""},
        format="json",
    )
    assert chosen.status_code == 201, chosen.content
    _no_tokens(chosen)
    assert chosen.json()["page_name"] == "Autre page" and chosen.json()["status"] == "active"
    unknown = client.post(
        f"{API}/connect", {"advertiser": str(world.advertiser.public_id), "extra": 1}, format="json"
    )
    assert unknown.status_code == 400 and unknown["Content-Type"].startswith("application/problem+json")


def test_publish_boost_retry_and_the_lists_over_rest(world, graph, django_assert_max_num_queries):  # noqa: F811
    client = bearer_client(world.manager)
    body = {"connection": str(world.connection.public_id), "listing": str(world.listing.public_id)}
    first = client.post(f"{API}/posts", body, format="json", HTTP_IDEMPOTENCY_KEY="pub-1")
    assert first.status_code == 201, first.content
    again = client.post(f"{API}/posts", body, format="json", HTTP_IDEMPOTENCY_KEY="pub-1")
    assert again.json()["id"] == first.json()["id"]
    assert len(graph.calls("POST", "/1122334455/feed")) == 1
    post = first.json()
    assert post["status"] == "published" and post["spend"]["amount"] == 0 and post["budget"] is None
    start = timezone.now() + timedelta(hours=1)
    boost = client.post(
        f"{API}/posts/{post['id']}/boost",
        {
            "budget": 15_000,
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(days=3)).isoformat(),
        },
        format="json",
    )
    assert boost.status_code == 201, boost.content
    assert boost.json()["kind"] == "boost" and boost.json()["budget"]["amount"] == 15_000
    bad = client.post(
        f"{API}/posts/{post['id']}/boost",
        {"budget": 0, "starts_at": start.isoformat(), "ends_at": start.isoformat()},
        format="json",
    )
    assert bad.status_code == 400
    retry = client.post(f"{API}/posts/{post['id']}/retry")
    assert retry.status_code == 409
    for n in range(3):
        SocialPost.objects.create(
            advertiser=world.advertiser,
            connection=world.connection,
            listing=world.listing.public_id,
            message=f"m{n}",
            status="published",
        )
    with django_assert_max_num_queries(8):
        listed = client.get(f"{API}/posts", {"advertiser": str(world.advertiser.public_id)})
    assert listed.status_code == 200 and len(listed.json()["results"]) == 5
    with django_assert_max_num_queries(8):
        connections = client.get(f"{API}/connections")
    assert [c["id"] for c in connections.json()["results"]] == [str(world.connection.public_id)]
    _no_tokens(connections)
    one = client.get(f"{API}/posts/{post['id']}")
    assert one.status_code == 200 and one.json()["external_id"] == "1122334455_777000111"
    gone = client.post(f"{API}/connections/{world.connection.public_id}/disconnect")
    assert gone.status_code == 200 and gone.json()["status"] == "revoked"


def test_another_advertiser_sees_nothing_over_rest(world, graph):  # noqa: F811
    other = social_world(org_name="Agence B")
    post = SocialPost.objects.create(
        advertiser=world.advertiser,
        connection=world.connection,
        listing=world.listing.public_id,
        message="secret",
        status="published",
        external_id="1122334455_1",
    )
    client = bearer_client(other.manager)
    for path in (f"{API}/connections/{world.connection.public_id}", f"{API}/posts/{post.public_id}"):
        response = client.get(path)
        assert response.status_code == 404 and response["Content-Type"].startswith("application/problem+json")
    for path, body in (
        (f"{API}/connections/{world.connection.public_id}/disconnect", {}),
        (f"{API}/posts/{post.public_id}/retry", {}),
        (
            f"{API}/posts/{post.public_id}/boost",
            {"budget": 1, "starts_at": timezone.now().isoformat(), "ends_at": timezone.now().isoformat()},
        ),
        (
            f"{API}/posts",
            {"connection": str(world.connection.public_id), "listing": str(world.listing.public_id)},
        ),
        (f"{API}/connect", {"advertiser": str(world.advertiser.public_id)}),
    ):
        assert client.post(path, body, format="json").status_code == 404, path
    listed = client.get(f"{API}/posts").json()["results"]
    assert listed == []
    assert client.get(f"{API}/posts", {"advertiser": str(world.advertiser.public_id)}).status_code == 404
    assert bearer_client(None).get(f"{API}/posts").status_code == 401
    world.connection.refresh_from_db()
    assert world.connection.status == "active"


POSTS = """query($a: UUID) { adsSocialPosts(advertiserId: $a) { id status kind impressions spend { amount currency }
  budget { amount } connectionId listingId } }"""
CONNECTIONS = "{ adsSocialConnections { id pageName status adAccountId } }"


def test_the_same_over_graphql(world, graph, django_assert_max_num_queries):  # noqa: F811
    client = bearer_client(world.manager)
    start = gql(
        client,
        "mutation($a: UUID) { adsSocialConnectStart(advertiserId: $a) { ok errors { code } dialogUrl } }",
        {"a": str(world.advertiser.public_id)},
    )["adsSocialConnectStart"]
    assert start["ok"], start
    state = parse_qs(urlparse(start["dialogUrl"]).query)["state"][0]
    callback = gql(
        client,
        """mutation($s: String!) { adsSocialConnectCallback(state: $s, code: "c") { ok errors { code }
        pending pages { id name instagramAccountId } adAccounts { id currency } sandbox } }""",
        {"s": state},
    )
    cb = callback["adsSocialConnectCallback"]
    assert cb["ok"] and cb["adAccounts"] == [{"id": "123456789", "currency": "XOF"}]
    chosen = gql(
        client,
        """mutation($p: String!) { adsSocialConnectChoose(pending: $p, pageId: "1122334455",
        adAccountId: "123456789") { ok errors { code } connection { id pageName status } } }""",
        {"p": cb["pending"]},
    )
    assert chosen["adsSocialConnectChoose"]["ok"]
    connection_id = chosen["adsSocialConnectChoose"]["connection"]["id"]
    published = gql(
        client,
        """mutation($c: UUID!, $l: String!) { adsSocialPublish(connectionId: $c, listing: $l,
        idempotencyKey: "g-1") { ok errors { code field } post { id status externalId } } }""",
        {"c": connection_id, "l": str(world.listing.public_id)},
    )["adsSocialPublish"]
    assert published["ok"] and published["post"]["status"] == "published"
    start_at = timezone.now() + timedelta(hours=1)
    boosted = gql(
        client,
        """mutation($p: UUID!, $s: DateTime!, $e: DateTime!) { adsSocialBoost(postId: $p,
        budget: 12000, startsAt: $s, endsAt: $e) { ok errors { code field } post { kind status budget { amount } } } }""",
        {
            "p": published["post"]["id"],
            "s": start_at.isoformat(),
            "e": (start_at + timedelta(days=2)).isoformat(),
        },
    )
    assert boosted["adsSocialBoost"]["ok"], boosted
    assert boosted["adsSocialBoost"]["post"]["budget"]["amount"] == 12000
    refused = gql(
        client,
        """mutation($p: UUID!) { adsSocialRetry(postId: $p) { ok errors { code } } }""",
        {"p": published["post"]["id"]},
    )["adsSocialRetry"]
    assert refused == {"ok": False, "errors": [{"code": "ads_social_post_state"}]}
    with django_assert_max_num_queries(8):
        posts = gql(client, POSTS, {"a": str(world.advertiser.public_id)})["adsSocialPosts"]
    assert [p["kind"] for p in posts] == ["boost", "post"]
    with django_assert_max_num_queries(6):
        connections = gql(client, CONNECTIONS)["adsSocialConnections"]
    # connecting the same page again renewed the fixture's connection
    assert [c["id"] for c in connections] == [connection_id] == [str(world.connection.public_id)]
    one = gql(
        client, "query($p: UUID!) { adsSocialPost(postId: $p) { id status } }", {"p": published["post"]["id"]}
    )
    assert one["adsSocialPost"]["status"] == "published"
    gone = gql(
        client,
        "mutation($c: UUID!) { adsSocialDisconnect(connectionId: $c) { ok connection { status } } }",
        {"c": connection_id},
    )["adsSocialDisconnect"]
    assert gone == {"ok": True, "connection": {"status": "revoked"}}


def test_another_advertiser_sees_nothing_over_graphql(world, graph):  # noqa: F811
    other = social_world(org_name="Agence B")
    post = SocialPost.objects.create(
        advertiser=world.advertiser,
        connection=world.connection,
        listing=world.listing.public_id,
        message="secret",
        status="published",
        external_id="1122334455_1",
    )
    client = bearer_client(other.manager)
    data = gql(
        client,
        "query($p: UUID!, $c: UUID!) { adsSocialPost(postId: $p) { id } adsSocialConnection(connectionId: $c) { id } }",
        {"p": str(post.public_id), "c": str(world.connection.public_id)},
    )
    assert data == {"adsSocialPost": None, "adsSocialConnection": None}
    listed = gql(client, POSTS, {"a": str(world.advertiser.public_id)})["adsSocialPosts"]
    assert listed == []
    assert [c["id"] for c in gql(client, CONNECTIONS)["adsSocialConnections"]] == [
        str(other.connection.public_id)
    ]
    for mutation, variables in (
        (
            "mutation($c: UUID!) { adsSocialDisconnect(connectionId: $c) { ok errors { code } } }",
            {"c": str(world.connection.public_id)},
        ),
        (
            "mutation($p: UUID!) { adsSocialRetry(postId: $p) { ok errors { code } } }",
            {"p": str(post.public_id)},
        ),
        (
            """mutation($c: UUID!, $l: String!) { adsSocialPublish(connectionId: $c, listing: $l) { ok errors { code } } }""",
            {"c": str(world.connection.public_id), "l": str(world.listing.public_id)},
        ),
    ):
        payload = next(iter(gql(client, mutation, variables).values()))
        assert payload["ok"] is False and payload["errors"][0]["code"].endswith("not_found"), payload
    anonymous = gql_response(bearer_client(None), CONNECTIONS)
    assert anonymous["errors"]
    world.connection.refresh_from_db()
    assert world.connection.status == SocialConnection.Status.ACTIVE
