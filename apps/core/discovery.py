"""Find each module's conventional parts (handlers, graphql.schema, rest.urls, demo…).

The one place that imports modules by name: the composition root (hokwe/urls.py,
hokwe/schema.py), core's start-up and `seed_demo` ask here, and never name a module."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings


def has_part(app: str, part: str) -> bool:
    try:
        return find_spec(f"{app}.{part}") is not None
    except ModuleNotFoundError:  # a parent is a plain module, not a package
        return False


def apps_with(part: str) -> list[str]:
    """The modules of HOKWE_APPS (lowest layer first) that have `part`."""
    return [app for app in settings.HOKWE_APPS if has_part(app, part)]


def import_parts(part: str) -> list[tuple[str, object]]:
    """[(label, imported module)] for every module that has `part`."""
    return [(app.rsplit(".", 1)[1], import_module(f"{app}.{part}")) for app in apps_with(part)]
