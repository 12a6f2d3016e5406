"""Whether a step-up will be answerable before it is started (the wallet's pages, issue 19):
a strong action (services/protection.py) needs an authenticator app, a passkey or a recovery
code, never an SMS. A page asks this first and, when the person has none, shows where to add
one instead of a confirmation whose code step can only fail."""

from __future__ import annotations

from . import protection, second_factor


def second_factor_missing(actor, *, action: str, amount: int | None = None) -> bool:
    """True when the step-up of `action` (for `amount`) needs a strong factor `actor` has not
    enrolled (step_up_start would raise SecondFactorRequired)."""
    if not protection.needs_strong_factor(actor, action=action, amount=amount):
        return False
    return not second_factor.has_strong_factor(actor)
