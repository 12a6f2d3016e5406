"""PUBLIC: the domain events analytics publishes (apps.core.events.DomainEvent subclasses,
`name = "analytics.EventName"`, JSON-valued fields only)."""
