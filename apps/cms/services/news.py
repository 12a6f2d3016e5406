"""Cms news (HokweNews): scheduled publication and the announcement of a post to its audience.

- `publish_scheduled()`: Wagtail's `publish_scheduled` (go_live_at / expire_at), then the
  announcements of the posts that just went live; the beat runs it every minute.
- `announce_due()`: each live post with an announcement chosen, not yet announced, that went
  live recently, is announced once to its audience (notifications' bulk send: quiet hours,
  preferences and opt-outs apply there), in the language of each person.
- the audience: cms does not know who the tenants are (estate, above cms, does): modules
  register readers (`api.register_audience_source`), merged here.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Case, When
from django.utils import timezone

from apps.notifications import api as notifications
from apps.notifications.contracts import SendRequest

from ..contracts import NEWS_AUDIENCES, NEWS_SOURCE_AUDIENCES
from ..errors import NewsFilterInvalid
from ..events import NewsAnnounced
from ..messages import CMS_NEWS_ANNOUNCEMENT
from ..models import NewsAnnouncement, NewsPage

log = logging.getLogger(__name__)

# --- the audience ---------------------------------------------------------------------------------

_SOURCES: dict[str, Callable[[str, str, str], Iterable]] = {}


def register_audience_source(name: str, reader: Callable[[str, str, str], Iterable]) -> None:
    if not callable(reader):
        raise TypeError(f"audience source {name!r}: not callable")
    _SOURCES[name] = reader


def audience_sources() -> dict[str, Callable]:
    return dict(_SOURCES)


def audience_user_ids(*, audience: str, country: str = "", city: str = "") -> list[str]:
    """Every registered source's users of the audience (each once, sorted)."""
    if audience not in NEWS_AUDIENCES:
        raise NewsFilterInvalid(field="audience")
    wanted = NEWS_SOURCE_AUDIENCES if audience == "everyone" else (audience,)
    country, city = (country or "").strip().upper(), (city or "").strip()
    found: set[str] = set()
    for _name, reader in sorted(_SOURCES.items()):
        for one in wanted:
            found.update(str(public_id) for public_id in reader(one, country, city))
    return sorted(found)


# --- scheduled publication ---------------------------------------------------------------------


def publish_scheduled() -> dict:
    """Publish the posts (and every page) whose go_live_at passed, unpublish the expired ones
    (Wagtail's command), then announce the posts that went live. Idempotent."""
    call_command("publish_scheduled", stdout=io.StringIO())
    return {"announced": announce_due()}


# --- the announcement ------------------------------------------------------------------------------

# French letters outside the GSM-7 alphabet, and their plain forms (é, è, à, ù are in it): an
# SMS with one ê would travel as UCS-2, at 70 characters a segment instead of 160.
_SMS_FOLD = str.maketrans(
    {
        "â": "a",
        "ê": "e",
        "î": "i",
        "ô": "o",
        "û": "u",
        "ë": "e",
        "ï": "i",
        "ÿ": "y",
        "ç": "c",
        "œ": "oe",
        "Œ": "OE",
        "À": "A",
        "Â": "A",
        "È": "E",
        "Ê": "E",
        "Ë": "E",
        "Î": "I",
        "Ï": "I",
        "Ô": "O",
        "Ù": "U",
        "Û": "U",
        "’": "'",
        "‘": "'",
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "\u00a0": " ",
        "\u202f": " ",
    }
)
# Other accented Latin letters lose their accent; what still is not plain ASCII (an emoji)
# is dropped. The letters kept as they are belong to the GSM-7 alphabet.
_SMS_KEEP = frozenset("éèùìòàÉÇÄÖÑÜäöñüØøÅåÆæß£¥§¿¡")


def sms_text(text: str, *, limit: int) -> str:
    """`text` written with the GSM-7 alphabet only, cut at `limit` characters on a word."""
    out = []
    for char in text.translate(_SMS_FOLD):
        if char.isascii() or char in _SMS_KEEP:
            out.append(char)
            continue
        base = unicodedata.normalize("NFKD", char)[0]
        if base.isascii():
            out.append(base)
    plain = " ".join("".join(out).split())
    if len(plain) <= limit:
        return plain
    return plain[: limit - 3].rsplit(" ", 1)[0].rstrip(" ,;:.") + "..."


def _language_versions(post: NewsPage) -> dict[str, NewsPage]:
    from ..selectors import news_live

    return {p.locale.language_code: p for p in news_live().filter(translation_key=post.translation_key)}


def _url(page: NewsPage) -> str:
    url = page.get_full_url() or ""
    if url.startswith("/"):
        url = settings.CMS_NEWS_PUBLIC_BASE_URL.rstrip("/") + url
    return url


def announcement_context(post: NewsPage, *, channel: str) -> dict:
    """The variables of the announcement: the French version and the English one (the
    French again when the post is not translated); the SMS gets GSM-7 text."""
    versions = _language_versions(post)
    french = versions.get("fr") or post
    english = versions.get("en") or french
    if channel == "sms":
        return {
            "title": sms_text(french.title, limit=70),
            "summary": "",
            "url": _url(french),
            "title_en": sms_text(english.title, limit=70),
            "summary_en": "",
            "url_en": _url(english),
        }
    return {
        "title": french.title,
        "summary": french.intro,
        "url": _url(french),
        "title_en": english.title,
        "summary_en": english.intro,
        "url_en": _url(english),
    }


def _channels(channel: str) -> tuple[str, ...]:
    return ("push", "inapp") if channel == "push" else ("sms",)


def announce(post: NewsPage) -> NewsAnnouncement | None:
    """Announce one live post to its audience, once per post (its translations included).
    The NewsAnnouncement row is claimed first (unique per post); the messages then go out in
    chunks of CMS_NEWS_ANNOUNCE_CHUNK recipients, each chunk in its own transaction (a large
    audience never holds one long transaction); the row is completed, and NewsAnnounced
    published, in a last one. A run stopped half-way is resumed by the next (announce_due
    retries incomplete rows): each message's idempotency key (the post, per recipient and
    channel) sends nobody twice. Returns the announcement when this call completed it, None
    when there was nothing to send or it was complete already."""
    if not post.announce or not post.live:
        return None
    recipients = audience_user_ids(audience=post.audience, country=post.country, city=post.city)
    context = announcement_context(post, channel=post.announce)
    key = f"cms.news:{post.translation_key}"
    try:
        with transaction.atomic():
            announcement, _created = NewsAnnouncement.objects.get_or_create(
                translation_key=post.translation_key,
                defaults={
                    "page_id": post.pk,
                    "channel": post.announce,
                    "audience": post.audience,
                    "country": post.country,
                    "city": post.city,
                    "recipients": len(recipients),
                },
            )
    except IntegrityError:  # claimed by another worker at the same moment: it sends
        return None
    if announcement.completed_at is not None:
        return None
    size = max(1, settings.CMS_NEWS_ANNOUNCE_CHUNK)
    for start in range(0, len(recipients), size):
        with transaction.atomic():
            notifications.send_many(
                SendRequest(
                    recipient=public_id,
                    template_key=CMS_NEWS_ANNOUNCEMENT,
                    context=context,
                    channels=_channels(announcement.channel),
                    idempotency_key=key,
                )
                for public_id in recipients[start : start + size]
            )
    with transaction.atomic():
        done = NewsAnnouncement.objects.filter(pk=announcement.pk, completed_at=None).update(
            completed_at=timezone.now(), recipients=len(recipients)
        )
        if not done:  # another worker completed it meanwhile
            return None
        from apps.core.outbox import publish

        publish(
            NewsAnnounced(
                post_id=str(post.translation_key),
                channel=announcement.channel,
                audience=announcement.audience,
                country=announcement.country,
                city=announcement.city,
                recipients=len(recipients),
            )
        )
    announcement.refresh_from_db()
    log.info("news announced", extra={"post": str(post.translation_key), "recipients": len(recipients)})
    return announcement


def announce_due(*, now=None) -> int:
    """Announce every live post that asks for it, went live within the window and was not
    announced yet; returns how many posts were announced."""
    from ..selectors import news_live

    now = now or timezone.now()
    since = now - timedelta(hours=settings.CMS_NEWS_ANNOUNCE_WITHIN_HOURS)
    done = NewsAnnouncement.objects.filter(completed_at__isnull=False).values("translation_key")
    candidates = (
        news_live()
        .exclude(announce="")
        .filter(first_published_at__gte=since)
        .exclude(translation_key__in=done)
        .annotate(french_first=Case(When(locale__language_code="fr", then=0), default=1))
        .order_by("french_first", "first_published_at", "id")
    )
    seen: set = set()
    announced = 0
    for post in candidates:
        if post.translation_key in seen:
            continue
        seen.add(post.translation_key)
        announced += announce(post) is not None
    return announced


# --- what the surfaces show (REST, GraphQL) -------------------------------------------------------


def news_view(post: NewsPage, *, detail: bool = False) -> dict:
    """A post as the API shows it: its id is the `translation_key` its translations share;
    `body_html` (detail only) is Wagtail's rendering of the body, whose rich text keeps only
    the editor's features (no script, no event attribute)."""
    from ..models.news import NEWS_IMAGE_SPEC

    image_url = ""
    if post.image is not None:
        image_url = post.image.get_rendition(NEWS_IMAGE_SPEC).full_url
    view = {
        "id": post.translation_key,
        "language": post.locale.language_code,
        "title": post.title,
        "date": post.date,
        "intro": post.intro,
        "url": post.get_full_url() or "",
        "image_url": image_url,
        "audience": post.audience,
        "country": post.country,
        "city": post.city,
        "published_at": post.first_published_at,
        "updated_at": post.last_published_at,
    }
    if detail:
        from ..selectors import news_translations

        view["body_html"] = str(post.body.render_as_block()) if post.body else ""
        view["translations"] = [
            {"language": lang, "url": url} for lang, url in sorted(news_translations(post).items())
        ]
    return view
