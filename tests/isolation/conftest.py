import pytest
from django.test import Client

from tests.helpers import bearer_client  # the mobile apps' way in: an access token
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .cases import registry
from .framework import World


def session_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world(db, settings) -> World:
    """Organization A with its owner and data from every module's seeder; organization B
    with its owner; an outsider (a plain user, no membership)."""
    settings.HOKWE_THROTTLING_ENABLED = False  # the suite hammers endpoints on purpose
    owner_a = MembershipFactory(organization=OrganizationFactory(name="Agence Alpha Isolée"), role="owner")
    owner_b = MembershipFactory(organization=OrganizationFactory(name="Agence Bêta"), role="owner")
    world = World(
        org_a=owner_a.organization,
        user_a=owner_a.user,
        org_b=owner_b.organization,
        user_b=owner_b.user,
        outsider=UserFactory(),
    )
    world.mark(world.org_a.public_id, world.org_a.name, world.user_a.public_id, world.user_a.phone)
    for seed in registry()["SEEDERS"]:
        seed(world)
    return world


@pytest.fixture
def clients(world):
    """{surface: {actor: client}}: bearer tokens for the API and GraphQL, sessions for pages."""
    actors = ("member_of_b", "outsider", "anonymous")
    return {
        "api": {actor: bearer_client(world.user(actor)) for actor in actors},
        "page": {actor: session_client(world.user(actor)) for actor in actors},
    }
