"""estate's REST/GraphQL parity (checked by tests/core/test_transport_parity.py)."""

BOTH = {
    "POST /api/v1/estate/properties": "createEstateProperty",
    "PATCH /api/v1/estate/properties/{property_id}": "estateUpdateProperty",
    "POST /api/v1/estate/properties/{property_id}/units": "createEstateUnit",
    "PATCH /api/v1/estate/units/{unit_id}": "estateUpdateUnit",
    "POST /api/v1/estate/properties/{property_id}/announcements": "sendEstateAnnouncement",
    "POST /api/v1/estate/mandates": "estateCreateMandate",
    "POST /api/v1/estate/leases": "createEstateLease",
    "POST /api/v1/estate/leases/{lease_id}/terms": "changeEstateLeaseTerms",
    "POST /api/v1/estate/leases/{lease_id}/notice": "estateGiveLeaseNotice",
    "POST /api/v1/estate/leases/{lease_id}/end": "endEstateLease",
    "POST /api/v1/estate/leases/{lease_id}/payments": "recordEstatePayment",
    "POST /api/v1/estate/leases/{lease_id}/deposit-settlement": "estateSettleDeposit",
    "POST /api/v1/estate/dues/{due_id}/adjustments": "adjustEstateDue",
    "POST /api/v1/estate/dues/{due_id}/write-off": "estateWriteOffDue",
    "POST /api/v1/estate/dues/{due_id}/pay-link": "requestEstatePayLink",
    # the tenant app: pay a lease (balance, part, ahead) with the pay link's rules
    "POST /api/v1/estate/me/leases/{lease_id}/pay": "estatePayMyLease",
    # ticket_open: a manager opens one on a property, a tenant on their lease; GraphQL takes
    # propertyId or leaseId on the one mutation.
    "POST /api/v1/estate/tickets": "openEstateTicket",
    "POST /api/v1/estate/me/tickets": "openEstateTicket",
    "PATCH /api/v1/estate/tickets/{ticket_id}": "updateEstateTicket",
    # reading a statement (GET, estateStatement) writes nothing; preparing it is a write
    "POST /api/v1/estate/statements": "estatePrepareStatement",
    "POST /api/v1/estate/statements/{statement_id}/close": "closeEstateStatement",
    "PATCH /api/v1/estate/settings": "estateUpdateSettings",
    # statement import and matching (issue 16): the file is multipart on REST, base64 on GraphQL
    "POST /api/v1/estate/statements/imports": "estateImportStatement",
    "POST /api/v1/estate/statements/lines/{statement_line_id}/confirm": "estateConfirmStatementLine",
    "POST /api/v1/estate/statements/lines/{statement_line_id}/ignore": "estateIgnoreStatementLine",
    "DELETE /api/v1/estate/statements/rules/{statement_rule_id}": "estateDeleteStatementRule",
}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple[str, str]] = {}
