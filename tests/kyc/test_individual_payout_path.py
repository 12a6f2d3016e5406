"""The individual path to payouts: an owner-kind organization (a landlord, a person) pays out
on its owner's approved identity verification (an ID document, tier 1) — no RCCM; agencies
and merchants keep the KYB. `kyc.verified_name(user)` is the name on that verification."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.identity.models import Membership, Organization
from apps.kyc import api as kyc
from apps.kyc.models import KycProfile, Submission
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def approved(user, *, tier=1, first="Mathieu", last="Adjovi", status="approved"):
    Submission.objects.create(
        subject="individual",
        user=user,
        target_tier=tier,
        status=status,
        first_name=first,
        last_name=last,
        decided_at=timezone.now(),
        rejection_reason="document_unreadable" if status == "rejected" else "",
    )
    if status == "approved":
        KycProfile.objects.update_or_create(user=user, defaults={"tier": tier})


def organization(kind, role=Membership.Role.OWNER):
    org = OrganizationFactory(kind=kind)
    return org, MembershipFactory(organization=org, role=role, user=UserFactory()).user


def test_a_landlord_pays_out_on_the_owners_identity_verification():
    org, owner = organization(Organization.Kind.OWNER)
    with pytest.raises(kyc.IdentityVerificationRequired) as refused:
        kyc.check(None, "payout", 50_000, organization=org, currency="XOF")
    assert refused.value.code == "identity_verification_required" and refused.value.field == "organization"
    assert "ID card" in str(refused.value.message) or "carte" in str(refused.value.message)
    approved(owner)
    kyc.check(None, "payout", 50_000, organization=org, currency="XOF")  # allowed, no KYB


def test_only_the_owners_verification_counts_and_only_at_the_id_level():
    org, _owner = organization(Organization.Kind.OWNER)
    manager = MembershipFactory(organization=org, role=Membership.Role.MANAGER, user=UserFactory()).user
    approved(manager)  # a manager's identity is not the landlord's
    with pytest.raises(kyc.IdentityVerificationRequired):
        kyc.check(None, "payout", 1_000, organization=org, currency="XOF")
    other_org, owner = organization(Organization.Kind.OWNER)
    approved(owner, status="rejected")
    with pytest.raises(kyc.IdentityVerificationRequired):
        kyc.check(None, "payout", 1_000, organization=other_org, currency="XOF")


def test_agencies_and_merchants_keep_the_kyb():
    for kind in (Organization.Kind.AGENCY, Organization.Kind.MERCHANT):
        org, owner = organization(kind)
        approved(owner, tier=2)
        with pytest.raises(kyc.OrganizationNotVerified) as refused:
            kyc.check(None, "payout", 1_000, organization=org, currency="XOF")
        assert refused.value.code == "kyb_required"
        Submission.objects.create(subject="business", user=owner, organization=org, status="approved")
        kyc.check(None, "payout", 1_000, organization=org, currency="XOF")


def test_verified_name_is_the_name_on_the_approved_verification():
    user = UserFactory(full_name="Mathieu A.")
    assert kyc.verified_name(user) is None
    approved(user, first="Mathieu", last="Adjovi")
    assert kyc.verified_name(user) == "Mathieu Adjovi"
    assert kyc.verified_name(str(user.public_id)) == "Mathieu Adjovi"
    # expired (the daily task lowered the tier): no verified name any more
    KycProfile.objects.filter(user=user).update(tier=0)
    assert kyc.verified_name(user) is None


def test_the_api_lists_what_the_readme_says():
    from pathlib import Path

    readme = (Path(kyc.__file__).parent / "README.md").read_text()
    for name in ("verified_name", "IdentityVerificationRequired"):
        assert name in kyc.__all__ and f"`{name}" in readme
