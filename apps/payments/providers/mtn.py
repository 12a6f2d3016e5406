"""MTN Mobile Money Open API (https://momodeveloper.mtn.com): the account holder's name, to
check that a payout account is in its owner's own name. Only the lookup is used (payouts go
through PAYMENT_PAYOUT_PROVIDER).

- base URL `https://sandbox.momodeveloper.mtn.com` (sandbox) or the production URL MTN gives
  the partner (`MTN_MOMO_BASE_URL`); every call carries `Ocp-Apim-Subscription-Key` (the
  Disbursements product's primary key);
- token: `POST /disbursement/token/` with HTTP Basic auth (API user id : API key) and an
  empty body → `{"access_token", "token_type": "access_token", "expires_in": 3600}`; the
  token is kept until a minute before it expires;
- lookup: `GET /disbursement/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo` with
  `Authorization: Bearer <token>` and `X-Target-Environment` (`sandbox`, `mtnbenin`…); the
  MSISDN is the number in international form without "+" (22901…); answers `given_name`,
  `family_name`, `birthdate`, `locale`, `gender`, `status` (some deployments also `name`).
  404 (`{"code": "RESOURCE_NOT_FOUND" | "ACCOUNTHOLDER_NOT_FOUND", …}`): no such account;
  401: the token expired (asked again once).
No network call inside a database transaction (providers/http.py refuses).
"""

from __future__ import annotations

import base64
import threading
import time
from dataclasses import dataclass

from django.conf import settings

from . import http
from .base import AccountHolder, BaseProvider, Capability, ProviderRejected

SANDBOX_URL = "https://sandbox.momodeveloper.mtn.com"
_tokens: dict[tuple[str, str], tuple[str, float]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class MtnCredentials:
    base_url: str
    api_user: str
    api_key: str
    subscription_key: str
    target_environment: str


def configured() -> bool:
    return bool(
        settings.MTN_MOMO_API_USER and settings.MTN_MOMO_API_KEY and settings.MTN_MOMO_SUBSCRIPTION_KEY
    )


def clear_tokens() -> None:
    with _lock:
        _tokens.clear()


class MtnMomoProvider(BaseProvider):
    name = "mtn_momo"
    label = "MTN MoMo"
    capabilities = frozenset({Capability.ACCOUNT_LOOKUP})
    methods = frozenset()

    def __init__(self, credentials: MtnCredentials | None = None):
        super().__init__()
        self.mtn = credentials or MtnCredentials(
            base_url=(settings.MTN_MOMO_BASE_URL or SANDBOX_URL).rstrip("/"),
            api_user=settings.MTN_MOMO_API_USER,
            api_key=settings.MTN_MOMO_API_KEY,
            subscription_key=settings.MTN_MOMO_SUBSCRIPTION_KEY,
            target_environment=settings.MTN_MOMO_TARGET_ENVIRONMENT,
        )

    def _http(self):
        return http.client(
            "mtn_momo",
            self.mtn.base_url,
            {"Accept": "application/json", "Ocp-Apim-Subscription-Key": self.mtn.subscription_key},
        )

    def _token(self, client, *, fresh: bool = False) -> str:
        key = (self.mtn.base_url, self.mtn.api_user)
        now = time.monotonic()
        with _lock:
            cached = _tokens.get(key)
        if cached and not fresh and cached[1] > now:
            return cached[0]
        basic = base64.b64encode(f"{self.mtn.api_user}:{self.mtn.api_key}".encode()).decode()
        data = http.json_of(
            http.request(
                client,
                "POST",
                "/disbursement/token/",
                headers={"Authorization": f"Basic {basic}"},
                content=b"",
            )
        )
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise ProviderRejected("MTN MoMo: no access_token in the answer", body=data)
        expires_in = data.get("expires_in")
        lifetime = expires_in if isinstance(expires_in, int) and not isinstance(expires_in, bool) else 3600
        with _lock:
            _tokens[key] = (token, now + max(lifetime - 60, 0))
        return token

    def account_holder(self, phone: str) -> AccountHolder | None:
        msisdn = "".join(ch for ch in phone if ch.isdigit())
        if not msisdn:
            raise ProviderRejected("MTN MoMo: no number to look up")
        path = f"/disbursement/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo"
        with self._http() as client:
            for attempt in range(2):
                token = self._token(client, fresh=attempt > 0)
                response = http.request(
                    client,
                    "GET",
                    path,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "X-Target-Environment": self.mtn.target_environment,
                    },
                    ok_statuses=(401, 404),
                    retry=True,
                )
                if response.status_code == 401 and attempt == 0:
                    continue  # the token expired on MTN's side: ask for a new one, once
                if response.status_code == 401:
                    raise ProviderRejected("MTN MoMo: unauthorized", status=401)
                if response.status_code == 404:
                    return None
                data = http.json_of(response)
                return AccountHolder(
                    given_name=str(data.get("given_name") or "").strip(),
                    family_name=str(data.get("family_name") or "").strip(),
                    name=str(data.get("name") or "").strip(),
                    status=str(data.get("status") or ""),
                    source=self.name,
                )
        raise AssertionError("unreachable")
