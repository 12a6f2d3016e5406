"""Recovery's state machines: the transition tables of contracts.py, checked in one place.
A refused change is `InvalidState` (409 `invalid_state`)."""

from apps.core.statemachine import StateMachine

from ..contracts import LEGAL_FLOW, PLAN_FLOW, PROMISE_FLOW
from ..errors import InvalidState

PROMISE_STATES = StateMachine(PROMISE_FLOW, error=InvalidState)
PLAN_STATES = StateMachine(PLAN_FLOW, error=InvalidState)
LEGAL_STATES = StateMachine(LEGAL_FLOW, error=InvalidState)
