"""Lending fixtures (each part appends its own)."""
