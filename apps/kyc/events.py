"""PUBLIC: the domain events kyc publishes (through the outbox). No personal data: ids,
tiers and reason codes only."""

from dataclasses import dataclass

from apps.core.events import DomainEvent


@dataclass(frozen=True)
class KycTierChanged(DomainEvent):
    """A user's verification level went up (approval) or down (ID expired, account closed)."""

    name = "kyc.KycTierChanged"
    user_public_id: str
    old_tier: int
    new_tier: int
    reason: str  # "approved" | "expired" | "closed"


@dataclass(frozen=True)
class KycSubmissionDecided(DomainEvent):
    """A submission was approved or rejected. Notifications may tell the user (the reason
    code has a translated label: apps.kyc.api.rejection_reason_label)."""

    name = "kyc.KycSubmissionDecided"
    submission_public_id: str
    subject: str  # "individual" | "business"
    user_public_id: str  # the person verified, or the KYB submitter
    organization_public_id: str  # "" for individuals
    decision: str  # "approved" | "rejected"
    reason: str  # a RejectionReason code, "" when approved


@dataclass(frozen=True)
class OrganizationVerificationChanged(DomainEvent):
    """KYB approved (payouts allowed) or no longer valid."""

    name = "kyc.OrganizationVerificationChanged"
    organization_public_id: str
    verified: bool


@dataclass(frozen=True)
class KycSubmissionSubmitted(DomainEvent):
    """A verification was submitted: kyc's own handler starts the provider check after
    commit (retried by the outbox when the provider is down)."""

    name = "kyc.KycSubmissionSubmitted"
    submission_public_id: str
    subject: str
    target_tier: int
