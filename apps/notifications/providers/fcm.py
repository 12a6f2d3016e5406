"""Firebase Cloud Messaging, HTTP v1 API (https://firebase.google.com/docs/cloud-messaging/send/v1-api).

1. OAuth 2.0 for a service account: a JWT signed RS256 with the account's private key
   (iss = client_email, scope = firebase.messaging, aud = token_uri, 1 hour), exchanged at
   the token_uri of the service-account JSON:
       POST {token_uri}  grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=…
       200 {"access_token": "…", "expires_in": 3599, "token_type": "Bearer"}
2. POST {base}/v1/projects/{project_id}/messages:send   Bearer token
       {"message": {"token": "…", "notification": {"title", "body"}, "data": {…}}}
       200 {"name": "projects/{project_id}/messages/{id}"}
   Errors: {"error": {"code": 404, "message": "Requested entity was not found.",
            "status": "NOT_FOUND", "details": [{"@type":
            "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "UNREGISTERED"}]}}
   UNREGISTERED, SENDER_ID_MISMATCH and INVALID_ARGUMENT about the token mean the token is
   dead (pruned); UNAVAILABLE, INTERNAL, QUOTA_EXCEEDED are worth a retry.
"""

from __future__ import annotations

import json
import time
from functools import cache as memoize

import httpx
import jwt
from django.conf import settings
from django.core.cache import cache

from apps.core.http import http_client

from .base import Accepted, ProviderError, PushInvalidToken, RecipientRejected, describe

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
DEAD_TOKEN = {"UNREGISTERED", "SENDER_ID_MISMATCH"}


@memoize
def _load_account(raw: str, path: str) -> dict:
    if raw:
        return json.loads(raw)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


class FcmPush:
    name = "fcm"

    def __init__(self):
        if not (settings.FCM_SERVICE_ACCOUNT_JSON or settings.FCM_SERVICE_ACCOUNT_FILE):
            raise ProviderError("FCM is not configured", provider=self.name)
        self.account = _load_account(settings.FCM_SERVICE_ACCOUNT_JSON, settings.FCM_SERVICE_ACCOUNT_FILE)
        self.project_id = settings.FCM_PROJECT_ID or self.account.get("project_id", "")
        self.base_url = settings.FCM_BASE_URL.rstrip("/")
        self.token_uri = self.account.get("token_uri") or "https://oauth2.googleapis.com/token"
        self.client = http_client(service="fcm", timeout=settings.SMS_TIMEOUT_SECONDS)

    def _cache_key(self) -> str:
        return f"notifications:fcm:token:{self.account.get('client_email', '')}"

    def _access_token(self, *, refresh: bool = False) -> str:
        token = None if refresh else cache.get(self._cache_key())
        if token:
            return token
        now = int(time.time())
        assertion = jwt.encode(
            {
                "iss": self.account["client_email"],
                "scope": SCOPE,
                "aud": self.token_uri,
                "iat": now,
                "exp": now + 3600,
            },
            self.account["private_key"],
            algorithm="RS256",
            headers={"kid": self.account.get("private_key_id", "")},
        )
        try:
            response = self.client.post(
                self.token_uri, data={"grant_type": GRANT_TYPE, "assertion": assertion}
            )
        except httpx.HTTPError as exc:
            raise ProviderError(f"token: {describe(exc)}", provider=self.name) from exc
        if response.status_code != 200:
            raise ProviderError(
                f"token: HTTP {response.status_code} {response.text[:200]}", provider=self.name
            )
        data = response.json()
        cache.set(self._cache_key(), data["access_token"], max(int(data.get("expires_in", 3600)) - 60, 30))
        return data["access_token"]

    def send(self, *, token: str, title: str, body: str, data: dict[str, str]) -> Accepted:
        message = {"token": token, "notification": {"title": title, "body": body}, "data": data}
        response = self._post({"message": message})
        if response.status_code == 401:
            response = self._post({"message": message}, refresh=True)
        if response.status_code == 200:
            return Accepted(provider_message_id=response.json().get("name", ""))
        try:
            error = response.json().get("error", {})
        except ValueError:
            error = {}
        codes = {d.get("errorCode") for d in error.get("details", []) if isinstance(d, dict)}
        violations = {
            v.get("field")
            for d in error.get("details", [])
            if isinstance(d, dict)
            for v in d.get("fieldViolations", [])
        }
        reason = f"HTTP {response.status_code} {error.get('status', '')} {sorted(c for c in codes if c)} {error.get('message', '')}"
        if codes & DEAD_TOKEN or (
            error.get("status") == "INVALID_ARGUMENT" and "message.token" in violations
        ):
            raise PushInvalidToken(reason)
        if response.status_code == 400:  # a malformed message: retrying would not help
            raise RecipientRejected(reason, provider=self.name)
        raise ProviderError(reason, provider=self.name)

    def _post(self, payload: dict, *, refresh: bool = False) -> httpx.Response:
        token = self._access_token(refresh=refresh)
        try:
            return self.client.post(
                f"{self.base_url}/v1/projects/{self.project_id}/messages:send",
                json=payload,
                headers={"Authorization": f"Bearer {token}"},
            )
        except httpx.HTTPError as exc:
            raise ProviderError(describe(exc), provider=self.name) from exc
