"""recovery's REST/GraphQL parity (checked by tests/core/test_transport_parity.py)."""

BOTH = {
    "POST /api/v1/recovery/cases/{case_id}/assign": "assignRecoveryCase",
    "POST /api/v1/recovery/cases/{case_id}/notes": "addRecoveryNote",
    "POST /api/v1/recovery/cases/{case_id}/close": "closeRecoveryCase",
    "POST /api/v1/recovery/cases/{case_id}/promises": "createRecoveryPromise",
    "POST /api/v1/recovery/promises/{promise_id}/cancel": "cancelRecoveryPromise",
    "POST /api/v1/recovery/cases/{case_id}/plans": "proposeRecoveryPlan",
    "POST /api/v1/recovery/plans/{plan_id}/cancel": "cancelRecoveryPlan",
    "POST /api/v1/recovery/cases/{case_id}/pay-link": "createRecoveryPayLink",
    "POST /api/v1/recovery/cases/{case_id}/formal-notices": "issueRecoveryFormalNotice",
    "POST /api/v1/recovery/cases/{case_id}/legal": "escalateRecoveryCase",
    "PATCH /api/v1/recovery/legal/{legal_id}": "updateRecoveryLegalAction",
    "POST /api/v1/recovery/cases/{case_id}/calls": "recordRecoveryCall",
    "POST /api/v1/recovery/cases/{case_id}/visits": "recordRecoveryVisit",
    "POST /api/v1/recovery/cases/{case_id}/cash": "collectRecoveryCash",
    "POST /api/v1/recovery/tasks/{task_id}/complete": "completeRecoveryTask",
    "POST /api/v1/recovery/handovers": "createRecoveryHandover",
    "PUT /api/v1/recovery/ladder": "saveRecoveryLadder",
}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING = {
    "POST /api/v1/recovery/holidays": (
        "holiday_add",
        "no mutation adds a day off to the ladder's calendar (saveRecoveryLadder saves the steps only)",
    ),
}
