"""The partners' lists cost the same number of queries whatever their length (keys,
endpoints, an endpoint's deliveries, the « Développeurs » page), under a ceiling."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.partners import services
from apps.partners.contracts import Scope
from tests.helpers import bearer_client

pytestmark = pytest.mark.django_db


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, getattr(response, "content", b"")[:300]
    return len(captured.captured_queries)


def _endpoint(owner, org, n):
    return services.endpoint_create(
        actor=owner,
        organization_id=org.pk,
        url=f"https://erp{n}.example.bj/hokwe",
        events=["payment.succeeded"],
    )


def _grow(owner, org, make_key, n_from, n_to, endpoint):
    from django.core.cache import cache

    for n in range(n_from, n_to):
        cache.clear()  # the step-up's send limit per phone: each key is a fresh request here
        make_key(owner, org, [Scope.PAYMENTS_READ], name=f"ERP {n}")
        _endpoint(owner, org, n)
        services.deliveries_create(
            organization_id=org.pk, event_type="payment.succeeded", source_event_id=f"evt-{n}", data={"n": n}
        )
    assert endpoint.deliveries.count() == n_to


def test_the_lists_cost_the_same_for_2_or_8_rows(owner, org, make_key, client):
    endpoint = _endpoint(owner, org, "main")
    api = bearer_client(owner)
    client.force_login(owner)
    lists = {
        "keys": lambda: api.get(reverse("partners-keys", kwargs={"version": "v1"})),
        "endpoints": lambda: api.get(reverse("partners-endpoints", kwargs={"version": "v1"})),
        "deliveries": lambda: api.get(
            reverse(
                "partners-endpoint-deliveries", kwargs={"version": "v1", "endpoint_id": endpoint.public_id}
            )
        ),
        "page": lambda: client.get(reverse("manager:partners-developers")),
    }
    _grow(owner, org, make_key, 0, 2, endpoint)
    small = {name: _queries(call) for name, call in lists.items()}
    _grow(owner, org, make_key, 2, 8, endpoint)
    large = {name: _queries(call) for name, call in lists.items()}
    assert large == small
    ceilings = {"keys": 4, "endpoints": 4, "deliveries": 7, "page": 14}  # measured 3, 3, 6, 12
    assert all(large[name] <= ceilings[name] for name in lists), large
