"""PUBLIC: frozen dataclasses and enums crossing the boundary (stdlib only)."""


# --- sites ---


# --- help ---


# --- news ---


# --- vault ---
