"""The suite is only worth something if it fails when a check is missing. Two proofs:

1. a real view loses its permission check (ledger's account selector made unscoped, the
   way a careless refactor would), and the suite's checks report the leak;
2. a throwaway view registered through a test URLconf that skips scoping is reported, and a
   new route whose parameter no seeder provides is listed as uncovered.
"""

import json

import pytest
from django.http import JsonResponse
from django.urls import path

from hokwe import urls as project_urls

from .cases import registry
from .framework import check_graphql_case, check_rest_case, iter_routes
from .plan import plan_field, plan_route, uncovered_message

pytestmark = pytest.mark.django_db


def _problems_for(route_keys, world, clients, urlconf=None):
    routes = {route.key: route for route in iter_routes(urlconf)}
    problems = []
    for key in route_keys:
        route = routes[key]
        plan = plan_route(route, world, registry())
        surface = "api" if route.surface == "api" else "page"
        problems += check_rest_case(route, plan.case, world, clients[surface])
    return problems


def test_removing_a_real_permission_check_makes_the_suite_fail(world, clients, monkeypatch):
    from apps.ledger import selectors
    from apps.ledger.models import Account

    keys = ["ledger-account", "ledger-statement", "ledger-accounts"]
    assert _problems_for(keys, world, clients) == []  # as written: isolated

    # "Remove the permission check": the selector no longer filters by what the actor may see.
    monkeypatch.setattr(selectors, "accounts_visible_to", lambda actor: Account.objects.all())
    problems = _problems_for(keys, world, clients)
    print("\n".join(["", "Isolation suite output with the check removed:", *problems]))
    assert any("ledger/accounts/" in p and "must get 401/403/404" in p for p in problems)
    assert any("A's data in the response" in p for p in problems)

    from hokwe.schema import schema

    definition = schema.graphql_schema.query_type.fields["ledgerAccount"]
    plan = plan_field("query.ledgerAccount", "query", definition, world, registry())
    gql_problems = check_graphql_case("ledgerAccount", plan.case, world, clients["api"])
    print("\n".join(gql_problems))
    assert any("another organization got A's object" in p for p in gql_problems)


# --- a throwaway view that skips scoping -------------------------------------------------------


def leaky_account(request, account_id, **kwargs):
    """Loads any account by id: no check of who is asking."""
    from apps.ledger.models import Account

    account = Account.objects.filter(public_id=account_id).first()
    return JsonResponse({"id": str(account.public_id), "code": account.code} if account else {}, status=200)


def widget_detail(request, widget_id, **kwargs):
    return JsonResponse({})


urlpatterns = [
    path("api/v1/leaky/accounts/<uuid:account_id>", leaky_account, name="leaky-account"),
    path("api/v1/widgets/<uuid:widget_id>", widget_detail, name="widget-detail"),
    *project_urls.urlpatterns,
]


def test_a_view_that_skips_scoping_is_caught(world, clients, settings):
    settings.ROOT_URLCONF = __name__
    routes = {route.key: route for route in iter_routes(__name__)}
    leaky = routes["leaky-account"]
    plan = plan_route(leaky, world, registry(), urlconf=__name__)
    assert plan.kind == "auto"  # generated from its <uuid:account_id> parameter
    problems = check_rest_case(leaky, plan.case, world, clients["page"], urlconf=__name__)
    print("\n".join(["", *problems]))
    assert any("as member_of_b -> 200" in p for p in problems)
    assert any("as anonymous -> 200" in p for p in problems)
    assert any(str(world.ids["account_id"]) in p or "A's data" in p for p in problems)


def test_a_new_route_without_a_case_is_listed_with_instructions(world, settings):
    settings.ROOT_URLCONF = __name__
    routes = {route.key: route for route in iter_routes(__name__)}
    plan = plan_route(routes["widget-detail"], world, registry())
    assert plan.kind == "uncovered" and "widget_id" in plan.reason
    message = uncovered_message([f"route 'widget-detail' ({plan.reason})"])
    assert "world.provide(" in message and "@rest_case(" in message and "PUBLIC_ROUTES" in message
    assert json.dumps(message)  # printable as is
