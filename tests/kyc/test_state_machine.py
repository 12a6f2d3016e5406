"""A stateful property test of the verification workflow, driven through the services:
whatever the order of submissions, approvals by different reviewers, rejections,
re-submissions and expiries, the invariants hold."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from apps.core.errors import DomainError
from apps.kyc import api
from apps.kyc.models import Submission
from apps.kyc.services import submissions as services
from apps.kyc.workflow import OPEN, TRANSITIONS
from tests.identity.factories import UserFactory

from .helpers import ready_submission, staff


@pytest.mark.django_db
def test_workflow_state_machine(kyc_storage):
    reviewers = [staff("compliance"), staff("compliance"), staff("admin")]

    class Workflow(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.user = UserFactory()
            self.history: dict[int, list[str]] = {}
            self.today = date.today()

        def current(self) -> Submission | None:
            return Submission.objects.filter(user=self.user).order_by("-created_at", "-id").first()

        def _record(self, submission):
            self.history.setdefault(submission.pk, []).append(submission.status)

        @precondition(lambda self: self.current() is None or self.current().status not in OPEN)
        @rule(tier=st.sampled_from([1, 2]), expiry_days=st.integers(min_value=1, max_value=400))
        def submit(self, tier, expiry_days):
            submission = ready_submission(
                self.user, tier=tier, expiry=self.today + timedelta(days=expiry_days)
            )
            self._record(submission)

        @precondition(lambda self: self.current() is not None)
        @rule(who=st.integers(min_value=0, max_value=2))
        def approve(self, who):
            submission = self.current()
            try:
                submission = services.submission_approve(actor=reviewers[who], submission=submission)
            except DomainError:
                return
            self._record(submission)

        @precondition(lambda self: self.current() is not None)
        @rule(reason=st.sampled_from(["document_unreadable", "selfie_mismatch", "other"]))
        def reject(self, reason):
            try:
                submission = services.submission_reject(
                    actor=reviewers[0], submission=self.current(), reason=reason
                )
            except DomainError:
                return
            self._record(submission)

        @rule(days=st.integers(min_value=1, max_value=500))
        def time_passes(self, days):
            self.today += timedelta(days=days)
            services.submissions_expire_due(today=self.today)
            for submission in Submission.objects.filter(user=self.user):
                if (
                    not self.history.get(submission.pk)
                    or self.history[submission.pk][-1] != submission.status
                ):
                    self._record(submission)

        @invariant()
        def statuses_only_move_along_the_table(self):
            for statuses in self.history.values():
                for before, after in zip(statuses, statuses[1:], strict=False):
                    assert before == after or after in TRANSITIONS[before], statuses

        @invariant()
        def at_most_one_open_submission(self):
            assert Submission.objects.filter(user=self.user, status__in=list(OPEN)).count() <= 1

        @invariant()
        def tier_is_the_best_valid_approval(self):
            valid = [
                s.target_tier
                for s in Submission.objects.filter(user=self.user, status="approved")
                if s.id_expiry_date >= date.today()
            ]
            assert api.tier_of(self.user) == max(valid, default=0)

        @invariant()
        def tier_2_approvals_had_two_different_reviewers(self):
            for submission in Submission.objects.filter(user=self.user, status__in=["approved", "expired"]):
                staff_ids = set(submission.approvals.values_list("staff_id", flat=True))
                assert len(staff_ids) >= submission.required_approvals

        @invariant()
        def rejections_have_a_reason(self):
            assert not Submission.objects.filter(
                user=self.user, status="rejected", rejection_reason=""
            ).exists()

    Workflow.TestCase.settings = settings(
        max_examples=12,
        stateful_step_count=10,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    Workflow.TestCase().runTest()
