"""invest's REST/GraphQL parity (checked by tests/core/test_transport_parity.py)."""

BOTH: dict[str, str] = {
    "POST /api/v1/invest/profile": "investSubmitProfile",
    "POST /api/v1/invest/orders": "investPlaceOrder",
    "POST /api/v1/invest/orders/{order_id}/cancel": "investCancelOrder",
    "POST /api/v1/invest/plans": "investCreatePlan",
    "PATCH /api/v1/invest/plans/{plan_id}": "investUpdatePlan",
    "POST /api/v1/invest/plans/{plan_id}/pause": "investSetPlanStatus",
    "POST /api/v1/invest/plans/{plan_id}/resume": "investSetPlanStatus",
    "POST /api/v1/invest/plans/{plan_id}/cancel": "investSetPlanStatus",
}

REST_ONLY: dict[str, str] = {
    "POST /api/v1/invest/callbacks/{partner}": (
        "a partner's signed callback over HTTP, not a use case of the apps"
    ),
}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}
