"""PUBLIC: what other modules may call in lending (scoring reads loan repayments through
events; analytics reads the portfolio).

from apps.lending import api as lending
"""

from __future__ import annotations

__all__: list[str] = [
    "emergency_fund_for",
]


# --- emergency fund (underwriting, scoring) ---


def emergency_fund_for(user, currency: str = "XOF"):
    """The user's emergency fund as a `contracts.EmergencyFundInfo` (balance, pledged,
    available, goal, withdrawal rule, automatic savings, months saving), or None when the user
    has none. `user`: a user, an identity UserInfo or a public id."""
    from .services.fund import emergency_fund_for as read

    return read(user, currency)
