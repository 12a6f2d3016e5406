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
