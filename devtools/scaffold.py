"""Create a new module with the standard shape (docs/contributing.md, "Adding a module").

    .venv/bin/python devtools/scaffold.py wallet --beside estate     # same layer as estate
    .venv/bin/python devtools/scaffold.py scoring --above recovery    # a new layer above

It writes apps/<name>/ (apps.py, README.md, api.py, contracts.py, events.py, errors.py,
models.py, services/, selectors.py, handlers.py, tasks.py, conf.py, messages.py, rules.py,
admin.py, graphql/{types,queries,mutations,schema}.py, rest/{serializers,views,urls}.py,
migrations/), docs/<name>.md and tests/<name>/, and adds the module to the two layer
contracts of .importlinter, which is also where settings read the module list from.
Nothing else is edited: notifications, hokwe/settings and hokwe/schema.py discover it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def files(name: str) -> dict[str, str]:
    cls = name.capitalize()
    return {
        f"apps/{name}/__init__.py": "",
        f"apps/{name}/apps.py": f'''from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class {cls}Config(AppConfig):
    name = "apps.{name}"
    label = "{name}"
    verbose_name = _("{cls}")

    def ready(self):
        from .rules import register

        register()
''',
        f"apps/{name}/README.md": f"""# {name}

What this module owns, in two sentences. Its page: [docs/{name}.md](../../docs/{name}.md).

## Public API (`api.py`, `contracts.py`, `events.py`)

| function | what |
|---|---|

## Events published (`events.py`)

None yet.

## Events consumed (`handlers.py`)

None yet.

## Surfaces

- REST `/api/v1/{name}/…`, GraphQL `{name}…` fields, admin.
""",
        f"apps/{name}/api.py": '''"""PUBLIC: the functions other modules may call. They return plain values or frozen
dataclasses from contracts.py, never querysets."""

__all__: list[str] = []
''',
        f"apps/{name}/contracts.py": '"""PUBLIC: frozen dataclasses and enums crossing the boundary (stdlib only)."""\n',
        f"apps/{name}/events.py": f'''"""PUBLIC: the domain events {name} publishes (apps.core.events.DomainEvent subclasses,
`name = "{name}.EventName"`, JSON-valued fields only)."""
''',
        f"apps/{name}/errors.py": f'''"""{cls}'s refusals: DomainError subclasses with a code and a translated message."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class {cls}Error(DomainError):
    code = "{name}_error"
    default_message = _("The operation was refused.")
''',
        f"apps/{name}/models.py": '"""Tables (BaseModel subclasses); invariants the database can hold are constraints."""\n',
        f"apps/{name}/services/__init__.py": '''"""Writes: keyword-only, typed, @transaction.atomic, permission-checked, publish events.
Named <entity>_<action>; one use case = one function, called by every transport."""
''',
        f"apps/{name}/selectors.py": '"""Reads, always scoped to what the actor may see."""\n',
        f"apps/{name}/handlers.py": '"""Reactions to other modules\' events (`@on(Event)`), thin: they call services."""\n',
        f"apps/{name}/tasks.py": '"""Celery tasks: load ids, call a service; idempotent."""\n',
        f"apps/{name}/conf.py": f'''"""{cls}'s settings, beat entries, task routes, throttle rates and OpenAPI enum names.

Read by apps.core.conf.assemble before Django starts: no models, no Django settings here."""

from apps.core.conf import env  # noqa: F401 -- {name.upper()}_SETTING = env("{name.upper()}_SETTING", default=…)

BEAT_SCHEDULE: dict = {{}}
''',
        f"apps/{name}/messages.py": f'''"""The messages {name} sends (notification templates, French and English), registered
with notifications at start-up: `register_templates(TemplateDef(key="{name}.…", …))`."""
''',
        f"apps/{name}/rules.py": f'''"""Who may do what in {name} (identity's one policy)."""

from apps.identity import api as identity

RULES: dict = {{}}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)
''',
        f"apps/{name}/admin.py": '"""Back-office: every model, money read-only."""\n',
        f"apps/{name}/migrations/__init__.py": "",
        f"apps/{name}/graphql/__init__.py": "",
        f"apps/{name}/graphql/types.py": '"""GraphQL object and input types (money through apps.core.graphql.types.MoneyField)."""\n',
        f"apps/{name}/graphql/queries.py": f'''"""{cls}Queries: every root field starts with `{name}` (docs/api.md, "GraphQL naming")."""

import graphene


class {cls}Queries(graphene.ObjectType):
    pass
''',
        f"apps/{name}/graphql/mutations.py": f'''"""{cls}Mutations: HokweMutation subclasses, fields named `{name}<Verb><Thing>`."""

import graphene


class {cls}Mutations(graphene.ObjectType):
    pass
''',
        f"apps/{name}/graphql/schema.py": f'''"""What the root schema mounts (hokwe/schema.py)."""

from .mutations import {cls}Mutations
from .queries import {cls}Queries

__all__ = ["{cls}Mutations", "{cls}Queries"]
''',
        f"apps/{name}/rest/__init__.py": "",
        f"apps/{name}/rest/serializers.py": '"""REST shapes (StrictSerializer for inputs, MoneyField for amounts)."""\n',
        f"apps/{name}/rest/views.py": '"""Thin views: parse, call a service, render."""\n',
        f"apps/{name}/rest/urls.py": f'''"""Mounted under /api/v1/ (paths start with `{name}/`)."""

urlpatterns: list = []
''',
        f"docs/{name}.md": f"""# {name}

What it does for its users, as built. Surfaces, settings, events, and what is left out.
""",
        f"tests/{name}/__init__.py": "",
    }


def add_to_importlinter(text: str, name: str, *, beside: str | None, above: str | None) -> str:
    layers = re.search(r"(\[importlinter:contract:app-layers\].*?layers =\n)((?:    [^\n]*\n)+)", text, re.S)
    lines = layers.group(2).splitlines(keepends=True)
    # A planned module stands in the contract as an optional layer "(apps.<name>)": drop it.
    planned = re.compile(rf"\s*\|?\s*\(apps\.{name}\)\s*\|?")
    lines = [planned.sub(lambda m: " | " if m.group(0).count("|") == 2 else "", line) for line in lines]
    lines = [re.sub(r"^(\s*)\|\s*", r"\1", line).rstrip(" |\n") + "\n" for line in lines]
    lines = ["    " + re.sub(r"\s*\|\s*", " | ", line.strip()) + "\n" for line in lines if line.strip()]
    anchor = f"apps.{beside or above}"
    index = next(
        (i for i, line in enumerate(lines) if re.search(rf"\(?{re.escape(anchor)}\)?(\s|\||$)", line)), None
    )
    if index is None:
        raise SystemExit(f"{anchor} is not in the app-layers contract")
    if beside:
        lines[index] = lines[index].rstrip("\n") + f" | apps.{name}\n"
    else:
        lines.insert(index, f"    apps.{name}\n")
    text = text[: layers.start(2)] + "".join(lines) + text[layers.end(2) :]
    containers = re.search(
        r"(\[importlinter:contract:inside-apps\].*?containers =\n)((?:    [^\n]*\n)+)", text, re.S
    )
    return text[: containers.end(2)] + f"    apps.{name}\n" + text[containers.end(2) :]


def main(argv=None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="the module's name: lowercase, e.g. wallet")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--beside", help="put it in the same layer as this module")
    where.add_argument("--above", help="put it in a new layer right above this module")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z][a-z_]*", args.name):
        parser.error("the name is lowercase letters and underscores")
    if (root / "apps" / args.name).exists():
        parser.error(f"apps/{args.name} exists already")
    config = root / ".importlinter"
    config.write_text(
        add_to_importlinter(config.read_text(), args.name, beside=args.beside, above=args.above)
    )
    for relative, content in files(args.name).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    print(f"apps/{args.name} created; next: docs/contributing.md, 'Adding a module'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
