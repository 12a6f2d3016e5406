"""Helpers every module's tests share (one `gql`, one `bearer_client`)."""

from __future__ import annotations

import json

from rest_framework.test import APIClient


def bearer_client(user) -> APIClient:
    """An API client holding a fresh access token of `user` (as the mobile apps do);
    anonymous for None."""
    from apps.identity.services.tokens import tokens_issue

    client = APIClient()
    if user is None:
        return client
    pair = tokens_issue(user=user, auth_method="otp")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access_token}")
    client.pair = pair
    return client


def graphql_post(client, body: dict | str, **extra):
    """POST a raw GraphQL body (a dict, or a string to send as is); the HTTP response, for
    tests of status codes, headers and the view's protections."""
    payload = body if isinstance(body, str) else json.dumps(body)
    return client.post("/graphql", payload, content_type="application/json", **extra)


def gql_response(client, query: str, variables: dict | None = None, **extra) -> dict:
    """POST a GraphQL operation; the whole body (`data`, and `errors` if any)."""
    response = client.post("/graphql", {"query": query, "variables": variables or {}}, format="json", **extra)
    assert response.status_code == 200, response.content
    return response.json()


def gql(client, query: str, variables: dict | None = None, **extra) -> dict:
    """POST a GraphQL operation that must not fail at the GraphQL level; its `data`.
    (Business refusals come back as typed `errors` inside the payload, not here.)"""
    body = gql_response(client, query, variables, **extra)
    assert "errors" not in body, body
    return body["data"]
