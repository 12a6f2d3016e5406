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


# --- the tenant's own score: A's owner is a tenant with a rent line under dispute and the
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


# --- tenant screening: A's manager screened an applicant for A's unit (consented, report
# issued); B, the outsider and anonymous callers never see the request nor the report, nor act
# on them; the applicant's own routes answer 404 to anyone else ---


def _screening(world: World) -> None:
    from apps.scoring.models import ScreeningRequest
    from apps.scoring.services import screening
    from tests.estate.factories import UnitFactory
    from tests.identity.factories import UserFactory

    unit = UnitFactory(property__mandate__agency=world.org_a, label="Porte secrète S4", market_rent=87_123)
    applicant = UserFactory(full_name="Candidate Secrète S4", phone="+2290196414141")
    req = screening.request_create(
        actor=world.user_a, unit=unit.public_id, phone=str(applicant.phone), note="Note secrète S4"
    )
    req = screening.consent_give(req, applicant=applicant, declared_income=412_777)
    screening.report_issue(actor=world.user_a, req=req)
    world.provide("request_id", req.public_id, "Candidate Secrète S4", "+2290196414141", "412777", req.number)
    world.mark(unit.public_id, "Note secrète S4")
    world.scoring_screening = req
    world.scoring_screening_model = ScreeningRequest


SEEDERS.append(_screening)


def _screening_state(world: World):
    req = world.scoring_screening_model.objects.get(pk=world.scoring_screening.pk)
    return (req.status, req.decision, req.withdrawn_at)


def _screening_rest(name: str, body: dict | None = None, methods=None):
    def case(world: World) -> RestCase:
        return RestCase(
            path=reverse(name, kwargs={"version": "v1", "request_id": world.ids["request_id"]}),
            body=body,
            methods=methods,
            check_unchanged=lambda: _screening_state(world),
        )

    return case


REST_CASES["scoring-screening-decision"] = _screening_rest(
    "scoring-screening-decision", {"decision": "declined"}
)
REST_CASES["scoring-screening-consent"] = _screening_rest(
    "scoring-screening-consent", {"challenge_id": "x", "code": "123456", "declared_income": 1000}
)
REST_CASES["scoring-screening-withdraw"] = _screening_rest("scoring-screening-withdraw")
REST_CASES["scoring-screening-consent-start"] = _screening_rest("scoring-screening-consent-start")


def _screening_create(world: World) -> RestCase:
    return RestCase(
        path=reverse("scoring-screening-requests", kwargs={"version": "v1"}),
        body={"unit": str(_screening_unit_id()), "phone": "+2290196000001"},
        owned=False,
        check_unchanged=lambda: world.scoring_screening_model.objects.count(),
    )


REST_CASES["scoring-screening-requests"] = _screening_create
REST_CASES["scoring-screening-mine"] = lambda world: RestCase(
    path=reverse("scoring-screening-mine", kwargs={"version": "v1"}), methods=("GET",), owned=False
)


def _screening_page(name: str, *extra, body=None):
    def case(world: World) -> RestCase:
        return RestCase(
            path=reverse(name, args=[world.ids["request_id"], *extra]),
            body=body,
            check_unchanged=lambda: _screening_state(world),
        )

    return case


REST_CASES["manager:scoring-screening-action"] = _screening_page(
    "manager:scoring-screening-action", "decide", body={"decision": "declined"}
)
REST_CASES["manager:scoring-screening"] = lambda world: RestCase(
    path=reverse("manager:scoring-screening"), methods=("GET",), owned=False
)
REST_CASES["manager:scoring-screening-policy"] = lambda world: RestCase(
    path=reverse("manager:scoring-screening-policy"), owned=False
)
REST_CASES["manager:scoring-screening-new"] = lambda world: RestCase(
    path=reverse("manager:scoring-screening-new"),
    owned=False,
    check_unchanged=lambda: world.scoring_screening_model.objects.count(),
)
PUBLIC_ROUTES["scoring:screening-consent"] = (
    "the applicant's consent page: the unguessable token in the SMS is the proof (an unknown token is a 404)"
)


def _screening_gql(field: str, args: str, selection: str = "ok errors { code }"):
    def case(world: World) -> GraphQLCase:
        return GraphQLCase(
            query=f'mutation {{ {field}(requestId: "{world.ids["request_id"]}"{args}) {{ {selection} }} }}'
        )

    return case


def _screening_unit_id():
    from apps.estate.models import Unit

    return Unit.objects.get(label="Porte secrète S4").public_id


GRAPHQL_CASES["mutation.scoringIssueScreeningReport"] = _screening_gql(
    "scoringIssueScreeningReport", "", "ok errors { code } report { id applicantName }"
)
GRAPHQL_CASES["mutation.scoringDecideScreening"] = _screening_gql(
    "scoringDecideScreening", ", decision: DECLINED"
)
GRAPHQL_CASES["mutation.scoringStartScreeningConsent"] = _screening_gql("scoringStartScreeningConsent", "")
GRAPHQL_CASES["mutation.scoringConfirmScreeningConsent"] = _screening_gql(
    "scoringConfirmScreeningConsent", ', challengeId: "x", code: "123456", declaredIncome: 1000'
)
GRAPHQL_CASES["mutation.scoringWithdrawScreeningConsent"] = _screening_gql(
    "scoringWithdrawScreeningConsent", ""
)
GRAPHQL_CASES["mutation.scoringRequestScreening"] = lambda world: GraphQLCase(
    query=f'mutation {{ scoringRequestScreening(unitId: "{_screening_unit_id()}", phone: "+2290196000001") '
    "{ ok errors { code } } }",
    owned=False,
)
GRAPHQL_CASES["mutation.scoringUpdateScreeningPolicy"] = lambda world: GraphQLCase(
    query=f'mutation {{ scoringUpdateScreeningPolicy(organizationId: "{world.ids["organization_id"]}", '
    "acceptMinScore: 700) { ok errors { code } } }",
)
GRAPHQL_CASES["query.scoringScreeningRequests"] = lambda world: GraphQLCase(
    query="{ scoringScreeningRequests { id applicantName applicantPhone } }", owned=False
)
GRAPHQL_CASES["query.scoringMyScreeningRequests"] = lambda world: GraphQLCase(
    query="{ scoringMyScreeningRequests { id unitLabel } }", owned=False
)


# --- HokweValuation: `scoring-unit-valuation` (REST) and `query.scoringUnitValuation` are
# generated from estate's `unit_id` seeder (A's unit): B's owner, the outsider and anonymous get
# 404 / null / unauthenticated, and A's unit id (a marker) never appears in what they receive.
# Nothing to seed here: a valuation is computed, not stored. ---
