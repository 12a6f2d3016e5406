"""estate's REST/GraphQL parity (checked by tests/core/test_transport_parity.py)."""

BOTH = {
    "POST /api/v1/estate/properties": "createEstateProperty",
    "POST /api/v1/estate/properties/{property_id}/units": "createEstateUnit",
    "POST /api/v1/estate/properties/{property_id}/announcements": "sendEstateAnnouncement",
    "POST /api/v1/estate/leases": "createEstateLease",
    "POST /api/v1/estate/leases/{lease_id}/terms": "changeEstateLeaseTerms",
    "POST /api/v1/estate/leases/{lease_id}/end": "endEstateLease",
    "POST /api/v1/estate/leases/{lease_id}/payments": "recordEstatePayment",
    "POST /api/v1/estate/dues/{due_id}/adjustments": "adjustEstateDue",
    "POST /api/v1/estate/dues/{due_id}/pay-link": "requestEstatePayLink",
    # ticket_open: a manager opens one on a property, a tenant on their lease; GraphQL takes
    # propertyId or leaseId on the one mutation.
    "POST /api/v1/estate/tickets": "openEstateTicket",
    "POST /api/v1/estate/me/tickets": "openEstateTicket",
    "PATCH /api/v1/estate/tickets/{ticket_id}": "updateEstateTicket",
    "POST /api/v1/estate/statements/{statement_id}/close": "closeEstateStatement",
}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING = {
    "PATCH /api/v1/estate/properties/{property_id}": (
        "property_update",
        "no mutation edits a property",
    ),
    "PATCH /api/v1/estate/units/{unit_id}": ("unit_update", "no mutation edits a unit"),
    "POST /api/v1/estate/mandates": (
        "mandate_create",
        "no mutation creates a management mandate",
    ),
    "POST /api/v1/estate/leases/{lease_id}/notice": (
        "lease_give_notice",
        "no mutation records a lease notice",
    ),
    "POST /api/v1/estate/leases/{lease_id}/deposit-settlement": (
        "deposit_settle",
        "no mutation settles a lease's deposit",
    ),
    "POST /api/v1/estate/dues/{due_id}/write-off": (
        "due_write_off",
        "no mutation writes a due off (adjustEstateDue only adjusts it)",
    ),
}
