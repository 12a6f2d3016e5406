"""Reactions to other modules' events (`@on(Event)`), thin: they call services."""
