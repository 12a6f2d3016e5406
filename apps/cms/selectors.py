"""Reads, always scoped to what the actor may see."""


# --- sites ---


# --- help ---


# --- news ---


# --- vault ---
