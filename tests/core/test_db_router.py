"""The read replica router (apps/core/dbrouter.py): only reads opted in with `replica_reads`
go to the replica, never inside a transaction on the primary, never a write or a migration;
without a replica everything stays on the primary."""

from __future__ import annotations

import threading

import pytest
from django.db import transaction

from apps.core.dbrouter import ReplicaRouter, replica_alias, replica_reads
from apps.identity.models import User

router = ReplicaRouter()
# the router reads settings.DATABASES when it decides: a second alias in the settings is all
# it needs (no query goes to it here)
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    return settings


def test_without_a_replica_every_read_stays_on_the_primary(settings):
    assert "replica" not in settings.DATABASES and replica_alias() is None
    with replica_reads():
        assert router.db_for_read(User) is None


def test_only_opted_in_reads_go_to_the_replica(with_replica):
    assert replica_alias() == "replica"
    assert router.db_for_read(User) is None
    with replica_reads():
        assert router.db_for_read(User) == "replica"
        assert router.db_for_write(User) == "default"
    assert router.db_for_read(User) is None  # the block ended


@pytest.mark.django_db(transaction=True)  # the primary's connection really in autocommit
def test_a_read_inside_a_transaction_on_the_primary_stays_there(with_replica):
    with replica_reads():
        with transaction.atomic():
            assert router.db_for_read(User) is None  # it may need the transaction's own writes
        assert router.db_for_read(User) == "replica"


def test_the_decorator_form_and_threads_do_not_leak_into_each_other(with_replica):
    seen = {}
    inside = threading.Event()
    release = threading.Event()

    @replica_reads()
    def report():
        seen["report"] = router.db_for_read(User)
        inside.set()
        release.wait(5)

    worker = threading.Thread(target=report)
    worker.start()
    inside.wait(5)
    seen["other thread"] = router.db_for_read(User)  # this thread never opted in
    release.set()
    worker.join(5)
    assert seen == {"report": "replica", "other thread": None}
    assert router.db_for_read(User) is None


def test_writes_and_migrations_never_target_the_replica(with_replica):
    assert router.allow_migrate("replica", "identity") is False
    assert router.allow_migrate("default", "identity") is None
    assert router.allow_relation(object(), object()) is True
