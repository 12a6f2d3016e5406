"""PUBLIC: the domain events ai publishes (apps.core.events.DomainEvent subclasses,
`name = "ai.EventName"`, JSON-valued fields only)."""
