"""A seeker's saved searches and their daily alerts, favourites and recently viewed listings
(docs/market.md, "Search: saved searches and alerts").

The alert run (`alerts_run`, beat at 07:00) is batched: one GROUP BY gives the distinct
criteria of the active saved searches and their widest window; each is searched once (the
backend's `new_matches`: listings that became visible in the window, on the partial
indexes); then the saved searches are read in chunks of whole users; each saved search keeps
the matches published after its own `alerted_up_to`; each user gets ONE message per channel
listing up to MARKET_ALERT_MAX_LISTINGS of them with their links, through
notifications.send_many; then every searched row's `alerted_up_to` moves to the run's moment
in one UPDATE. A re-run finds nothing new; a run interrupted after its sends and before its
UPDATE sends nothing twice (the idempotency key names the user and the listings)."""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..contracts import VISIBLE_STATUSES, ListingHit, SearchQuery, SearchSort
from ..errors import InvalidSearch, ListingNotFound, SavedSearchNotFound
from ..models import Favourite, Listing, RecentView, SavedSearch
from . import search as search_service

__all__ = [
    "alerts_run",
    "delete_saved",
    "favourite_add",
    "favourite_remove",
    "favourites",
    "listing_hit",
    "listing_link",
    "query_of",
    "recent_views",
    "record_view",
    "save_search",
    "saved_searches",
    "set_alerts",
    "visible_listing",
]

CHUNK = 5_000
SEND_CHUNK = 2_000
ALERT_TEMPLATE = "market.search_alert"


# --- saved searches --------------------------------------------------------------------------


def _uuid(value) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        return None


def save_search(
    *, user, name: str, query: SearchQuery, channel: str = SavedSearch.Channel.SMS
) -> SavedSearch:
    """Keep a cleaned query under a name; alerts start with the listings published from now."""
    name = " ".join(str(name or "").split())[:120]
    if not name:
        raise InvalidSearch(_("Give this search a name."), field="name")
    if channel not in SavedSearch.Channel.values:
        raise InvalidSearch(_("Choose how to be alerted."), field="channel")
    limit = int(getattr(settings, "MARKET_SAVED_SEARCHES_PER_USER", 20))
    if SavedSearch.objects.filter(user=user).count() >= limit:
        raise InvalidSearch(_("You already have %(n)s saved searches: delete one first.") % {"n": limit})
    return SavedSearch.objects.create(
        user=user,
        name=name,
        query=search_service.query_to_json(query),
        channel=channel,
        active=channel != SavedSearch.Channel.NONE,
        alerted_up_to=timezone.now(),
    )


def saved_searches(user):
    return SavedSearch.objects.filter(user=user).order_by("-created_at", "-id")


def _saved_of(user, saved_id) -> SavedSearch:
    key = _uuid(saved_id)
    saved = SavedSearch.objects.filter(user=user, public_id=key).first() if key else None
    if saved is None:
        raise SavedSearchNotFound()
    return saved


def delete_saved(*, user, saved_id) -> None:
    _saved_of(user, saved_id).delete()


def set_alerts(*, user, saved_id, active: bool, channel: str | None = None) -> SavedSearch:
    saved = _saved_of(user, saved_id)
    if channel is not None:
        if channel not in SavedSearch.Channel.values:
            raise InvalidSearch(_("Choose how to be alerted."), field="channel")
        saved.channel = channel
    saved.active = bool(active) and saved.channel != SavedSearch.Channel.NONE
    if saved.active:
        saved.alerted_up_to = max(saved.alerted_up_to, timezone.now() - timedelta(days=1))
    saved.save(update_fields=["channel", "active", "alerted_up_to", "updated_at"])
    return saved


def query_of(saved: SavedSearch) -> SearchQuery:
    """A saved search's SearchQuery again (through the cleaner)."""
    return search_service.query_from_json(saved.query)


# --- favourites and recently viewed ----------------------------------------------------------


def _visible(listing) -> Listing:
    if isinstance(listing, Listing):
        if listing.status not in VISIBLE_STATUSES:
            raise ListingNotFound()
        return listing
    key = _uuid(listing)
    found = Listing.objects.filter(public_id=key, status__in=list(VISIBLE_STATUSES)).first() if key else None
    if found is None:
        raise ListingNotFound()
    return found


visible_listing = _visible


def listing_hit(listing: Listing) -> ListingHit:
    """A listing as the search's hits read (favourites, recently viewed)."""
    return ListingHit(
        public_id=str(listing.public_id),
        title=listing.title,
        purpose=listing.purpose,
        kind=listing.kind,
        price=int(listing.price),
        charges=int(listing.charges),
        currency=listing.currency,
        rooms=int(listing.rooms),
        furnished=bool(listing.furnished),
        city=listing.city,
        neighbourhood=listing.neighbourhood,
        latitude=listing.latitude,
        longitude=listing.longitude,
        verified=bool(listing.verified),
        status=listing.status,
        cover=listing.cover,
        published_at=(listing.published_at or listing.created_at).isoformat(),
    )


def favourite_add(*, user, listing) -> Favourite:
    """Idempotent: a listing already in the favourites stays once."""
    listing = _visible(listing)
    favourite, _created = Favourite.objects.get_or_create(user=user, listing=listing)
    return favourite


def favourite_remove(*, user, listing, missing_ok: bool = True) -> bool:
    key = listing.pk if isinstance(listing, Listing) else None
    if key is None:
        uid = _uuid(listing)
        if uid is None:
            if not missing_ok:
                raise ListingNotFound()
            return False
        deleted, _rows = Favourite.objects.filter(user=user, listing__public_id=uid).delete()
    else:
        deleted, _rows = Favourite.objects.filter(user=user, listing_id=key).delete()
    if not deleted and not missing_ok:
        raise ListingNotFound()
    return bool(deleted)


def favourites(user) -> list[Listing]:
    """The user's favourite listings, last added first (closed ones too: their status says so)."""
    rows = Favourite.objects.filter(user=user).select_related("listing").order_by("-created_at", "-id")
    return [row.listing for row in rows[:200]]


def record_view(*, user, listing) -> None:
    """One row per (user, listing), its moment moved (an upsert); only the last
    MARKET_RECENT_VIEWS_KEPT are kept."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    now = timezone.now()
    RecentView.objects.bulk_create(
        [RecentView(user=user, listing=listing, viewed_at=now)],
        update_conflicts=True,
        unique_fields=["user", "listing"],
        update_fields=["viewed_at", "updated_at"],
    )
    kept = int(getattr(settings, "MARKET_RECENT_VIEWS_KEPT", 50))
    old = list(
        RecentView.objects.filter(user=user).order_by("-viewed_at", "-id").values_list("id", flat=True)[kept:]
    )
    if old:
        RecentView.objects.filter(id__in=old).delete()


def recent_views(user, limit: int = 20) -> list[Listing]:
    rows = RecentView.objects.filter(user=user).select_related("listing").order_by("-viewed_at", "-id")
    return [row.listing for row in rows[: max(1, min(int(limit), 50))]]


# --- the daily alert run ---------------------------------------------------------------------


def listing_link(public_id) -> str:
    base = str(getattr(settings, "MARKET_PUBLIC_BASE_URL", "")).rstrip("/")
    try:
        path = reverse("market:listing-short", args=[public_id])
    except NoReverseMatch:
        path = f"/market/l/{public_id}"
    return f"{base}{path}"


def _new_matches(q: SearchQuery, since: datetime, until: datetime, limit: int) -> list[ListingHit]:
    engine = search_service.backend()
    finder = getattr(engine, "new_matches", None)
    if finder is not None:
        return finder(q, since=since, until=until, limit=limit)
    # a backend without it: the newest pages, until older than the window
    q = SearchQuery(**{**q.__dict__, "sort": SearchSort.NEWEST, "after": "", "limit": 50})
    out: list[ListingHit] = []
    while True:
        page = engine.search(q)
        for hit in page.hits:
            published = datetime.fromisoformat(hit.published_at)
            if published <= since:
                return out
            if published <= until:
                out.append(hit)
                if len(out) >= limit:
                    return out
        if not page.next_cursor:
            return out
        q = SearchQuery(**{**q.__dict__, "after": page.next_cursor})


MESSAGE_MAX = 480  # notifications' text variables hold 500 characters


def _message_text(hits: list[ListingHit]) -> str:
    """One line per listing (a short title, price, city, link), as many as fit."""
    lines: list[str] = []
    size = 0
    for h in hits:
        title = h.title if len(h.title) <= 60 else h.title[:59] + "…"
        line = f"{title} ({h.price} {h.currency}, {h.city[:40]}) {listing_link(h.public_id)}"
        if lines and size + len(line) + 1 > MESSAGE_MAX:
            break
        lines.append(line[:MESSAGE_MAX])
        size += len(line) + 1
    return "\n".join(lines)


def alerts_run(*, now: datetime | None = None) -> dict:
    """Alert every active saved search of the listings published since its last alert.
    Returns {"searches", "queries", "users", "messages", "listings", "search_s", "send_s"}."""
    from apps.notifications.api import send_many
    from apps.notifications.contracts import SendRequest

    now = now or timezone.now()
    per_message = int(getattr(settings, "MARKET_ALERT_MAX_LISTINGS", 5))
    stats = {
        "searches": 0,
        "queries": 0,
        "users": 0,
        "messages": 0,
        "listings": 0,
        "search_s": 0.0,
        "send_s": 0.0,
    }
    base = SavedSearch.objects.filter(active=True, alerted_up_to__lt=now).exclude(
        channel=SavedSearch.Channel.NONE
    )
    # identical criteria are searched once per run, over the widest window of their searches:
    # one GROUP BY gives them (a few hundred or thousand for 100,000 saved searches)
    windows: dict[str, datetime] = {}
    for criteria, since in base.values_list("query").annotate(since=Min("alerted_up_to")).order_by():
        key = json.dumps(criteria, sort_keys=True)
        windows[key] = min(since, windows.get(key, since))
    found_by_criteria: dict[str, list[ListingHit] | None] = {}
    started = time.perf_counter()
    for key, since in windows.items():
        try:
            q = search_service.query_from_json(json.loads(key))
        except InvalidSearch:  # criteria the cleaner refuses today: skipped, kept
            found_by_criteria[key] = None
            continue
        found_by_criteria[key] = _new_matches(q, since, now, limit=per_message * 4)
        stats["queries"] += 1
    stats["search_s"] = time.perf_counter() - started
    # then the saved searches in chunks of whole users (one message per user and channel)
    last_user = 0
    while True:
        rows = list(
            base.filter(user_id__gt=last_user)
            .order_by("user_id", "id")
            .values_list("id", "user_id", "user__public_id", "query", "channel", "alerted_up_to")[:CHUNK]
        )
        if not rows:
            break
        if len(rows) == CHUNK and rows[0][1] != rows[-1][1]:
            rows = [r for r in rows if r[1] != rows[-1][1]]  # the last user whole, next chunk
        last_user = rows[-1][1]
        stats["searches"] += len(rows)
        # (user pk, user public id, channel) -> {listing public id: hit}
        found: dict[tuple, dict[str, ListingHit]] = defaultdict(dict)
        searched: list[int] = []
        counts: dict[int, int] = {}
        for saved_id, user_id, user_public_id, criteria, channel, up_to in rows:
            hits = found_by_criteria.get(json.dumps(criteria, sort_keys=True))
            if hits is None:
                continue
            searched.append(saved_id)
            mine = [h for h in hits if datetime.fromisoformat(h.published_at) > up_to]
            counts[saved_id] = len(mine)
            bucket = found[(user_id, str(user_public_id), channel)]
            for hit in mine:
                bucket.setdefault(hit.public_id, hit)
        requests = []
        for (_user_id, user_public_id, channel), hits in found.items():
            if not hits:
                continue
            newest = sorted(hits.values(), key=lambda h: h.published_at, reverse=True)
            shown = newest[:per_message]
            digest = hashlib.sha256(",".join(sorted(hits)).encode()).hexdigest()[:24]
            requests.append(
                SendRequest(
                    recipient=user_public_id,
                    template_key=ALERT_TEMPLATE,
                    context={
                        "count": len(newest),
                        "listings": _message_text(shown),
                        "url": listing_link(shown[0].public_id),
                    },
                    channels=(channel,) if channel != "push" else ("push", "inapp"),
                    priority="bulk",
                    idempotency_key=f"market.alert:{user_public_id}:{channel}:{digest}",
                )
            )
            stats["listings"] += len(newest)
        stats["users"] += len({r.recipient for r in requests})
        if requests:
            started = time.perf_counter()
            send_many(requests, chunk_size=SEND_CHUNK)
            stats["send_s"] += time.perf_counter() - started
            stats["messages"] += len(requests)
        with transaction.atomic():
            SavedSearch.objects.filter(id__in=searched).update(alerted_up_to=now)
            alerted = [sid for sid, n in counts.items() if n]
            for n in sorted({counts[sid] for sid in alerted}):
                SavedSearch.objects.filter(id__in=[sid for sid in alerted if counts[sid] == n]).update(
                    last_alert_at=now, last_alert_count=n
                )
    stats["search_s"] = round(stats["search_s"], 3)
    stats["send_s"] = round(stats["send_s"], 3)
    return stats
