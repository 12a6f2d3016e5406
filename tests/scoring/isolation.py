"""scoring's part of the isolation suite (tests/isolation/cases.py merges it): another
organization's or another tenant's scoring objects are never visible. Each part appends its
block (seeders, cases)."""

from __future__ import annotations

from django.urls import reverse

from tests.isolation.framework import GraphQLCase, RestCase, World

SEEDERS: list = []
REST_CASES: dict = {}
GRAPHQL_CASES: dict = {}
PUBLIC_ROUTES: dict = {}
PUBLIC_GRAPHQL: dict = {}
SELF_SCOPED_GRAPHQL: dict = {}


# --- the tenant's own score (S3): A's owner is a tenant with a rent line under dispute and the
# bureau consent given; B, the outsider and anonymous callers reach only their own (empty) data ---


def _tenant_score(world: World) -> None:
    from apps.scoring.services import bureau, disputes
    from tests.scoring.conftest import build_rent_history

    history = build_rent_history(tenant=world.user_a)
    month = history.dues[9].period.strftime("%Y-%m")
    dispute = disputes.open_dispute(
        actor=world.user_a,
        lease=history.lease.public_id,
        month=month,
        reason="paid_on_time",
        details="Contestation secrète de A",
    )
    bureau.give_consent(actor=world.user_a)
    world.provide("dispute_id", dispute.public_id, "Contestation secrète de A")
    world.mark(history.lease.public_id, history.lease.reference)
    world.scoring_dispute = dispute
    world.scoring_lease = history.lease
    world.scoring_month = month


SEEDERS.append(_tenant_score)


def _dispute_state(world: World):
    from apps.scoring.models import BureauConsent, RentLineDispute

    return (
        sorted(RentLineDispute.objects.values_list("public_id", "status")),
        sorted(BureauConsent.objects.values_list("user_id", "given")),
    )


def _me(name: str, **body):
    def case(world: World) -> RestCase:
        return RestCase(
            path=reverse(name, kwargs={"version": "v1"}),
            owned=False,
            body=body or None,
            check_unchanged=lambda: _dispute_state(world),
        )

    return case


REST_CASES["scoring-me"] = _me("scoring-me")
REST_CASES["scoring-me-history"] = _me("scoring-me-history")
REST_CASES["scoring-me-lines"] = _me("scoring-me-lines")
REST_CASES["scoring-me-bureau-consent"] = _me("scoring-me-bureau-consent")


def _open_dispute(world: World) -> RestCase:
    return RestCase(
        path=reverse("scoring-me-disputes", kwargs={"version": "v1"}),
        owned=False,
        body={"lease": str(world.scoring_lease.public_id), "month": world.scoring_month, "reason": "other"},
        check_unchanged=lambda: _dispute_state(world),
    )


REST_CASES["scoring-me-disputes"] = _open_dispute


def _consent_change(name: str):
    def case(world: World) -> RestCase:
        from apps.scoring.models import BureauConsent

        return RestCase(
            path=reverse(name, kwargs={"version": "v1"}),
            owned=False,
            check_unchanged=lambda: BureauConsent.objects.filter(user=world.user_a).values_list(
                "given", flat=True
            )[0],
        )

    return case


REST_CASES["scoring-me-bureau-consent-give"] = _consent_change("scoring-me-bureau-consent-give")
REST_CASES["scoring-me-bureau-consent-withdraw"] = _consent_change("scoring-me-bureau-consent-withdraw")


def _page(name: str):
    def case(world: World) -> RestCase:
        return RestCase(path=reverse(name), owned=False, check_unchanged=lambda: _dispute_state(world))

    return case


REST_CASES["scoring:score"] = _page("scoring:score")
REST_CASES["scoring:score-lines"] = _page("scoring:score-lines")
REST_CASES["scoring:score-bureau"] = _page("scoring:score-bureau")


def _dispute_form(world: World) -> RestCase:
    # GET without ?lease=&month= and POST naming A's line: both the 404 page for anyone else
    return RestCase(
        path=reverse("scoring:score-dispute-new"),
        body={"lease": str(world.scoring_lease.public_id), "month": world.scoring_month, "reason": "other"},
        check_unchanged=lambda: _dispute_state(world),
    )


REST_CASES["scoring:score-dispute-new"] = _dispute_form


def _gql(query: str, owned: bool = False):
    def case(world: World) -> GraphQLCase:
        return GraphQLCase(query=query, owned=owned)

    return case


GRAPHQL_CASES["query.scoringMyScore"] = _gql("{ scoringMyScore { score band reasons { text } } }")
GRAPHQL_CASES["query.scoringMyScoreHistory"] = _gql("{ scoringMyScoreHistory { score band } }")
GRAPHQL_CASES["query.scoringMyRentLines"] = _gql("{ scoringMyRentLines { month lease code dispute } }")
GRAPHQL_CASES["query.scoringMyDisputes"] = _gql("{ scoringMyDisputes { id details } }")
GRAPHQL_CASES["query.scoringMyBureauConsent"] = _gql("{ scoringMyBureauConsent { given givenAt } }")


def _gql_dispute(world: World) -> GraphQLCase:
    return GraphQLCase(
        query=f'{{ scoringMyDispute(disputeId: "{world.ids["dispute_id"]}") {{ id details }} }}'
    )


def _gql_open_dispute(world: World) -> GraphQLCase:
    return GraphQLCase(
        query=(
            f'mutation {{ scoringOpenDispute(lease: "{world.scoring_lease.public_id}", month: "{world.scoring_month}", '
            "reason: OTHER) { ok errors { code } dispute { id } } }"
        ),
        owned=False,
    )


GRAPHQL_CASES["query.scoringMyDispute"] = _gql_dispute
GRAPHQL_CASES["mutation.scoringOpenDispute"] = _gql_open_dispute
SELF_SCOPED_GRAPHQL["mutation.scoringGiveBureauConsent"] = "the caller's own consent; nobody else's is named"
SELF_SCOPED_GRAPHQL["mutation.scoringWithdrawBureauConsent"] = (
    "the caller's own consent; nobody else's is named"
)
