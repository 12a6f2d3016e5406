"""Panels: a module shows its part on another module's page without that module naming it.

A page declares a slot in its template (`{% load panels %}{% panels "estate.lease" lease=lease.public_id %}`);
each module that has something to show there writes `apps/<module>/panels.py` (found by
`discovery`, core never names a module) with `PANELS`, a list of `Panel`. A panel's
`context(request, **ids)` receives the ids the slot passes (public ids, never rows: the
module reads what it needs through the page module's api.py, scoped to `request.user`) and
returns the context of its template, or None to show nothing on this page.

Slots in place: `estate.property` (property=<uuid>: the property page, its units),
`estate.lease` (lease=<uuid>: the manager's lease page), `estate.tenant` (the tenant's space),
`estate.dashboard` (the agency's dashboard), `estate.owner` (a landlord's owner portal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from .discovery import import_parts


@dataclass(frozen=True)
class Panel:
    slot: str  # "estate.lease", …
    template: str  # the module's own template
    context: Callable[..., dict | None]  # (request, **ids) -> context, or None: not shown
    order: int = 100  # smaller first


@cache
def registered() -> dict[str, tuple[Panel, ...]]:
    by_slot: dict[str, list[Panel]] = {}
    for _label, module in import_parts("panels"):
        for panel in getattr(module, "PANELS", ()):
            by_slot.setdefault(panel.slot, []).append(panel)
    return {slot: tuple(sorted(panels, key=lambda p: p.order)) for slot, panels in by_slot.items()}


def render_slot(request: HttpRequest, slot: str, **ids) -> SafeString:
    """The HTML of every panel registered for `slot` that has something to show."""
    parts = []
    for panel in registered().get(slot, ()):
        context = panel.context(request, **ids)
        if context is not None:
            parts.append(render_to_string(panel.template, context, request=request))
    # each part is a rendered (autoescaped) template: safe as it is, joined without escaping
    return format_html_join("", "{}", ((part,) for part in parts))
