"""The verification workflow (submit, four-eyes, reject with a translated reason,
re-submission, expiry) and the limits other modules enforce through kyc.api."""

from datetime import date

import pytest
from django.utils import translation

from apps.core.errors import NotFound
from apps.core.models import OutboxEvent
from apps.kyc import api
from apps.kyc.contracts import Usage
from apps.kyc.errors import (
    FourEyesRequired,
    InvalidTransition,
    KycCurrencyNotCovered,
    KycLimitExceeded,
    OrganizationNotVerified,
    ReviewerConflict,
)
from apps.kyc.models import Submission, TierLimit
from apps.kyc.services import submissions as services
from apps.kyc.tasks import expire_documents
from tests.helpers import bearer_client
from tests.identity.factories import MembershipFactory, UserFactory

from .helpers import PERSON, approve, jpeg_bytes, pdf_bytes, ready_submission, staff

pytestmark = pytest.mark.django_db


def tier_events(user):
    return list(
        OutboxEvent.objects.filter(name="kyc.KycTierChanged", payload__user_public_id=str(user.public_id))
        .order_by("id")
        .values_list("payload__old_tier", "payload__new_tier", "payload__reason")
    )


def test_tier_1_approval_raises_the_tier_and_publishes(person, compliance):
    submission = ready_submission(person, tier=1)
    assert submission.required_approvals == 1
    approved = approve(submission, compliance)
    assert approved.status == "approved" and approved.decided_by == compliance
    assert api.tier_of(person) == 1 and api.limits_for(person).max_balance == 1_000_000
    assert tier_events(person) == [(0, 1, "approved")]
    decided = OutboxEvent.objects.get(name="kyc.KycSubmissionDecided")
    assert decided.payload["decision"] == "approved" and decided.payload["user_public_id"] == str(
        person.public_id
    )


def test_tier_2_needs_two_different_reviewers(person, compliance, compliance2):
    submission = ready_submission(person, tier=2)
    first = services.submission_approve(actor=compliance, submission=submission)
    assert first.status == "in_review" and api.tier_of(person) == 0
    with pytest.raises(FourEyesRequired):
        services.submission_approve(actor=compliance, submission=submission)
    second = services.submission_approve(actor=compliance2, submission=submission)
    assert second.status == "approved" and api.tier_of(person) == 2
    assert set(second.approvals.values_list("staff_id", flat=True)) == {compliance.pk, compliance2.pk}


def test_reviewers_must_be_compliance_and_not_the_subject(person):
    submission = ready_submission(person, tier=1)
    with pytest.raises(NotFound):
        services.submission_approve(actor=staff("support"), submission=submission)
    with pytest.raises(NotFound):
        services.submission_approve(actor=UserFactory(), submission=submission)
    reviewer = staff("compliance")
    own = ready_submission(reviewer, tier=1)
    with pytest.raises(ReviewerConflict):
        services.submission_approve(actor=reviewer, submission=own)
    assert (
        staff("admin")
        and services.submission_approve(actor=staff("admin"), submission=submission).status == "approved"
    )


def test_rejection_reason_is_translated_and_the_user_resubmits(person, compliance):
    submission = ready_submission(person, tier=1)
    rejected = services.submission_reject(
        actor=compliance, submission=submission, reason="document_unreadable", message="Photo floue"
    )
    assert rejected.status == "rejected" and api.tier_of(person) == 0
    client = bearer_client(person)
    french = client.get("/api/v1/kyc/me").json()["submission"]
    assert french["rejection_reason_label"] == "La photo du document est floue, coupée ou illisible."
    english = client.get("/api/v1/kyc/me", HTTP_ACCEPT_LANGUAGE="en").json()["submission"]
    assert english["rejection_reason_label"] == "The document photo is blurred, cut off or unreadable."
    with translation.override("fr"):
        assert api.rejection_reason_label("document_unreadable").startswith("La photo")
    with pytest.raises(InvalidTransition):
        services.submission_approve(actor=compliance, submission=rejected)

    again = services.draft_for_user(actor=person)
    assert again.pk != submission.pk and again.previous_id == submission.pk and again.status == "draft"
    assert again.id_number == PERSON["id_number"] and not again.documents.exists()
    resubmitted = ready_submission(person, tier=1)
    assert resubmitted.pk == again.pk and approve(resubmitted, compliance).status == "approved"
    assert (
        Submission.objects.get(pk=submission.pk).rejection_reason == "document_unreadable"
    )  # the record stays


def test_reject_needs_a_known_reason(person, compliance):
    submission = ready_submission(person, tier=1)
    with pytest.raises(Exception) as refused:
        services.submission_reject(actor=compliance, submission=submission, reason="because")
    assert getattr(refused.value, "field", None) == "reason"


def test_expired_id_lowers_the_tier(person, compliance, time_machine):
    time_machine.move_to("2026-05-01 09:00:00+01:00", tick=False)
    approve(ready_submission(person, tier=1, expiry=date(2026, 6, 30)), compliance)
    assert api.tier_of(person) == 1
    time_machine.move_to("2026-06-30 12:00:00+01:00", tick=False)
    assert expire_documents() == 0
    time_machine.move_to("2026-07-01 08:00:00+01:00", tick=False)
    assert expire_documents() == 1 and expire_documents() == 0
    assert Submission.objects.get(user=person).status == "expired"
    assert api.tier_of(person) == 0 and tier_events(person) == [(0, 1, "approved"), (1, 0, "expired")]
    assert services.draft_for_user(actor=person).target_tier == 1  # renew with a valid document


def test_kyb_approval_needs_two_reviewers_and_unlocks_payouts(org_a, manager_a, compliance, compliance2):
    from apps.kyc.services import documents

    draft = services.draft_for_organization(actor=manager_a, organization_id=org_a.pk)
    services.submission_update(
        actor=manager_a,
        submission=draft,
        legal_name="A SARL",
        rccm_number="RB/1",
        ifu_number="32",
        registered_address="Cotonou",
    )
    director = services.director_add(actor=manager_a, organization_id=org_a.pk, full_name="Rosine Agossou")
    documents.kyb_document_upload(actor=manager_a, organization_id=org_a.pk, kind="rccm", data=pdf_bytes())
    documents.kyb_document_upload(actor=manager_a, organization_id=org_a.pk, kind="ifu", data=pdf_bytes())
    documents.kyb_document_upload(
        actor=manager_a,
        organization_id=org_a.pk,
        kind="passport",
        data=jpeg_bytes(),
        director_public_id=director.public_id,
    )
    submission = services.submission_submit(actor=manager_a, submission=draft)
    with pytest.raises(OrganizationNotVerified):
        api.check(None, "payout", 50_000, organization=org_a.public_id, currency="XOF")
    assert not api.organization_verified(org_a)
    with pytest.raises(ReviewerConflict):  # a reviewer who is a member of the organization
        MembershipFactory(organization=org_a, user=(member_reviewer := staff("compliance")), role="viewer")
        services.submission_approve(actor=member_reviewer, submission=submission)
    approve(submission, compliance, compliance2)
    assert api.organization_verified(org_a) and api.organization_verified(str(org_a.public_id))
    api.check(None, "payout", 50_000, organization=org_a.pk, currency="XOF")  # allowed now
    info = api.organization_verification(org_a.pk)
    assert info.verified and info.status == "approved"
    assert OutboxEvent.objects.filter(name="kyc.OrganizationVerificationChanged").count() == 1


# --- limits --------------------------------------------------------------------------------------


def test_refusal_names_the_limit_and_how_to_raise_it(person):
    with translation.override("fr"):
        with pytest.raises(KycLimitExceeded) as refused:
            api.check(person, "payment", 150_000, currency="XOF")
    error = refused.value
    assert error.status == 403 and error.code == "kyc_limit_exceeded" and error.field == "amount"
    assert error.params == {
        "limit": "single_transaction",
        "tier": 0,
        "maximum": 100_000,
        "remaining": 100_000,
        "next_tier": 1,
    }
    message = str(error.message)
    assert "plafond par opération" in message and "100\u202f000\xa0FCFA" in message
    assert "carte d'identité, un passeport ou un permis de conduire" in message
    with translation.override("en"):
        with pytest.raises(KycLimitExceeded) as english:
            api.check(person, "payment", 150_000)
    assert "single-transaction maximum" in str(english.value.message) and "ID card" in str(
        english.value.message
    )
    api.check(person, "payment", 100_000)  # exactly the maximum is allowed
    api.check(str(person.public_id), "payment", Money(90_000, "XOF"))


from apps.core.money import Money  # noqa: E402


def test_inflow_balance_and_outflow_use_the_registered_usage(person):
    class Wallets:
        def __init__(self):
            self.calls = []

        def usage(self, *, user_public_id, currency):
            self.calls.append((user_public_id, currency))
            return Usage(balance=150_000, inflow_this_month=450_000, outflow_today=90_000)

    source = Wallets()
    api.set_usage_source(source)
    try:
        with pytest.raises(KycLimitExceeded) as inflow:
            api.check(person, "wallet_topup", 60_000)
        assert inflow.value.params["limit"] == "monthly_inflow" and inflow.value.params["remaining"] == 50_000
        with pytest.raises(KycLimitExceeded) as balance:
            api.check(person, "transfer_in", 50_001, usage=Usage(balance=150_000, inflow_this_month=0))
        assert balance.value.params["limit"] == "max_balance"
        with pytest.raises(KycLimitExceeded) as outflow:
            api.check(person, "wallet_payment", 20_000)
        assert outflow.value.params["limit"] == "daily_outflow"
        api.check(person, "withdrawal", 10_000)
        assert source.calls[0] == (str(person.public_id), "XOF")
    finally:
        api.set_usage_source(None)


def test_limits_come_from_settings_per_country_then_from_compliance_rows(person, settings):
    settings.KYC_LIMITS = {
        **settings.KYC_LIMITS,
        "BJ": {
            "currency": "XOF",
            **{
                str(t): {
                    "max_balance": 7,
                    "monthly_inflow": 7,
                    "single_transaction": 7_000 * (t + 1),
                    "daily_outflow": 7,
                }
                for t in range(3)
            },
        },
    }
    assert api.limits_for(person).single_transaction == 7_000 and api.limits_for(person).source == "settings"
    TierLimit.objects.create(
        country="*",
        tier=0,
        currency="XOF",
        max_balance=1,
        monthly_inflow=1,
        single_transaction=3_000,
        daily_outflow=1,
    )
    assert api.limits_for(person).single_transaction == 3_000 and api.limits_for(person).source == "database"
    TierLimit.objects.create(
        country="BJ",
        tier=0,
        currency="XOF",
        max_balance=1,
        monthly_inflow=1,
        single_transaction=5_000,
        daily_outflow=1,
    )
    assert api.limits_for(person).single_transaction == 5_000
    ivorian = UserFactory(phone="+2250701020304")
    assert api.limits_for(ivorian).country == "CI" and api.limits_for(ivorian).single_transaction == 3_000


def test_other_currencies_need_their_own_limits(person):
    with pytest.raises(KycCurrencyNotCovered):
        api.check(person, "payment", 10, currency="EUR")


def test_anonymous_payers_and_unknown_operations():
    api.check(None, "payment", 10**9, currency="XOF")  # nothing to check for an anonymous payer
    with pytest.raises(ValueError):
        api.check(None, "teleport", 1, currency="XOF")
    with pytest.raises(NotFound):
        api.check("00000000-0000-4000-8000-000000000000", "payment", 1, currency="XOF")


# --- the callers: payments' seam, and a wallet-like caller ------------------------------------------


def wallet_top_up(user, amount: int) -> str:
    """A stub of the wallet module's top-up: it asks kyc before it posts anything."""
    api.check(user, "wallet_topup", amount, currency="XOF")
    return "posted"


def test_a_wallet_caller_is_refused_above_the_tier_and_allowed_after_verification(person, compliance):
    with pytest.raises(KycLimitExceeded):
        wallet_top_up(person, 250_000)
    approve(ready_submission(person, tier=1), compliance)
    assert wallet_top_up(person, 250_000) == "posted"


def test_the_checks_payments_makes_refuse_above_the_tier(person, org_a):
    """The calls payments makes (a wallet payment, a wallet top-up, a payout), through
    kyc's api; the "payment" operation keeps its single-transaction meaning for callers."""
    with pytest.raises(KycLimitExceeded):
        api.check(
            user=str(person.public_id),
            operation="payment",
            amount=150_000,
            organization=str(org_a.public_id),
            currency="XOF",
        )
    with pytest.raises(KycLimitExceeded):
        api.check(user=str(person.public_id), operation="wallet_topup", amount=150_000, currency="XOF")
    with pytest.raises(KycLimitExceeded):
        api.check(user=str(person.public_id), operation="wallet_payment", amount=150_000, currency="XOF")
    with pytest.raises(OrganizationNotVerified):
        api.check(None, "payout", 5_000, organization=str(org_a.public_id), currency="XOF")
    api.check(
        user=str(person.public_id),
        operation="payment",
        amount=50_000,
        organization=str(org_a.public_id),
        currency="XOF",
    )


def test_payments_applies_the_payer_tier_to_the_wallet_not_to_the_intent(person, org_a):
    """Issue 15: the e-money limits bound the wallet. A tier-0 payer's 150 000 FCFA intent is
    created (payable by mobile money or card); paying it from the wallet is refused."""
    from apps.ledger import api as ledger
    from apps.payments import api as payments
    from apps.payments.contracts import PurposeRef

    account = ledger.organization_account(organization=org_a.public_id, code="owners_payable")
    intent = payments.create_intent(
        organization=org_a.public_id,
        amount=150_000,
        purpose=PurposeRef(type="test.rent", id="due-1"),
        description="Loyer",
        credit_account=account.public_id,
        payer=person.public_id,
    )
    assert intent.status == "created"
    with pytest.raises(KycLimitExceeded):
        payments.pay_with_wallet(actor=person, intent=intent.public_id)
