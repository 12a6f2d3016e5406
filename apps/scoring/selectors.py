"""Scoring's reads, scoped to what the caller may see. Each part appends its block."""
