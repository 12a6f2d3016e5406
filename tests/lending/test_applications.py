"""Applications and decisions: the rules (KYC tier, tenure, the score band, the grey band and
the emergency fund), the one open loan per product, the manual review, withdrawal, expiry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.errors import DomainError, Forbidden, IdempotencyConflict
from apps.lending.contracts import LoanStatus
from apps.lending.errors import (
    AmountOutOfRange,
    InvalidLoanState,
    NoRentDueToPay,
    OpenLoanExists,
    RentDueNotCovered,
    TermOutOfRange,
)
from apps.lending.models import Loan
from apps.lending.services import applications
from tests.lending.conftest import good_tenant, lifecycle_product

pytestmark = pytest.mark.django_db


def _apply(world, product=None, amount=100_000, term=3, key="k1", **kw):
    return applications.apply(
        actor=kw.pop("actor", world.tenant),
        product=product or world.rent,
        amount=amount,
        term=term,
        purpose="loyer de décembre",
        destination_ref=kw.pop("destination_ref", ""),
        idempotency_key=key,
        **kw,
    )


def test_a_good_tenant_gets_an_offer_with_the_terms_and_a_number(lending_world):
    loan = _apply(lending_world)
    assert loan.status == LoanStatus.APPROVED, loan.decision_reasons
    assert [r["code"] for r in loan.decision_reasons] == ["score_ok"]
    assert loan.number.startswith(f"PRT-{timezone.localdate().year}-")
    assert loan.score_band in ("fair", "good", "excellent")
    assert loan.offer_expires_at > timezone.now() + timedelta(days=6)
    assert loan.upfront_fee == 1_000  # 1 % of 100 000
    assert loan.total_interest > 0
    assert loan.first_due_date > timezone.localdate()
    due = lending_world.lease.dues.filter(due_date__gte=timezone.localdate().replace(day=1)).order_by(
        "due_date"
    )[0]
    assert loan.destination_ref == str(due.public_id)  # the oldest open due


def test_a_retry_returns_the_first_application_and_another_body_conflicts(lending_world):
    first = _apply(lending_world)
    assert _apply(lending_world).pk == first.pk
    with pytest.raises(IdempotencyConflict):
        _apply(lending_world, amount=120_000)
    assert Loan.objects.count() == 1


def test_one_open_loan_per_product(lending_world):
    _apply(lending_world)
    with pytest.raises(OpenLoanExists):
        _apply(lending_world, key="k2")
    # another product is another story
    other = _apply(lending_world, product=lending_world.emergency, key="k3", amount=50_000)
    assert other.status == LoanStatus.APPROVED


def test_a_withdrawn_application_frees_the_product(lending_world):
    loan = _apply(lending_world)
    applications.withdraw(actor=lending_world.tenant, loan=loan)
    assert _apply(lending_world, key="k2").status == LoanStatus.APPROVED


def test_ranges_are_checked(lending_world):
    with pytest.raises(AmountOutOfRange):
        _apply(lending_world, amount=5_000)
    with pytest.raises(TermOutOfRange):
        _apply(lending_world, term=12)
    with pytest.raises(RentDueNotCovered):
        _apply(lending_world, amount=60_000)  # 60 000 - 600 does not pay 80 000
    assert not Loan.objects.exists()


def test_an_advance_needs_an_open_rent_due_of_the_applicant(lending_world, db):
    stranger, _lease, _m = good_tenant(city="Porto-Novo")
    with pytest.raises(NoRentDueToPay):
        # the named due is not the stranger's
        _apply(lending_world, actor=stranger, destination_ref=str(lending_world.lease.dues.first().public_id))


def test_a_low_kyc_tier_is_declined_with_its_reason(lending_world):
    product = lifecycle_product("strict", min_kyc_tier=2, destination="wallet")
    loan = _apply(lending_world, product=product)
    assert loan.status == LoanStatus.DECLINED
    assert "kyc_tier_low" in [r["code"] for r in loan.decision_reasons]
    assert applications.reason_text("kyc_tier_low")


def test_a_short_tenure_is_declined(lending_world):
    product = lifecycle_product("tenure", min_tenure_months=36, destination="wallet")
    loan = _apply(lending_world, product=product)
    assert loan.status == LoanStatus.DECLINED
    assert "tenure_short" in [r["code"] for r in loan.decision_reasons]


def test_a_thin_file_goes_to_review_and_staff_decide_it(lending_world, django_capture_on_commit_callbacks):
    from apps.core.models import AuditEntry
    from apps.notifications.models import Message
    from tests.identity.factories import UserFactory

    newcomer, _lease, _m = good_tenant(months=1, city="Abomey-Calavi")
    loan = _apply(lending_world, actor=newcomer, product=lending_world.emergency, amount=50_000)
    assert loan.score_band == "thin_file"
    assert loan.status == LoanStatus.REVIEW and loan.decided_at is None
    assert [r["code"] for r in loan.decision_reasons] == ["thin_file"]
    support = UserFactory(is_staff=True, staff_role="support")
    with pytest.raises(Forbidden):
        applications.decide_manually(actor=support, loan=loan, approve=True, reason="ok")
    staff = UserFactory(is_staff=True, staff_role="finance")
    with pytest.raises(DomainError):
        applications.decide_manually(actor=staff, loan=loan, approve=True, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        decided = applications.decide_manually(actor=staff, loan=loan, approve=True, reason="Revenus stables")
    # the borrower is told by SMS and in the app
    sent = Message.objects.filter(user=newcomer, template_key="lending.offer_ready")
    assert {m.channel for m in sent} == {"sms", "inapp"}
    assert decided.status == LoanStatus.APPROVED
    assert decided.decided_by_id == staff.pk and decided.offer_expires_at is not None
    assert [r["code"] for r in decided.decision_reasons] == ["thin_file", "manual_approved"]
    entry = AuditEntry.objects.get(action="lending.loan.decided")
    assert entry.reason == "Revenus stables" and entry.after["status"] == "approved"
    with pytest.raises(InvalidLoanState):  # decided once
        applications.decide_manually(actor=staff, loan=decided, approve=False, reason="non")


def test_an_emergency_fund_covering_a_quarter_approves_the_grey_band(lending_world, fund_topup):
    from apps.lending.services import fund

    newcomer, _lease, _m = good_tenant(months=1, city="Ouidah")
    fund_topup(newcomer, 20_000)
    savings = fund.open_fund(actor=newcomer)
    fund.deposit(actor=newcomer, fund=savings, amount=12_500, idempotency_key="s1")
    loan = _apply(lending_world, actor=newcomer, product=lending_world.emergency, amount=50_000)
    assert loan.status == LoanStatus.APPROVED, loan.decision_reasons
    assert [r["code"] for r in loan.decision_reasons] == ["thin_file", "savings_cover"]


def test_a_band_below_the_grey_band_is_declined(lending_world):
    behind, _lease, _m = good_tenant(pay=False, city="Bohicon")
    loan = _apply(lending_world, actor=behind, product=lending_world.emergency, amount=50_000)
    assert loan.score_band in ("poor",), loan.score_band
    assert loan.status == LoanStatus.DECLINED
    assert [r["code"] for r in loan.decision_reasons] == ["score_low"]


def test_offers_expire(lending_world):
    loan = _apply(lending_world)
    assert applications.expire_offers(now=timezone.now()) == 0
    assert applications.expire_offers(now=loan.offer_expires_at + timedelta(seconds=1)) == 1
    loan.refresh_from_db()
    assert loan.status == LoanStatus.EXPIRED
    # an expired offer no longer blocks the product
    assert _apply(lending_world, key="k2").status == LoanStatus.APPROVED


def test_someone_else_cannot_withdraw(lending_world):
    from apps.lending.errors import LoanNotFound

    loan = _apply(lending_world)
    other, _l, _m = good_tenant(city="Parakou")
    with pytest.raises(LoanNotFound):
        applications.withdraw(actor=other, loan=loan)


def test_the_expiry_and_the_sweeper_are_on_the_beat(lending_world, settings):
    from apps.lending import tasks

    beat = settings.CELERY_BEAT_SCHEDULE
    assert beat["lending.expire_offers"]["task"] == "lending.expire_offers"
    assert beat["lending.disburse_pending"]["task"] == "lending.disburse_pending"
    loan = _apply(lending_world)
    Loan.objects.filter(pk=loan.pk).update(offer_expires_at=timezone.now())
    assert tasks.expire_offers() == 1
    loan.refresh_from_db()
    assert loan.status == LoanStatus.EXPIRED
