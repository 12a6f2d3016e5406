from pathlib import Path

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

# Each module's shared fixtures (tests/fixtures/<module>.py), as plugins.
pytest_plugins = sorted(
    f"tests.fixtures.{path.stem}"
    for path in (Path(__file__).parent / "fixtures").glob("*.py")
    if path.stem != "__init__"
)

# The test command (scripts/test.sh) runs hypothesis with `--hypothesis-profile=ci`: the same
# examples on every run (derandomized, no example database), so a commit's verdict does not
# depend on the draw. Exploring new examples is for a developer's run (the default profile).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the product's default language (French). A request in English
    (Accept-Language, a user's preferred language) activates it for the thread, and the
    next test on the same worker must not inherit it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (throttle counters, OTPs) on its worker's Redis db."""
    cache.clear()
    yield


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="Agence A")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name="Agence B")


@pytest.fixture
def manager_a(org_a):
    return MembershipFactory(organization=org_a).user


@pytest.fixture
def manager_b(org_b):
    return MembershipFactory(organization=org_b).user


@pytest.fixture
def unused_tcp_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def real_celery_worker(settings):
    """A real Celery worker (a thread) on this xdist worker's Redis broker, consuming every
    queue. The queues are purged first: tasks left by earlier tests (retries with a
    countdown, deliveries nobody consumed) must not keep this test's task waiting."""
    from celery.contrib.testing.worker import start_worker

    from hokwe.celery import app

    queues = ["default", *sorted({route["queue"] for route in settings.CELERY_TASK_ROUTES.values()})]
    with app.connection_for_write() as connection:
        for queue in queues:
            connection.default_channel.queue_purge(queue)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=queues):
            yield
    finally:
        app.conf.task_always_eager = True
