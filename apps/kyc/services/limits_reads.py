"""Per-call reads of kyc's tiers and limits (the wallet's P2P hot path, issue 19).

    reads = kyc.limit_reads([sender, receiver])      # one query: their tiers + the rows
    reads.check(sender, "transfer_out", 5_000, currency="XOF", usage=…)   # as kyc.check
    reads.verified_name(receiver)                    # as kyc.verified_name (no tier query)

`check` (services/limits.py) reads the user's tier and the (country, tier) limits on every
call; a P2P preview checks two users and a confirmation checks them again inside the move:
four tier reads and four limit reads per call. A `LimitReads` reads them once for the users
it is given, in ONE round trip (the profiles' tiers and every compliance row of their
countries and "*", as a UNION), and answers every later check of the same call from memory.

It is a cache of one call, passed down by the caller and dropped with it — never a global
and never kept across calls (a tier raised or a limit changed by compliance between two calls
is seen by the next one). The rules and the refusals are `check_user`'s own (same code).
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from .. import selectors
from ..contracts import Limits, Operation, Tier, Usage
from ..limits import from_table
from .limits import check_limits

__all__ = ["LimitReads", "limit_reads"]

# KycProfile's and TierLimit's tables (checked against the models by the tests)
_TIERS_AND_ROWS = """
SELECT 'p', user_id, tier, NULL, NULL, NULL, NULL, NULL, NULL
  FROM kyc_kycprofile WHERE user_id = ANY(%s::bigint[])
UNION ALL
SELECT 'l', NULL, tier, country, currency, max_balance, monthly_inflow, single_transaction, daily_outflow
  FROM kyc_tierlimit WHERE country = ANY(%s::text[])
"""


class LimitReads:
    """Tiers and limits of some users, read once (see the module's docstring)."""

    def __init__(self, users) -> None:
        people = {u.pk: u for u in users if u is not None and getattr(u, "pk", None) is not None}
        self._country = {pk: selectors.country_of_user(u) for pk, u in people.items()}
        self._tier: dict[int, int] = dict.fromkeys(people, 0)
        rows: dict[tuple[str, int], tuple] = {}
        if people:
            countries = sorted(set(self._country.values()) | {"*"})
            with connection.cursor() as cursor:
                cursor.execute(_TIERS_AND_ROWS, [list(people), countries])
                for kind, user_id, tier, country, *values in cursor.fetchall():
                    if kind == "p":
                        self._tier[user_id] = int(tier or 0)
                    else:
                        rows[(country, int(tier))] = tuple(values)
        self._limits: dict[int, Limits] = {}
        for pk, country in self._country.items():
            tier = self._tier[pk]
            row = rows.get((country, tier)) or rows.get(("*", tier))
            if row is None:
                self._limits[pk] = from_table(settings.KYC_LIMITS, country=country, tier=tier)
                continue
            currency, max_balance, monthly_inflow, single_transaction, daily_outflow = row
            self._limits[pk] = Limits(
                tier=tier,
                country=country,
                currency=currency,
                max_balance=max_balance,
                monthly_inflow=monthly_inflow,
                single_transaction=single_transaction,
                daily_outflow=daily_outflow,
                source="database",
            )

    def _known(self, user) -> int:
        pk = getattr(user, "pk", None)
        if pk not in self._limits:
            raise KeyError(f"user {pk} was not read by this LimitReads")
        return pk

    def tier(self, user) -> int:
        return self._tier[self._known(user)]

    def limits(self, user) -> Limits:
        return self._limits[self._known(user)]

    def check(
        self, user, operation: Operation | str, amount: int, *, currency: str, usage: Usage | None = None
    ) -> Limits:
        """kyc.check for a user of this call (amount an int in minor units, currency given)."""
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError("amount is an int in minor units")
        if amount < 0:
            raise ValueError("amount must not be negative")
        pk = self._known(user)
        return check_limits(
            user=user,
            tier=self._tier[pk],
            limits=self._limits[pk],
            operation=Operation(operation),
            amount=amount,
            currency=currency,
            usage=usage,
        )

    def verified_name(self, user) -> str | None:
        """kyc.verified_name, the tier taken from this read (below tier 1: no query at all)."""
        if self.tier(user) < Tier.IDENTITY:
            return None
        return selectors.verified_name(user.pk)


def limit_reads(users) -> LimitReads:
    return LimitReads(users)
