"""Opening an advertiser: an agency, an owner or a local service provider, KYC-verified,
with its prepaid ad balance (a ledger liability that cannot go below zero)."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.identity import api as identity
from apps.kyc import api as kyc
from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, OwnerType

from ..errors import AdvertiserNotVerified, AdvertiserSuspended, InvalidCampaign
from ..models import Advertiser

BALANCE_CODE = "ads_balance"
MIN_PERSON_TIER = 1  # an ID document verified


def _organization(public_id):
    try:
        return identity.get_organization(public_id)
    except Exception:  # noqa: BLE001 -- unknown or malformed: the same refusal
        raise InvalidCampaign(_("Unknown organization."), field="organization") from None


def advertiser_open(*, actor, organization=None, kind: str = "", name: str = "") -> Advertiser:
    """The advertiser of `organization` (a public id; its manager asks) or of `actor` alone
    (no organization), opened on first use. Refused without a verified identity: the
    organization's business verification, or the person's ID (KYC tier 1)."""
    if organization:
        org = _organization(organization)
        identity.require(actor, "ads.advertiser.manage", _Probe(org.id, None), hide=True)
        if not kyc.organization_verified(org.id):
            raise AdvertiserNotVerified()
        existing = Advertiser.objects.filter(organization_id=org.id).first()
        defaults = {
            "organization_id": org.id,
            "name": (name or org.name)[:120],
            "currency": (org.currencies or ["XOF"])[0],
            "kind": kind or (Advertiser.Kind.AGENCY if org.kind == "agency" else Advertiser.Kind.OWNER),
        }
        owner_ref = (OwnerType.ORGANIZATION, org.public_id)
    else:
        if kyc.tier_of(actor) < MIN_PERSON_TIER:
            raise AdvertiserNotVerified()
        existing = Advertiser.objects.filter(owner_id=actor.pk, organization__isnull=True).first()
        defaults = {
            "owner_id": actor.pk,
            "name": (name or actor.get_full_name() or actor.phone or "")[:120] or "—",
            "currency": "XOF",
            "kind": kind or Advertiser.Kind.SERVICE,
        }
        owner_ref = (OwnerType.USER, actor.public_id)
    if existing is not None:
        if existing.suspended:
            raise AdvertiserSuspended()
        return existing
    if defaults["kind"] not in Advertiser.Kind.values:
        raise InvalidCampaign(_("Unknown advertiser kind."), field="kind")
    account = ledger.create_account(
        code=BALANCE_CODE,
        name="Solde publicitaire",
        currency=defaults["currency"],
        kind=AccountKind.LIABILITY,
        owner_type=owner_ref[0],
        owner=owner_ref[1],
        debits_must_not_exceed_credits=True,
    )
    try:
        with transaction.atomic():
            return Advertiser.objects.create(**defaults, balance_account=account.public_id, created_by=actor)
    except IntegrityError:  # opened concurrently: the first one stays
        return Advertiser.objects.get(
            **(
                {"organization_id": defaults["organization_id"]}
                if organization
                else {"owner_id": actor.pk, "organization__isnull": True}
            )
        )


class _Probe:
    """An advertiser-shaped object for the policy before the row exists."""

    def __init__(self, organization_id, owner_id):
        self.organization_id = organization_id
        self.owner_id = owner_id


def balance_of(advertiser: Advertiser) -> int:
    """The prepaid ad balance in minor units (posted and held)."""
    if not advertiser.balance_account:
        return 0
    return ledger.balance(account=advertiser.balance_account).available


def revenue_account(currency: str):
    """Hokwe's ad revenue account (a system account outside the chart)."""
    return ledger.create_account(
        code="ads_revenue",
        name="Revenus publicitaires",
        currency=currency,
        kind=AccountKind.REVENUE,
        owner_type=OwnerType.SYSTEM,
    )


def ads_organization():
    """Hokwe's organization receiving advertisers' top-ups."""
    return identity.platform_organization(name=settings.ADS_ORGANIZATION_NAME)
