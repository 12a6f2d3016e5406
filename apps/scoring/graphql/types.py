"""Scoring's shared GraphQL types (each part appends)."""
