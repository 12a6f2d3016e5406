"""PUBLIC: frozen dataclasses and enums crossing the boundary (stdlib only)."""
