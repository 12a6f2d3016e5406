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


# --- listings ---


class InvalidListing(DomainError):
    code = "market_listing_invalid"
    status = 400
    default_message = _("This listing is not valid.")


class ImpossiblePrice(DomainError):
    code = "market_listing_impossible_price"
    status = 400
    default_message = _("This price is not possible for this listing.")


class PositionOutsideCountry(DomainError):
    code = "market_listing_outside_country"
    status = 400
    default_message = _("The GPS position is outside the listing's country.")


class UnitNotVacant(DomainError):
    code = "market_unit_not_vacant"
    status = 409
    default_message = _("Only a vacant unit can be published.")


class UnitAlreadyListed(DomainError):
    code = "market_unit_already_listed"
    status = 409
    default_message = _("This unit already has a listing online or in preparation.")


class KycTierRequired(DomainError):
    code = "market_kyc_required"
    status = 403
    default_message = _(
        "Verify your identity (an ID card, passport or driving licence) in the Hokwe app before "
        "offering a home."
    )


class InvalidPhoto(DomainError):
    code = "market_photo_invalid"
    status = 400
    default_message = _("This file is not a photo we can use (JPEG, PNG or WebP, 10 MB at most).")


# --- applications ---
from apps.core.errors import NotFound as _NotFound  # noqa: E402


class ApplicationNotFound(_NotFound):
    code = "market_application_not_found"
    status = 404
    default_message = _("This application does not exist.")


class AlreadyApplied(DomainError):
    code = "market_already_applied"
    status = 409
    default_message = _("You have already applied for this listing.")


class InvalidApplication(DomainError):
    code = "market_application_invalid"
    status = 400
    default_message = _("This application is not valid.")


class InvalidApplicationState(DomainError):
    code = "market_application_invalid_state"
    status = 409
    default_message = _("This application cannot do that in its current state.")


# --- local services ---
class ProviderNotFound(_NotFound):
    code = "market_provider_not_found"
    status = 404
    default_message = _("This service provider does not exist.")


class InvalidProvider(DomainError):
    code = "market_provider_invalid"
    status = 400
    default_message = _("This provider profile is not valid.")


class ProviderNotActive(DomainError):
    code = "market_provider_not_active"
    status = 403
    default_message = _("Your provider profile is not active yet: finish your identity verification (KYC).")


class QuoteRequestNotFound(_NotFound):
    code = "market_quote_request_not_found"
    status = 404
    default_message = _("This quote request does not exist.")


class QuoteNotFound(_NotFound):
    code = "market_quote_not_found"
    status = 404
    default_message = _("This quote does not exist.")


class InvalidQuote(DomainError):
    code = "market_quote_invalid"
    status = 400
    default_message = _("This quote is not valid.")


class InvalidQuoteState(DomainError):
    code = "market_quote_invalid_state"
    status = 409
    default_message = _("This quote cannot do that in its current state.")


class AlreadyQuoted(DomainError):
    code = "market_already_quoted"
    status = 409
    default_message = _("You have already sent a quote for this request.")


class AlreadyReviewed(DomainError):
    code = "market_already_reviewed"
    status = 409
    default_message = _("You have already reviewed this job.")


# --- search ---
class InvalidSearch(DomainError):
    code = "market_invalid_search"
    status = 400
    default_message = _("This search cannot be run; check its criteria.")


class SavedSearchNotFound(DomainError):
    code = "market_saved_search_not_found"
    status = 404
    default_message = _("This saved search does not exist.")


# --- visits ---
from apps.core.errors import NotFound as _VisitsNotFound  # noqa: E402


class SlotNotFound(_VisitsNotFound):
    code = "market_slot_not_found"
    status = 404
    default_message = _("This visit slot does not exist or is no longer open.")


class SlotTaken(DomainError):
    code = "market_slot_taken"
    status = 409
    default_message = _("This slot has just been booked by someone else. Please choose another one.")


class SlotOverlap(DomainError):
    code = "market_slot_overlap"
    status = 409
    default_message = _("You already have an open visit slot at that time.")


class InvalidSlot(DomainError):
    code = "market_slot_invalid"
    status = 400
    default_message = _("This visit slot is not valid.")


class BookingNotFound(_VisitsNotFound):
    code = "market_booking_not_found"
    status = 404
    default_message = _("This visit booking does not exist.")


class InvalidBooking(DomainError):
    code = "market_booking_invalid"
    status = 400
    default_message = _("This booking is not valid.")


class InvalidBookingState(DomainError):
    code = "market_booking_invalid_state"
    status = 409
    default_message = _("This visit cannot do that in its current state.")
