"""The isolation registry: how to create organization A's data, and the endpoints that need
an explicit case or a declaration. Read tests/isolation/README.md first.

Every REST route and page of the URL conf, and every GraphQL query and mutation, must be
covered, or `test_every_endpoint_is_covered` fails and lists what is missing:

* automatically: a route whose URL parameters are all provided by a seeder below
  (`world.provide("account_id", account.public_id)`), a route without parameters, an admin
  route (non-staff are sent to the admin login), a GraphQL query whose required arguments
  are all provided ids (`accountId`) or that has none;
* explicitly: `@rest_case("route-name")` / `@graphql_case("mutation.fieldName")` returning
  a RestCase / GraphQLCase that targets A's object;
* or declared public here with the reason (`PUBLIC_ROUTES`, `PUBLIC_GRAPHQL`).

A module may instead keep its part in `tests/<module>/isolation.py` with the same names
(SEEDERS, REST_CASES, GRAPHQL_CASES, PUBLIC_ROUTES, PUBLIC_GRAPHQL, SELF_SCOPED_GRAPHQL);
`registry()` merges them.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from django.utils import timezone

from .framework import GraphQLCase, RestCase, World

SEEDERS: list[Callable[[World], None]] = []
REST_CASES: dict[str, Callable[[World], RestCase]] = {}
GRAPHQL_CASES: dict[str, Callable[[World], GraphQLCase]] = {}

# Routes anyone may call. Each is still checked: no server error, none of A's data.
PUBLIC_ROUTES: dict[str, str] = {
    # core
    "healthz": "liveness probe, no data",
    "favicon.ico": "a redirect to the static icon, no data",
    "readyz": "readiness probe, no data",
    "metrics": "Prometheus; network-restricted (METRICS_ALLOWED_CIDRS / METRICS_TOKEN), tests/core",
    "set_language": "language switch (i18n/setlang/)",
    "api-schema": "OpenAPI schema, published for the apps",
    "api-docs": "Swagger UI over the schema",
    "api-redoc": "Redoc over the schema",
    "^api/": "JSON 404 for unknown API routes",
    "core:private-file": "a private file's signed, short-lived link: the signature is the secret",
    # cms sites: the public sites (Wagtail pages; "/" is the default site's hub), per host
    "cms-sites-robots": "robots.txt of the host",
    "cms-sites-sitemap": "sitemap.xml of the host (published public pages)",
    "cms-sites-paylink": "« find my pay link »: the same answer whatever the number, links only by SMS",
    "wagtailcore_login": "Wagtail's login for private pages (none are private)",
    "graphql": "covered field by field by test_graphql.py",
    "manager:login": "login page",
    "manager:logout": "logout (ends the caller's own session)",
    # identity
    "identity-register": "sign-up by phone (rate-limited)",
    "identity-otp-request": "asks for a login code (rate-limited)",
    "identity-otp-verify": "exchanges a login code for tokens",
    "identity-token-refresh": "exchanges the caller's refresh token",
    "identity-invitation-code": "invitation link token -> code by SMS (the token is the secret)",
    "identity-invitation-accept": "invitation token + code -> membership (the token is the secret)",
    "manager:identity_login_otp": "login by SMS code (page)",
    "manager:identity_login_code": "login by SMS code, verification (page)",
    "manager:oidc_authentication_init": "OIDC login redirect",
    "manager:oidc_authentication_callback": "OIDC login callback (state-checked)",
    "manager:identity_invitation_start": "invitation landing page (token from the SMS link)",
    "manager:identity_invitation_accept": "invitation acceptance page (the token is the secret)",
    # notifications: provider delivery callbacks, authenticated by signature / secret token
    "notifications-callback-twilio": "provider webhook, Twilio signature verified",
    "notifications-callback-africastalking": "provider webhook, secret token in the URL",
    "notifications-callback-orange": "provider webhook, secret token in the URL",
}

# GraphQL fields anyone may call (login, sign-up, …), with the reason.
PUBLIC_GRAPHQL: dict[str, str] = {
    "query.serverInfo": "version and language, no data",
    "query.coreServerInfo": "version and language, no data",
    "mutation.register": "sign-up by phone (rate-limited)",
    "mutation.requestOtp": "asks for a login code (rate-limited)",
    "mutation.verifyOtp": "exchanges a login code for tokens",
    "mutation.refreshToken": "exchanges the caller's refresh token",
    "mutation.requestInvitationCode": "invitation token -> code by SMS (the token is the secret)",
    "mutation.acceptInvitation": "invitation token + code (the token is the secret)",
}

# Mutations that act only on the caller's own data and name no object: they are run as
# each actor and must not return A's data; anonymous callers must be refused.
SELF_SCOPED_GRAPHQL: dict[str, str] = {
    "mutation.logoutAll": "ends all of the caller's sessions",
    "mutation.updateMe": "edits the caller's own profile",
    "mutation.markAllInboxMessagesRead": "the caller's own inbox",
}


def seeder(func: Callable[[World], None]) -> Callable[[World], None]:
    SEEDERS.append(func)
    return func


def rest_case(route_key: str):
    def decorate(func: Callable[[World], RestCase]):
        REST_CASES[route_key] = func
        return func

    return decorate


def graphql_case(field_key: str):
    def decorate(func: Callable[[World], GraphQLCase]):
        GRAPHQL_CASES[field_key] = func
        return func

    return decorate


# --- identity (issue 3) ----------------------------------------------------------------------


@seeder
def identity_data(world: World) -> None:
    from apps.identity.models import Invitation, Membership
    from tests.identity.factories import MembershipFactory

    world.provide("org_id", world.org_a.public_id, world.org_a.name)
    world.provide("organization_id", world.org_a.public_id)  # GraphQL: organizationId
    member = MembershipFactory(organization=world.org_a, role=Membership.Role.VIEWER)
    world.provide("member_id", member.public_id, member.user.public_id, member.user.phone)
    invitation = Invitation.objects.create(
        organization=world.org_a,
        phone="+2290197000111",
        role=Membership.Role.ACCOUNTANT,
        token_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
        invited_by=world.user_a,
        expires_at=timezone.now() + timedelta(days=7),
    )
    world.provide("invitation_id", invitation.public_id, "+2290197000111", "97000111")


def _membership_snapshot(world: World):
    from apps.identity.models import Membership

    return lambda: sorted(
        Membership.objects.filter(organization=world.org_a).values_list("public_id", "role", "is_active")
    )


@rest_case("identity-member")
def identity_member(world: World) -> RestCase:
    from django.urls import reverse

    path = reverse(
        "identity-member",
        kwargs={"version": "v1", "org_id": world.ids["org_id"], "member_id": world.ids["member_id"]},
    )
    # A valid body, so a view that forgot its check would act instead of failing validation.
    return RestCase(path=path, body={"role": "owner"}, check_unchanged=_membership_snapshot(world))


def _gql(field: str, args: dict, selection: str = "{ ok errors { code } }", **options) -> GraphQLCase:
    """A GraphQLCase calling `field(arg: $arg, …)` with typed variables: {"id": ("UUID!", value)}."""
    declared = ", ".join(f"${name}: {type_}" for name, (type_, _value) in args.items())
    call = ", ".join(f"{name}: ${name}" for name in args)
    kind = options.pop("kind", "mutation")
    query = (
        f"{kind}({declared}) {{ {field}({call}) {selection} }}"
        if args
        else f"{kind} {{ {field} {selection} }}"
    )
    return GraphQLCase(query=query, variables={n: v for n, (_t, v) in args.items()}, **options)


@graphql_case("query.organization")
def gql_organization(world: World) -> GraphQLCase:
    return _gql("organization", {"id": ("UUID!", str(world.ids["org_id"]))}, "{ id name }", kind="query")


@graphql_case("mutation.updateOrganization")
def gql_update_organization(world: World) -> GraphQLCase:
    return _gql(
        "updateOrganization",
        {"id": ("UUID!", str(world.ids["org_id"])), "name": ("String", "Renamed by B")},
        "{ ok errors { code } organization { id name } }",
    )


@graphql_case("mutation.inviteMember")
def gql_invite_member(world: World) -> GraphQLCase:
    return _gql(
        "inviteMember",
        {
            "organizationId": ("UUID!", str(world.ids["org_id"])),
            "phone": ("String!", "+2290197000222"),
            "role": ("String!", "viewer"),
        },
    )


@graphql_case("mutation.changeMemberRole")
def gql_change_member_role(world: World) -> GraphQLCase:
    return _gql(
        "changeMemberRole",
        {
            "organizationId": ("UUID!", str(world.ids["org_id"])),
            "memberId": ("UUID!", str(world.ids["member_id"])),
            "role": ("String!", "owner"),
        },
    )


@graphql_case("mutation.removeMember")
def gql_remove_member(world: World) -> GraphQLCase:
    return _gql(
        "removeMember",
        {
            "organizationId": ("UUID!", str(world.ids["org_id"])),
            "memberId": ("UUID!", str(world.ids["member_id"])),
        },
    )


# Mutations on the caller's own data that need arguments: run as each actor, they must not
# return A's data; anonymous callers must be refused.
@graphql_case("mutation.logout")
def gql_logout(world: World) -> GraphQLCase:
    return _gql("logout", {"refreshToken": ("String!", "not-a-token")}, owned=False)


@graphql_case("mutation.createOrganization")
def gql_create_organization(world: World) -> GraphQLCase:
    return _gql(
        "createOrganization",
        {"kind": ("String!", "agency"), "name": ("String!", "Agence du testeur")},
        "{ ok errors { code } organization { id name } }",
        owned=False,
    )


@graphql_case("mutation.startStepUp")
def gql_start_step_up(world: World) -> GraphQLCase:
    return _gql(
        "startStepUp",
        {"action": ("String!", "identity.member.role"), "target": ("String!", str(world.ids["member_id"]))},
        "{ ok errors { code } }",
        owned=False,
    )


@graphql_case("mutation.verifyStepUp")
def gql_verify_step_up(world: World) -> GraphQLCase:
    return _gql(
        "verifyStepUp", {"challengeId": ("String!", "nope"), "code": ("String!", "000000")}, owned=False
    )


# --- ledger (issue 4) ------------------------------------------------------------------------


@seeder
def ledger_data(world: World) -> None:
    import uuid

    from apps.ledger import api
    from apps.ledger.contracts import Leg

    account = api.organization_account(organization=world.org_a.public_id, code="owners_payable")
    clearing = api.system_account(code="provider_clearing.sandbox", currency="XOF")
    result = api.transfer(
        idempotency_key=uuid.uuid4().hex,
        code="top_up",
        legs=[Leg.debit(clearing.public_id, 73_519, "XOF"), Leg.credit(account.public_id, 73_519, "XOF")],
    )
    world.provide("account_id", account.public_id, getattr(result, "public_id", None), "73519", "73 519")
    wallet = api.user_wallet(user=world.user_a.public_id)
    world.mark(wallet.public_id)


@graphql_case("query.ledgerAccount")
def gql_ledger_account(world: World) -> GraphQLCase:
    return _gql("ledgerAccount", {"id": ("UUID!", str(world.ids["account_id"]))}, "{ id }", kind="query")


# --- notifications (issue 5) -----------------------------------------------------------------


@seeder
def notifications_data(world: World) -> None:
    from apps.notifications.models import Message, PushDevice

    message = Message.objects.create(
        user=world.user_a,
        recipient_key=str(world.user_a.public_id),
        channel="inapp",
        template_key="isolation.test",
        category="account",
        priority="transactional",
        subject="Sujet secret de A",
        body="Corps secret de A",
        status=Message.Status.DELIVERED,
    )
    world.provide("message_id", message.public_id, "Sujet secret de A", "Corps secret de A")
    device = PushDevice.objects.create(
        user=world.user_a, token=f"device-token-of-a-{secrets.token_hex(8)}", platform="android"
    )
    world.provide("device_id", device.public_id, device.token)


@graphql_case("mutation.markInboxMessageRead")
def gql_mark_read(world: World) -> GraphQLCase:
    return _gql("markInboxMessageRead", {"id": ("UUID!", str(world.ids["message_id"]))}, "{ __typename }")


@graphql_case("mutation.unregisterPushDevice")
def gql_unregister_device(world: World) -> GraphQLCase:
    return _gql("unregisterPushDevice", {"id": ("UUID!", str(world.ids["device_id"]))}, "{ __typename }")


@graphql_case("mutation.registerPushDevice")
def gql_register_device(world: World) -> GraphQLCase:
    return _gql(
        "registerPushDevice",
        {
            "platform": ("String!", "android"),
            "token": ("String!", f"device-of-caller-{secrets.token_hex(4)}"),
        },
        "{ __typename }",
        owned=False,
    )


# --- payments (payment intents, payouts, pay links) --------------------------------------------

PUBLIC_ROUTES.update(
    {
        "payments-webhook": "provider webhook: signature verified, outcome confirmed with the provider",
        "payments-webhook-config": "webhook of an organization's own provider account: signature checked "
        "with that account's secret",
        "payments:pay": "pay link from the SMS: the random token is the secret",
        "payments:pay-start": "pay link: the token is the secret",
        "payments:pay-callback": "provider's browser return to the pay link (verified with the provider)",
        "payments:checkout": "embeddable checkout: the token is the secret",
        "payments:checkout-landing": "checkout.hokwepay.me's root: what the checkout is, no data",
        "payments:checkout-start": "embeddable checkout: the token is the secret",
        "payments:checkout-callback": "provider's browser return to the checkout (verified with the provider)",
        "payments:receipt": "receipt verification by the code printed on the receipt",
        "payments:sandbox": "the sandbox provider's payment page (dev and tests only; prod refuses it)",
    }
)


@seeder
def payments_data(world: World) -> None:
    import uuid

    from apps.payments import services
    from apps.payments.models import Payout, PayoutAccount

    intent = services.intent_create(
        organization_id=world.org_a.pk,
        amount=81_317,
        currency="XOF",
        purpose_type="estate.RentDue",
        purpose_id="due-of-a",
        description="Loyer secret de A",
        payer_name="Payeur secret de A",
    )
    world.provide("intent_id", intent.public_id, intent.pay_token, "Loyer secret de A", "Payeur secret de A")
    account = PayoutAccount.objects.create(
        organization=world.org_a,
        kind=PayoutAccount.Kind.choices[0][0],
        phone="+2290196555444",
        operator="mtn",
    )
    payout = Payout.objects.create(
        organization=world.org_a,
        payout_account=account,
        amount=64_219,
        currency="XOF",
        source_account=uuid.uuid4(),
        provider="sandbox",
    )
    world.provide("payout_id", payout.public_id, "96555444", "64219")
    world.provide("payout_account_id", account.public_id)


def _intent_path(world: World, name: str) -> str:
    from django.urls import reverse

    return reverse(name, kwargs={"version": "v1", "intent_id": world.ids["intent_id"]})


# These views validate the body before loading the intent: with an empty body anyone gets
# 400, which would hide a missing check. A valid body makes the check decide.
@rest_case("payments-intent-confirm")
def payments_confirm(world: World) -> RestCase:
    return RestCase(path=_intent_path(world, "payments-intent-confirm"), body={"transaction_id": "tx-of-b-1"})


@rest_case("payments-intent-push")
def payments_push(world: World) -> RestCase:
    return RestCase(
        path=_intent_path(world, "payments-intent-push"), body={"phone": "+2290197000333", "operator": "mtn"}
    )


@graphql_case("query.paymentsIntent")
def gql_payment_intent(world: World) -> GraphQLCase:
    return _gql(
        "paymentsIntent", {"id": ("UUID!", str(world.ids["intent_id"]))}, "{ __typename }", kind="query"
    )


@graphql_case("mutation.paymentsCreateIntent")
def gql_create_intent(world: World) -> GraphQLCase:
    return _gql(
        "paymentsCreateIntent",
        {
            "organizationId": ("UUID!", str(world.ids["org_id"])),
            "amount": ("Amount!", 10_000),
            "description": ("String!", "Intent in A's name by B"),
        },
        "{ ok errors { code } intent { __typename } }",
    )


@graphql_case("mutation.paymentsConfirmPayment")
def gql_confirm_payment(world: World) -> GraphQLCase:
    return _gql(
        "paymentsConfirmPayment",
        {"intentId": ("UUID!", str(world.ids["intent_id"])), "transactionId": ("String!", "tx-of-b-2")},
        "{ ok errors { code } intent { __typename } }",
    )


@graphql_case("mutation.paymentsRecordCashPayment")
def gql_record_cash(world: World) -> GraphQLCase:
    return _gql(
        "paymentsRecordCashPayment",
        {
            "organizationId": ("UUID!", str(world.ids["org_id"])),
            "amount": ("Amount!", 10_000),
            "description": ("String!", "Cash in A's name by B"),
        },
        "{ ok errors { code } intent { __typename } }",
    )


@graphql_case("mutation.paymentsAddPayoutAccount")
def gql_add_payout_account(world: World) -> GraphQLCase:
    return _gql(
        "paymentsAddPayoutAccount",
        {
            "organizationId": ("UUID!", str(world.ids["org_id"])),
            "kind": ("String!", "mobile_money"),
            "holderName": ("String!", "B's holder"),
            "phone": ("String", "+2290197000444"),
            "operator": ("String", "mtn"),
        },
        "{ ok errors { code } payoutAccount { __typename } }",
    )


@graphql_case("mutation.paymentsRequestPayout")
def gql_request_payout(world: World) -> GraphQLCase:
    return _gql(
        "paymentsRequestPayout",
        {
            "organizationId": ("UUID!", str(world.ids["org_id"])),
            "payoutAccountId": ("UUID!", str(world.ids["payout_account_id"])),
            "amount": ("Amount!", 5_000),
        },
        "{ ok errors { code } payout { __typename } }",
    )


@graphql_case("mutation.paymentsCancelIntent")
def gql_cancel_intent(world: World) -> GraphQLCase:
    return _gql(
        "paymentsCancelIntent",
        {"intentId": ("UUID!", str(world.ids["intent_id"]))},
        "{ ok errors { code } intent { __typename } }",
    )


@graphql_case("mutation.paymentsPushPayment")
def gql_push_payment(world: World) -> GraphQLCase:
    return _gql(
        "paymentsPushPayment",
        {
            "intentId": ("UUID!", str(world.ids["intent_id"])),
            "phone": ("String!", "+2290197000333"),
            "operator": ("String", "mtn"),
        },
        "{ ok errors { code } intent { __typename } checkout { url } }",
    )


@graphql_case("mutation.paymentsPayWithWallet")
def gql_pay_with_wallet(world: World) -> GraphQLCase:
    return _gql(
        "paymentsPayWithWallet",
        {"intentId": ("UUID!", str(world.ids["intent_id"]))},
        "{ ok errors { code } intent { __typename } }",
    )


@graphql_case("mutation.paymentsRemovePayoutAccount")
def gql_remove_payout_account(world: World) -> GraphQLCase:
    return _gql(
        "paymentsRemovePayoutAccount",
        {"payoutAccountId": ("UUID!", str(world.ids["payout_account_id"])), "stepUpToken": ("String", "x")},
        "{ ok errors { code } payoutAccount { __typename } }",
    )


# The former names (deprecated aliases) are checked too, with the same cases.
PAYMENTS_ALIASES = {
    "query.paymentIntent": "paymentsIntent",
    "mutation.createPaymentIntent": "paymentsCreateIntent",
    "mutation.confirmPayment": "paymentsConfirmPayment",
    "mutation.recordCashPayment": "paymentsRecordCashPayment",
    "mutation.addPayoutAccount": "paymentsAddPayoutAccount",
    "mutation.requestPayout": "paymentsRequestPayout",
}


def _payments_alias(key: str, new: str):
    kind, old = key.split(".", 1)

    def case(world: World) -> GraphQLCase:
        built = GRAPHQL_CASES[f"{kind}.{new}"](world)
        built.query = built.query.replace(f"{{ {new}(", f"{{ {old}(", 1)
        return built

    return case


GRAPHQL_CASES.update({key: _payments_alias(key, new) for key, new in PAYMENTS_ALIASES.items()})


# --- estate, kyc, …: in tests/<module>/isolation.py, kept by each module's author ------------


# --- merged registry ---------------------------------------------------------------------------


def registry() -> dict:
    """This file plus every tests/<module>/isolation.py (same names), merged."""
    merged = {
        "SEEDERS": list(SEEDERS),
        "REST_CASES": dict(REST_CASES),
        "GRAPHQL_CASES": dict(GRAPHQL_CASES),
        "PUBLIC_ROUTES": dict(PUBLIC_ROUTES),
        "PUBLIC_GRAPHQL": dict(PUBLIC_GRAPHQL),
        "SELF_SCOPED_GRAPHQL": dict(SELF_SCOPED_GRAPHQL),
    }
    tests_dir = Path(__file__).resolve().parents[1]
    for path in sorted(tests_dir.glob("*/isolation.py")):
        module = import_module(f"tests.{path.parent.name}.isolation")
        for name, value in merged.items():
            extra = getattr(module, name, None)
            if extra is None:
                continue
            if isinstance(value, list):
                value.extend(extra)
            else:
                value.update(extra)
    return merged
