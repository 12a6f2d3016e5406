"""PUBLIC: frozen dataclasses and enums crossing the boundary (stdlib only)."""


# --- sites ---

# --- help ---
from dataclasses import dataclass as _help_dataclass
from enum import StrEnum as _HelpStrEnum

HELP_AUDIENCES = ("everyone", "tenant", "landlord", "agency", "merchant")
HELP_LOCALES = ("fr", "en")


class TicketStatus(_HelpStrEnum):
    NEW = "new"
    OPEN = "open"
    WAITING = "waiting"  # on the user
    SOLVED = "solved"
    CLOSED = "closed"


# which status may follow which (services wrap it in apps.core.statemachine)
TICKET_TRANSITIONS = {
    TicketStatus.NEW: {TicketStatus.OPEN, TicketStatus.WAITING, TicketStatus.SOLVED, TicketStatus.CLOSED},
    TicketStatus.OPEN: {TicketStatus.WAITING, TicketStatus.SOLVED, TicketStatus.CLOSED},
    TicketStatus.WAITING: {TicketStatus.OPEN, TicketStatus.SOLVED, TicketStatus.CLOSED},
    TicketStatus.SOLVED: {TicketStatus.OPEN, TicketStatus.CLOSED},
    TicketStatus.CLOSED: set(),
}


@_help_dataclass(frozen=True)
class HelpHit:
    """One help article found by a search (what the AI assistant and the apps read)."""

    slug: str
    locale: str
    title: str
    summary: str
    category: str
    audience: str
    url: str
    score: float


# --- news ---
# The audiences of a news post; an audience source answers for the last three ("everyone" is
# their union).
NEWS_AUDIENCES = ("everyone", "tenants", "landlords", "agencies")
NEWS_SOURCE_AUDIENCES = ("tenants", "landlords", "agencies")


# --- vault ---
from collections.abc import Callable as _VCallable  # noqa: E402
from dataclasses import dataclass as _vdataclass  # noqa: E402
from enum import StrEnum as _VStrEnum  # noqa: E402


class DocumentKind(_VStrEnum):
    """What a vault document is (retention rules are per kind, conf.CMS_VAULT_RETENTION_DAYS)."""

    LEASE = "lease"
    QUITTANCE = "quittance"
    NOTICE = "notice"  # avis d'échéance
    OWNER_STATEMENT = "owner_statement"  # relevé de gérance
    FORMAL_NOTICE = "formal_notice"  # mise en demeure
    INVOICE = "invoice"
    SCREENING_REPORT = "screening_report"
    UPLOAD = "upload"
    OTHER = "other"


# The kinds the platform generates (legal documents: purged only after their legal retention).
GENERATED_KINDS = frozenset(
    {
        DocumentKind.LEASE,
        DocumentKind.QUITTANCE,
        DocumentKind.NOTICE,
        DocumentKind.OWNER_STATEMENT,
        DocumentKind.FORMAL_NOTICE,
        DocumentKind.INVOICE,
        DocumentKind.SCREENING_REPORT,
    }
)


@_vdataclass(frozen=True)
class OpenedDocument:
    """The bytes of a generated document, as its module's opener returns them."""

    content: bytes
    content_type: str = "application/pdf"
    filename: str = ""


# A module's opener: the source id it gave when filing -> the document's bytes (or None when
# the source object is gone). Registered with api.register_document_source.
DocumentOpener = _VCallable[[str], "OpenedDocument | None"]


@_vdataclass(frozen=True)
class FiledDocument:
    """The vault rows one generated document got (one per owner vault), by public id."""

    public_ids: tuple[str, ...]
