"""Reactions to the events of the modules below (thin: each names the users an event touched and
hands them to a Celery task). Each part appends its own block."""

# --- the score's life: every event that changes a tenant's record rescores them, once per
# event (the task records the event id: services.scores.rescore_for_event) ---
from django.db import transaction

from apps.core.events import on
from apps.estate import api as estate
from apps.estate.events import LeaseEnded, LeaseSigned, RentDuePaid, RentPaymentApplied
from apps.recovery.events import CaseClosed, CaseOpened, PromiseBroken
from apps.wallet.events import ContributionLate, ContributionPaid, MemberDefaulted, SavingStreak


def _rescore_later(user_ids, *, event, event_id: str) -> None:
    """After commit, the task `scoring.rescore_for_event` (found by name: the worker side lives in
    tasks.py); with eager tasks (dev, tests) the same service runs in-process."""
    users = [str(u) for u in user_ids if u]
    if not users:
        return

    def enqueue():
        from celery import current_app

        if current_app.conf.task_always_eager:
            from .services.scores import rescore_for_event

            rescore_for_event(users, event_id=event_id, event_name=event.name)
            return
        current_app.send_task("scoring.rescore_for_event", args=[users, event_id, event.name])

    transaction.on_commit(enqueue, robust=True)


def _lease_tenants(lease_id: str) -> list:
    from apps.core.errors import NotFound

    try:
        return list(estate.lease(lease_id).tenants)
    except NotFound:
        return []


@on(RentDuePaid)
def rescore_on_due_paid(event: RentDuePaid, *, event_id: str) -> None:
    _rescore_later(_lease_tenants(event.lease_id), event=event, event_id=event_id)


@on(RentPaymentApplied)
def rescore_on_payment(event: RentPaymentApplied, *, event_id: str) -> None:
    _rescore_later(_lease_tenants(event.lease_id), event=event, event_id=event_id)


@on(LeaseSigned)
def rescore_on_lease_signed(event: LeaseSigned, *, event_id: str) -> None:
    _rescore_later(event.tenant_ids, event=event, event_id=event_id)


@on(LeaseEnded)
def rescore_on_lease_ended(event: LeaseEnded, *, event_id: str) -> None:
    _rescore_later(_lease_tenants(event.lease_id), event=event, event_id=event_id)


@on(CaseOpened)
def rescore_on_case_opened(event: CaseOpened, *, event_id: str) -> None:
    _rescore_later([event.tenant_id], event=event, event_id=event_id)


@on(CaseClosed)
def rescore_on_case_closed(event: CaseClosed, *, event_id: str) -> None:
    _rescore_later([event.tenant_id], event=event, event_id=event_id)


@on(PromiseBroken)
def rescore_on_promise_broken(event: PromiseBroken, *, event_id: str) -> None:
    _rescore_later([event.tenant_id], event=event, event_id=event_id)


@on(ContributionPaid)
def rescore_on_contribution_paid(event: ContributionPaid, *, event_id: str) -> None:
    _rescore_later([event.user_id], event=event, event_id=event_id)


@on(ContributionLate)
def rescore_on_contribution_late(event: ContributionLate, *, event_id: str) -> None:
    _rescore_later([event.user_id], event=event, event_id=event_id)


@on(MemberDefaulted)
def rescore_on_member_defaulted(event: MemberDefaulted, *, event_id: str) -> None:
    _rescore_later([event.user_id], event=event, event_id=event_id)


@on(SavingStreak)
def rescore_on_saving_streak(event: SavingStreak, *, event_id: str) -> None:
    _rescore_later([event.user_id], event=event, event_id=event_id)


# --- market's applications: a seeker applied to a listing → a screening request for them (the
# consent flow unchanged); market shows the request's state in the listing's applicants ---
from apps.market import api as _market  # noqa: E402
from apps.market.events import ApplicationSubmitted  # noqa: E402


@on(ApplicationSubmitted)
def screen_market_application(event: ApplicationSubmitted, *, event_id: str) -> None:
    from .services.market_applications import screen_application

    screen_application(event.application_id)


def _market_screening_states(request_ids):
    from .services.market_applications import screening_states

    return screening_states(request_ids)


_market.register_screening_reader(_market_screening_states)


def _market_price_estimate(unit_id):
    """HokweValuation's monthly rent range of a managed unit for market's moderation rule:
    (low, estimate, high) in minor units, None when nothing could be estimated."""
    from apps.core.errors import NotFound

    from .api import valuation_for

    try:
        found = valuation_for(unit_id)
    except NotFound:
        return None
    if found.rent is None or found.rent_low is None or found.rent_high is None:
        return None
    return (found.rent_low, found.rent, found.rent_high)


_market.register_price_estimator(_market_price_estimate)
