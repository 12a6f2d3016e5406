"""wallet's part of the isolation suite (tests/isolation/cases.py merges it): another user's
wallet objects are never visible. Each part appends its block (seeders, cases)."""

from __future__ import annotations

from django.urls import reverse

from tests.isolation.framework import GraphQLCase, RestCase, World

SEEDERS: list = []
REST_CASES: dict = {}
GRAPHQL_CASES: dict = {}
PUBLIC_ROUTES: dict = {}
PUBLIC_GRAPHQL: dict = {}
SELF_SCOPED_GRAPHQL: dict = {}


# --- P2P transfers: A's owner sent money to a number with no account (held: cancellable) ---


def _p2p_transfer(world: World) -> None:
    import uuid

    from apps.ledger import api as ledger
    from apps.wallet.services import p2p, wallets

    wallet = wallets.wallet_for(world.user_a, "XOF")
    clearing = ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id
    wallets.move(
        idempotency_key=f"isolation:p2p:{uuid.uuid4()}",
        code="wallet.topup",
        debit=clearing,
        credit=wallet.account,
        amount=64_219,
        currency="XOF",
        into=wallet,
    )
    preview = p2p.p2p_preview(
        actor=world.user_a, phone="+2290197123456", amount=17_321, currency="XOF", note="Virement secret de A"
    )
    transfer = p2p.p2p_confirm(actor=world.user_a, preview_token=preview.token, idempotency_key="isolation-a")
    world.provide("transfer_id", transfer.public_id, "Virement secret de A", "+2290197123456", "17321")
    world.p2p_transfer = transfer


SEEDERS.append(_p2p_transfer)


def _p2p_status(world: World):
    world.p2p_transfer.refresh_from_db()
    return world.p2p_transfer.status


def _p2p_preview(world: World) -> RestCase:
    return RestCase(
        path=reverse("wallet-p2p-preview", kwargs={"version": "v1"}),
        body={"phone": "+2290197654321", "amount": 1_000, "currency": "XOF"},
        owned=False,
    )


def _p2p_transfers(world: World) -> RestCase:
    return RestCase(
        path=reverse("wallet-p2p-transfers", kwargs={"version": "v1"}),
        body={"preview_token": "not-a-preview"},
        owned=False,
        check_unchanged=lambda: _p2p_status(world),
    )


def _p2p_cancel(world: World) -> RestCase:
    path = reverse(
        "wallet-p2p-transfer-cancel", kwargs={"version": "v1", "transfer_id": world.ids["transfer_id"]}
    )
    return RestCase(path=path, check_unchanged=lambda: _p2p_status(world))


REST_CASES["wallet-p2p-preview"] = _p2p_preview
REST_CASES["wallet-p2p-transfers"] = _p2p_transfers
REST_CASES["wallet-p2p-transfer-cancel"] = _p2p_cancel


def _p2p_gql_preview(world: World) -> GraphQLCase:
    return GraphQLCase(
        query='mutation { walletP2pPreviewTransfer(phone: "+2290197654321", amount: 1000, currency: "XOF") '
        "{ ok errors { code } preview { receiverName receiverPhone } } }",
        owned=False,
    )


def _p2p_gql_confirm(world: World) -> GraphQLCase:
    return GraphQLCase(
        query='mutation { walletP2pConfirmTransfer(previewToken: "not-a-preview", idempotencyKey: "k") '
        "{ ok errors { code } transfer { id status } } }",
        owned=False,
    )


def _p2p_gql_list(world: World) -> GraphQLCase:
    return GraphQLCase(
        query="{ walletP2pTransfers { id note counterpartPhone amount { amount } } }", owned=False
    )


GRAPHQL_CASES["mutation.walletP2pPreviewTransfer"] = _p2p_gql_preview
GRAPHQL_CASES["mutation.walletP2pConfirmTransfer"] = _p2p_gql_confirm
GRAPHQL_CASES["query.walletP2pTransfers"] = _p2p_gql_list


# --- Cotis'Hokwe: A's owner organises a tontine with a member and an invitation; B, the
# outsider and anonymous callers never see it (404), nor act on it ---


def _tontine(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from apps.wallet.models import TontineMember
    from apps.wallet.services import tontine
    from tests.identity.factories import UserFactory

    group = tontine.group_create(
        actor=world.user_a,
        name="Tontine secrète Alpha",
        contribution=41_717,
        currency="XOF",
        frequency="monthly",
        start_date=timezone.localdate() + timedelta(days=10),
        max_members=5,
        order_method="drawn",
    )
    member = UserFactory(full_name="Cotisante Alpha Secrète")
    seat = TontineMember.objects.create(
        group=group, user=member, phone=str(member.phone), status="active", accepted_rules=group.rules_digest
    )
    (invitation,) = tontine.invite(actor=world.user_a, group=group, phones=["+2290197414141"])
    world.provide("group_id", group.public_id, "Tontine secrète Alpha", "41717", group.seed_hash)
    world.provide("member_id", seat.public_id, "Cotisante Alpha Secrète", str(member.phone))
    world.provide("invitation_id", invitation.public_id, "+2290197414141")
    world.tontine_group = group


SEEDERS.append(_tontine)


def _tontine_state(world: World):
    group = world.tontine_group
    group.refresh_from_db()
    return (group.status, sorted(group.members.values_list("phone", "status")))


def _tontine_body(name: str, body: dict, **ids):
    def case(world: World) -> RestCase:
        kwargs = {"version": "v1", **{k: world.ids[k] for k in ids.values()}}
        return RestCase(
            path=reverse(name, kwargs=kwargs), body=body, check_unchanged=lambda: _tontine_state(world)
        )

    return case


def _tontine_list(world: World) -> RestCase:
    return RestCase(
        path=reverse("wallet-tontines", kwargs={"version": "v1"}),
        body={
            "name": "Tontine de B",
            "contribution": 1_000,
            "currency": "XOF",
            "frequency": "weekly",
            "start_date": "2099-01-05",
            "max_members": 3,
            "order_method": "fixed",
        },
        owned=False,
    )


REST_CASES["wallet-tontines"] = _tontine_list
REST_CASES["wallet-tontine-invite"] = _tontine_body(
    "wallet-tontine-invite", {"phones": ["+2290197000777"]}, g="group_id"
)
REST_CASES["wallet-tontine-invitation-accept"] = _tontine_body(
    "wallet-tontine-invitation-accept", {"step_up_token": "x"}, i="invitation_id"
)
REST_CASES["wallet-tontine-invitation-decline"] = _tontine_body(
    "wallet-tontine-invitation-decline", {}, i="invitation_id"
)
REST_CASES["wallet-tontine-start"] = _tontine_body("wallet-tontine-start", {}, g="group_id")
REST_CASES["wallet-tontine-cancel"] = _tontine_body("wallet-tontine-cancel", {}, g="group_id")
REST_CASES["wallet-tontine-contribute"] = _tontine_body("wallet-tontine-contribute", {}, g="group_id")
REST_CASES["wallet-tontine-pay-link"] = _tontine_body("wallet-tontine-pay-link", {}, g="group_id")
REST_CASES["wallet-tontine-bid"] = _tontine_body("wallet-tontine-bid", {"discount": 100}, g="group_id")
REST_CASES["wallet-tontine-payout"] = _tontine_body(
    "wallet-tontine-payout", {"payout_to": "wallet"}, g="group_id"
)


def _tontine_cash(world: World) -> RestCase:
    return RestCase(
        path=reverse("wallet-tontine-cash", kwargs={"version": "v1", "group_id": world.ids["group_id"]}),
        body={"member": str(world.ids["member_id"])},
        check_unchanged=lambda: _tontine_state(world),
    )


def _tontine_replace(world: World) -> RestCase:
    kwargs = {"version": "v1", "group_id": world.ids["group_id"], "member_id": world.ids["member_id"]}
    return RestCase(
        path=reverse("wallet-tontine-replace", kwargs=kwargs),
        body={"phone": "+2290197000888"},
        check_unchanged=lambda: _tontine_state(world),
    )


REST_CASES["wallet-tontine-cash"] = _tontine_cash
REST_CASES["wallet-tontine-replace"] = _tontine_replace


def _tontine_leave(world: World) -> RestCase:
    kwargs = {"version": "v1", "group_id": world.ids["group_id"], "member_id": world.ids["member_id"]}
    return RestCase(
        path=reverse("wallet-tontine-leave", kwargs=kwargs),
        body={},
        check_unchanged=lambda: _tontine_state(world),
    )


REST_CASES["wallet-tontine-leave"] = _tontine_leave


def _tontine_gql(mutation: str, args: str, payload: str, **variables):
    def case(world: World) -> GraphQLCase:
        decl = ", ".join(f"${name}: UUID!" for name in variables)
        query = f"mutation({decl}) {{ {mutation}({args}) {{ ok errors {{ code }} {payload} }} }}"
        return GraphQLCase(query=query, variables={k: str(world.ids[v]) for k, v in variables.items()})

    return case


GRAPHQL_CASES["query.walletTontines"] = lambda world: GraphQLCase(
    query="{ walletTontines { id name status contribution { amount } } }", owned=False
)
GRAPHQL_CASES["mutation.walletCreateTontine"] = lambda world: GraphQLCase(
    query='mutation { walletCreateTontine(name: "Tontine de B", contribution: 1000, currency: "XOF", '
    'frequency: "weekly", startDate: "2099-01-05", maxMembers: 3, orderMethod: "fixed") '
    "{ ok errors { code } tontine { id name members { name phone } } } }",
    owned=False,
)
GRAPHQL_CASES["mutation.walletInviteTontineMembers"] = _tontine_gql(
    "walletInviteTontineMembers",
    'groupId: $g, phones: ["+2290197000777"]',
    "seats { id phone }",
    g="group_id",
)
GRAPHQL_CASES["mutation.walletAcceptTontineInvitation"] = _tontine_gql(
    "walletAcceptTontineInvitation",
    'invitationId: $i, stepUpToken: "x"',
    "seat { id phone }",
    i="invitation_id",
)
GRAPHQL_CASES["mutation.walletDeclineTontineInvitation"] = _tontine_gql(
    "walletDeclineTontineInvitation", "invitationId: $i", "seat { id phone }", i="invitation_id"
)
for _name in ("walletStartTontine", "walletCancelTontine"):
    GRAPHQL_CASES[f"mutation.{_name}"] = _tontine_gql(
        _name, "groupId: $g", "tontine { id name }", g="group_id"
    )
GRAPHQL_CASES["mutation.walletPayTontineContribution"] = _tontine_gql(
    "walletPayTontineContribution", "groupId: $g", "contribution { id }", g="group_id"
)
GRAPHQL_CASES["mutation.walletCreateTontinePayLink"] = _tontine_gql(
    "walletCreateTontinePayLink", "groupId: $g", "payLink { payUrl }", g="group_id"
)
GRAPHQL_CASES["mutation.walletRecordTontineCash"] = _tontine_gql(
    "walletRecordTontineCash", "groupId: $g, memberId: $m", "contribution { id }", g="group_id", m="member_id"
)
GRAPHQL_CASES["mutation.walletBidTontine"] = _tontine_gql(
    "walletBidTontine", "groupId: $g, discount: 100", "bid { id }", g="group_id"
)
GRAPHQL_CASES["mutation.walletReplaceTontineMember"] = _tontine_gql(
    "walletReplaceTontineMember",
    'groupId: $g, memberId: $m, phone: "+2290197000888"',
    "seat { id phone }",
    g="group_id",
    m="member_id",
)
GRAPHQL_CASES["mutation.walletSetTontinePayout"] = _tontine_gql(
    "walletSetTontinePayout", 'groupId: $g, payoutTo: "wallet"', "seat { id }", g="group_id"
)
GRAPHQL_CASES["mutation.walletLeaveTontine"] = _tontine_gql(
    "walletLeaveTontine", "groupId: $g, memberId: $m", "seat { id phone }", g="group_id", m="member_id"
)
GRAPHQL_CASES["query.walletTontine"] = lambda world: GraphQLCase(
    query="query($g: UUID!) { walletTontine(groupId: $g) { id name draw { seedHash } "
    "members { name phone } rounds { number } } }",
    variables={"g": str(world.ids["group_id"])},
)


# --- wallet core: A's owner has a wallet with money and a pending top-up; B, the outsider
# and anonymous callers only ever see their own wallet ("my …" endpoints), and cannot pay A's due ---


def _wallet_core(world: World) -> None:
    from apps.wallet.services import topups, wallets

    wallet = wallets.wallet_for(world.user_a, "XOF")
    topup, _intent = topups.topup_start(
        actor=world.user_a, amount=38_117, idempotency_key="isolation-topup-a"
    )
    world.mark(wallet.public_id, wallet.account, topup.public_id, "38117")


SEEDERS.append(_wallet_core)


def _mine(name: str, body: dict | None = None):
    def case(world: World) -> RestCase:
        return RestCase(path=reverse(name, kwargs={"version": "v1"}), body=body, owned=False)

    return case


for _name in (
    "wallet",
    "wallet-balance",
    "wallet-usage",
    "wallet-statement",
    "wallet-statement-csv",
    "wallet-statement-pdf",
    "wallet-rent-dues",
):
    REST_CASES[_name] = _mine(_name)
REST_CASES["wallet-topups"] = _mine("wallet-topups", {"amount": 1_000})
REST_CASES["wallet-withdrawals"] = _mine("wallet-withdrawals", {"amount": 1_000})


def _pay_due(world: World) -> RestCase:
    path = reverse("wallet-rent-due-pay", kwargs={"version": "v1", "due_id": world.ids["due_id"]})
    return RestCase(path=path, body={})


REST_CASES["wallet-rent-due-pay"] = _pay_due


def _gql_mine(query: str):
    def case(world: World) -> GraphQLCase:
        return GraphQLCase(query=query, owned=False)

    return case


GRAPHQL_CASES["query.walletAccount"] = _gql_mine("{ walletAccount { id status balance { amount } } }")
GRAPHQL_CASES["query.walletUsage"] = _gql_mine("{ walletUsage { tier balance { amount } } }")
GRAPHQL_CASES["query.walletTopUps"] = _gql_mine("{ walletTopUps { id amount { amount } payUrl } }")
GRAPHQL_CASES["query.walletWithdrawals"] = _gql_mine("{ walletWithdrawals { id phone amount { amount } } }")
GRAPHQL_CASES["query.walletStatement"] = _gql_mine(
    "{ walletStatement { openingBalance { amount } lines { description amount { amount } } } }"
)
GRAPHQL_CASES["query.walletRentDues"] = _gql_mine("{ walletRentDues { id total { amount } } }")
GRAPHQL_CASES["mutation.walletStartTopUp"] = _gql_mine(
    'mutation { walletStartTopUp(amount: 1000, idempotencyKey: "iso-b") { ok errors { code } topUp { id } } }'
)
GRAPHQL_CASES["mutation.walletRequestWithdrawal"] = _gql_mine(
    'mutation { walletRequestWithdrawal(amount: 1000, idempotencyKey: "iso-b") '
    "{ ok errors { code } withdrawal { id } } }"
)


def _gql_pay_due(world: World) -> GraphQLCase:
    return GraphQLCase(
        query='mutation($d: UUID!) { walletPayRentDue(dueId: $d, idempotencyKey: "iso-b") '
        "{ ok errors { code } payment { intent amount { amount } } } }",
        variables={"d": str(world.ids["due_id"])},
    )


GRAPHQL_CASES["mutation.walletPayRentDue"] = _gql_pay_due


# --- HokweSplit: A's owner, tenant of a lease of A, saves toward its first due ---


def _split_plan(world: World) -> None:
    from django.utils import timezone

    from apps.wallet.services import split
    from tests.fixtures.estate import agency_property, first_of_month, lease_for, open_dues

    prop = agency_property(world.user_a, world.org_a.pk, name="Résidence Épargne Alpha")
    lease = lease_for(
        world.user_a,
        prop,
        world.user_a,
        unit_label="SPLIT-A1",
        start_date=first_of_month(timezone.localdate(), -1),
        rent=73_737,
        charges=0,
        deposit_months=0,
    )
    due = open_dues(lease)[0]
    plan = split.plan_create(actor=world.user_a, due=due.public_id, frequency="daily", withdrawal_rule="free")
    world.provide("plan_id", plan.public_id, "73737")
    world.split_plan = plan
    world.split_due = due.public_id


SEEDERS.append(_split_plan)


def _split_state(world: World):
    from apps.ledger import api as ledger
    from apps.wallet.models import SplitPlan

    plan = SplitPlan.objects.get(pk=world.split_plan.pk)
    return plan.status, plan.closed_at, ledger.balance(account=plan.vault).posted


def _split_create(world: World) -> RestCase:
    # B's owner asks for a plan toward A's due: refused (404), nothing created
    from apps.wallet.models import SplitPlan

    return RestCase(
        path=reverse("wallet-splits", kwargs={"version": "v1"}),
        body={"due": str(world.split_due), "frequency": "weekly"},
        owned=False,
        check_unchanged=lambda: SplitPlan.objects.count(),
    )


REST_CASES["wallet-splits"] = _split_create
for _name in ("wallet-split-pause", "wallet-split-resume", "wallet-split-cancel", "wallet-split-withdraw"):
    REST_CASES[_name] = lambda world, _name=_name: RestCase(
        path=reverse(_name, kwargs={"version": "v1", "plan_id": world.ids["plan_id"]}),
        check_unchanged=lambda: _split_state(world),
    )


def _split_gql_mutation(field: str):
    def case(world: World) -> GraphQLCase:
        return GraphQLCase(
            query=f"mutation($id: UUID!) {{ {field}(planId: $id) {{ ok errors {{ code }} plan {{ id status }} }} }}",
            variables={"id": str(world.ids["plan_id"])},
        )

    return case


def _split_gql_create(world: World) -> GraphQLCase:
    return GraphQLCase(
        query="mutation($due: UUID!) { walletSplitCreatePlan(dueId: $due, frequency: WEEKLY) "
        "{ ok errors { code } plan { id target { amount } } } }",
        variables={"due": str(world.split_due)},
    )


GRAPHQL_CASES["mutation.walletSplitCreatePlan"] = _split_gql_create
for _field in (
    "walletSplitPausePlan",
    "walletSplitResumePlan",
    "walletSplitCancelPlan",
    "walletSplitWithdrawPlan",
):
    GRAPHQL_CASES[f"mutation.{_field}"] = _split_gql_mutation(_field)
GRAPHQL_CASES["query.walletSplitPlans"] = lambda world: GraphQLCase(
    query="{ walletSplitPlans { id target { amount } saved { amount } schedule { amount { amount } } } }",
    owned=False,
)


# --- wallet pages (W7): /wallet/… (apps/wallet/web) ---
# The pages naming an object — wallet:transfer, wallet:group, wallet:plan — are generated from
# the seeders' transfer_id / group_id / plan_id (A's: the wallet's 404 page for anyone else).
# The others show the signed-in user's own wallet: B may load them, never with A's data; a
# preview lives in its own session only (A's preview id gives B the send form again).


def _page_post(name: str, body: dict):
    return lambda world: RestCase(path=reverse(name), body=body, owned=False)


REST_CASES["wallet:send"] = _page_post("wallet:send", {"phone": "+2290197654321", "amount": "1000"})
REST_CASES["wallet:topup"] = _page_post("wallet:topup", {"amount": "1000", "key": "isolation-b"})
REST_CASES["wallet:send-confirm"] = lambda world: RestCase(
    path=reverse("wallet:send-confirm"),
    body={"confirm_step": "confirm", "preview": str(world.p2p_transfer.preview_id)},
    owned=False,
)


# --- wallet pages: the money actions (issue 19) ---
# Routes naming A's object (transfer-cancel, group-contribute, plan-pay-now, plan-withdraw,
# rent-pay with estate's due_id) are generated from the seeders' ids: the wallet's 404 page for
# anyone else, nothing moved. The others act on the caller's own wallet: B may load them, never
# with A's data; A's due offered to the plan form is not among B's choices (a form error).
REST_CASES["wallet:withdraw"] = _page_post("wallet:withdraw", {"amount": "1000", "key": "isolation-b"})
REST_CASES["wallet:withdrawals"] = _page_post("wallet:withdrawals", {})
REST_CASES["wallet:rent"] = _page_post("wallet:rent", {})
REST_CASES["wallet:plan-new"] = lambda world: RestCase(
    path=reverse("wallet:plan-new"),
    body={
        "due": str(world.split_due),
        "frequency": "daily",
        "withdrawal_rule": "free",
        "confirm_step": "confirm",
    },
    owned=False,
)
