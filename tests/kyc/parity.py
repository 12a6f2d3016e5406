"""kyc's REST/GraphQL parity (checked by tests/core/test_transport_parity.py)."""

BOTH = {
    "PATCH /api/v1/kyc/submission": "updateKycSubmission",
    "POST /api/v1/kyc/submission/submit": "submitKyc",
    "POST /api/v1/kyc/documents": "uploadKycDocument",
    "DELETE /api/v1/kyc/documents/{document_id}": "deleteKycDocument",
    # an organization's KYB
    "PATCH /api/v1/kyc/organizations/{org_id}": "kycUpdateOrganizationKyb",
    "POST /api/v1/kyc/organizations/{org_id}/directors": "kycAddDirector",
    "DELETE /api/v1/kyc/organizations/{org_id}/directors/{director_id}": "kycRemoveDirector",
    "POST /api/v1/kyc/organizations/{org_id}/documents": "kycUploadOrganizationDocument",
    "POST /api/v1/kyc/organizations/{org_id}/submit": "kycSubmitOrganizationKyb",
}

REST_ONLY = {
    "POST /api/v1/kyc/callbacks/smile-id": (
        "Smile ID's signed result callback: the provider calls it, no app does"
    ),
    "POST /api/v1/kyc/callbacks/onfido": "Onfido's signed webhook: the provider calls it, no app does",
}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}
