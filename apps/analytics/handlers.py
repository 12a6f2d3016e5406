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


# --- payments' outcomes: the success rate per provider and method (« Payment success monitoring ») ---
from apps.core.events import on as _on  # noqa: E402
from apps.payments.events import PaymentFailed, PaymentSucceeded  # noqa: E402

from . import metrics as _metrics  # noqa: E402
from .services.monitoring import payment_outcome_count, payment_success_rates  # noqa: E402

_metrics.register(source=payment_success_rates)  # the collector on /metrics, in every process


@_on(PaymentSucceeded)
def payment_outcome_succeeded(event: PaymentSucceeded, *, event_id: str) -> None:
    payment_outcome_count(provider=event.provider, method=event.method, outcome="succeeded")


@_on(PaymentFailed)
def payment_outcome_failed(event: PaymentFailed, *, event_id: str) -> None:
    """PaymentFailed names no method (payments sets the intent's method on success only): the
    method is read from the event when payments adds it, « unknown » until then."""
    payment_outcome_count(provider=event.provider, method=getattr(event, "method", ""), outcome="failed")
