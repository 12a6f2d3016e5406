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


def _build_world() -> World:
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
    from apps.identity.policy import forget

    for seed in registry()["SEEDERS"]:
        seed(world)
        # a seeder acting as A or B caches their roles on the user object (one query per
        # request in production); the next seeder may add memberships first
        for user in (world.user_a, world.user_b, world.outsider):
            forget(user)
    return world


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """The world is built once per test module (every module's seeders take seconds, and the
    suite has hundreds of cases), inside a transaction that is rolled back after the module.
    Each test's own transaction nests in it as a savepoint (what Django's TestCase does with
    setUpTestData), so what a case writes is undone before the next case."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(HOKWE_THROTTLING_ENABLED=False):
                yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_module_world, db, settings) -> World:
    """Organization A with its owner and data from every module's seeder; organization B
    with its owner; an outsider (a plain user, no membership)."""
    settings.HOKWE_THROTTLING_ENABLED = False  # the suite hammers endpoints on purpose
    return _module_world


@pytest.fixture
def clients(world):
    """{surface: {actor: client}}: bearer tokens for the API and GraphQL, sessions for pages."""
    actors = ("member_of_b", "outsider", "anonymous")
    return {
        "api": {actor: bearer_client(world.user(actor)) for actor in actors},
        "page": {actor: session_client(world.user(actor)) for actor in actors},
    }
