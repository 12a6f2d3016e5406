"""Test data for the assistant's tools and actions, built through the modules' own services
and the shared fixtures (tests/fixtures/*.py): a tenant with a lease and its first due, wallet
money, listings, help articles, a recovery case, and the step-up code of an action."""

from __future__ import annotations

from types import SimpleNamespace

RENT_DUE = 80_000  # the fixtures' rent 75 000 + 5 000 charges


def tenant_world(*, funds: int = 0, kyc: int = 2, name: str = "Awa Locataire"):
    """An agency's lease let to a new tenant from next month (rent 75 000 + 5 000 charges, due
    on the 5th, no deposit): `tenant`, `manager`, `lease`, `due` (its first due, a DueInfo of
    80 000 FCFA); the tenant's kyc tier set and `funds` put in their wallet."""
    from django.utils import timezone

    from tests.fixtures.estate import agency_property, first_of_month, lease_for, open_dues
    from tests.fixtures.wallet import kyc_tier, wallet_top_up
    from tests.identity.factories import MembershipFactory, UserFactory

    membership = MembershipFactory(role="owner")
    prop = agency_property(membership.user, membership.organization.pk, name="Résidence Assistant")
    tenant = UserFactory(full_name=name)
    lease = lease_for(
        membership.user, prop, tenant, start_date=first_of_month(timezone.localdate(), -1), deposit_months=0
    )
    if kyc:
        kyc_tier(tenant, kyc)
    if funds:
        wallet_top_up(tenant, funds)
    return SimpleNamespace(
        tenant=tenant,
        manager=membership.user,
        organization=membership.organization,
        lease=lease,
        due=open_dues(lease)[0],
    )


def someone(*, funds: int = 0, name: str = "Koffi Voisin"):
    """A user with no lease (another tenant's neighbour), `funds` in their wallet."""
    from tests.fixtures.wallet import kyc_tier, wallet_top_up
    from tests.identity.factories import UserFactory

    user = kyc_tier(UserFactory(full_name=name))
    if funds:
        wallet_top_up(user, funds)
    return user


def balance(user, currency: str = "XOF") -> int:
    from apps.wallet import api as wallet

    return wallet.wallet_info(user, currency).balance


def listings():
    """Three listings online in Cotonou and Parakou (search_listing writes them directly)."""
    from tests.fixtures.market import search_listing

    return SimpleNamespace(
        cheap=search_listing(title="Studio Gbégamey", kind="studio", city="Cotonou", price=60_000, rooms=2),
        dear=search_listing(title="Villa Haie Vive", kind="villa", city="Cotonou", price=450_000, rooms=5),
        far=search_listing(
            title="Chambre Parakou", kind="chambre_salon", city="Parakou", price=30_000, rooms=2
        ),
    )


def help_centre():
    """cms's demo help articles (« Comment payer mon loyer par MoMo ? », …)."""
    from apps.cms.demo import seed_help

    seed_help({})


def recovery_case(world, *, today):
    """recovery's case on an overdue lease (tests.fixtures.estate's estate_overdue_lease): the
    agency's default ladder and the nightly sync."""
    from apps.recovery import services

    services.ladder_default(organization_id=world.agency.pk)
    services.cases_sync(today=today)


def step_up_token(inbox, user, action) -> str:
    """The proof of identity's step-up bound to `action` (the SMS code, read from `inbox`)."""
    from apps.ai.services.actions import step_up_binding
    from apps.identity import api as identity

    challenge = identity.step_up_start(actor=user, **step_up_binding(action))
    proof = identity.step_up_verify(
        actor=user, challenge_id=challenge.challenge_id, code=inbox.last_code(user.phone)
    )
    return proof.token


def visit_slots(listing, *, days=(2, 3), hour: int = 10):
    """Open visit slots of `listing` (a search_listing: its owner publishes them), each at
    `hour`:00 local time `days` from today, 30 minutes long."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from apps.market.services import visits

    slots = []
    for n in days:
        start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=n), time(hour)))
        slots += visits.slots_create(
            actor=listing.owner, listing=listing, starts_at=start, ends_at=start + timedelta(minutes=30)
        )
    return slots


def open_case(tenant):
    """The tenant's open recovery case (a row: the tests read what recovery wrote)."""
    from apps.recovery.models import Case

    return Case.objects.exclude(status="closed").get(tenant=tenant)


def proposed_plan(world, *, today):
    """A payment plan proposed on the portal on the open case of `world.tenant` (recovery_case
    first): two instalments, 7 and 37 days from `today`, adding up to what is owed."""
    from datetime import timedelta

    from apps.recovery import services

    case = open_case(world.tenant)
    half = case.amount_owed // 2
    return services.plan_propose(
        actor=None,
        case=case,
        installments=[
            (today + timedelta(days=7), half),
            (today + timedelta(days=37), case.amount_owed - half),
        ],
        channel="portal",
    )


def strong_step_up_token(user, action) -> str:
    """The proof of identity's step-up bound to `action`, answered with the authenticator app
    (a strong action such as the wallet's P2P send: tests.helpers.enrol_totp)."""
    from apps.ai.services.actions import step_up_binding
    from apps.identity import api as identity
    from tests.helpers import enrol_totp, totp_code

    device = enrol_totp(user)
    challenge = identity.step_up_start(actor=user, **step_up_binding(action))
    assert challenge.method == "totp"
    proof = identity.step_up_verify(actor=user, challenge_id=challenge.challenge_id, code=totp_code(device))
    return proof.token
