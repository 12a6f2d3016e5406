"""CreatorStudio's job states and money, property-based (hypothesis): any sequence of posts,
takes, deliveries, changes, acceptances and cancels over a few jobs keeps

- the state machine: each operation succeeds exactly when JOB_STATES (and the model) allows it,
  and is refused with CreatorJobState / CreatorJobTaken / InsufficientAdBalance otherwise;
- the money: held + paid + released = posted (the prices of every job ever posted); the
  advertiser's available balance = funded − held − paid; each job's ledger hold is pending
  while held, posted once accepted, voided once cancelled; the escrow never keeps money of an
  accepted job; the creator's earnings = paid; nothing ever goes negative.
(Acceptances' payouts run after commit; each example is rolled back, so they never run here.)"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.ads.errors import CreatorJobState, CreatorJobTaken, InsufficientAdBalance, InvalidDeliverable
from apps.ads.models import CreatorJob
from apps.ads.services import creators
from apps.ads.services.advertisers import balance_of
from apps.ledger import api as ledger
from tests.fixtures.ads import creators_job, creators_png, creators_world

pytestmark = pytest.mark.django_db

FUNDED = 60_000
JOBS = 3
S = CreatorJob.Status

operation = st.one_of(
    st.tuples(st.just("post"), st.sampled_from([5_000, 20_000, 40_000])),
    st.tuples(st.just("take"), st.integers(0, JOBS - 1), st.integers(0, 1)),
    st.tuples(st.just("deliver"), st.integers(0, JOBS - 1)),
    st.tuples(st.just("changes"), st.integers(0, JOBS - 1)),
    st.tuples(st.just("accept"), st.integers(0, JOBS - 1)),
    st.tuples(st.just("cancel"), st.integers(0, JOBS - 1)),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=10))
def test_the_job_state_machine_and_its_money(ops):
    with transaction.atomic():
        _run(ops)
        transaction.set_rollback(True)


def _run(ops):
    world = creators_world(balance=FUNDED)
    users = [world.creator_user, world.creator2_user]
    jobs: list[CreatorJob] = []
    model: list[dict] = []  # {"status", "price", "creator"}

    def expect(ok: bool, call, errors):
        if ok:
            return call()
        with pytest.raises(errors):
            call()
        return None

    for op in ops:
        kind = op[0]
        if kind == "post":
            price = op[1]
            held = sum(m["price"] for m in model if m["status"] in creators.HELD)
            paid = sum(m["price"] for m in model if m["status"] in (S.ACCEPTED, S.PAID))
            ok = price <= FUNDED - held - paid
            job = expect(ok, lambda price=price: creators_job(world, price=price), InsufficientAdBalance)
            if job is not None:
                jobs.append(job)
                model.append({"status": S.OPEN, "price": price, "creator": None})
            _check(world, jobs, model)
            continue
        index = op[1]
        if index >= len(jobs):
            continue
        job, m = jobs[index], model[index]
        if kind == "take":
            who = op[2]
            ok = m["status"] == S.OPEN
            error = (
                CreatorJobState
                if m["status"] == S.CANCELLED
                else (CreatorJobTaken, CreatorJobState, creators.CreatorJobNotFound)
            )
            if (
                expect(ok, lambda job=job, who=who: creators.job_take(actor=users[who], job=job), error)
                is not None
            ):
                m.update(status=S.ASSIGNED, creator=who)
        elif kind == "deliver":
            if m["creator"] is None or m["status"] not in creators.UPLOADABLE:
                with pytest.raises((CreatorJobState, creators.CreatorJobNotFound, InvalidDeliverable)):
                    creators.job_deliver(actor=users[0], job=job.public_id)
            else:
                user = users[m["creator"]]
                creators.deliverable_upload(
                    actor=user, job=job.public_id, upload=SimpleUploadedFile("p.png", creators_png())
                )
                creators.job_deliver(actor=user, job=job.public_id)
                m["status"] = S.DELIVERED
        elif kind == "changes":
            ok = creators.JOB_STATES.can(m["status"], S.CHANGES)
            if expect(
                ok,
                lambda job=job: creators.job_request_changes(
                    actor=world.manager, job=job.public_id, feedback="Plus net"
                ),
                CreatorJobState,
            ):
                m["status"] = S.CHANGES
        elif kind == "accept":
            ok = creators.JOB_STATES.can(m["status"], S.ACCEPTED)
            if expect(
                ok,
                lambda job=job: creators.job_accept(actor=world.manager, job=job.public_id),
                CreatorJobState,
            ):
                m["status"] = S.ACCEPTED
        elif kind == "cancel":
            ok = creators.JOB_STATES.can(m["status"], S.CANCELLED)
            if expect(
                ok,
                lambda job=job: creators.job_cancel(actor=world.manager, job=job.public_id),
                CreatorJobState,
            ):
                m["status"] = S.CANCELLED
        _check(world, jobs, model)


def _check(world, jobs, model):
    posted = sum(m["price"] for m in model)
    held = sum(m["price"] for m in model if m["status"] in creators.HELD)
    paid = sum(m["price"] for m in model if m["status"] in (S.ACCEPTED, S.PAID))
    released = sum(m["price"] for m in model if m["status"] == S.CANCELLED)
    assert held + paid + released == posted
    available = balance_of(world.advertiser)
    assert available == FUNDED - held - paid >= 0
    for job, m in zip(jobs, model, strict=True):
        job.refresh_from_db()
        assert job.status == m["status"]
        state = ledger.hold_state(hold=job.hold)
        if m["status"] in creators.HELD:
            assert state == "pending"
        elif m["status"] == S.CANCELLED:
            assert state == "voided"
        else:
            assert state == "posted"
    escrow = ledger.balance(account=creators.escrow_account("XOF").public_id)
    assert escrow.posted == 0 and escrow.available >= 0
    earned = [creators.earnings_of(u) for u in (world.creator_user, world.creator2_user)]
    assert all(e >= 0 for e in earned) and sum(earned) == paid
