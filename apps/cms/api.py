"""PUBLIC: the functions other modules may call. They return plain values or frozen
dataclasses from contracts.py, never querysets. One block per part."""

__all__: list[str] = [
    # news
    "news_audience",
    "register_audience_source",
]


# --- sites ---


# --- help ---
# The help centre is the knowledge base of the assistant (ai) and of the apps' in-app help.
__all__ += ["help_search"]


def help_search(text: str, *, locale: str = "fr", audience: str | None = None, limit: int = 5) -> list:
    """The live help articles answering `text` (French stemming, accents and typos
    forgiven), best first, as HelpHit (contracts); `audience` one of tenant, landlord,
    agency, merchant (its articles and everyone's), None: all."""
    from .services import help as _help

    return _help.search(text, locale=locale, audience=audience, limit=limit)


# --- news ---
# An announcement of a post goes to its audience: the people cms cannot name itself (tenants
# live in estate, above cms). The module that knows them registers a reader from its
# AppConfig.ready(); the readers' answers are merged (a person reached by two is sent one message).
from collections.abc import Callable as _NewsCallable  # noqa: E402
from collections.abc import Iterable as _NewsIterable  # noqa: E402


def register_audience_source(name: str, reader: _NewsCallable[[str, str, str], _NewsIterable]) -> None:
    """reader(audience, country, city) -> the public ids of the users of that audience
    ("tenants", "landlords" or "agencies"; country an ISO code or "", city a name or "": any),
    one set-based query. `name` names the source (its module) in logs; registering the same
    name again replaces it."""
    from .services import news as _news

    _news.register_audience_source(name, reader)


def news_audience(*, audience: str, country: str = "", city: str = "") -> list[str]:
    """The public ids of the users an announcement of a post for `audience` in `country` /
    `city` would reach (sorted, each once)."""
    from .services import news as _news

    return _news.audience_user_ids(audience=audience, country=country, city=city)


# --- vault ---
