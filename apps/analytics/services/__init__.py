"""Writes: keyword-only, typed, @transaction.atomic, permission-checked, publish events.
Named <entity>_<action>; one use case = one function, called by every transport."""
