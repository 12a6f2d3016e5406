"""PUBLIC: the domain events cms publishes (apps.core.events.DomainEvent subclasses,
`name = "cms.EventName"`, JSON-valued fields only)."""


# --- sites ---


# --- help ---

# --- news ---
from dataclasses import dataclass as _news_dataclass

from apps.core.events import DomainEvent as _NewsDomainEvent


@_news_dataclass(frozen=True)
class NewsAnnounced(_NewsDomainEvent):
    """A post was announced to its audience (once per post, its translations included)."""

    name = "cms.NewsAnnounced"

    post_id: str  # the post's translation_key
    channel: str  # push or sms
    audience: str
    country: str
    city: str
    recipients: int


# --- vault ---
