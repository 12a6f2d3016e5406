"""Reads, always scoped to what the actor may see. Each part appends its own."""
