"""Reads, always scoped to what the actor may see."""


# --- sites ---


# --- help ---


# --- news ---
# Anyone may read the news: the live, public posts (not expired), one language at a time.
# (Imports inside the functions: this block sits between the other parts'.)

NEWS_LANGUAGES = ("fr", "en")
NEWS_DEFAULT_LANGUAGE = "fr"
NEWS_PAGE_MAX = 50


def news_live():
    """Live posts outside any private section and not past their expiry (models.live_posts)."""
    from .models.news import live_posts

    return live_posts()


def news_in_language(qs, language: str):
    """The posts in `language`, and the French version of those not translated into it."""
    from django.db.models import Exists, OuterRef, Q

    language = language if language in NEWS_LANGUAGES else NEWS_DEFAULT_LANGUAGE
    if language == NEWS_DEFAULT_LANGUAGE:
        return qs.filter(locale__language_code=language)
    translated = news_live().filter(
        locale__language_code=language, translation_key=OuterRef("translation_key")
    )
    return qs.filter(
        Q(locale__language_code=language)
        | (Q(locale__language_code=NEWS_DEFAULT_LANGUAGE) & ~Exists(translated))
    )


def news_for(qs, *, audience: str = "", country: str = "", city: str = ""):
    """The posts meant for an audience (its own and everyone's), a country, a city (the posts
    of every country or city included)."""
    from django.db.models import Q

    if audience:
        qs = qs.filter(audience__in=[audience, "everyone"])
    if country:
        qs = qs.filter(country__in=[country.upper(), ""])
    if city:
        qs = qs.filter(Q(city__iexact=city) | Q(city=""))
    return qs


def _news_cursor(post) -> str:
    import base64

    raw = f"{post.date.isoformat()}|{post.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _news_after(cursor: str):
    import base64
    import binascii
    from datetime import date

    from .errors import NewsCursorInvalid

    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        day, pk = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
        return date.fromisoformat(day), int(pk)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise NewsCursorInvalid(field="after") from None


def news_page(
    *,
    language: str = NEWS_DEFAULT_LANGUAGE,
    audience: str = "",
    country: str = "",
    city: str = "",
    site=None,
    after: str | None = None,
    limit: int = 20,
) -> tuple[list, str]:
    """One page of posts, newest first (keyset on date then id: stable while posts are
    published), and the cursor of the next page ("" at the end). A bounded number of
    queries whatever the page size."""
    from django.db.models import Q

    qs = news_for(news_in_language(news_live(), language), audience=audience, country=country, city=city)
    if site is not None:
        qs = qs.descendant_of(site.root_page)
    if after:
        day, pk = _news_after(after)
        qs = qs.filter(Q(date__lt=day) | Q(date=day, pk__lt=pk))
    limit = max(1, min(int(limit), NEWS_PAGE_MAX))
    rows = list(qs.order_by("-date", "-id")[: limit + 1])
    next_cursor = _news_cursor(rows[limit - 1]) if len(rows) > limit else ""
    return rows[:limit], next_cursor


def news_post(post_id, *, language: str = NEWS_DEFAULT_LANGUAGE):
    """One live post by its id (the `translation_key` its translations share), in
    `language` when translated, else in French. NewsPostNotFound otherwise."""
    import uuid

    from .errors import NewsPostNotFound

    try:
        key = post_id if isinstance(post_id, uuid.UUID) else uuid.UUID(str(post_id))
    except ValueError:
        raise NewsPostNotFound() from None
    post = news_in_language(news_live().filter(translation_key=key), language).first()
    if post is None:
        raise NewsPostNotFound()
    return post


def news_translations(post) -> dict[str, str]:
    """{language: full URL} of the live versions of a post (hreflang links, the API)."""
    urls = {
        p.locale.language_code: p.get_full_url()
        for p in news_live().filter(translation_key=post.translation_key)
    }
    return {language: url for language, url in urls.items() if url}


# --- vault ---
