"""A small state machine: which status may follow which, checked in one place.

    DUE_STATES = StateMachine({Due.OPEN: {Due.PARTIAL, Due.PAID}, Due.PARTIAL: {Due.PAID}})
    DUE_STATES.check(due.status, Due.PAID)   # raises InvalidTransition (409) otherwise

The table itself may live in a module's contracts (stdlib only); services wrap it here.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from django.utils.translation import gettext_lazy as _

from .errors import Conflict


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = _("This change of status is not allowed.")


class StateMachine:
    def __init__(
        self,
        transitions: Mapping[Hashable, Iterable[Hashable]],
        *,
        error: type[InvalidTransition] = InvalidTransition,
    ):
        self.transitions = {state: frozenset(targets) for state, targets in transitions.items()}
        self.error = error
        unknown = {t for targets in self.transitions.values() for t in targets} - set(self.transitions)
        if unknown:
            raise ValueError(f"targets without an entry of their own: {sorted(map(str, unknown))}")

    @property
    def states(self) -> frozenset:
        return frozenset(self.transitions)

    def targets(self, current) -> frozenset:
        return self.transitions.get(current, frozenset())

    def can(self, current, target) -> bool:
        return target in self.targets(current)

    def check(self, current, target, *, field: str | None = None) -> None:
        """Raise `error` unless `current -> target` is allowed."""
        if not self.can(current, target):
            raise self.error(field=field)

    def terminal(self, state) -> bool:
        return not self.targets(state)
