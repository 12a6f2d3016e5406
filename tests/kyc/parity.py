"""kyc's REST/GraphQL parity (checked by tests/core/test_transport_parity.py)."""

BOTH = {
    "PATCH /api/v1/kyc/submission": "updateKycSubmission",
    "POST /api/v1/kyc/submission/submit": "submitKyc",
    "POST /api/v1/kyc/documents": "uploadKycDocument",
    "DELETE /api/v1/kyc/documents/{document_id}": "deleteKycDocument",
}

REST_ONLY = {
    "POST /api/v1/kyc/callbacks/smile-id": (
        "Smile ID's signed result callback: the provider calls it, no app does"
    ),
    "POST /api/v1/kyc/callbacks/onfido": "Onfido's signed webhook: the provider calls it, no app does",
}

GRAPHQL_ONLY: dict[str, str] = {}

# The KYB (an organization's verification) is queryable over GraphQL (organizationKyb) but
# cannot be filled in or submitted there.
MISSING = {
    "PATCH /api/v1/kyc/organizations/{org_id}": (
        ("draft_for_organization", "submission_update"),
        "no mutation fills in an organization's KYB draft",
    ),
    "POST /api/v1/kyc/organizations/{org_id}/directors": (
        "director_add",
        "no mutation adds a director to the KYB draft",
    ),
    "DELETE /api/v1/kyc/organizations/{org_id}/directors/{director_id}": (
        "director_remove",
        "no mutation removes a director from the KYB draft",
    ),
    "POST /api/v1/kyc/organizations/{org_id}/documents": (
        "kyb_document_upload",
        "no mutation uploads a KYB document (RCCM, IFU, a director's ID), although "
        "uploadKycDocument shows base64 upload works over GraphQL",
    ),
    "POST /api/v1/kyc/organizations/{org_id}/submit": (
        ("draft_for_organization", "submission_submit"),
        "no mutation submits an organization's KYB (submitKyc submits the person's own only)",
    ),
}
