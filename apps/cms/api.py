"""PUBLIC: the functions other modules may call. They return plain values or frozen
dataclasses from contracts.py, never querysets. One block per part."""

__all__: list[str] = [
    # news
    "news_audience",
    "register_audience_source",
]


# --- sites ---
# The public sites read what higher modules know through what they register here from their
# AppConfig.ready: billing's plans (hokwe.com's pricing table), the tenants' pay links (estate).
__all__ += ["register_page_extra", "register_pay_link_finder", "register_pricing_source"]


def register_page_extra(template: str) -> None:
    """A template of the calling module included at the end of every site page's content (the
    same for every visitor: the pages are cached). ads' banner slot fills itself from the
    browser."""
    from .services import sites as _sites

    _sites.register_page_extra(template)


def register_pricing_source(source) -> None:
    """source() -> an iterable of objects with `name`, `price` (formatted, e.g. « 15 000 FCFA /
    mois ») and `points` (a sequence of short lines): the plans the pricing blocks show. The
    plans written in the page are shown when no source gives any."""
    from .services import sites as _sites

    _sites.register_pricing_source(source)


def register_pay_link_finder(finder) -> None:
    """finder(phone_e164) -> the URLs of the open pay links of the tenant with that phone
    (possibly none). « Find my pay link » sends them by SMS to that phone, never on screen."""
    from .services import sites as _sites

    _sites.register_pay_link_finder(finder)


# --- help ---
# The help centre is the knowledge base of the assistant (ai) and of the apps' in-app help.
__all__ += ["help_search"]


def help_search(text: str, *, locale: str = "fr", audience: str | None = None, limit: int = 5) -> list:
    """The live help articles answering `text` (French stemming, accents and typos
    forgiven), best first, as HelpHit (contracts); `audience` one of tenant, landlord,
    agency, merchant (its articles and everyone's), None: all."""
    from .services import help as _help

    return _help.search(text, locale=locale, audience=audience, limit=limit)


__all__ += ["open_support_ticket"]


def open_support_ticket(*, user, subject: str, message: str, language: str = "fr", audience: str = "tenant"):
    """A support ticket for a signed-in user (the assistant's hand-off to a human, with the
    conversation's transcript as its message): support's queue, an acknowledgement with its
    reference by SMS or e-mail. Returns (public id, reference)."""
    from .models.help import SupportTicket
    from .services import help as _help

    ticket = _help.ticket_open(
        user=user,
        subject=subject,
        message=message,
        audience=audience,
        language=language,
        source=SupportTicket.Source.APP,
    )
    return ticket.public_id, ticket.reference


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
# HokweDoc: the documents other modules generate are filed here by reference (stored once:
# their bytes stay where the generating module keeps them). A module whose documents are
# rendered on demand registers an opener from its AppConfig.ready().
from collections.abc import Iterable as _VaultIterable  # noqa: E402

from .contracts import DocumentOpener as _VaultOpener  # noqa: E402
from .contracts import FiledDocument as _VaultFiled  # noqa: E402

__all__ += [
    "file_generated_document",
    "file_generated_documents",
    "register_document_source",
    "withdraw_generated_document",
]


def register_document_source(source: str, opener: _VaultOpener) -> None:
    """opener(source_id) -> OpenedDocument (contracts) or None when the object is gone: how the
    vault opens the documents filed with `source` ("estate.quittance"). Registering the same
    source again replaces it."""
    from .services import vault as _vault

    _vault.register_document_source(source, opener)


def file_generated_document(
    *,
    kind: str,
    title: str,
    source: str,
    source_id: str,
    organization_id: int | None = None,
    user_ids: _VaultIterable[int] = (),
    storage_name: str = "",
    content_type: str = "application/pdf",
    size: int = 0,
    checksum: str = "",
    metadata: dict | None = None,
    created_by_id: int | None = None,
) -> _VaultFiled:
    """File a document the platform generated in the vault of the organization and/or of each
    user (internal ids): `kind` a DocumentKind, `source`/`source_id` the generating module's
    object (opened through its registered opener), or `storage_name` the file it already
    stored in the default storage. Idempotent: filing the same source object again returns
    the same rows. Call it inside the generating transaction: the rows commit with it."""
    from .services import vault as _vault

    rows = _vault.file_generated_document(
        kind=kind,
        title=title,
        source=source,
        source_id=str(source_id),
        organization_id=organization_id,
        user_ids=user_ids,
        storage_name=storage_name,
        content_type=content_type,
        size=size,
        checksum=checksum,
        metadata=metadata,
        created_by_id=created_by_id,
    )
    return _VaultFiled(public_ids=tuple(str(r.public_id) for r in rows))


def file_generated_documents(items: _VaultIterable[dict]) -> int:
    """Many generated documents at once (a month's avis d'échéance): each item holds the
    keywords of file_generated_document (kind, title, source, source_id, organization_id,
    user_ids, metadata). Those already filed are skipped; returns how many rows are new.
    Bulk-inserted, so call it from a handler or a batch, not per document."""
    from .services import vault as _vault

    return _vault.file_generated_documents(items)


def withdraw_generated_document(*, source: str, source_id: str) -> int:
    """The source object was voided: its rows leave every vault (the access log keeps them)."""
    from .services import vault as _vault

    return _vault.withdraw_generated_document(source=source, source_id=str(source_id))
