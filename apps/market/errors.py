"""Market's refusals (problem details on REST, typed errors on GraphQL, translated). Each
part appends its own under a `# --- <part> ---` comment."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class ListingNotFound(DomainError):
    code = "market_listing_not_found"
    status = 404
    default_message = _("This listing does not exist or is no longer online.")


class InvalidListingState(DomainError):
    code = "market_listing_invalid_state"
    status = 409
    default_message = _("This listing cannot do that in its current state.")
