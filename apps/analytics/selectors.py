"""Reads, always scoped to what the actor may see."""
