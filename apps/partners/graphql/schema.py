"""Partners' GraphQL, as the root schema imports it."""

from .mutations import PartnersMutations
from .queries import PartnersQueries

__all__ = ["PartnersMutations", "PartnersQueries"]
