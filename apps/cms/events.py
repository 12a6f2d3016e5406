"""PUBLIC: the domain events cms publishes (apps.core.events.DomainEvent subclasses,
`name = "cms.EventName"`, JSON-valued fields only)."""


# --- sites ---


# --- help ---


# --- news ---


# --- vault ---
