"""PUBLIC: the functions other modules may call. They return plain values or frozen
dataclasses from contracts.py, never querysets."""

__all__: list[str] = [
    # --- listings ---
    "register_price_estimator",
    "listing_facts",
    # --- search ---
    "search_listings",
    "search_facets",
    # --- applications ---
    "application_screening_facts",
    "attach_screening",
    "register_screening_reader",
]


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


# --- applications: the screening (scoring) attaches its request, reads what it needs ---
def attach_screening(application_id, screening_id) -> bool:
    """Record the screening request opened for an application (the first one stays; a
    second call changes nothing). False for an unknown application."""
    from .services.applications import attach_screening as attach

    return attach(application_id, screening_id)


def application_screening_facts(application_id):
    """ApplicationScreeningFacts of an application (unit, organization, applicant's phone
    and name, rent asked, who published the listing). ApplicationNotFound otherwise."""
    from .services.applications import screening_facts

    return screening_facts(application_id)


def register_screening_reader(reader) -> None:
    """`reader(request_ids: list[UUID]) -> {UUID: (state, label)}`: the screening states the
    applicants' list shows (scoring registers it at start-up)."""
    from .services.applications import register_screening_reader as register

    register(reader)


# --- search: the listings search (anyone's criteria, checked and capped) ---
def search_listings(criteria):
    """Listings online matching `criteria` (a mapping of SearchQuery's field names, as the
    REST parameters): a SearchPage of ListingHit. InvalidSearch (400) on what cannot be meant;
    text, radius and page size are capped."""
    from .services import search

    return search.search(search.clean_query(criteria))


def search_facets(criteria):
    """Facets (counts per kind, city, neighbourhood, rooms, furnished, amenity, price band) of
    the listings online matching `criteria`, each facet counted without its own filter."""
    from .services import search

    return search.facets(search.clean_query(criteria))
