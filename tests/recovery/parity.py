"""recovery's REST/GraphQL parity (checked by tests/core/test_transport_parity.py)."""

BOTH = {
    "POST /api/v1/recovery/cases/{case_id}/assign": "recoveryAssignCase",
    "POST /api/v1/recovery/cases/{case_id}/notes": "recoveryAddNote",
    "POST /api/v1/recovery/cases/{case_id}/close": "recoveryCloseCase",
    "POST /api/v1/recovery/cases/{case_id}/promises": "recoveryCreatePromise",
    "POST /api/v1/recovery/promises/{promise_id}/cancel": "recoveryCancelPromise",
    "POST /api/v1/recovery/cases/{case_id}/plans": "recoveryProposePlan",
    "POST /api/v1/recovery/plans/{plan_id}/cancel": "recoveryCancelPlan",
    "POST /api/v1/recovery/cases/{case_id}/pay-link": "recoveryCreatePayLink",
    "POST /api/v1/recovery/cases/{case_id}/formal-notices": "recoveryIssueFormalNotice",
    "POST /api/v1/recovery/cases/{case_id}/legal": "recoveryEscalateCase",
    "PATCH /api/v1/recovery/legal/{legal_id}": "recoveryUpdateLegalAction",
    "POST /api/v1/recovery/cases/{case_id}/calls": "recoveryRecordCall",
    "POST /api/v1/recovery/cases/{case_id}/visits": "recoveryRecordVisit",
    "POST /api/v1/recovery/cases/{case_id}/cash": "recoveryCollectCash",
    "POST /api/v1/recovery/tasks/{task_id}/complete": "recoveryCompleteTask",
    "POST /api/v1/recovery/handovers": "recoveryCreateHandover",
    "PUT /api/v1/recovery/ladder": "recoverySaveLadder",
    "POST /api/v1/recovery/holidays": "recoveryAddHoliday",
}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple[str, str]] = {}
