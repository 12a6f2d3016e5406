"""recovery's part of the isolation suite (tests/isolation/cases.py merges it): organization A
has a debtor with overdue rent, the case opened for them with a promise, a proposed plan, a
formal notice, a legal action and a collector task. B's owner, an outsider and an anonymous
caller must never reach them, on REST, the manager and collector pages, and GraphQL."""

from dataclasses import replace

from django.urls import reverse

from tests.isolation.framework import GraphQLCase, RestCase, World

SEEDERS = []
REST_CASES = {}
GRAPHQL_CASES = {}

PUBLIC_ROUTES = {
    "recovery:landing": "recover.hokwepay.me's root: where the personal link comes from, no data",
    "recovery:portal": "debtor portal from the reminder SMS: the random case token is the secret",
    "recovery:portal-plan": "debtor portal (plan acceptance by OTP): the case token is the secret",
    "recovery:portal-installment": "debtor portal (pay an installment): the case token is the secret",
    "recovery:portal-notice": "formal notice PDF linked from the notice SMS: the case token is the secret",
}
SELF_SCOPED_GRAPHQL = {}


def recovery_data(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from apps.recovery import services
    from apps.recovery.models import Case, CollectorTask
    from tests.fixtures.estate import agency_property, first_of_month, lease_for
    from tests.identity.factories import UserFactory

    today = timezone.localdate()
    prop = agency_property(
        world.user_a,
        world.org_a.pk,
        name="Résidence Recouvrement Alpha",
        city="Cotonou",
        neighbourhood="Quartier Impayé Alpha",
    )
    debtor = UserFactory(full_name="Débiteur Alpha Secret")
    lease = lease_for(
        world.user_a,
        prop,
        debtor,
        unit_label="RECO-A1",
        start_date=first_of_month(today, 3),
        rent=71_717,
        charges=0,
        deposit_months=0,
    )
    services.ladder_default(organization_id=world.org_a.pk)
    services.cases_sync(today=today, organizations=[world.org_a.public_id])
    case = Case.objects.get(lease=lease.public_id)
    promise = services.promise_create(
        actor=world.user_a, case=case, amount=1_000, promised_on=today + timedelta(days=5)
    )
    plan = services.plan_propose(
        actor=world.user_a,
        case=case,
        installments=[
            (today + timedelta(days=10), case.amount_owed - 1_000),
            (today + timedelta(days=40), 1_000),
        ],
    )
    notice = services.formal_notice_issue(actor=world.user_a, case=case)
    legal = services.legal_escalate(actor=world.user_a, case=case, firm="Huissier Alpha Secret")
    task = CollectorTask.objects.create(case=case, kind="visit", due_on=today)

    world.provide(
        "case_id", case.public_id, "Débiteur Alpha Secret", debtor.phone, "Résidence Recouvrement Alpha"
    )
    world.provide("promise_id", promise.public_id)
    world.provide("plan_id", plan.public_id)
    world.provide("installment_id", plan.installments.first().public_id)
    world.provide("legal_id", legal.public_id, "Huissier Alpha Secret")
    world.provide("legal_action_id", legal.public_id)
    world.provide("task_id", task.public_id)
    world.mark(case.token, lease.public_id, "Quartier Impayé Alpha", "RECO-A1")
    world.recovery_token = case.token
    world.recovery_notice = notice.number


SEEDERS.append(recovery_data)


def recovery_loan_case_data(world: World) -> None:
    """A loan case of organization A (as lending opens it for the lender's organization): its
    borrower, loan number and repayment link must never reach B, an outsider or anonymous,
    on the case lists (REST, pages, GraphQL) or anywhere else."""
    import uuid

    from django.utils import timezone

    from apps.recovery import api as recovery
    from apps.recovery.contracts import LoanCaseRequest
    from tests.identity.factories import UserFactory

    borrower = UserFactory(full_name="Emprunteur Alpha Secret")
    loan = uuid.uuid4()
    info = recovery.open_loan_case(
        LoanCaseRequest(
            organization=world.org_a.public_id,
            loan=loan,
            loan_reference="PRT-ALPHA-SECRET",
            borrower=borrower.public_id,
            borrower_name="Emprunteur Alpha Secret",
            borrower_phone=str(borrower.phone),
            outstanding=43_210,
            currency="XOF",
            oldest_due_date=timezone.localdate(),
            pay_url=f"https://hokwe.test/lending/loans/{loan}/pay-link",
        )
    )
    world.mark(info.public_id, loan, "PRT-ALPHA-SECRET", "Emprunteur Alpha Secret", borrower.phone)


SEEDERS.append(recovery_loan_case_data)


def _api(name: str, body: dict | None = None, **kwargs):
    def case(world: World) -> RestCase:
        values = {k: world.ids[v] if v in world.ids else getattr(world, v) for k, v in kwargs.items()}
        return RestCase(path=reverse(name, kwargs={"version": "v1", **values}), body=body)

    return case


def _with_number(name: str, prefix: dict):
    def case(world: World) -> RestCase:
        path = reverse(
            name, kwargs={**prefix, "case_id": world.ids["case_id"], "number": world.recovery_notice}
        )
        return RestCase(path=path, methods=("GET",))

    return case


def _org_query(name: str, extra: dict | None = None):
    def case(world: World) -> RestCase:
        query = "&".join(
            f"{k}={v}" for k, v in {"organization": world.org_a.public_id, **(extra or {})}.items()
        )
        return RestCase(path=f"{reverse(name, kwargs={'version': 'v1'})}?{query}", methods=("GET",))

    return case


def _page_action(name: str, action: str, body: dict):
    def case(world: World) -> RestCase:
        return RestCase(
            path=reverse(name, kwargs={"case_id": world.ids["case_id"], "action": action}),
            methods=("POST",),
            body=body,
        )

    return case


# Valid bodies, so a view that forgot its scope would act instead of failing validation.
REST_CASES.update(
    {
        "recovery-case-assign": _api("recovery-case-assign", {"collector": None}, case_id="case_id"),
        "recovery-case-notes": _api("recovery-case-notes", {"text": "Note de B"}, case_id="case_id"),
        "recovery-case-close": _api("recovery-case-close", {"outcome": "settled"}, case_id="case_id"),
        "recovery-case-promises": _api(
            "recovery-case-promises", {"amount": 1000, "promised_on": "2099-01-01"}, case_id="case_id"
        ),
        "recovery-case-plans": _api(
            "recovery-case-plans",
            {"installments": [{"due_on": "2099-01-01", "amount": 1}, {"due_on": "2099-02-01", "amount": 1}]},
            case_id="case_id",
        ),
        "recovery-case-pay-link": _api("recovery-case-pay-link", {"amount": 1000}, case_id="case_id"),
        "recovery-case-notices": _api("recovery-case-notices", {"pay_within_days": 8}, case_id="case_id"),
        "recovery-case-legal": _api("recovery-case-legal", {"kind": "lawyer"}, case_id="case_id"),
        "recovery-case-calls": _api("recovery-case-calls", {"outcome": "reached"}, case_id="case_id"),
        "recovery-case-visits": _api(
            "recovery-case-visits",
            {"outcome": "absent", "latitude": "6.3", "longitude": "2.3"},
            case_id="case_id",
        ),
        "recovery-case-cash": _api("recovery-case-cash", {"amount": 1000}, case_id="case_id"),
        "recovery-legal": _api("recovery-legal", {"status": "closed"}, legal_id="legal_id"),
        "recovery-notice-pdf": _with_number("recovery-notice-pdf", {"version": "v1"}),
        "manager:recovery-notice-pdf": _with_number("manager:recovery-notice-pdf", {}),
        "manager:recovery-case-action": _page_action(
            "manager:recovery-case-action", "note", {"text": "Note de B"}
        ),
        "recovery:field-action": _page_action(
            "recovery:field-action", "call", {"outcome": "reached", "idempotency_key": "b-1"}
        ),
    }
)


def _gql(
    field: str, args: dict, selection: str = "{ ok errors { code } }", kind: str = "mutation", **options
) -> GraphQLCase:
    declared = ", ".join(f"${name}: {type_}" for name, (type_, _v) in args.items())
    call = ", ".join(f"{name}: ${name}" for name in args)
    return GraphQLCase(
        query=f"{kind}({declared}) {{ {field}({call}) {selection} }}",
        variables={name: value for name, (_t, value) in args.items()},
        **options,
    )


def _case(w):
    return ("UUID!", str(w.ids["case_id"]))


GRAPHQL_CASES.update(
    {
        "query.recoveryCases": lambda w: GraphQLCase(
            query="{ recoveryCases { id tenantName propertyName promises { id } timeline { text } } }",
            owned=False,
        ),
        "query.recoveryWorklist": lambda w: GraphQLCase(
            query="{ recoveryWorklist { case { id tenantName tenantPhone } tasks { id } } }", owned=False
        ),
        "query.recoveryCase": lambda w: _gql(
            "recoveryCase",
            {"caseId": _case(w)},
            "{ id tenantName promises { id } timeline { text } }",
            kind="query",
        ),
        "query.recoveryAging": lambda w: _gql(
            "recoveryAging",
            {"organizationId": ("UUID", str(w.org_a.public_id))},
            "{ rows { label } }",
            kind="query",
        ),
        "query.recoveryDashboard": lambda w: _gql(
            "recoveryDashboard",
            {"organizationId": ("UUID", str(w.org_a.public_id))},
            "{ liveCases }",
            kind="query",
        ),
        "query.recoveryLadder": lambda w: _gql(
            "recoveryLadder",
            {"organizationId": ("UUID", str(w.org_a.public_id))},
            "{ id name }",
            kind="query",
        ),
        "mutation.recoveryAssignCase": lambda w: _gql("recoveryAssignCase", {"caseId": _case(w)}),
        "mutation.recoveryAddNote": lambda w: _gql(
            "recoveryAddNote", {"caseId": _case(w), "text": ("String!", "B")}
        ),
        "mutation.recoveryCloseCase": lambda w: _gql(
            "recoveryCloseCase", {"caseId": _case(w), "outcome": ("String!", "settled")}
        ),
        "mutation.recoveryCreatePromise": lambda w: _gql(
            "recoveryCreatePromise",
            {"caseId": _case(w), "amount": ("Amount!", 1000), "promisedOn": ("Date!", "2099-01-01")},
        ),
        "mutation.recoveryCancelPromise": lambda w: _gql(
            "recoveryCancelPromise", {"promiseId": ("UUID!", str(w.ids["promise_id"]))}
        ),
        "mutation.recoveryProposePlan": lambda w: _gql(
            "recoveryProposePlan",
            {
                "caseId": _case(w),
                "installments": (
                    "[RecoveryInstallmentInput!]!",
                    [{"dueOn": "2099-01-01", "amount": 1}, {"dueOn": "2099-02-01", "amount": 1}],
                ),
            },
        ),
        "mutation.recoveryCancelPlan": lambda w: _gql(
            "recoveryCancelPlan", {"planId": ("UUID!", str(w.ids["plan_id"]))}
        ),
        "mutation.recoveryCreatePayLink": lambda w: _gql(
            "recoveryCreatePayLink", {"caseId": _case(w)}, "{ ok errors { code } payLink { payUrl } }"
        ),
        "mutation.recoveryRecordVisit": lambda w: _gql(
            "recoveryRecordVisit",
            {
                "caseId": _case(w),
                "outcome": ("String!", "absent"),
                "latitude": ("Float!", 6.3),
                "longitude": ("Float!", 2.3),
                "idempotencyKey": ("String!", "b-visit"),
            },
        ),
        "mutation.recoveryRecordCall": lambda w: _gql(
            "recoveryRecordCall",
            {"caseId": _case(w), "outcome": ("String!", "reached"), "idempotencyKey": ("String!", "b-call")},
        ),
        "mutation.recoveryCollectCash": lambda w: _gql(
            "recoveryCollectCash",
            {"caseId": _case(w), "amount": ("Amount!", 1000), "idempotencyKey": ("String!", "b-cash")},
        ),
        "mutation.recoveryCompleteTask": lambda w: _gql(
            "recoveryCompleteTask", {"taskId": ("UUID!", str(w.ids["task_id"]))}
        ),
        "mutation.recoveryCreateHandover": lambda w: _gql(
            "recoveryCreateHandover",
            {
                "organizationId": ("UUID!", str(w.org_a.public_id)),
                "collectorId": ("UUID!", str(w.user_a.public_id)),
                "declared": ("Amount!", 1000),
                "idempotencyKey": ("String!", "b-handover"),
            },
        ),
        "mutation.recoverySaveLadder": lambda w: _gql(
            "recoverySaveLadder",
            {
                "organizationId": ("UUID!", str(w.org_a.public_id)),
                "steps": ("[RecoveryStepInput!]!", [{"dayOffset": 3, "action": "sms"}]),
            },
        ),
        "mutation.recoveryIssueFormalNotice": lambda w: _gql(
            "recoveryIssueFormalNotice", {"caseId": _case(w)}
        ),
        "mutation.recoveryEscalateCase": lambda w: _gql("recoveryEscalateCase", {"caseId": _case(w)}),
        "mutation.recoveryUpdateLegalAction": lambda w: _gql(
            "recoveryUpdateLegalAction",
            {"legalActionId": ("UUID!", str(w.ids["legal_action_id"])), "status": ("String", "closed")},
        ),
        "mutation.recoveryAddHoliday": lambda w: _gql(
            "recoveryAddHoliday",
            {
                "organizationId": ("UUID!", str(w.org_a.public_id)),
                "date": ("Date!", "2099-01-01"),
                "name": ("String!", "Jour de B"),
            },
        ),
    }
)

# The names before issue 14, kept as deprecated aliases: the same cases under the old name.
RENAMED_MUTATIONS = {
    "assignRecoveryCase": "recoveryAssignCase",
    "addRecoveryNote": "recoveryAddNote",
    "closeRecoveryCase": "recoveryCloseCase",
    "createRecoveryPromise": "recoveryCreatePromise",
    "cancelRecoveryPromise": "recoveryCancelPromise",
    "proposeRecoveryPlan": "recoveryProposePlan",
    "cancelRecoveryPlan": "recoveryCancelPlan",
    "createRecoveryPayLink": "recoveryCreatePayLink",
    "recordRecoveryVisit": "recoveryRecordVisit",
    "recordRecoveryCall": "recoveryRecordCall",
    "collectRecoveryCash": "recoveryCollectCash",
    "completeRecoveryTask": "recoveryCompleteTask",
    "createRecoveryHandover": "recoveryCreateHandover",
    "saveRecoveryLadder": "recoverySaveLadder",
    "issueRecoveryFormalNotice": "recoveryIssueFormalNotice",
    "escalateRecoveryCase": "recoveryEscalateCase",
    "updateRecoveryLegalAction": "recoveryUpdateLegalAction",
}


def _alias_case(old: str, new: str):
    def build(w):
        case = GRAPHQL_CASES[f"mutation.{new}"](w)
        return replace(case, query=case.query.replace(f"{{ {new}(", f"{{ {old}("))

    return build


GRAPHQL_CASES.update({f"mutation.{old}": _alias_case(old, new) for old, new in RENAMED_MUTATIONS.items()})
