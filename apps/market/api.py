"""PUBLIC: the functions other modules may call. They return plain values or frozen
dataclasses from contracts.py, never querysets."""

__all__: list[str] = []


# --- listings ---
def register_price_estimator(fn) -> None:
    """A module above market (scoring's valuation) registers `fn(unit_id: UUID) -> (low,
    estimate, high)` in minor units, or None: the moderation rule flags a managed unit's
    listing whose price is outside [low / 2, high × 2]. Without an estimator, the area median
    of published listings decides (÷ 3 / × 3)."""
    from .services.moderation import register_price_estimator as register

    register(fn)


def listing_facts(public_id):
    """A published or reserved listing as a ListingHit (ListingNotFound otherwise)."""
    from .services.listings import hit_of, visible_listing

    return hit_of(visible_listing(public_id))


__all__ += ["register_price_estimator", "listing_facts"]
