"""GraphQL protection: depth and cost limits, a cap on list sizes, introspection switch and
persisted queries (an allow-list by sha256, Apollo's `extensions.persistedQuery`).

The validation rules run with graphql-core's own (`validation_rules(variables)`), before
anything executes, so an abusive document costs one parse. Settings (docs/api.md):
    GRAPHQL_MAX_DEPTH (12), GRAPHQL_MAX_COST (5000), GRAPHQL_MAX_LIST_SIZE (200),
    GRAPHQL_DEFAULT_LIST_SIZE (20: assumed size of a list fetched without first/last),
    GRAPHQL_INTROSPECTION (off in prod), GRAPHQL_MAX_QUERY_CHARS (20000),
    GRAPHQL_PERSISTED_QUERIES ("off" | "allow" | "only"), GRAPHQL_PERSISTED_QUERIES_FILE.

Cost: each field costs 1; a list field multiplies the cost of its selection by its `first` /
`last` / `limit` / `pageSize` argument, or by GRAPHQL_DEFAULT_LIST_SIZE without one (a
connection's `edges` under a sized field is not multiplied twice). Introspection fields
(`__schema`, `__type`) are bounded by graphql-core's own introspection-depth rule instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models.query import QuerySet
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    ValidationRule,
    VariableNode,
    get_named_type,
    is_list_type,
    specified_rules,
)
from graphql.validation import NoSchemaIntrospectionCustomRule

from apps.core.errors import Unauthenticated

logger = logging.getLogger("hokwe.graphql")

SIZE_ARGUMENTS = ("first", "last", "limit", "pageSize", "page_size")


def _unwrap_non_null(type_):
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _argument_value(node, variables: dict):
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, VariableNode):
        value = variables.get(node.name.value)
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    return None


class _Analysis:
    """Depth and cost of one operation, and the list-size arguments over the cap."""

    def __init__(self, context, variables: dict):
        self.context = context
        self.variables = variables
        self.max_list = settings.GRAPHQL_MAX_LIST_SIZE
        self.default_list = settings.GRAPHQL_DEFAULT_LIST_SIZE
        self.oversized: list[tuple[str, int]] = []
        self.introspection_depth = 0

    def depth_only(self, selection_set, depth: int, seen: frozenset) -> int:
        """The depth of a selection whose types are not looked up (introspection)."""
        deepest = depth
        if selection_set is None:
            return deepest
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                deepest = max(deepest, self.depth_only(node.selection_set, depth + 1, seen))
            elif isinstance(node, InlineFragmentNode):
                deepest = max(deepest, self.depth_only(node.selection_set, depth, seen))
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                fragment = self.context.get_fragment(name)
                if fragment is not None and name not in seen:
                    deepest = max(deepest, self.depth_only(fragment.selection_set, depth, seen | {name}))
        return deepest

    def selection(self, selection_set, parent_type, depth: int, sized: bool, seen: frozenset):
        """-> (max depth, cost) of a selection set."""
        max_depth, cost = depth, 0
        if selection_set is None:
            return max_depth, cost
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                d, c = self.field(node, parent_type, depth + 1, sized)
            elif isinstance(node, InlineFragmentNode):
                type_ = parent_type
                if node.type_condition is not None:
                    type_ = self.context.schema.get_type(node.type_condition.name.value) or parent_type
                d, c = self.selection(node.selection_set, type_, depth, sized, seen)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in seen:  # unknown / cyclic: other rules report it
                    continue
                type_ = self.context.schema.get_type(fragment.type_condition.name.value) or parent_type
                d, c = self.selection(fragment.selection_set, type_, depth, sized, seen | {name})
            else:
                continue
            max_depth, cost = max(max_depth, d), cost + c
        return max_depth, cost

    def field(self, node: FieldNode, parent_type, depth: int, sized: bool):
        name = node.name.value
        if name == "__typename":
            return depth - 1, 0
        if name.startswith("__"):
            # Introspection has its own depth limit (GRAPHQL_MAX_INTROSPECTION_DEPTH: the
            # standard query of GraphiQL and the code generators is 15 deep, its `ofType`
            # chain alone 9); its fan-out (`fields { type { fields … } } }`) is bounded by
            # graphql-core's MaxIntrospectionDepthRule; it costs nothing.
            self.introspection_depth = max(
                self.introspection_depth, self.depth_only(node.selection_set, depth, frozenset())
            )
            return depth - 1, 0
        fields = getattr(parent_type, "fields", None) or {}
        definition = fields.get(name)
        if definition is None:
            return depth, 1  # unknown field: FieldsOnCorrectTypeRule reports it
        size = None
        for argument in node.arguments or ():
            if argument.name.value in SIZE_ARGUMENTS:
                value = _argument_value(argument.value, self.variables)
                if value is not None:
                    size = value if size is None else max(size, value)
                    if value > self.max_list:
                        self.oversized.append((name, value))
        return_type = _unwrap_non_null(definition.type)
        if size is not None:
            multiplier, child_sized = max(size, 1), True
        elif is_list_type(return_type) or isinstance(return_type, GraphQLList):
            multiplier, child_sized = (1 if sized else self.default_list), False
        else:
            multiplier, child_sized = 1, sized
        child_depth, child_cost = self.selection(
            node.selection_set, get_named_type(return_type), depth, child_sized, frozenset()
        )
        return max(depth, child_depth), 1 + multiplier * child_cost


def _limits_rule(variables: dict) -> type[ValidationRule]:
    class QueryLimitsRule(ValidationRule):
        """Refuses operations deeper than GRAPHQL_MAX_DEPTH, costlier than GRAPHQL_MAX_COST,
        or asking for more than GRAPHQL_MAX_LIST_SIZE items of a list."""

        def enter_operation_definition(self, node: OperationDefinitionNode, *_args):
            schema = self.context.schema
            root = {
                "query": schema.query_type,
                "mutation": schema.mutation_type,
                "subscription": schema.subscription_type,
            }[node.operation.value]
            if root is None:
                return
            analysis = _Analysis(self.context, variables or {})
            depth, cost = analysis.selection(node.selection_set, root, 0, False, frozenset())
            if depth > settings.GRAPHQL_MAX_DEPTH:
                self.report_error(
                    GraphQLError(
                        f"Query depth {depth} exceeds the limit of {settings.GRAPHQL_MAX_DEPTH}.",
                        node,
                        extensions={"code": "query_too_deep", "limit": settings.GRAPHQL_MAX_DEPTH},
                    )
                )
            if cost > settings.GRAPHQL_MAX_COST:
                self.report_error(
                    GraphQLError(
                        f"Query cost {cost} exceeds the limit of {settings.GRAPHQL_MAX_COST}.",
                        node,
                        extensions={
                            "code": "query_too_costly",
                            "cost": cost,
                            "limit": settings.GRAPHQL_MAX_COST,
                        },
                    )
                )
            limit = settings.GRAPHQL_MAX_INTROSPECTION_DEPTH
            if analysis.introspection_depth > limit:
                self.report_error(
                    GraphQLError(
                        f"Introspection depth {analysis.introspection_depth} exceeds the limit of {limit}.",
                        node,
                        extensions={"code": "query_too_deep", "limit": limit},
                    )
                )
            for field, value in analysis.oversized:
                self.report_error(
                    GraphQLError(
                        f"{field}: at most {analysis.max_list} items per page (asked {value}).",
                        node,
                        extensions={"code": "list_too_large", "limit": analysis.max_list},
                    )
                )

    return QueryLimitsRule


def validation_rules(variables: dict | None) -> tuple[type[ValidationRule], ...]:
    """graphql-core's specified rules plus ours (variables are needed for list sizes)."""
    rules = [*specified_rules, _limits_rule(variables if isinstance(variables, dict) else {})]
    if not settings.GRAPHQL_INTROSPECTION:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)


class ListCapMiddleware:
    """Execution-time safety net: a resolver returning a queryset or list for a list field
    never yields more than GRAPHQL_MAX_LIST_SIZE items (a queryset is sliced in SQL). The
    introspection types' lists (a root type's fields: more than 200 since ads) are the schema
    itself, whole."""

    def resolve(self, next_, root, info, **args):
        result = next_(root, info, **args)
        if not is_list_type(_unwrap_non_null(info.return_type)):
            return result
        if info.parent_type.name.startswith("__"):
            return result  # the schema's own description (introspection): never cut short
        cap = settings.GRAPHQL_MAX_LIST_SIZE
        if isinstance(result, QuerySet):
            return result if result.query.is_sliced else result[:cap]
        if isinstance(result, (list, tuple)) and len(result) > cap:
            logger.warning("graphql_list_truncated", extra={"field": info.field_name, "size": len(result)})
            return result[:cap]
        return result


class LoginRequiredMiddleware:
    """A root query field outside the modules' `public_fields` needs a signed-in caller:
    without one it answers a top-level error with `extensions.code: unauthenticated`
    (HokweMutation does the same for mutations, in their typed payload)."""

    def __init__(self, public_fields: frozenset[str]):
        self.public_fields = public_fields

    def resolve(self, next_, root, info, **args):
        if (
            root is None
            and info.parent_type is info.schema.query_type
            and not info.field_name.startswith("__")
            and info.field_name not in self.public_fields
            and not getattr(getattr(info.context, "user", None), "is_authenticated", False)
        ):
            raise Unauthenticated()
        return next_(root, info, **args)


# --- Persisted queries -----------------------------------------------------------------------


class PersistedQueryError(Exception):
    def __init__(self, code: str, message: str, status: int = 200):
        self.code, self.message, self.status = code, message, status
        super().__init__(message)


def query_hash(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8")).hexdigest()


@lru_cache(maxsize=4)
def _load_allow_list(path: str, mtime: float) -> dict[str, str]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict) and "operations" in data:  # Apollo persisted-query manifest
        entries = {op["id"]: op["body"] for op in data["operations"]}
    else:
        entries = dict(data)
    for digest, query in entries.items():
        if query_hash(query) != digest:
            raise ValueError(f"Persisted query {digest[:12]}… does not match its sha256")
    return entries


def allow_list() -> dict[str, str]:
    path = settings.GRAPHQL_PERSISTED_QUERIES_FILE
    if not path:
        return {}
    return _load_allow_list(str(path), Path(path).stat().st_mtime)


def resolve_persisted_query(query: str | None, extensions) -> str | None:
    """Apply the persisted-query protocol; returns the query text to run.

    mode "off": extensions are ignored (a hash-only request gets PERSISTED_QUERY_NOT_SUPPORTED);
    "allow": a known hash runs its stored query, raw queries still run;
    "only": only allow-listed queries run (the mobile apps' release builds)."""
    mode = settings.GRAPHQL_PERSISTED_QUERIES
    if isinstance(extensions, str):
        try:
            extensions = json.loads(extensions)
        except ValueError:
            raise PersistedQueryError("bad_request", "extensions is not valid JSON.", 400)
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    if mode == "off":
        if persisted and not query:
            raise PersistedQueryError("PERSISTED_QUERY_NOT_SUPPORTED", "PersistedQueryNotSupported")
        return query
    if persisted:
        digest = str(persisted.get("sha256Hash", "")).lower() if isinstance(persisted, dict) else ""
        if query and query_hash(query) != digest:
            raise PersistedQueryError("bad_request", "provided sha does not match query", 400)
        stored = allow_list().get(digest)
        if stored is None:
            raise PersistedQueryError("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
        return stored
    if mode == "only" and query and query_hash(query) not in allow_list():
        raise PersistedQueryError(
            "persisted_query_required", "Only persisted (allow-listed) queries are accepted.", 400
        )
    return query
