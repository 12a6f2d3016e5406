"""The published OpenAPI schema tells the apps' developers everything a generated client needs
(issue 17): a problem-details schema on every 4xx/5xx an operation can give, the
Accept-Language and Idempotency-Key headers, and every query parameter a view reads.

The last two are checked against the views themselves, so a new filter or a new idempotent
write cannot be forgotten in the schema."""

import inspect
import re

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

from apps.core.openapi import _normalized, _view_method
from tests.fixtures.openapi_responses import _json_schema
from tests.helpers import bearer_client


@pytest.fixture(scope="module")
def generated():
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    return schema, generator


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield path, method, operation


def _param_names(operation, where):
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == where}


def test_every_error_status_is_a_problem_document(generated):
    schema, _ = generated
    problem_ref = "#/components/schemas/Problem"
    assert schema["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
        "code",
    ]
    checked = 0
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        assert "500" in responses, f"{method} {path}"
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            assert "404" in responses, f"{method} {path}"
        if method in ("post", "put", "patch", "delete"):
            assert {"400", "409"} <= set(responses), f"{method} {path}"
        if any(entry for entry in operation.get("security", [])):
            assert "401" in responses, f"{method} {path}"
        if operation.get("x-ratelimit"):
            assert {"Retry-After", "RateLimit-Reset"} <= set(responses["429"]["headers"]), f"{method} {path}"
        for status, response in responses.items():
            if int(status) >= 400:
                content = response["content"]
                assert list(content) == ["application/problem+json"], f"{method} {path} {status}"
                assert content["application/problem+json"]["schema"] == {"$ref": problem_ref}
                checked += 1
    assert checked > 500  # 145 operations, several error statuses each


def test_every_operation_documents_accept_language(generated):
    schema, _ = generated
    missing = [
        f"{m} {p}" for p, m, op in _operations(schema) if "Accept-Language" not in _param_names(op, "header")
    ]
    assert not missing, missing


def _views(generator):
    for path, _regex, method, callback in generator.endpoints:
        yield _normalized(path), method.lower(), _view_method(callback, method.lower()), callback.cls


def _schema_operation(schema, normalized_path, method):
    for path, m, operation in _operations(schema):
        if _normalized(path) == normalized_path and m == method:
            return operation
    return None  # excluded from the schema (the API root)


def test_idempotency_key_is_documented_exactly_where_the_view_honours_it(generated):
    schema, generator = generated
    documented, reads_header = set(), set()
    for path, method, view_method, _cls in _views(generator):
        if view_method is None:
            continue
        operation = _schema_operation(schema, path, method)
        if operation is None:
            continue
        if "Idempotency-Key" in _param_names(operation, "header"):
            documented.add((method, path))
        source = inspect.getsource(inspect.unwrap(view_method))
        if getattr(view_method, "accepts_idempotency_key", False) or re.search(
            r"\bHEADER\b|Idempotency-Key", source
        ):
            reads_header.add((method, path))
    assert documented == reads_header, {
        "read but not documented": sorted(reads_header - documented),
        "documented but not read": sorted(documented - reads_header),
    }
    assert ("post", "/api/*/payments/intents") in documented
    assert ("post", "/api/*/estate/me/leases/{lease_id}/pay") in documented


# Writes that move money or start a payment without creating a row (200, not 201).
MONEY_MOVES = {
    ("post", "/api/*/estate/statements/{statement_id}/close"),  # pays the landlord
    ("post", "/api/*/payments/intents/{intent_id}/confirm"),
    ("post", "/api/*/payments/intents/{intent_id}/push"),
}
PROVIDER_CALLBACKS = re.compile(r"/callbacks/")  # providers' own retries: deduplicated by event id


def test_every_create_and_money_move_accepts_an_idempotency_key(generated):
    """docs/api.md: every request that creates something or moves money accepts one."""
    schema, _ = generated
    missing = []
    for path, method, operation in _operations(schema):
        key = (method, _normalized(path))
        creates = method == "post" and "201" in operation["responses"]
        if (creates or key in MONEY_MOVES) and not PROVIDER_CALLBACKS.search(path):
            if "Idempotency-Key" not in _param_names(operation, "header"):
                missing.append(f"{method} {path}")
    assert not missing, missing


_QUERY_SERIALIZER = re.compile(r"(?:_parse|_query)\(\s*s\.(\w+Query)\b[^)]*\)?")
_QUERY_GET = re.compile(r"query_params\.get\(\s*[\"'](\w+)[\"']")


def test_every_query_parameter_a_view_reads_is_documented(generated):
    """Views read filters through a `…Query` serializer or `query_params.get("x")`; each name
    they read is a documented query parameter of their GET operation."""
    schema, generator = generated
    gaps = []
    read_somewhere = 0
    for path, method, view_method, cls in _views(generator):
        if method != "get" or view_method is None or _schema_operation(schema, path, method) is None:
            continue
        source = inspect.getsource(cls)
        module = inspect.getmodule(cls)
        names = set(_QUERY_GET.findall(source))
        for serializer_name in _QUERY_SERIALIZER.findall(source):
            serializer = getattr(module.s, serializer_name)
            names |= set(serializer().fields)
        names.discard("format")  # DRF's renderer switch
        if not names:
            continue
        read_somewhere += 1
        documented = _param_names(_schema_operation(schema, path, method), "query")
        if names - documented:
            gaps.append(f"GET {path}: {sorted(names - documented)}")
    assert not gaps, gaps
    assert read_somewhere >= 10


@pytest.mark.django_db
def test_real_error_answers_match_the_problem_schema(generated):
    """A 401, a 404, a 400 with field errors and a refused filter, validated against the
    published component (schemathesis checks the same on every fuzzed call)."""
    from tests.identity.factories import MembershipFactory

    schema, _ = generated
    components = {"components": schema["components"]}
    problem = {"$ref": "#/components/schemas/Problem", **components}
    validator = jsonschema.Draft4Validator(problem)  # OpenAPI 3.0 schemas: draft 4 with `nullable`

    from django.test import Client

    anonymous = Client().get("/api/v1/payments/intents", HTTP_ACCEPT_LANGUAGE="en")
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/problem+json"
    user = MembershipFactory(role="owner").user
    client = bearer_client(user)
    answers = [
        anonymous,
        client.get("/api/v1/payments/intents/pi_nothing"),
        client.get("/api/v1/payments/intents?status=everything"),
        client.get("/api/v1/estate/leases?status=gone"),
        client.post("/api/v1/payments/intents", {"amount": 1000.0}, content_type="application/json"),
    ]
    assert [a.status_code for a in answers] == [401, 404, 400, 400, 400]
    for answer in answers:
        body = answer.json()
        errors = sorted(validator.iter_errors(_nullable_to_draft4(body)), key=str)
        assert not errors, (answer.status_code, body, errors[:1])
    assert answers[2].json()["errors"][0]["field"] == "status"
    assert answers[3].json()["errors"][0]["field"] == "status"


def _nullable_to_draft4(body):
    """`request_id` may be null (documented `nullable: true`, which draft 4 cannot express)."""
    return {k: v for k, v in body.items() if v is not None}


def _validator(schema, target):
    definitions = {"components": _json_schema(schema["components"])}
    return jsonschema.Draft202012Validator({**_json_schema(target), **definitions})


def test_examples_match_their_schemas(generated):
    """Every example in the schema (main calls: login, refresh, intents, a tenant paying a
    lease, cash at the agency) validates against the body it illustrates."""
    schema, _ = generated
    count, failures = 0, []
    for path, method, operation in _operations(schema):
        bodies = [("request", (operation.get("requestBody") or {}).get("content", {}))]
        bodies += [(status, r.get("content", {})) for status, r in operation["responses"].items()]
        for where, content in bodies:
            for media in content.values():
                for name, example in (media.get("examples") or {}).items():
                    count += 1
                    errors = list(_validator(schema, media["schema"]).iter_errors(example["value"]))
                    if errors:
                        failures.append(f"{method} {path} {where} {name!r}: {errors[0].message}")
    assert not failures, failures
    assert count >= 13
