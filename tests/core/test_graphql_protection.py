"""GraphQL protection: depth, cost and list-size limits, the introspection switch, the
execution-time list cap and persisted queries (sha256 allow-list)."""

import hashlib
import json

import graphene
import pytest
from django.test import Client
from graphql import parse, validate

from apps.core.graphql.protection import ListCapMiddleware, validation_rules
from tests.helpers import graphql_post

pytestmark = pytest.mark.django_db


class Node(graphene.ObjectType):
    name = graphene.String()
    children = graphene.List(lambda: Node, first=graphene.Int())


class Query(graphene.ObjectType):
    root = graphene.Field(Node)
    many = graphene.List(graphene.Int)

    def resolve_root(self, info):
        return {"name": "root"}

    def resolve_many(self, info):
        return list(range(1000))


SCHEMA = graphene.Schema(query=Query)


def errors(query, variables=None):
    result = validate(SCHEMA.graphql_schema, parse(query), validation_rules(variables))
    return [(e.extensions or {}).get("code") for e in result]


def nested(depth: int, first: int | None = None) -> str:
    args = f"(first: {first})" if first is not None else ""
    inner = "name"
    for _ in range(depth):
        inner = f"children{args} {{ {inner} }}"
    return f"{{ root {{ {inner} }} }}"


def test_depth_limit(settings):
    settings.GRAPHQL_MAX_DEPTH = 5
    assert errors(nested(3, first=1)) == []
    assert "query_too_deep" in errors(nested(6, first=1))


def test_depth_limit_follows_fragments(settings):
    settings.GRAPHQL_MAX_DEPTH = 4
    query = """
      query { root { ...A } }
      fragment A on Node { children(first: 1) { ...B } }
      fragment B on Node { children(first: 1) { children(first: 1) { children(first: 1) { name } } } }
    """
    assert "query_too_deep" in errors(query)


def test_cost_multiplies_by_page_sizes(settings):
    settings.GRAPHQL_MAX_COST = 1000
    settings.GRAPHQL_MAX_LIST_SIZE = 200
    assert errors(nested(2, first=10)) == []  # ~ 1 + 10 * (1 + 10 * 2)
    assert "query_too_costly" in errors(nested(3, first=50))  # 50^3 leaves
    aliases = "{ " + " ".join(f"a{i}: root {{ name }}" for i in range(600)) + " }"
    assert "query_too_costly" in errors(aliases)  # alias batching is counted too


def test_lists_without_first_count_as_the_default_size(settings):
    settings.GRAPHQL_MAX_COST = 100
    settings.GRAPHQL_DEFAULT_LIST_SIZE = 20
    assert errors("{ root { children { name } } }") == []
    assert "query_too_costly" in errors("{ root { children { children { name } } } }")


def test_page_size_cap_applies_to_literals_and_variables(settings):
    settings.GRAPHQL_MAX_LIST_SIZE = 200
    assert "list_too_large" in errors("{ root { children(first: 500) { name } } }")
    query = "query($n: Int) { root { children(first: $n) { name } } }"
    assert "list_too_large" in errors(query, {"n": 1000})
    assert errors(query, {"n": 100}) == []


def test_execution_caps_list_results(settings):
    settings.GRAPHQL_MAX_LIST_SIZE = 50
    result = SCHEMA.execute("{ many }", middleware=[ListCapMiddleware()])
    assert len(result.data["many"]) == 50


def test_introspection_lists_are_never_cut_short(settings):
    """A client generating its types reads every field of a root type (more than 200 since
    ads): the schema's own description is not a list result to cap."""
    from hokwe.schema import schema

    settings.GRAPHQL_MAX_LIST_SIZE = 50
    whole = len(schema.graphql_schema.mutation_type.fields)
    result = schema.execute(
        '{ __type(name: "Mutation") { fields(includeDeprecated: true) { name } } }',
        middleware=[ListCapMiddleware()],
    )
    assert whole > 50 and len(result.data["__type"]["fields"]) == whole


gql = graphql_post


@pytest.fixture
def app_client(user):
    from apps.identity.services.tokens import tokens_issue

    token = tokens_issue(user=user, auth_method="otp").access_token
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_introspection_can_be_switched_off(settings, app_client):
    query = {"query": "{ __schema { queryType { name } } }"}
    assert gql(app_client, query).json()["data"]["__schema"]["queryType"]["name"] == "Query"
    settings.GRAPHQL_INTROSPECTION = False
    refused = gql(app_client, query)
    assert refused.status_code == 400 and "introspection" in refused.json()["errors"][0]["message"].lower()
    assert gql(app_client, {"query": "{ serverInfo { version } }"}).status_code == 200


def test_over_long_documents_are_refused_before_parsing(settings, app_client):
    settings.GRAPHQL_MAX_QUERY_CHARS = 100
    response = gql(app_client, {"query": "{ serverInfo { version } }" + " " * 200})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "query_too_long"


QUERY = "query ServerVersion { serverInfo { version } }"
DIGEST = hashlib.sha256(QUERY.encode()).hexdigest()


@pytest.fixture
def allow_list(tmp_path, settings):
    manifest = tmp_path / "persisted-queries.json"
    manifest.write_text(
        json.dumps(
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [{"id": DIGEST, "name": "ServerVersion", "type": "query", "body": QUERY}],
            }
        )
    )
    settings.GRAPHQL_PERSISTED_QUERIES_FILE = str(manifest)
    return manifest


def persisted(digest=DIGEST):
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}


def test_persisted_query_by_hash(settings, allow_list, app_client):
    settings.GRAPHQL_PERSISTED_QUERIES = "allow"
    response = gql(app_client, persisted())
    assert response.status_code == 200 and response.json()["data"]["serverInfo"]["version"]
    unknown = gql(app_client, persisted("0" * 64))
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    mismatch = gql(app_client, {"query": "{ serverInfo { language } }", **persisted()})
    assert mismatch.status_code == 400
    assert gql(app_client, {"query": "{ serverInfo { language } }"}).status_code == 200  # raw still allowed


def test_only_mode_refuses_queries_outside_the_allow_list(settings, allow_list, app_client):
    settings.GRAPHQL_PERSISTED_QUERIES = "only"
    refused = gql(app_client, {"query": "{ serverInfo { language } }"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["extensions"]["code"] == "persisted_query_required"
    assert gql(app_client, {"query": QUERY}).status_code == 200  # the same text as an allowed entry
    assert gql(app_client, persisted()).status_code == 200


def test_off_mode_says_persisted_queries_are_not_supported(settings, app_client):
    settings.GRAPHQL_PERSISTED_QUERIES = "off"
    response = gql(app_client, persisted())
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"


def test_a_tampered_allow_list_is_refused(tmp_path, settings, app_client):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"0" * 64: QUERY}))
    settings.GRAPHQL_PERSISTED_QUERIES_FILE = str(bad)
    with pytest.raises(ValueError, match="does not match"):
        from apps.core.graphql.protection import allow_list

        allow_list()


def test_introspection_counts_towards_the_depth_limit():
    """Introspection is bounded too (issue 17): GraphiQL's and the code generators' query
    passes; an `ofType` chain deeper than its limit (16) is refused like any deep query."""
    from graphql import get_introspection_query

    from hokwe.schema import schema

    def codes(query):
        result = validate(schema.graphql_schema, parse(query), validation_rules({}))
        return [(e.extensions or {}).get("code") for e in result]

    assert codes(get_introspection_query(descriptions=True)) == []
    chain = "ofType { " * 16 + "name" + " }" * 16
    assert codes(f'{{ __type(name: "Query") {{ {chain} }} }}') == ["query_too_deep"]
    through_fragment = f'{{ __type(name: "Query") {{ ...T }} }} fragment T on __Type {{ {chain} }}'
    assert codes(through_fragment) == ["query_too_deep"]
    short = "ofType { " * 14 + "name" + " }" * 14
    assert codes(f'{{ __type(name: "Query") {{ {short} }} }}') == []
