"""analytics' part of the isolation suite (tests/isolation/cases.py merges it). Each part
adds its own under `# --- <part> ---`, with the same names."""

from __future__ import annotations

SEEDERS: list = []
REST_CASES: dict = {}
GRAPHQL_CASES: dict = {}
PUBLIC_ROUTES: dict = {}
PUBLIC_GRAPHQL: dict = {}
SELF_SCOPED_GRAPHQL: dict = {}


# --- product analytics: A's owner sent events (a marker in their properties); the endpoint
# only records the caller's own batch and answers about it, never about anyone else's events ---
PRODUCT_MARKER = "Tombouctou-55102"


def _product_events(world) -> None:
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from apps.analytics.services.product import EventIn, events_ingest

    event_id = uuid.uuid4()
    events_ingest(
        user_id=world.user_a.public_id,
        events=[
            EventIn(
                event_id, "pay_link.opened", timezone.now() - timedelta(minutes=5), {"note": PRODUCT_MARKER}
            )
        ],
    )
    world.provide("product_event_id", event_id, PRODUCT_MARKER)


SEEDERS.append(_product_events)


def _product_batch() -> dict:
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    return {
        "events": [
            {
                "event_id": str(uuid.uuid4()),
                "name": "app.opened",
                "timestamp": (timezone.now() - timedelta(minutes=1)).isoformat(),
            }
        ]
    }


def _product_rest(world):
    from django.urls import reverse

    from tests.isolation.framework import RestCase

    return RestCase(
        path=reverse("analytics-events", kwargs={"version": "v1"}), body=_product_batch(), owned=False
    )


REST_CASES["analytics-events"] = _product_rest


def _product_gql(world):
    from tests.isolation.framework import GraphQLCase

    event = _product_batch()["events"][0]
    return GraphQLCase(
        query=(
            f'mutation {{ analyticsTrackEvents(events: [{{eventId: "{event["event_id"]}", name: "app.opened", '
            f'timestamp: "{event["timestamp"]}"}}]) {{ ok errors {{ code }} accepted items {{ eventId status }} }} }}'
        ),
        owned=False,
    )


GRAPHQL_CASES["mutation.analyticsTrackEvents"] = _product_gql


# --- reports and scheduled reports: organization A has a lease on the rent roll, figures in
# the rollups and a member subscribed to a report; B's owner asking for A's organization (by
# its public id), an outsider and anonymous get 401/403/404 and never A's figures ---
REPORT_MARKER = "Résidence Rapport Secrète A"


def _reports(world) -> None:
    from django.utils import timezone

    from apps.analytics.services.subscriptions import subscription_create
    from tests.analytics.test_reports import add_rollup
    from tests.fixtures.estate import first_of_month, lease_for, managed_property
    from tests.identity.factories import UserFactory

    today = timezone.localdate()
    prop = managed_property(world.org_a, name=REPORT_MARKER)
    tenant = UserFactory(full_name="Locataire Rapport Secret A")
    lease = lease_for(
        world.user_a, prop, tenant, unit_label="RSA-1", start_date=first_of_month(today, 2), rent=93_917
    )
    add_rollup(world.org_a.public_id, "rent.collected", 4_818_283, period=first_of_month(today, 1))
    subscription = subscription_create(
        actor=world.user_a,
        organization_id=world.org_a.pk,
        user=world.user_a.public_id,
        report="rent-roll",
        frequency="monthly",
    )
    world.provide("subscription_id", subscription.public_id, REPORT_MARKER)
    world.mark(lease.reference, "Locataire Rapport Secret A", "4 818 283", "4818283", "93917", "93 917")


SEEDERS.append(_reports)


def _report_page(name: str, *args, methods=("GET",), body=None):
    def case(world):
        from django.urls import reverse

        from tests.isolation.framework import RestCase

        return RestCase(
            path=f"{reverse(name, args=args)}?org={world.org_a.public_id}", methods=methods, body=body
        )

    return case


REST_CASES["manager:analytics-reports"] = _report_page("manager:analytics-reports")
REST_CASES["manager:analytics-report"] = _report_page("manager:analytics-report", "rent-roll")
REST_CASES["manager:analytics-report-export"] = _report_page(
    "manager:analytics-report-export", "rent-roll", "csv"
)


def _subscriptions_page(world):
    from django.urls import reverse

    from tests.isolation.framework import RestCase

    return RestCase(
        path=f"{reverse('manager:analytics-subscriptions')}?org={world.org_a.public_id}",
        body={"user": str(world.user_a.public_id), "report": "cash-flow", "frequency": "weekly"},
    )


REST_CASES["manager:analytics-subscriptions"] = _subscriptions_page


def _subscription_cancel(world):
    from django.urls import reverse

    from apps.analytics.models import ReportSubscription
    from tests.isolation.framework import RestCase

    sub = world.ids["subscription_id"]
    return RestCase(
        path=reverse("manager:analytics-subscription-cancel", args=[sub]),
        methods=("POST",),
        body={"org": str(world.org_a.public_id)},
        check_unchanged=lambda: ReportSubscription.objects.get(public_id=sub).is_active,
    )


REST_CASES["manager:analytics-subscription-cancel"] = _subscription_cancel


def _report_api(world):
    from django.urls import reverse

    from tests.isolation.framework import RestCase

    path = reverse("analytics-report", kwargs={"version": "v1", "key": "rent-roll"})
    return RestCase(path=f"{path}?organization={world.org_a.public_id}", methods=("GET",))


REST_CASES["analytics-report"] = _report_api


def _report_gql(world):
    from tests.isolation.framework import GraphQLCase

    return GraphQLCase(
        query='query($org: UUID) { analyticsReport(key: "rent-roll", organizationId: $org) { rows totals count } }',
        variables={"org": str(world.org_a.public_id)},
    )


GRAPHQL_CASES["query.analyticsReport"] = _report_gql


# --- the dashboard for the apps: A's figures (the rollup of last month seeded above, shown as
# the « last month » of A's tiles) never reach B's owner, an outsider or anonymous ---
def _dashboard_api(world):
    from django.urls import reverse

    from tests.isolation.framework import RestCase

    path = reverse("analytics-dashboard", kwargs={"version": "v1"})
    return RestCase(path=f"{path}?organization={world.org_a.public_id}", methods=("GET",))


REST_CASES["analytics-dashboard"] = _dashboard_api


def _dashboard_gql(world):
    from tests.isolation.framework import GraphQLCase

    return GraphQLCase(
        query="query($org: UUID) { analyticsDashboard(organizationId: $org) { tiles { key value previous } collected } }",
        variables={"org": str(world.org_a.public_id)},
    )


GRAPHQL_CASES["query.analyticsDashboard"] = _dashboard_gql
