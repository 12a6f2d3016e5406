"""Market's GraphQL, as the root schema imports it: one Queries/Mutations class per part
(graphql/listings.py, search.py, visits.py, applications.py, services.py), combined here.
Fields are named market<Thing>."""

from .applications import ApplicationsMutations, ApplicationsQueries
from .listings import ListingsMutations, ListingsQueries
from .search import SearchMutations, SearchQueries
from .services import ServicesMutations, ServicesQueries
from .visits import VisitsMutations, VisitsQueries


class MarketQueries(ListingsQueries, SearchQueries, VisitsQueries, ApplicationsQueries, ServicesQueries):
    # the fields anonymous callers may use: every part's own `public_fields`
    public_fields = tuple(
        name
        for part in (ListingsQueries, SearchQueries, VisitsQueries, ApplicationsQueries, ServicesQueries)
        for name in part.__dict__.get("public_fields", ())
    )


class MarketMutations(
    ListingsMutations, SearchMutations, VisitsMutations, ApplicationsMutations, ServicesMutations
):
    pass


__all__ = ["MarketMutations", "MarketQueries"]
