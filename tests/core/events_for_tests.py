"""A test-only event and handler; effects are counted in Redis so a real worker (another
thread) and the test see the same numbers."""

from dataclasses import dataclass

from django.core.cache import cache

from apps.core.events import DomainEvent, on


@dataclass(frozen=True)
class PingHappened(DomainEvent):
    name = "tests.PingHappened"
    tag: str
    fail: bool = False


def handled_count(tag: str) -> int:
    return cache.get(f"ping-handled:{tag}", 0)


@on(PingHappened)
def count_ping(event: PingHappened, *, event_id: str) -> None:
    if event.fail:
        raise RuntimeError("handler asked to fail")
    key = f"ping-handled:{event.tag}"
    cache.add(key, 0, timeout=600)
    cache.incr(key)
