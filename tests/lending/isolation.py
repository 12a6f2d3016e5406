"""lending's part of the isolation suite (tests/isolation/cases.py merges it): another
borrower's loans, funds and advances are never visible. Each part appends its block (seeders,
cases)."""

from __future__ import annotations

from django.urls import reverse

from tests.isolation.framework import GraphQLCase, RestCase, World

SEEDERS: list = []
REST_CASES: dict = {}
GRAPHQL_CASES: dict = {}
PUBLIC_ROUTES: dict = {}
PUBLIC_GRAPHQL: dict = {}
SELF_SCOPED_GRAPHQL: dict = {}


# --- the borrower's loans: A's owner has an offer waiting for acceptance (a loan of an offered
# tenant product); B, the outsider and anonymous callers never see it, nor act on it ---


def _borrower_loan(world: World) -> None:
    from tests.lending.loans_factories import make_loan, make_product

    product = make_product()
    loan = make_loan(world.user_a, product, status="approved", principal=137_913, purpose="Loyer secret de A")
    world.provide("loan_id", loan.public_id, loan.number, "Loyer secret de A", "137913")
    world.lending_offer = loan
    world.lending_product = product


SEEDERS.append(_borrower_loan)


def _offer_state(world: World):
    world.lending_offer.refresh_from_db()
    return (world.lending_offer.status, world.lending_offer.accepted_at, world.lending_offer.key_facts)


def _loan_path(world: World, name: str) -> str:
    return reverse(name, kwargs={"version": "v1", "loan_id": world.ids["loan_id"]})


def _simulation(world: World) -> RestCase:
    path = reverse(
        "lending-product-simulation", kwargs={"version": "v1", "product_id": world.lending_product.public_id}
    )
    return RestCase(path=path, owned=False)


def _accept(world: World) -> RestCase:
    return RestCase(
        path=_loan_path(world, "lending-loan-accept"),
        body={"step_up_token": "not-a-proof"},
        check_unchanged=lambda: _offer_state(world),
    )


def _withdraw(world: World) -> RestCase:
    return RestCase(
        path=_loan_path(world, "lending-loan-withdraw"), check_unchanged=lambda: _offer_state(world)
    )


def _repay(world: World) -> RestCase:
    return RestCase(
        path=_loan_path(world, "lending-loan-repay"),
        body={"amount": 1_000},
        check_unchanged=lambda: _offer_state(world),
    )


def _pay_link(world: World) -> RestCase:
    return RestCase(path=_loan_path(world, "lending-loan-pay-link"), body={"amount": 1_000})


REST_CASES["lending-product-simulation"] = _simulation
REST_CASES["lending-loan-accept"] = _accept
REST_CASES["lending-loan-withdraw"] = _withdraw
REST_CASES["lending-loan-repay"] = _repay
REST_CASES["lending-loan-pay-link"] = _pay_link


def _loan_mutation(world: World, field: str, args: str, selection: str) -> GraphQLCase:
    loan_id = world.ids["loan_id"]
    return GraphQLCase(
        query=f'mutation {{ {field}(loanId: "{loan_id}"{args}) {{ ok errors {{ code }} {selection} }} }}'
    )


LOAN_SELECTION = "loan { id number purpose principal { amount } }"

GRAPHQL_CASES["mutation.lendingAcceptLoanOffer"] = lambda world: _loan_mutation(
    world, "lendingAcceptLoanOffer", ', stepUpToken: "not-a-proof"', LOAN_SELECTION
)
GRAPHQL_CASES["mutation.lendingWithdrawLoan"] = lambda world: _loan_mutation(
    world, "lendingWithdrawLoan", "", LOAN_SELECTION
)
GRAPHQL_CASES["mutation.lendingRepayLoan"] = lambda world: _loan_mutation(
    world, "lendingRepayLoan", ', amount: 1000, idempotencyKey: "iso"', LOAN_SELECTION
)
GRAPHQL_CASES["mutation.lendingCreateLoanPayLink"] = lambda world: _loan_mutation(
    world,
    "lendingCreateLoanPayLink",
    ', idempotencyKey: "iso"',
    "payLink { intent payUrl amount { amount } }",
)


def _gql_apply(world: World) -> GraphQLCase:
    product = world.lending_product.public_id
    return GraphQLCase(
        query=f'mutation {{ lendingApplyForLoan(productId: "{product}", amount: 20000, term: 2, '
        f'idempotencyKey: "iso") {{ ok errors {{ code }} {LOAN_SELECTION} }} }}',
        owned=False,
    )


def _gql_simulation(world: World) -> GraphQLCase:
    product = world.lending_product.public_id
    return GraphQLCase(
        query=f'{{ lendingProductSimulation(productId: "{product}", amount: 50000, term: 2) '
        "{ tegBps amount { amount } } }",
        owned=False,
    )


GRAPHQL_CASES["mutation.lendingApplyForLoan"] = _gql_apply
GRAPHQL_CASES["query.lendingProductSimulation"] = _gql_simulation


# --- landlord advances: A's owner has an advance offer on organization A's rents; B's owner,
# the outsider and anonymous callers never see it, its organization's rents, nor act on it ---


def _advance(world: World) -> None:
    from tests.lending.loans_factories import make_loan, make_product

    product = make_product(borrower_kind="landlord", destination="payout", name="Avance sur loyers test")
    loan = make_loan(
        world.user_a, product, status="approved", principal=246_813, purpose="Toiture secrète de A"
    )
    loan.borrower_kind, loan.organization = "landlord", world.org_a.public_id
    loan.save(update_fields=["borrower_kind", "organization"])
    world.mark(loan.public_id, loan.number, "Toiture secrète de A", "246813")  # its routes: explicit cases
    world.lending_advance = loan
    world.lending_advance_product = product


SEEDERS.append(_advance)


def _advance_state(world: World):
    world.lending_advance.refresh_from_db()
    return (world.lending_advance.status, world.lending_advance.accepted_at)


def _advance_path(world: World, name: str) -> str:
    return reverse(name, kwargs={"version": "v1", "loan_id": world.lending_advance.public_id})


def _advance_query(world: World, name: str) -> RestCase:
    kwargs = {"organization": world.org_a.public_id, "product_id": world.lending_advance_product.public_id}
    return RestCase(path=reverse(name, kwargs={"version": "v1", **kwargs}))


def _advance_page(world: World, name: str, **extra) -> RestCase:
    from apps.lending.models import Loan

    if name == "manager:lending-advance-apply":
        path = reverse(name, args=[world.org_a.public_id, world.lending_advance_product.public_id])
        return RestCase(
            path=path,
            body={"amount": 100_000, "term": 2, "do": "apply", "key": "iso"},
            check_unchanged=lambda: Loan.objects.filter(organization=world.org_a.public_id).count(),
        )
    return RestCase(
        path=reverse(name, args=[world.lending_advance.public_id]),
        check_unchanged=lambda: _advance_state(world),
        **extra,
    )


for _name in (
    "manager:lending-advance",
    "manager:lending-advance-apply",
    "manager:lending-advance-accept",
    "manager:lending-advance-withdraw",
):
    REST_CASES[_name] = lambda world, _name=_name: _advance_page(world, _name)


REST_CASES["lending-advance"] = lambda world: RestCase(path=_advance_path(world, "lending-advance"))
REST_CASES["lending-advance-accept"] = lambda world: RestCase(
    path=_advance_path(world, "lending-advance-accept"),
    body={"step_up_token": "not-a-proof"},
    check_unchanged=lambda: _advance_state(world),
)
REST_CASES["lending-advance-withdraw"] = lambda world: RestCase(
    path=_advance_path(world, "lending-advance-withdraw"), check_unchanged=lambda: _advance_state(world)
)
REST_CASES["lending-advance-eligibility"] = lambda world: _advance_query(world, "lending-advance-eligibility")
REST_CASES["lending-advance-simulation"] = lambda world: _advance_query(world, "lending-advance-simulation")

ADVANCE_SELECTION = "advance { id number purpose principal { amount } }"


def _advance_mutation(world: World, field: str, args: str) -> GraphQLCase:
    loan_id = world.lending_advance.public_id
    return GraphQLCase(
        query=f'mutation {{ {field}(loanId: "{loan_id}"{args}) {{ ok errors {{ code }} {ADVANCE_SELECTION} }} }}'
    )


GRAPHQL_CASES["query.lendingAdvance"] = lambda world: GraphQLCase(
    query=f'{{ lendingAdvance(loanId: "{world.lending_advance.public_id}") {{ id number purpose }} }}'
)
GRAPHQL_CASES["query.lendingAdvanceEligibility"] = lambda world: GraphQLCase(
    query=f'{{ lendingAdvanceEligibility(organization: "{world.org_a.public_id}", '
    f'productId: "{world.lending_advance_product.public_id}") {{ organization limit {{ amount }} }} }}'
)
GRAPHQL_CASES["query.lendingAdvanceSimulation"] = lambda world: GraphQLCase(
    query=f'{{ lendingAdvanceSimulation(organization: "{world.org_a.public_id}", '
    f'productId: "{world.lending_advance_product.public_id}", amount: 100000, term: 2) {{ tegBps }} }}'
)
GRAPHQL_CASES["mutation.lendingAcceptAdvanceOffer"] = lambda world: _advance_mutation(
    world, "lendingAcceptAdvanceOffer", ', stepUpToken: "not-a-proof"'
)
GRAPHQL_CASES["mutation.lendingWithdrawAdvance"] = lambda world: _advance_mutation(
    world, "lendingWithdrawAdvance", ""
)
GRAPHQL_CASES["mutation.lendingApplyForAdvance"] = lambda world: GraphQLCase(
    query=f'mutation {{ lendingApplyForAdvance(organization: "{world.org_a.public_id}", '
    f'productId: "{world.lending_advance_product.public_id}", amount: 100000, term: 2, '
    f'idempotencyKey: "iso") {{ ok errors {{ code }} {ADVANCE_SELECTION} }} }}',
    owned=False,
)


# --- emergency fund and guarantors: A's owner has a fund with a withdrawal waiting for its
# notice, a guarantor invited on A's offer, and a guarantee request addressed to A's phone;
# B's owner, the outsider and anonymous callers never see them, nor answer or cancel them ---


def _fund_and_guarantees(world: World) -> None:
    import uuid

    from apps.ledger import api as ledger
    from apps.lending.models import Guarantor
    from apps.lending.services import fund as fund_service
    from apps.wallet.services import wallets
    from tests.identity.factories import UserFactory
    from tests.lending.loans_factories import make_loan

    wallet = wallets.wallet_for(world.user_a, "XOF")
    clearing = ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id
    wallets.move(
        idempotency_key=f"isolation:fund:{uuid.uuid4()}",
        code="wallet.topup",
        debit=clearing,
        credit=wallet.account,
        amount=83_417,
        currency="XOF",
        into=wallet,
    )
    fund = fund_service.open_fund(actor=world.user_a, goal=912_345, withdrawal_rule="notice", notice_days=9)
    fund_service.deposit(actor=world.user_a, fund=fund, amount=83_417, idempotency_key="isolation-a")
    notice = fund_service.withdraw(
        actor=world.user_a, fund=fund, amount=41_293, idempotency_key="isolation-a"
    )
    world.provide("withdrawal_id", notice.public_id, fund.public_id, fund.account, "912345", "41293")
    world.lending_notice = notice
    guarantor = Guarantor.objects.create(
        loan=world.lending_offer, phone="+2290197314159", name="Garant secret de A"
    )
    world.provide("guarantor_id", guarantor.public_id, "+2290197314159", "Garant secret de A")
    asker = UserFactory(full_name="Emprunteur qui demande A")
    asked = make_loan(asker, world.lending_product, status="approved", principal=271_828, purpose="x")
    request = Guarantor.objects.create(loan=asked, phone=str(world.user_a.phone), name="A garant")
    world.provide("guarantee_id", request.public_id, asked.number, "Emprunteur qui demande A", "271828")
    world.lending_guarantee = request


SEEDERS.append(_fund_and_guarantees)


def _notice_state(world: World):
    world.lending_notice.refresh_from_db()
    return world.lending_notice.status


def _guarantee_state(world: World):
    world.lending_guarantee.refresh_from_db()
    return (world.lending_guarantee.status, world.lending_guarantee.user_id)


def _fund_route(name: str, body: dict | None = None):
    return lambda world: RestCase(path=reverse(name, kwargs={"version": "v1"}), body=body, owned=False)


REST_CASES["lending-fund"] = _fund_route("lending-fund", {"currency": "XOF"})
REST_CASES["lending-fund-automatic"] = _fund_route(
    "lending-fund-automatic", {"amount": 1_000, "frequency": "weekly"}
)
REST_CASES["lending-fund-deposits"] = _fund_route("lending-fund-deposits", {"amount": 1_000})
REST_CASES["lending-fund-withdrawals"] = _fund_route("lending-fund-withdrawals", {"amount": 1_000})
REST_CASES["lending-guarantees"] = _fund_route("lending-guarantees")
REST_CASES["lending-fund-withdrawal-cancel"] = lambda world: RestCase(
    path=reverse(
        "lending-fund-withdrawal-cancel",
        kwargs={"version": "v1", "withdrawal_id": world.ids["withdrawal_id"]},
    ),
    check_unchanged=lambda: _notice_state(world),
)
REST_CASES["lending-loan-guarantors"] = lambda world: RestCase(
    path=_loan_path(world, "lending-loan-guarantors"), body={"phone": "+2290197000077"}
)
REST_CASES["lending-loan-guarantor-revoke"] = lambda world: RestCase(
    path=reverse(
        "lending-loan-guarantor-revoke",
        kwargs={"version": "v1", "loan_id": world.ids["loan_id"], "guarantor_id": world.ids["guarantor_id"]},
    ),
)
REST_CASES["lending-guarantee-accept"] = lambda world: RestCase(
    path=reverse(
        "lending-guarantee-accept", kwargs={"version": "v1", "guarantee_id": world.ids["guarantee_id"]}
    ),
    body={"step_up_token": "not-a-proof"},
    check_unchanged=lambda: _guarantee_state(world),
)
REST_CASES["lending-guarantee-decline"] = lambda world: RestCase(
    path=reverse(
        "lending-guarantee-decline", kwargs={"version": "v1", "guarantee_id": world.ids["guarantee_id"]}
    ),
    check_unchanged=lambda: _guarantee_state(world),
)

FUND_SELECTION = "fund { id balance { amount } goal { amount } }"
SELF_SCOPED_GRAPHQL["mutation.lendingUpdateEmergencyFund"] = "acts on the caller's own emergency fund only"


def _own_fund_mutation(field: str, args: str, selection: str = FUND_SELECTION):
    return lambda world: GraphQLCase(
        query=f"mutation {{ {field}({args}) {{ ok errors {{ code }} {selection} }} }}", owned=False
    )


GRAPHQL_CASES["mutation.lendingOpenEmergencyFund"] = _own_fund_mutation(
    "lendingOpenEmergencyFund", 'idempotencyKey: "iso"'
)
GRAPHQL_CASES["mutation.lendingDepositToFund"] = _own_fund_mutation(
    "lendingDepositToFund", 'amount: 1000, idempotencyKey: "iso"'
)
GRAPHQL_CASES["mutation.lendingSetFundAutomaticSavings"] = _own_fund_mutation(
    "lendingSetFundAutomaticSavings", 'amount: 1000, frequency: "weekly"'
)
GRAPHQL_CASES["mutation.lendingWithdrawFromFund"] = _own_fund_mutation(
    "lendingWithdrawFromFund", 'amount: 1000, idempotencyKey: "iso"', "withdrawal { id amount { amount } }"
)
GRAPHQL_CASES["mutation.lendingCancelFundWithdrawal"] = lambda world: GraphQLCase(
    query=f'mutation {{ lendingCancelFundWithdrawal(withdrawalId: "{world.ids["withdrawal_id"]}") '
    "{ ok errors { code } withdrawal { id amount { amount } } } }"
)
GRAPHQL_CASES["mutation.lendingInviteGuarantor"] = lambda world: _loan_mutation(
    world,
    "lendingInviteGuarantor",
    ', phone: "+2290197000077", idempotencyKey: "iso"',
    "guarantor { id phone name }",
)
GRAPHQL_CASES["mutation.lendingRevokeGuarantor"] = lambda world: _loan_mutation(
    world,
    "lendingRevokeGuarantor",
    f', guarantorId: "{world.ids["guarantor_id"]}"',
    "guarantor { id phone name }",
)
GRAPHQL_CASES["mutation.lendingAcceptGuarantee"] = lambda world: GraphQLCase(
    query=f'mutation {{ lendingAcceptGuarantee(guaranteeId: "{world.ids["guarantee_id"]}", '
    'stepUpToken: "not-a-proof") { ok errors { code } request { id loanNumber borrowerName } } }'
)
GRAPHQL_CASES["mutation.lendingDeclineGuarantee"] = lambda world: GraphQLCase(
    query=f'mutation {{ lendingDeclineGuarantee(guaranteeId: "{world.ids["guarantee_id"]}") '
    "{ ok errors { code } request { id loanNumber borrowerName } } }"
)


def _gql_loans(world: World) -> GraphQLCase:
    # the list's every field (each loan's schedule, repayments…) is above the query cost limit
    return GraphQLCase(
        query="{ lendingLoans { id number purpose status principal { amount } outstanding { amount } } }",
        owned=False,
    )


def _gql_loan(world: World) -> GraphQLCase:
    return GraphQLCase(
        query=f'{{ lendingLoan(loanId: "{world.ids["loan_id"]}") {{ id number purpose keyFacts '
        "principal { amount } schedule { number total { amount } } repayments { id amount { amount } } } }",
    )


GRAPHQL_CASES["query.lendingLoans"] = _gql_loans
GRAPHQL_CASES["query.lendingLoan"] = _gql_loan


def _product_page(world: World) -> RestCase:
    # an offered product is no one's: B sees it, never A's offer
    return RestCase(path=reverse("lending:product", args=[world.lending_product.public_id]), owned=False)


REST_CASES["lending:product"] = _product_page
GRAPHQL_CASES["query.lendingAdvances"] = lambda world: GraphQLCase(
    query="{ lendingAdvances { id number purpose principal { amount } } }", owned=False
)
