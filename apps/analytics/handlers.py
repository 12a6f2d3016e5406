"""Reactions to other modules' events (`@on(Event)`), thin: they call services.

Rollups: one handler per event a module's kpis.py counts (apps/core/kpis.py). The outbox runs
it once per event; the rollup service also records the event's id, so a second delivery (or
a replay outside the outbox) adds nothing."""

from apps.core.events import on

from .services.registry import kpis
from .services.rollups import apply_facts


def _rollup_handler(event_name: str, sources: list):
    def handle(event, *, event_id: str) -> None:
        facts = [fact for source in sources for fact in next(iter(source.facts([event])), [])]
        apply_facts([(event_id, event_name, facts)])

    handle.__qualname__ = f"rollup[{event_name}]"  # the outbox's record of this handler
    return handle


for _name, _sources in kpis().sources.items():
    on(_sources[0].event)(_rollup_handler(_name, _sources))


# --- payments' outcomes: the success rate per provider and method (« Payment success monitoring »),
# read from the rollups of payments' kpis.py by the collector on /metrics, in every process ---
from . import metrics as _metrics  # noqa: E402
from .services.monitoring import payment_success_rates  # noqa: E402

_metrics.register(source=payment_success_rates)
