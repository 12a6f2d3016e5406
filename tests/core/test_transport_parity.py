"""REST and GraphQL parity, per module (issue 14, point 3; docs/api.md: both transports sit
on the same services, for the same mobile apps).

Every write use case is reachable from both transports, or is listed with a reason. Each
module that has a REST write (POST/PUT/PATCH/DELETE in the OpenAPI schema) or a GraphQL
mutation declares its parity in `tests/<module>/parity.py`, with four dicts:

- `BOTH = {"POST /api/v1/estate/leases": "createEstateLease"}`: a REST write and the mutation
  running the same use case (the same service function). Several REST writes may name one
  mutation (a manager's and a tenant's route to the same service).
- `REST_ONLY = {"POST /api/v1/kyc/callbacks/onfido": "reason"}` and
  `GRAPHQL_ONLY = {"someMutation": "reason"}`: a real, specific reason (a provider callback,
  an upload GraphQL cannot carry…).
- `MISSING = {"POST /api/v1/estate/mandates": ("mandate_create", "what is missing")}`: a
  use case reachable from one transport only, with no good reason. The first item names
  the service function the existing view (or mutation) calls, or a tuple of them when the
  use case is composed (`("draft_for_organization", "submission_submit")`: KYB submit,
  while submitKyc calls submission_submit alone). Each entry is a strict xfail asserting
  that one view or mutation of the other transport calls them all, so the gap shows in
  every run, and the day it is closed the xfail turns into a failure: move it to BOTH.

Mutations may be named by their current name or by a deprecated alias
(`deprecation_reason == "Use <newName>."`): aliases are not use cases of their own, they are
resolved to the field they stand for, so the tables keep working when fields are renamed.
REST writes belong to the module whose rest/urls.py declares their first path segment
(`auth/…` is identity's); mutations to the module whose `<Module>Mutations` declares them.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType

import graphene
import pytest
from django.conf import settings

from apps.core.discovery import apps_with

API_PREFIX = "/api/v1/"
WRITE_METHODS = ("post", "put", "patch", "delete")
REST_OPERATION = re.compile(r"(POST|PUT|PATCH|DELETE) /\S+")
ALIAS_REASON = re.compile(r"Use (\w+)\.")
TABLES = ("BOTH", "REST_ONLY", "GRAPHQL_ONLY", "MISSING")
MODULES = {app.rsplit(".", 1)[1]: app for app in settings.HOKWE_APPS}


# --- what the transports expose --------------------------------------------------------------------


@cache
def route_owners() -> dict[str, str]:
    """{first path segment under /api/v1/: module}, read from each module's rest/urls.py."""
    owners: dict[str, str] = {}
    for app in apps_with("rest.urls"):
        label = app.rsplit(".", 1)[1]
        for pattern in import_module(f"{app}.rest.urls").urlpatterns:
            route = str(pattern.pattern).lstrip("^")
            segment = route.split("/", 1)[0]
            assert segment and not set(segment) & set("<>()[]?*+\\"), (
                f"{app}.rest.urls: route {route!r} does not start with a fixed segment, "
                "so its operations cannot be attributed to a module"
            )
            owner = owners.setdefault(segment, label)
            assert owner == label, f"/api/v1/{segment}/ is declared by both {owner} and {label}"
    return owners


@cache
def rest_writes() -> dict[str, str | None]:
    """{"POST /api/v1/estate/leases": "estate"} for every write of the OpenAPI schema
    (None when no module's rest/urls.py declares the path's first segment)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    owners = route_owners()
    writes: dict[str, str | None] = {}
    for path, operations in schema["paths"].items():
        segment = path.removeprefix(API_PREFIX).split("/", 1)[0] if path.startswith(API_PREFIX) else ""
        for method in operations:
            if method in WRITE_METHODS:
                writes[f"{method.upper()} {path}"] = owners.get(segment)
    return writes


def split_mutations(schema, parts) -> tuple[dict[str, str | None], dict[str, str]]:
    """({mutation: module} for the use cases, {deprecated alias: the field it names}) of a
    graphene schema whose mutations come from `parts` ([(module, <Module>Mutations)])."""
    from hokwe.schema import root_fields

    mutation_type = schema.graphql_schema.mutation_type
    fields = mutation_type.fields if mutation_type is not None else {}
    declared = root_fields(parts)
    current: dict[str, str | None] = {}
    aliases: dict[str, str] = {}
    for name, field in fields.items():
        target = ALIAS_REASON.fullmatch(field.deprecation_reason or "")
        if target and target.group(1) in fields and target.group(1) != name:
            aliases[name] = target.group(1)
        else:
            current[name] = declared[name][0] if name in declared else None
    return current, aliases


@cache
def graphql_mutations() -> tuple[dict[str, str | None], dict[str, str]]:
    from hokwe.schema import module_parts, schema

    return split_mutations(schema, module_parts("Mutations"))


def resolve(name: str, aliases: dict[str, str] | None = None) -> str:
    """The mutation a (possibly deprecated) name stands for."""
    aliases = graphql_mutations()[1] if aliases is None else aliases
    chain = [name]
    while chain[-1] in aliases:
        chain.append(aliases[chain[-1]])
        assert len(set(chain)) == len(chain), f"deprecated aliases loop: {' -> '.join(chain)}"
    return chain[-1]


def calls_of(node: ast.AST) -> set[str]:
    """The names `node` calls, as `name(...)` or `x.name(...)`."""
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def callers(label: str, transport: str, services: tuple[str, ...]) -> list[str]:
    """The top-level classes and functions of apps/<module>/<transport>/ (a view, a mutation)
    that call every one of `services`."""
    package = Path(import_module(MODULES[label]).__file__).parent / transport
    found = []
    for source in sorted(package.rglob("*.py")):
        for node in ast.parse(source.read_text(), filename=str(source)).body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef) and set(services) <= calls_of(node):
                found.append(f"{source.relative_to(settings.BASE_DIR)}::{node.name}")
    return found


def gap_services(gap: object) -> tuple[str, ...]:
    """The service function(s) of a MISSING entry: `("name", what)` or `(("a", "b"), what)`."""
    services = gap[0] if isinstance(gap, tuple) and len(gap) == 2 else None
    services = (services,) if isinstance(services, str) else services
    if isinstance(services, tuple) and services and all(isinstance(name, str) for name in services):
        return services
    return ()


# --- the modules' tables ---------------------------------------------------------------------------


def parity_of(label: str) -> ModuleType | None:
    name = f"tests.{label}.parity"
    try:
        spec = find_spec(name)
    except ModuleNotFoundError:  # no tests/<module>/ package at all
        spec = None
    return import_module(name) if spec is not None else None


def table(parity: ModuleType | None, name: str) -> dict:
    value = getattr(parity, name, None)
    return value if isinstance(value, dict) else {}


def is_reason(text: object) -> bool:
    """A sentence, not a placeholder: at least three words."""
    return isinstance(text, str) and len(text.split()) >= 3


def missing_cases() -> list:
    cases = []
    for label in MODULES:
        for entry, gap in table(parity_of(label), "MISSING").items():
            what = gap[1] if isinstance(gap, tuple) and len(gap) == 2 else gap
            cases.append(
                pytest.param(
                    label,
                    entry,
                    gap_services(gap),
                    id=f"{label}: {entry}",
                    marks=pytest.mark.xfail(
                        strict=True,
                        raises=AssertionError,
                        reason=f"known gap, tests/{label}/parity.py MISSING: {what}",
                    ),
                )
            )
    return cases


# --- the tests -------------------------------------------------------------------------------------


def test_every_write_belongs_to_a_module():
    current, _aliases = graphql_mutations()
    orphans = [op for op, owner in rest_writes().items() if owner is None]
    orphans += [f"mutation {name}" for name, owner in current.items() if owner is None]
    assert not orphans, "no module's rest/urls.py or <Module>Mutations declares:\n  " + "\n  ".join(orphans)


def test_the_schema_has_writes_in_both_transports():
    """Guards the collection itself: an empty schema would make every table trivially true."""
    current, _aliases = graphql_mutations()
    assert rest_writes() and current


def test_a_deprecated_alias_resolves_to_the_field_it_names():
    """Fields are being renamed: a table naming the old field must keep pointing at the use case."""

    class Query(graphene.ObjectType):
        ping = graphene.String()

    class EstateMutations(graphene.ObjectType):
        estate_create_lease = graphene.String()
        create_estate_lease = graphene.String(deprecation_reason="Use estateCreateLease.")
        create_lease = graphene.String(deprecation_reason="Use createEstateLease.")
        estate_legacy_import = graphene.String(deprecation_reason="The apps never called it.")

    parts = [("estate", EstateMutations)]
    current, aliases = split_mutations(graphene.Schema(query=Query, mutation=EstateMutations), parts)
    assert current == {"estateCreateLease": "estate", "estateLegacyImport": "estate"}
    assert resolve("createLease", aliases) == resolve("createEstateLease", aliases) == "estateCreateLease"
    assert resolve("estateLegacyImport", aliases) == "estateLegacyImport"


@pytest.mark.parametrize("label", list(MODULES))
def test_parity_table_is_well_formed(label):
    parity = parity_of(label)
    if parity is None:
        return  # test_every_write_is_listed_once says whether the module needs one
    problems = [
        f"{name} is not a dict" for name in TABLES if not isinstance(getattr(parity, name, None), dict)
    ]
    for op, mutation in table(parity, "BOTH").items():
        if not isinstance(mutation, str):
            problems.append(f"BOTH[{op!r}] must name a mutation, not {mutation!r}")
    for name in ("REST_ONLY", "GRAPHQL_ONLY"):
        for entry, reason in table(parity, name).items():
            if not is_reason(reason):
                problems.append(f"{name}[{entry!r}]: give a real reason, not {reason!r}")
    for entry, gap in table(parity, "MISSING").items():
        services = gap_services(gap)
        if not (services and is_reason(gap[1])):
            problems.append(f"MISSING[{entry!r}] must be (service function(s), what is missing), not {gap!r}")
            continue
        transport = "rest" if REST_OPERATION.fullmatch(entry) else "graphql"
        if not callers(label, transport, services):
            problems.append(
                f"MISSING[{entry!r}]: no view or mutation in apps/{label}/{transport}/ calls "
                f"{' and '.join(services)}: name the service function(s) this use case runs"
            )
    assert not problems, f"tests/{label}/parity.py:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("label", list(MODULES))
def test_every_write_is_listed_once(label):
    """Every REST write and every mutation of the module is in exactly one of its tables, and
    every entry of its tables is a write of this module."""
    writes = rest_writes()
    current, aliases = graphql_mutations()
    rest = sorted(op for op, owner in writes.items() if owner == label)
    mutations = sorted(name for name, owner in current.items() if owner == label)
    parity = parity_of(label)
    if parity is None:
        if rest or mutations:
            pytest.fail(
                f"{label} has {len(rest)} REST write(s) and {len(mutations)} mutation(s) but no "
                f"tests/{label}/parity.py: declare BOTH, REST_ONLY, GRAPHQL_ONLY and MISSING there "
                "(see tests/core/test_transport_parity.py)",
                pytrace=False,
            )
        return

    problems: list[str] = []

    def rest_entry(op: str, where: str) -> str | None:
        if op not in writes:
            problems.append(f"{where}: {op!r} is not a write of the OpenAPI schema")
        elif writes[op] != label:
            problems.append(
                f"{where}: {op!r} belongs to {writes[op]}, list it in tests/{writes[op]}/parity.py"
            )
        else:
            return op
        return None

    def mutation_entry(name: str, where: str) -> str | None:
        if name not in current and name not in aliases:
            problems.append(f"{where}: there is no mutation {name!r}")
            return None
        resolved = resolve(name)
        if current.get(resolved) != label:
            problems.append(f"{where}: {name!r} belongs to {current.get(resolved)}")
            return None
        return resolved

    rest_listed: dict[str, list[str]] = {op: [] for op in rest}
    mutations_listed: dict[str, list[str]] = {name: [] for name in mutations}
    for op, mutation in table(parity, "BOTH").items():
        if (found := rest_entry(op, "BOTH")) is not None:
            rest_listed[found].append("BOTH")
        if isinstance(mutation, str) and (found := mutation_entry(mutation, f"BOTH[{op!r}]")) is not None:
            if "BOTH" not in mutations_listed[found]:  # several REST routes may share one mutation
                mutations_listed[found].append("BOTH")
    for op in table(parity, "REST_ONLY"):
        if (found := rest_entry(op, "REST_ONLY")) is not None:
            rest_listed[found].append("REST_ONLY")
    for name in table(parity, "GRAPHQL_ONLY"):
        if (found := mutation_entry(name, "GRAPHQL_ONLY")) is not None:
            mutations_listed[found].append("GRAPHQL_ONLY")
    for entry in table(parity, "MISSING"):
        if REST_OPERATION.fullmatch(entry):
            if (found := rest_entry(entry, "MISSING")) is not None:
                rest_listed[found].append("MISSING")
        elif (found := mutation_entry(entry, "MISSING")) is not None:
            mutations_listed[found].append("MISSING")

    for kind, listed, tables in (
        ("REST write", rest_listed, "BOTH, REST_ONLY or MISSING"),
        ("mutation", mutations_listed, "BOTH (as a value), GRAPHQL_ONLY or MISSING"),
    ):
        for entry, where in listed.items():
            if not where:
                problems.append(f"{kind} {entry} is not listed: add it to {tables}")
            elif len(where) > 1:
                problems.append(f"{kind} {entry} is listed more than once: {', '.join(where)}")
    assert not problems, f"tests/{label}/parity.py:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize(("label", "entry", "services"), missing_cases())
def test_missing_use_case_reaches_the_other_transport(label, entry, services):
    """Fails (strict xfail) while the gap is there; passes, and so fails the run, once fixed."""
    other = "graphql" if REST_OPERATION.fullmatch(entry) else "rest"
    assert services and callers(label, other, services), (
        f"{entry}: no {other} view or mutation of {label} calls {' and '.join(services) or '?'}"
    )
