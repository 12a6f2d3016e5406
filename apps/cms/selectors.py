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
# The vault's reads, scoped to one owner vault (services.vault.owner_for checked the actor):
# newest first by keyset on the id (the partial index per owner), full-text search of names,
# tags and metadata (PostgreSQL: the GIN index on to_tsvector('simple', search_text); SQLite:
# substrings), the access log.
from django.core import signing as _vault_signing  # noqa: E402
from django.db import connection as _vault_connection  # noqa: E402
from django.db.models import BooleanField as _VaultBool  # noqa: E402
from django.db.models.expressions import RawSQL as _VaultRawSQL  # noqa: E402

VAULT_CURSOR_SALT = "hokwe.cms.vault.cursor"


def vault_cursor_encode(last_id: int) -> str:
    return _vault_signing.dumps(int(last_id), salt=VAULT_CURSOR_SALT)


def vault_cursor_decode(cursor: str | None) -> int | None:
    """The id a page starts after; a cursor this server did not make is refused (ValueError)."""
    if not cursor:
        return None
    try:
        return int(_vault_signing.loads(str(cursor), salt=VAULT_CURSOR_SALT))
    except (_vault_signing.BadSignature, TypeError, ValueError):
        raise ValueError("bad cursor") from None


def vault_documents(owner, *, query: str = "", folder=None, kind: str = "", in_folder: bool = False):
    """The owner's live documents, newest first (a queryset: page it with vault_page)."""
    from .models.vault import VaultDocument, search_words

    rows = VaultDocument.objects.filter(deleted_at=None, **owner.filter())
    if in_folder or folder is not None:
        rows = rows.filter(folder=folder)
    if kind:
        rows = rows.filter(kind=kind)
    words = search_words(query)
    listing = rows
    if words:
        if _vault_connection.vendor == "postgresql":
            tsquery = " & ".join(f"{w}:*" for w in words)
            rows = rows.alias(
                vault_match=_VaultRawSQL(
                    "to_tsvector('simple'::regconfig, search_text) @@ to_tsquery('simple'::regconfig, %s)",
                    (tsquery,),
                    output_field=_VaultBool(),
                )
            ).filter(vault_match=True)
        else:
            for word in words:
                rows = rows.filter(search_text__contains=word)
    rows = rows.order_by("-id")
    if words and _vault_connection.vendor == "postgresql":
        # for vault_page: the same listing, and the words matched row by row. `|| ''` keeps
        # the GIN index out of that bounded query (the planner would build its bitmap of a
        # quarter of a million rows to intersect it with the newest two thousand)
        rows.vault_window = listing.alias(
            vault_scan=_VaultRawSQL(
                "to_tsvector('simple'::regconfig, search_text || '') @@ to_tsquery('simple'::regconfig, %s)",
                (tsquery,),
                output_field=_VaultBool(),
            )
        )
    return rows


def vault_page(rows, *, cursor: str | None = None, limit: int = 50):
    """(rows of one page, the next page's cursor or None): keyset on the id, never OFFSET.
    A search (vault_documents on PostgreSQL) first looks among the newest
    CMS_VAULT_SEARCH_WINDOW documents of the listing: when they hold a full page of matches,
    those are the newest matches of all (every older match has a smaller id); else the
    search runs over the whole listing. Words most documents have (« quittance ») fill a
    page there at once, where the GIN index would collect a quarter of a million rows and
    sort them; rarer words fall through to the index."""
    from django.conf import settings

    size = settings.CMS_VAULT_SEARCH_WINDOW
    after = vault_cursor_decode(cursor)
    window = getattr(rows, "vault_window", None)
    if after is not None:
        rows = rows.filter(id__lt=after)
    page = None
    if window is not None and size > 0:
        if after is not None:
            window = window.filter(id__lt=after)
        floor = next(iter(window.order_by("-id").values_list("id", flat=True)[size - 1 : size]), None)
        if floor is not None:
            newest = window.filter(id__gte=floor, vault_scan=True).order_by("-id")
            page = list(newest.select_related("folder").prefetch_related("tags")[: limit + 1])
            if len(page) <= limit:
                page = None  # not a full page there: the whole listing decides
    if page is None:
        page = list(rows.select_related("folder").prefetch_related("tags")[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return page, (vault_cursor_encode(page[-1].id) if more and page else None)


def vault_folders(owner):
    """The owner's folders, parents before children (each with `depth` and `path`)."""
    from .models.vault import VaultFolder

    folders = list(VaultFolder.objects.filter(**owner.filter()).order_by("name", "id"))
    children: dict = {}
    for f in folders:
        children.setdefault(f.parent_id, []).append(f)
    ordered = []

    def walk(parent_id, depth, path):
        for f in children.get(parent_id, []):
            f.depth, f.path = depth, f"{path}/{f.name}" if path else f.name
            ordered.append(f)
            walk(f.id, depth + 1, f.path)

    walk(None, 0, "")
    return ordered


def vault_tags(owner):
    from .models.vault import VaultTag

    return list(VaultTag.objects.filter(**owner.filter()).order_by("name"))


def vault_access_log(owner, *, document=None, limit: int = 100):
    from .models.vault import VaultAccess

    rows = VaultAccess.objects.filter(**owner.filter())
    if document is not None:
        rows = rows.filter(document=document)
    return list(rows.select_related("document", "actor").order_by("-id")[:limit])


def vault_shares(document):
    from .models.vault import VaultShare

    return list(VaultShare.objects.filter(document=document).order_by("-id"))
