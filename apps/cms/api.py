"""PUBLIC: the functions other modules may call. They return plain values or frozen
dataclasses from contracts.py, never querysets. One block per part."""

__all__: list[str] = []


# --- sites ---


# --- help ---


# --- news ---


# --- vault ---
