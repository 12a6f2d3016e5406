"""Meta's Graph API (Facebook pages, Instagram professional accounts) and Marketing API
(boosts), versioned (ADS_GRAPH_VERSION, e.g. v21.0). Facts from Meta's documentation:

- OAuth: the manager opens https://www.facebook.com/<v>/dialog/oauth?client_id, redirect_uri,
  state, scope (comma-separated), response_type=code; the callback's `code` is exchanged by
  GET /<v>/oauth/access_token?client_id, redirect_uri, client_secret, code ->
  {access_token, token_type, expires_in}; a long-lived user token (about 60 days) by
  GET /<v>/oauth/access_token?grant_type=fb_exchange_token&client_id&client_secret&fb_exchange_token;
- pages: GET /<v>/me/accounts?fields=id,name,access_token,instagram_business_account{id,username}
  (page tokens obtained with a long-lived user token do not expire); ad accounts:
  GET /<v>/me/adaccounts?fields=account_id,name,currency;
- a page post: POST /{page-id}/feed {message, link} -> {id: "<page-id>_<post-id>"}; a photo:
  POST /{page-id}/photos {url, caption} -> {id, post_id};
- Instagram: POST /{ig-user-id}/media {image_url, caption} -> {id: container}, then
  POST /{ig-user-id}/media_publish {creation_id} -> {id: media};
- a boost (Marketing API): POST /act_{id}/campaigns {name, objective, status,
  special_ad_categories: ["HOUSING"], special_ad_category_country} (housing ads are a special
  ad category: restricted targeting, no age, gender or postcode); POST /act_{id}/adsets
  {campaign_id, lifetime_budget, start_time, end_time, billing_event, optimization_goal,
  bid_strategy, targeting: {geo_locations: {countries}}}; POST /act_{id}/adcreatives
  {object_story_id}; POST /act_{id}/ads {adset_id, creative: {creative_id}, status};
  budgets in the account currency's smallest unit (XOF has none below 1 FCFA);
- results: GET /{ad-id}/insights?fields=impressions,reach,clicks,spend&date_preset=maximum
  (spend in the account currency, a decimal string); GET /{post-id}/insights?metric=
  post_impressions,post_impressions_unique,post_clicks; GET /{ig-media-id}/insights?metric=views,reach;
- every call carries the token and `appsecret_proof` = HMAC-SHA256(app secret, token), hex;
- errors: {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}; code 190 is
  an expired or revoked token; 4, 17, 32, 613 and 80000-80014 are rate limits.

POSTs that create something are sent once (no retry: the transport retries connections
only); GETs get one more try on a connection error. No call runs inside a database
transaction (the caller recorded its intent and committed first).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.http import http_client
from apps.core.money import exponent

from .base import (
    AdAccount,
    BoostSpec,
    NetworkRejected,
    NetworkUnavailable,
    Page,
    Published,
    Results,
    SocialNetworkError,
    TokenExpired,
    UserToken,
)

TOKEN_CODES = {190, 102}
RATE_LIMIT_CODES = {4, 17, 32, 613, *range(80000, 80015)}
TRANSIENT_CODES = {1, 2}
MAX_PAGES = 5  # pages of /me/accounts followed (100 each)


class NetworkCallInTransaction(RuntimeError):
    """The network was about to be called inside a database transaction: a programming error
    (record the intent, commit, call, then apply the answer in a new transaction)."""


def _in_transaction() -> bool:
    """True inside a transaction not opened by a test case (Django's TestCase blocks are
    marked `_from_testcase`, as `atomic(durable=True)` checks)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    blocks = connection.atomic_blocks
    return not blocks or any(not getattr(block, "_from_testcase", False) for block in blocks)


def appsecret_proof(token: str, app_secret: str) -> str:
    return hmac.new(app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()


def _int(value) -> int:
    try:
        return max(0, int(Decimal(str(value))))
    except (InvalidOperation, ValueError, TypeError):
        return 0


def _minor(value, currency: str) -> int:
    """A decimal amount in major units ("1234.5") as integer minor units of `currency`."""
    try:
        amount = Decimal(str(value or "0")) * (Decimal(10) ** exponent(currency))
    except (InvalidOperation, ValueError, KeyError):
        return 0
    return max(0, int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def error_of(response: httpx.Response) -> SocialNetworkError:
    """The typed error for a Graph error answer."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code") if isinstance(error.get("code"), int) else None
    subcode = error.get("error_subcode") if isinstance(error.get("error_subcode"), int) else None
    message = str(error.get("message") or f"HTTP {response.status_code}")[:300]
    reason = (
        f"Graph {response.status_code} code={code} subcode={subcode} type={error.get('type', '')}: {message}"
    )
    kwargs = {"code": code, "subcode": subcode, "status": response.status_code}
    if code in TOKEN_CODES:
        return TokenExpired(reason, **kwargs)
    if code in RATE_LIMIT_CODES:  # refused before acting
        return NetworkUnavailable(reason, maybe_sent=False, **kwargs)
    if code in TRANSIENT_CODES or response.status_code >= 500:
        return NetworkUnavailable(reason, **kwargs)
    return NetworkRejected(reason, **kwargs)


class GraphNetwork:
    name = "graph"
    label = "Facebook / Instagram"
    sandbox = False

    def __init__(
        self,
        *,
        app_id: str,
        app_secret: str,
        graph_url: str = "https://graph.facebook.com",
        dialog_url: str = "https://www.facebook.com",
        version: str = "v21.0",
        timeout: float = 15.0,
        transport: httpx.BaseTransport | None = None,
    ):
        self.app_id = app_id
        self.app_secret = app_secret
        self.graph_url = graph_url.rstrip("/")
        self.dialog_base = dialog_url.rstrip("/")
        self.version = version.strip("/")
        self.timeout = timeout
        self.transport = transport

    @classmethod
    def from_settings(cls) -> GraphNetwork:
        return cls(
            app_id=settings.ADS_FACEBOOK_APP_ID,
            app_secret=settings.ADS_FACEBOOK_APP_SECRET,
            graph_url=settings.ADS_GRAPH_URL,
            dialog_url=settings.ADS_FACEBOOK_DIALOG_URL,
            version=settings.ADS_GRAPH_VERSION,
            timeout=settings.ADS_SOCIAL_HTTP_TIMEOUT_SECONDS,
        )

    # --- the HTTP layer ---------------------------------------------------------------------

    def _client(self) -> httpx.Client:
        extra = {"transport": self.transport} if self.transport is not None else {}
        return http_client(
            service="facebook-graph",
            base_url=f"{self.graph_url}/{self.version}",
            timeout=self.timeout,
            headers={"Accept": "application/json"},
            **extra,
        )

    def _signed(self, token: str, params: dict) -> dict:
        return {**params, "access_token": token, "appsecret_proof": appsecret_proof(token, self.app_secret)}

    def _call(self, method: str, path: str, *, params: dict | None = None, data: dict | None = None) -> dict:
        if _in_transaction():
            raise NetworkCallInTransaction(f"{method} {path}: commit before calling the network")
        tries = 2 if method == "GET" else 1
        for attempt in range(tries):
            try:
                with self._client() as http:
                    response = http.request(method, path, params=params, data=data)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                if attempt + 1 < tries:
                    continue
                raise NetworkUnavailable(f"{method} {path}: {type(exc).__name__}", maybe_sent=False) from exc
            except httpx.TransportError as exc:  # read/write timeouts, a dropped connection
                raise NetworkUnavailable(f"{method} {path}: {type(exc).__name__}") from exc
            break
        if response.status_code >= 400:
            raise error_of(response)
        try:
            body = response.json()
        except ValueError:
            raise NetworkUnavailable(f"{method} {path}: not JSON (HTTP {response.status_code})") from None
        if not isinstance(body, dict):
            raise NetworkUnavailable(f"{method} {path}: unexpected answer")
        if "error" in body:
            raise error_of(response)
        return body

    def _get(self, path: str, token: str, **params) -> dict:
        return self._call("GET", path, params=self._signed(token, params))

    def _post(self, path: str, token: str, **fields) -> dict:
        data = {k: (json.dumps(v) if isinstance(v, dict | list) else str(v)) for k, v in fields.items()}
        return self._call("POST", path, data=self._signed(token, data))

    @staticmethod
    def _id(body: dict, key: str = "id") -> str:
        value = body.get(key)
        if not value:
            raise NetworkUnavailable(f"the answer has no {key}")
        return str(value)

    # --- OAuth ------------------------------------------------------------------------------

    def dialog_url(self, *, redirect_uri: str, state: str, scopes: list[str]) -> str:
        query = urlencode(
            {
                "client_id": self.app_id,
                "redirect_uri": redirect_uri,
                "state": state,
                "scope": ",".join(scopes),
                "response_type": "code",
            }
        )
        return f"{self.dialog_base}/{self.version}/dialog/oauth?{query}"

    @staticmethod
    def _user_token(body: dict) -> UserToken:
        token = body.get("access_token")
        if not token:
            raise NetworkUnavailable("the token answer has no access_token")
        expires_in = body.get("expires_in")
        expires_at = None
        if isinstance(expires_in, int) and expires_in > 0:
            expires_at = timezone.now() + timedelta(seconds=expires_in)
        return UserToken(token=str(token), expires_at=expires_at)

    def exchange_code(self, *, code: str, redirect_uri: str) -> UserToken:
        body = self._call(
            "GET",
            "/oauth/access_token",
            params={
                "client_id": self.app_id,
                "redirect_uri": redirect_uri,
                "client_secret": self.app_secret,
                "code": code,
            },
        )
        return self._user_token(body)

    def long_lived(self, *, token: str) -> UserToken:
        body = self._call(
            "GET",
            "/oauth/access_token",
            params={
                "grant_type": "fb_exchange_token",
                "client_id": self.app_id,
                "client_secret": self.app_secret,
                "fb_exchange_token": token,
            },
        )
        return self._user_token(body)

    def pages(self, *, user_token: str) -> list[Page]:
        out: list[Page] = []
        params = {"fields": "id,name,access_token,instagram_business_account{id,username}", "limit": 100}
        for _ in range(MAX_PAGES):
            body = self._get("/me/accounts", user_token, **params)
            for row in body.get("data") or []:
                if not isinstance(row, dict) or not row.get("id") or not row.get("access_token"):
                    continue
                ig = row.get("instagram_business_account") or {}
                out.append(
                    Page(
                        id=str(row["id"]),
                        name=str(row.get("name") or "")[:200],
                        access_token=str(row["access_token"]),
                        instagram_account_id=str(ig.get("id") or ""),
                        instagram_username=str(ig.get("username") or ""),
                    )
                )
            after = ((body.get("paging") or {}).get("cursors") or {}).get("after")
            if not after or not (body.get("paging") or {}).get("next"):
                break
            params = {**params, "after": after}
        return out

    def ad_accounts(self, *, user_token: str) -> list[AdAccount]:
        body = self._get("/me/adaccounts", user_token, fields="account_id,name,currency", limit=100)
        return [
            AdAccount(
                id=str(row.get("account_id") or str(row.get("id", "")).removeprefix("act_")),
                name=str(row.get("name") or "")[:200],
                currency=str(row.get("currency") or ""),
            )
            for row in body.get("data") or []
            if isinstance(row, dict) and (row.get("account_id") or row.get("id"))
        ]

    # --- publishing -------------------------------------------------------------------------

    def publish_page_post(self, *, page_id: str, page_token: str, message: str, link: str) -> Published:
        fields = {"message": message}
        if link:
            fields["link"] = link
        return Published(id=self._id(self._post(f"/{page_id}/feed", page_token, **fields)))

    def publish_page_photo(self, *, page_id: str, page_token: str, image_url: str, caption: str) -> Published:
        body = self._post(f"/{page_id}/photos", page_token, url=image_url, caption=caption)
        return Published(id=str(body.get("post_id") or self._id(body)))

    def publish_instagram(
        self, *, ig_user_id: str, page_token: str, image_url: str, caption: str
    ) -> Published:
        container = self._id(
            self._post(f"/{ig_user_id}/media", page_token, image_url=image_url, caption=caption)
        )
        body = self._post(f"/{ig_user_id}/media_publish", page_token, creation_id=container)
        return Published(id=self._id(body))

    # --- boosting (Marketing API, on the advertiser's own ad account) -------------------------

    def create_boost_campaign(self, *, user_token: str, spec: BoostSpec) -> str:
        body = self._post(
            f"/act_{spec.ad_account_id}/campaigns",
            user_token,
            name=spec.name,
            objective="OUTCOME_TRAFFIC",
            status="ACTIVE",
            special_ad_categories=["HOUSING"],
            special_ad_category_country=list(spec.countries),
        )
        return self._id(body)

    def create_boost_adset(self, *, user_token: str, spec: BoostSpec, campaign_id: str) -> str:
        body = self._post(
            f"/act_{spec.ad_account_id}/adsets",
            user_token,
            name=spec.name,
            campaign_id=campaign_id,
            lifetime_budget=spec.budget,
            start_time=_time(spec.starts_at),
            end_time=_time(spec.ends_at),
            billing_event="IMPRESSIONS",
            optimization_goal="LINK_CLICKS",
            bid_strategy="LOWEST_COST_WITHOUT_CAP",
            targeting={"geo_locations": {"countries": list(spec.countries)}},
            status="ACTIVE",
        )
        return self._id(body)

    def create_boost_creative(self, *, user_token: str, spec: BoostSpec) -> str:
        body = self._post(
            f"/act_{spec.ad_account_id}/adcreatives",
            user_token,
            name=spec.name,
            object_story_id=spec.story_id,
        )
        return self._id(body)

    def create_boost_ad(self, *, user_token: str, spec: BoostSpec, adset_id: str, creative_id: str) -> str:
        body = self._post(
            f"/act_{spec.ad_account_id}/ads",
            user_token,
            name=spec.name,
            adset_id=adset_id,
            creative={"creative_id": creative_id},
            status="ACTIVE",
        )
        return self._id(body)

    # --- results ----------------------------------------------------------------------------

    def ad_results(self, *, user_token: str, ad_id: str, currency: str) -> Results:
        body = self._get(
            f"/{ad_id}/insights", user_token, fields="impressions,reach,clicks,spend", date_preset="maximum"
        )
        rows = [r for r in body.get("data") or [] if isinstance(r, dict)]
        return Results(
            impressions=sum(_int(r.get("impressions")) for r in rows),
            reach=max((_int(r.get("reach")) for r in rows), default=0),
            clicks=sum(_int(r.get("clicks")) for r in rows),
            spend=sum(_minor(r.get("spend"), currency) for r in rows),
        )

    @staticmethod
    def _metrics(body: dict) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in body.get("data") or []:
            if not isinstance(row, dict):
                continue
            values = row.get("values") or []
            value = (
                values[-1].get("value") if values and isinstance(values[-1], dict) else row.get("total_value")
            )
            if isinstance(value, dict):
                value = value.get("value")
            out[str(row.get("name"))] = _int(value)
        return out

    def post_results(self, *, page_token: str, post_id: str) -> Results:
        body = self._get(
            f"/{post_id}/insights",
            page_token,
            metric="post_impressions,post_impressions_unique,post_clicks",
            period="lifetime",
        )
        m = self._metrics(body)
        return Results(
            impressions=m.get("post_impressions", 0),
            reach=m.get("post_impressions_unique", 0),
            clicks=m.get("post_clicks", 0),
        )

    def instagram_results(self, *, page_token: str, media_id: str) -> Results:
        body = self._get(f"/{media_id}/insights", page_token, metric="views,reach")
        m = self._metrics(body)
        return Results(impressions=m.get("views", 0), reach=m.get("reach", 0))
