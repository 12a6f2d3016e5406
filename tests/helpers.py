"""Helpers every module's tests share (one `gql`, one `bearer_client`)."""

from __future__ import annotations

from rest_framework.test import APIClient


def bearer_client(user) -> APIClient:
    """An API client holding a fresh access token of `user` (as the mobile apps do)."""
    from apps.identity.services.tokens import tokens_issue

    client = APIClient()
    pair = tokens_issue(user=user, auth_method="otp")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access_token}")
    client.pair = pair
    return client


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
