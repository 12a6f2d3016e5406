"""scoring's REST/GraphQL parity (checked by tests/core/test_transport_parity.py). Each part
appends its own block to the four tables."""

BOTH: dict[str, str] = {}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}


# --- the tenant's own score and bureau consent ---
BOTH.update(
    {
        "POST /api/v1/scoring/me/disputes": "scoringOpenDispute",
        "POST /api/v1/scoring/me/bureau-consent/give": "scoringGiveBureauConsent",
        "POST /api/v1/scoring/me/bureau-consent/withdraw": "scoringWithdrawBureauConsent",
    }
)


# --- tenant screening: the manager's requests, reports, decisions, thresholds; the applicant's consent ---
BOTH.update(
    {
        "POST /api/v1/scoring/screening/requests": "scoringRequestScreening",
        "POST /api/v1/scoring/screening/requests/{request_id}/report": "scoringIssueScreeningReport",
        "POST /api/v1/scoring/screening/requests/{request_id}/decision": "scoringDecideScreening",
        "PATCH /api/v1/scoring/screening/policies/{organization_id}": "scoringUpdateScreeningPolicy",
        "POST /api/v1/scoring/screening/mine/{request_id}/consent/start": "scoringStartScreeningConsent",
        "POST /api/v1/scoring/screening/mine/{request_id}/consent": "scoringConfirmScreeningConsent",
        "POST /api/v1/scoring/screening/mine/{request_id}/withdraw": "scoringWithdrawScreeningConsent",
    }
)
