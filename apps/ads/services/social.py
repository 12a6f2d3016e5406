"""Social-media advertising (docs/ads.md, "Social"): an advertiser connects its Facebook page
(and the page's Instagram account) by OAuth, publishes its own published listings there,
boosts a page post with an ad on its own Meta ad account, and the results come back every
few hours.

Tokens: the page token and the long-lived user token are sealed together
(apps.core.crypto, associated data b"ads.social|" + the connection's public id bytes); they
are never logged and never returned by any API. Between the OAuth callback and the page the
manager picks, they wait sealed in the cache for a few minutes, under a one-use key.

Network calls never run inside a transaction: the post is recorded PENDING and committed,
one worker takes the call (`attempt_started_at`, a conditional UPDATE: a retry or a
concurrent call finds it taken), then the answer is applied in a new transaction. A POST
that may have reached the network is never sent again by itself: the post is marked failed
and the manager is told to check the page (a boost: Ads Manager) first.

Hokwe charges nothing for publishing or boosting: a boost's budget is spent by Meta on the
advertiser's own ad account.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import crypto
from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.market import api as market

from ..errors import (
    InvalidSocialPost,
    SocialConnectionNotFound,
    SocialNetworkUnavailable,
    SocialPostNotFound,
    SocialPostState,
    SocialStateInvalid,
    SocialTokenExpired,
)
from ..models import Advertiser, SocialConnection, SocialPost
from ..providers import social_enabled, social_network
from ..providers.base import (
    BoostSpec,
    NetworkRejected,
    NetworkUnavailable,
    SocialNetworkError,
    TokenExpired,
)
from ..selectors import advertiser_get, advertisers_visible_to

log = logging.getLogger(__name__)

STATE_SALT = "ads.social.state"
STATE_KEY = "ads.social.state:{nonce}"
PENDING_KEY = "ads.social.pending:{key}"
MAX_MESSAGE = 2000
MIN_BOOST_HOURS = 24
MAX_BOOST_DAYS = 90
BOOST_STEPS = ("campaign", "adset", "creative", "ad")
UUID_IN_TEXT = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


# --- reads, scoped to the actor ----------------------------------------------------------------


def connections_visible_to(actor, *, manage: bool = False, advertiser: Advertiser | None = None):
    qs = SocialConnection.objects.filter(advertiser__in=advertisers_visible_to(actor, manage=manage))
    if advertiser is not None:
        qs = qs.filter(advertiser=advertiser)
    return qs.select_related("advertiser").order_by("-created_at", "-id")


def connection_get(actor, public_id, *, manage: bool = False) -> SocialConnection:
    row = None
    if public_id:
        try:
            row = connections_visible_to(actor, manage=manage).filter(public_id=public_id).first()
        except (ValueError, TypeError, DomainError):
            row = None
    if row is None:
        raise SocialConnectionNotFound()
    return row


def posts_visible_to(actor, *, manage: bool = False, advertiser: Advertiser | None = None):
    qs = SocialPost.objects.filter(advertiser__in=advertisers_visible_to(actor, manage=manage))
    if advertiser is not None:
        qs = qs.filter(advertiser=advertiser)
    return qs.select_related("connection", "advertiser").order_by("-created_at", "-id")


def post_get(actor, public_id, *, manage: bool = False) -> SocialPost:
    row = None
    if public_id:
        try:
            row = posts_visible_to(actor, manage=manage).filter(public_id=public_id).first()
        except (ValueError, TypeError, DomainError):
            row = None
    if row is None:
        raise SocialPostNotFound()
    return row


def advertiser_for(actor, public_id=None, *, manage: bool = False) -> Advertiser:
    """The advertiser named, else the actor's only one (AdvertiserNotFound when none)."""
    if public_id:
        return advertiser_get(actor, public_id, manage=manage)
    rows = list(advertisers_visible_to(actor, manage=manage).order_by("id")[:2])
    if len(rows) == 1:
        return rows[0]
    own = next((r for r in rows if r.organization_id is None), None)
    return own or advertiser_get(actor, None, manage=manage)


def require_enabled() -> None:
    """Social advertising switched off (ADS_SOCIAL_NETWORK=none): refused, said plainly."""
    if not social_enabled():
        raise SocialNetworkUnavailable(_("Publishing on Facebook and Instagram is not set up on this Hokwe."))


# --- sealed tokens ----------------------------------------------------------------------------


def _aad(connection: SocialConnection) -> bytes:
    return b"ads.social|" + connection.public_id.bytes


def _seal_into(connection: SocialConnection, tokens: dict) -> None:
    blob, wrapped = crypto.encrypt(json.dumps(tokens).encode(), aad=_aad(connection))
    connection.token_sealed = blob
    connection.token_key_id = wrapped.key_id
    connection.token_wrapped = wrapped.wrapped


def _tokens(connection: SocialConnection) -> dict:
    if not connection.token_sealed:
        return {}
    wrapped = crypto.WrappedKey(connection.token_key_id, bytes(connection.token_wrapped))
    return json.loads(crypto.decrypt(bytes(connection.token_sealed), wrapped, aad=_aad(connection)))


# --- connecting a page ------------------------------------------------------------------------


@dataclass(frozen=True)
class PageChoice:
    id: str
    name: str
    instagram_account_id: str
    instagram_username: str


@dataclass(frozen=True)
class AdAccountChoice:
    id: str
    name: str
    currency: str


@dataclass(frozen=True)
class PendingConnection:
    """What the OAuth callback found, waiting for the manager's choice (no token in it)."""

    key: str
    advertiser: Advertiser
    pages: list[PageChoice]
    ad_accounts: list[AdAccountChoice]
    sandbox: bool


def connect_start(*, actor, advertiser: Advertiser, redirect_uri: str) -> str:
    """The network's dialog URL for `advertiser` (its manager asks). The `state` is signed,
    bound to the actor, the advertiser and the redirect URI, valid once for a few minutes."""
    advertiser = advertiser_get(actor, advertiser.public_id, manage=True)
    require_enabled()
    nonce = secrets.token_urlsafe(16)
    cache.set(STATE_KEY.format(nonce=nonce), actor.pk, timeout=settings.ADS_SOCIAL_STATE_TTL_SECONDS)
    state = signing.dumps(
        {"u": actor.pk, "a": str(advertiser.public_id), "n": nonce, "r": redirect_uri},
        salt=STATE_SALT,
        compress=True,
    )
    return social_network().dialog_url(
        redirect_uri=redirect_uri, state=state, scopes=list(settings.ADS_SOCIAL_SCOPES)
    )


def _state(actor, state: str) -> dict:
    try:
        data = signing.loads(state or "", salt=STATE_SALT, max_age=settings.ADS_SOCIAL_STATE_TTL_SECONDS)
    except signing.BadSignature:  # SignatureExpired is one
        raise SocialStateInvalid(field="state") from None
    if not isinstance(data, dict) or data.get("u") != getattr(actor, "pk", None):
        raise SocialStateInvalid(field="state")
    return data


def _pending_store(key: str, payload: dict) -> None:
    blob, wrapped = crypto.encrypt(json.dumps(payload).encode(), aad=b"ads.social.pending|" + key.encode())
    value = {
        "b": base64.b64encode(blob).decode(),
        "k": wrapped.key_id,
        "w": base64.b64encode(wrapped.wrapped).decode(),
    }
    cache.set(PENDING_KEY.format(key=key), value, timeout=settings.ADS_SOCIAL_STATE_TTL_SECONDS)


def _pending_load(actor, key: str) -> dict:
    value = cache.get(PENDING_KEY.format(key=key)) if key and len(key) < 100 else None
    if not isinstance(value, dict):
        raise SocialStateInvalid(field="pending")
    try:
        payload = json.loads(
            crypto.decrypt(
                base64.b64decode(value["b"]),
                crypto.WrappedKey(value["k"], base64.b64decode(value["w"])),
                aad=b"ads.social.pending|" + key.encode(),
            )
        )
    except (KeyError, ValueError, crypto.DecryptionFailed, crypto.StorageKeyUnavailable):
        raise SocialStateInvalid(field="pending") from None
    if payload.get("u") != getattr(actor, "pk", None):
        raise SocialStateInvalid(field="pending")
    return payload


def _pending_view(actor, key: str, payload: dict) -> PendingConnection:
    return PendingConnection(
        key=key,
        advertiser=advertiser_get(actor, payload["a"], manage=True),
        pages=[
            PageChoice(p["id"], p["name"], p.get("ig", ""), p.get("ig_username", ""))
            for p in payload["pages"]
        ],
        ad_accounts=[AdAccountChoice(a["id"], a["name"], a["currency"]) for a in payload["ad_accounts"]],
        sandbox=bool(payload.get("sandbox")),
    )


def connect_callback(*, actor, state: str, code: str) -> PendingConnection:
    """The dialog came back: check the state (signed, this actor's, not used before), then
    exchange the code for a long-lived user token and list the pages and ad accounts. The
    tokens wait sealed in the cache for the manager's choice (connect_choose)."""
    data = _state(actor, state)
    advertiser = advertiser_get(actor, data.get("a"), manage=True)
    require_enabled()
    if not code or len(code) > 2000:
        raise SocialStateInvalid(field="code")
    if not cache.delete(STATE_KEY.format(nonce=data.get("n", ""))):  # a replayed or expired state
        raise SocialStateInvalid(field="state")
    network = social_network()
    try:
        short = network.exchange_code(code=code, redirect_uri=data.get("r", ""))
        user = network.long_lived(token=short.token)
        pages = network.pages(user_token=user.token)
        try:
            accounts = network.ad_accounts(user_token=user.token)
        except NetworkRejected:  # ads_management not granted: publishing still works
            accounts = []
    except TokenExpired:
        raise SocialStateInvalid(_("Facebook refused the connection: start again."), field="code") from None
    except NetworkRejected as exc:
        log.warning("ads.social connect refused: %s", exc.reason)
        raise SocialStateInvalid(_("Facebook refused the connection: start again."), field="code") from None
    except NetworkUnavailable:
        raise SocialNetworkUnavailable() from None
    key = secrets.token_urlsafe(24)
    _pending_store(
        key,
        {
            "u": actor.pk,
            "a": str(advertiser.public_id),
            "user_token": user.token,
            "expires_at": user.expires_at.isoformat() if user.expires_at else "",
            "scopes": list(settings.ADS_SOCIAL_SCOPES),
            "sandbox": network.sandbox,
            "pages": [
                {
                    "id": p.id,
                    "name": p.name,
                    "token": p.access_token,
                    "ig": p.instagram_account_id,
                    "ig_username": p.instagram_username,
                }
                for p in pages
            ],
            "ad_accounts": [{"id": a.id, "name": a.name, "currency": a.currency} for a in accounts],
        },
    )
    return PendingConnection(
        key=key,
        advertiser=advertiser,
        pages=[PageChoice(p.id, p.name, p.instagram_account_id, p.instagram_username) for p in pages],
        ad_accounts=[AdAccountChoice(a.id, a.name, a.currency) for a in accounts],
        sandbox=network.sandbox,
    )


def pending_get(*, actor, key: str) -> PendingConnection:
    """The callback's findings again (to show the choice), without using them up."""
    return _pending_view(actor, key, _pending_load(actor, key))


def connect_choose(*, actor, key: str, page_id: str, ad_account_id: str = "") -> SocialConnection:
    """The manager picked a page (and an ad account for boosts): the connection, its tokens
    sealed. Connecting the same page again renews it."""
    payload = _pending_load(actor, key)
    advertiser = advertiser_get(actor, payload["a"], manage=True)
    page = next((p for p in payload["pages"] if p["id"] == str(page_id)), None)
    if page is None:
        raise SocialStateInvalid(_("Choose one of your pages."), field="page_id")
    account = next((a for a in payload["ad_accounts"] if a["id"] == str(ad_account_id)), None)
    if ad_account_id and account is None:
        raise SocialStateInvalid(_("Choose one of your ad accounts."), field="ad_account_id")
    expires = datetime.fromisoformat(payload["expires_at"]) if payload.get("expires_at") else None
    with transaction.atomic():
        row = (
            SocialConnection.objects.select_for_update()
            .filter(advertiser=advertiser, page_id=page["id"])
            .first()
        )
        row = row or SocialConnection(advertiser=advertiser, page_id=page["id"])
        row.page_name = page["name"][:200]
        row.instagram_account_id = page.get("ig", "")[:64]
        row.ad_account_id = (account or {}).get("id", "")[:64]
        row.token_expires_at = expires
        row.scopes = payload.get("scopes", [])
        row.status = SocialConnection.Status.ACTIVE
        row.connected_by = actor
        _seal_into(
            row,
            {
                "page": page["token"],
                "user": payload["user_token"],
                "ad_currency": (account or {}).get("currency", ""),
                "ig_username": page.get("ig_username", ""),
                "sandbox": bool(payload.get("sandbox")),
            },
        )
        row.save()
    cache.delete(PENDING_KEY.format(key=key))
    return row


def connection_disconnect(*, actor, connection: SocialConnection) -> SocialConnection:
    """Hokwe forgets the page's tokens (the posts and their results stay)."""
    with transaction.atomic():
        row = SocialConnection.objects.select_for_update().get(
            pk=connection_get(actor, connection.public_id, manage=True).pk
        )
        row.status = SocialConnection.Status.REVOKED
        row.token_sealed = b""
        row.token_wrapped = b""
        row.token_key_id = ""
        row.save(update_fields=["status", "token_sealed", "token_wrapped", "token_key_id", "updated_at"])
    return row


def connection_view(connection: SocialConnection) -> dict:
    """What may be shown of a connection (never a token)."""
    return {
        "instagram_username": _safe_tokens(connection).get("ig_username", ""),
        "sandbox": bool(_safe_tokens(connection).get("sandbox")),
        "can_boost": bool(connection.ad_account_id) and connection.status == SocialConnection.Status.ACTIVE,
    }


def _safe_tokens(connection) -> dict:
    cached = getattr(connection, "_tokens_cache", None)
    if cached is None:
        try:
            cached = _tokens(connection)
        except (crypto.DecryptionFailed, crypto.StorageKeyUnavailable, ValueError):
            cached = {}
        connection._tokens_cache = cached
    return cached


# --- the listing -----------------------------------------------------------------------------


def listing_id_of(text) -> str:
    """A listing's id from an id or a pasted link of its page."""
    match = UUID_IN_TEXT.search(str(text or ""))
    return match.group(0).lower() if match else ""


def listings_to_publish(advertiser: Advertiser) -> list:
    """The advertiser's own listings online (published), newest first (ListingOfferer)."""
    if advertiser.organization_id is not None:
        rows = market.listings_offered_by(organization_id=advertiser.organization_id)
    else:
        rows = market.listings_offered_by(owner_id=advertiser.owner_id)
    return [row for row in rows if row.status == "published"]


def listing_link(public_id) -> str:
    base = str(getattr(settings, "MARKET_PUBLIC_BASE_URL", "")).rstrip("/")
    try:
        path = reverse("market:listing-short", args=[public_id])
    except NoReverseMatch:
        path = f"/market/l/{public_id}"
    return f"{base}{path}"


def _absolute(url: str) -> str:
    if url.startswith("/"):
        return str(getattr(settings, "MARKET_PUBLIC_BASE_URL", "")).rstrip("/") + url
    return url


def own_listing(advertiser: Advertiser, listing_id):
    """The advertiser's own published listing (its facts), else InvalidSocialPost."""
    listing_id = listing_id_of(listing_id)
    try:
        offerer = market.listing_offerer(listing_id) if listing_id else None
    except DomainError:
        offerer = None
    if offerer is None:
        raise InvalidSocialPost(_("Unknown listing."), field="listing")
    if advertiser.organization_id is not None:
        mine = offerer.organization_id == advertiser.organization_id
    else:
        mine = offerer.organization_id is None and offerer.owner_id == advertiser.owner_id
    if not mine:
        raise InvalidSocialPost(_("Unknown listing."), field="listing")
    if offerer.status != "published":
        raise InvalidSocialPost(_("Only a listing online on Hokwe can be published."), field="listing")
    return market.listing_facts(listing_id)


def default_message(facts) -> str:
    place = ", ".join(p for p in (facts.neighbourhood, facts.city) if p)
    price = format_amount(facts.price, facts.currency)
    if facts.purpose == "rent":
        price = _("%(price)s a month") % {"price": price}
    lines = [facts.title, " · ".join(p for p in (price, place) if p)]
    if facts.verified:
        lines.append(_("Verified by Hokwe"))
    return "\n".join(lines)


# --- publishing --------------------------------------------------------------------------------


def _active(connection: SocialConnection) -> None:
    if connection.status == SocialConnection.Status.EXPIRED:
        raise SocialTokenExpired(field="connection")
    if connection.status != SocialConnection.Status.ACTIVE:
        raise InvalidSocialPost(_("This page is disconnected: connect it again."), field="connection")


def _by_key(advertiser: Advertiser, kind: str, idempotency_key: str | None):
    if not idempotency_key:
        return None
    return SocialPost.objects.filter(
        advertiser=advertiser, kind=kind, external_refs__idempotency_key=str(idempotency_key)[:200]
    ).first()


def post_publish(
    *,
    actor,
    connection: SocialConnection,
    listing,
    network: str = SocialPost.Network.FACEBOOK,
    message: str = "",
    idempotency_key: str | None = None,
) -> SocialPost:
    """Publish the advertiser's own published listing on its page (Facebook: the message and
    the listing's link) or on the page's Instagram account (the cover photo and the message).
    The post is recorded, committed, then sent; the same idempotency key again returns the
    same post (sent once)."""
    connection = connection_get(actor, connection.public_id, manage=True)
    advertiser = connection.advertiser
    existing = _by_key(advertiser, SocialPost.Kind.POST, idempotency_key)
    if existing is not None:
        return post_send(post=existing)
    require_enabled()
    _active(connection)
    if network not in SocialPost.Network.values:
        raise InvalidSocialPost(_("Unknown network."), field="network")
    facts = own_listing(advertiser, listing)
    link = listing_link(facts.public_id)
    image = _absolute(default_storage.url(facts.cover)) if facts.cover else ""
    if network == SocialPost.Network.INSTAGRAM:
        if not connection.instagram_account_id:
            raise InvalidSocialPost(_("This page has no Instagram professional account."), field="network")
        if not image:
            raise InvalidSocialPost(
                _("Instagram needs a photo: add one to the listing first."), field="listing"
            )
    text = (message or "").strip() or default_message(facts)
    if len(text) > MAX_MESSAGE:
        raise InvalidSocialPost(_("The message is too long (2,000 characters at most)."), field="message")
    refs = {"link": link, "image_url": image}
    if idempotency_key:
        refs["idempotency_key"] = str(idempotency_key)[:200]
    with transaction.atomic():
        post = SocialPost.objects.create(
            advertiser=advertiser,
            connection=connection,
            network=network,
            kind=SocialPost.Kind.POST,
            listing=uuid.UUID(facts.public_id),
            message=text,
            currency=advertiser.currency,
            external_refs=refs,
            created_by=actor,
        )
    return post_send(post=post)


def post_boost(
    *,
    actor,
    post: SocialPost,
    budget: int,
    starts_at: datetime,
    ends_at: datetime,
    idempotency_key: str | None = None,
) -> SocialPost:
    """Boost a published Facebook page post: a housing ad (Meta's special ad category) on the
    advertiser's own ad account, `budget` (minor units) spent by Meta between the dates.
    Hokwe charges nothing. The boost is a post row of its own (kind boost)."""
    post = post_get(actor, post.public_id, manage=True)
    existing = _by_key(post.advertiser, SocialPost.Kind.BOOST, idempotency_key)
    if existing is not None:
        return post_send(post=existing)
    connection = post.connection
    require_enabled()
    _active(connection)
    if post.kind != SocialPost.Kind.POST or post.network != SocialPost.Network.FACEBOOK:
        raise InvalidSocialPost(_("Only a Facebook page post can be boosted."), field="post")
    if post.status != SocialPost.Status.PUBLISHED or not post.external_id:
        raise SocialPostState(_("Only a published post can be boosted."))
    if not connection.ad_account_id:
        raise InvalidSocialPost(_("Connect the page again and choose an ad account to boost."), field="post")
    currency = _safe_tokens(connection).get("ad_currency") or post.advertiser.currency
    if currency != post.advertiser.currency:
        raise InvalidSocialPost(
            _("Your ad account pays in %(currency)s: boosts from Hokwe are in %(ours)s.")
            % {"currency": currency, "ours": post.advertiser.currency},
            field="budget",
        )
    if isinstance(budget, bool) or not isinstance(budget, int) or budget <= 0:
        raise InvalidSocialPost(_("The budget must be a positive amount."), field="budget")
    now = timezone.now()
    if starts_at < now - timedelta(minutes=5):
        raise InvalidSocialPost(_("The boost cannot start in the past."), field="starts_at")
    if ends_at - starts_at < timedelta(hours=MIN_BOOST_HOURS):
        raise InvalidSocialPost(_("A boost lasts one day at least."), field="ends_at")
    if ends_at - starts_at > timedelta(days=MAX_BOOST_DAYS):
        raise InvalidSocialPost(_("A boost lasts 90 days at most."), field="ends_at")
    refs = {"boosted_post": str(post.public_id)}
    if idempotency_key:
        refs["idempotency_key"] = str(idempotency_key)[:200]
    with transaction.atomic():
        boost = SocialPost.objects.create(
            advertiser=post.advertiser,
            connection=connection,
            network=SocialPost.Network.FACEBOOK,
            kind=SocialPost.Kind.BOOST,
            listing=post.listing,
            message=post.message,
            external_id=post.external_id,
            budget=budget,
            currency=currency,
            starts_at=max(starts_at, now),
            ends_at=ends_at,
            external_refs=refs,
            created_by=actor,
        )
    return post_send(post=boost)


def post_retry(*, actor, post: SocialPost) -> SocialPost:
    """Send again a post the network did not receive (it stayed pending)."""
    post = post_get(actor, post.public_id, manage=True)
    if post.status != SocialPost.Status.PENDING:
        raise SocialPostState()
    _active(post.connection)
    return post_send(post=post)


def _claim(post: SocialPost) -> bool:
    return bool(
        SocialPost.objects.filter(
            pk=post.pk, status=SocialPost.Status.PENDING, attempt_started_at__isnull=True
        ).update(attempt_started_at=timezone.now(), updated_at=timezone.now())
    )


def _apply(post: SocialPost, **changes) -> SocialPost:
    with transaction.atomic():
        row = SocialPost.objects.select_for_update().get(pk=post.pk)
        for name, value in changes.items():
            setattr(row, name, value)
        row.save()
    return SocialPost.objects.select_related("connection", "advertiser").get(pk=post.pk)


def _expire(connection: SocialConnection) -> None:
    SocialConnection.objects.filter(pk=connection.pk, status=SocialConnection.Status.ACTIVE).update(
        status=SocialConnection.Status.EXPIRED, updated_at=timezone.now()
    )


def _failure(post: SocialPost, exc: SocialNetworkError) -> SocialPost:
    """Apply a network error: not sent -> pending again (the manager may retry); refused or
    perhaps sent -> failed, with what to check."""
    log.warning("ads.social %s %s failed: %s", post.kind, post.public_id, exc.reason)
    if isinstance(exc, TokenExpired):
        _expire(post.connection)
        return _apply(
            post,
            status=SocialPost.Status.FAILED,
            attempt_started_at=None,
            error=str(SocialTokenExpired.default_message)[:500],
        )
    if isinstance(exc, NetworkUnavailable) and not getattr(exc, "maybe_sent", True):
        return _apply(
            post,
            attempt_started_at=None,
            error=_("Facebook did not answer and nothing was sent: try again in a few minutes.")[:500],
        )
    if isinstance(exc, NetworkUnavailable):
        where = _("Ads Manager") if post.kind == SocialPost.Kind.BOOST else _("your page")
        message = _("Facebook did not answer in time: check %(where)s before trying again.") % {
            "where": where
        }
    else:
        message = _("Facebook refused: %(reason)s") % {"reason": _network_message(exc)}
    return _apply(post, status=SocialPost.Status.FAILED, error=message[:500])


def _network_message(exc: SocialNetworkError) -> str:
    reason = exc.reason
    return reason.split(": ", 1)[1] if ": " in reason else reason


def post_send(*, post: SocialPost) -> SocialPost:
    """Send a pending post to the network once (idempotent: a post already sent, failed or
    being sent by another worker is returned as it is). No transaction may be open."""
    post = SocialPost.objects.select_related("connection", "advertiser").get(pk=post.pk)
    if post.status != SocialPost.Status.PENDING or not social_enabled() or not _claim(post):
        return post
    network = social_network()
    tokens = _safe_tokens(post.connection)
    if not tokens or post.connection.status != SocialConnection.Status.ACTIVE:
        return _apply(
            post, status=SocialPost.Status.FAILED, error=_("This page is disconnected: connect it again.")
        )
    try:
        if post.kind == SocialPost.Kind.BOOST:
            return _send_boost(network, post, tokens)
        return _send_post(network, post, tokens)
    except SocialNetworkError as exc:
        return _failure(post, exc)


def _send_post(network, post: SocialPost, tokens: dict) -> SocialPost:
    refs = post.external_refs or {}
    if post.network == SocialPost.Network.INSTAGRAM:
        published = network.publish_instagram(
            ig_user_id=post.connection.instagram_account_id,
            page_token=tokens["page"],
            image_url=refs.get("image_url", ""),
            caption=f"{post.message}\n{refs.get('link', '')}".strip(),
        )
    else:
        published = network.publish_page_post(
            page_id=post.connection.page_id,
            page_token=tokens["page"],
            message=post.message,
            link=refs.get("link", ""),
        )
    return _apply(post, status=SocialPost.Status.PUBLISHED, external_id=published.id[:100], error="")


def _send_boost(network, post: SocialPost, tokens: dict) -> SocialPost:
    spec = BoostSpec(
        ad_account_id=post.connection.ad_account_id,
        page_id=post.connection.page_id,
        story_id=post.external_id,
        name=f"Hokwe {post.public_id}",
        budget=int(post.budget or 0),
        currency=post.currency,
        starts_at=post.starts_at,
        ends_at=post.ends_at,
        countries=tuple(settings.ADS_SOCIAL_BOOST_COUNTRIES),
    )
    refs = dict(post.external_refs or {})
    user = tokens.get("user", "")
    for step in BOOST_STEPS:
        if refs.get(step):
            continue
        if step == "campaign":
            refs[step] = network.create_boost_campaign(user_token=user, spec=spec)
        elif step == "adset":
            refs[step] = network.create_boost_adset(user_token=user, spec=spec, campaign_id=refs["campaign"])
        elif step == "creative":
            refs[step] = network.create_boost_creative(user_token=user, spec=spec)
        else:
            refs[step] = network.create_boost_ad(
                user_token=user, spec=spec, adset_id=refs["adset"], creative_id=refs["creative"]
            )
        # each object the network created is recorded at once (a failure later keeps them)
        post = _apply(post, external_refs=dict(refs))
    return _apply(post, status=SocialPost.Status.BOOSTING, external_ad_id=refs["ad"][:100], error="")


# --- importing the results -------------------------------------------------------------------


def results_import(*, now: datetime | None = None) -> dict:
    """Read the results of recent posts and running boosts back from the network (the beat
    task, every 3 hours). Idempotent: the counts are the network's lifetime totals, set (not
    added). A boost past its end becomes completed; an expired token marks the connection
    expired (the page shows « reconnect »); a call taken long ago without an answer is given up."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=settings.ADS_SOCIAL_STALE_MINUTES)
    given_up = 0
    for post in SocialPost.objects.filter(
        status=SocialPost.Status.PENDING, attempt_started_at__lt=stale
    ).select_related("connection"):
        where = _("Ads Manager") if post.kind == SocialPost.Kind.BOOST else _("your page")
        with transaction.atomic():
            given_up += SocialPost.objects.filter(pk=post.pk, status=SocialPost.Status.PENDING).update(
                status=SocialPost.Status.FAILED,
                error=(
                    _("Facebook did not answer in time: check %(where)s before trying again.")
                    % {"where": where}
                )[:500],
                updated_at=now,
            )
    if not social_enabled():
        return {"imported": 0, "failed": 0, "expired": 0, "given_up": given_up}
    since = now - timedelta(days=settings.ADS_SOCIAL_IMPORT_DAYS)
    rows = (
        SocialPost.objects.filter(
            Q(status=SocialPost.Status.BOOSTING)
            | Q(status=SocialPost.Status.PUBLISHED, created_at__gte=since),
            connection__status=SocialConnection.Status.ACTIVE,
        )
        .exclude(external_id="")
        .select_related("connection")
        .order_by("connection_id", "id")
    )
    network = social_network()
    imported = failed = 0
    expired: set[int] = set()
    for post in rows:
        if post.connection_id in expired:
            continue
        tokens = _safe_tokens(post.connection)
        if not tokens:
            continue
        try:
            if post.kind == SocialPost.Kind.BOOST:
                results = network.ad_results(
                    user_token=tokens.get("user", ""), ad_id=post.external_ad_id, currency=post.currency
                )
            elif post.network == SocialPost.Network.INSTAGRAM:
                results = network.instagram_results(page_token=tokens["page"], media_id=post.external_id)
            else:
                results = network.post_results(page_token=tokens["page"], post_id=post.external_id)
        except TokenExpired:
            _expire(post.connection)
            expired.add(post.connection_id)
            continue
        except SocialNetworkError as exc:
            log.warning("ads.social import of %s failed: %s", post.public_id, exc.reason)
            failed += 1
            continue
        changes = {
            "impressions": results.impressions,
            "reach": results.reach,
            "clicks": results.clicks,
            "spend": min(results.spend, post.budget) if post.budget else results.spend,
            "results_imported_at": now,
        }
        if post.kind == SocialPost.Kind.BOOST and post.ends_at and post.ends_at <= now:
            changes["status"] = SocialPost.Status.COMPLETED
        with transaction.atomic():
            SocialPost.objects.filter(pk=post.pk, status=post.status).update(**changes, updated_at=now)
        imported += 1
    return {"imported": imported, "failed": failed, "expired": len(expired), "given_up": given_up}
