"""Landlord advances, « Avance sur loyers » (docs/lending.md, "Landlord advances").

An owner organization borrows against the rents of the properties it owns, whoever manages
them (estate's `owner_rent_backing`). The applicant is an owner (role « owner ») of that
organization; the loan is theirs, `loan.organization` is the owner organization.

    backing(organization, currency=, today=) -> estate's OwnerRentBacking
    limit_for(organization, currency=, today=) -> AdvanceLimit      the rule below
    eligibility(actor=, organization=, product=, today=) -> AdvanceEligibility
    advance_apply(actor=, organization=, product=, amount=, term=, purpose=, idempotency_key=)
    advances_of(actor) / advance_of(actor, loan_id)                  scoped reads
    rents_deduction(...)                                             payments' payout hook

The limit (settings, conf.py):
- history: at least LENDING_ADVANCE_MIN_MONTHS of the last 12 full months with rent
  collected, and a collection rate (collected / billed over those months) of at least
  LENDING_ADVANCE_MIN_COLLECTION_BPS;
- amount: LENDING_ADVANCE_MONTHS_OF_RENT times the average monthly net rent collected over
  the last 12 months (the owner's share, less the manager's commission), never above the
  net rent expected from the active leases over the next LENDING_ADVANCE_MONTHS_OF_RENT
  months, less what the organization still owes on its open advances (an application or an
  offer counts its principal, an active advance what it still owes).

Repayment: before every payout from the owner organization's balance at Hokwe
(`owners_payable`), payments runs lending's deduction (registered in handlers.py through
`payments.register_payout_deduction`): what is due on the organization's active advances on
the payout day is repaid from that balance (`repay(channel="rents")`), oldest advance
first, up to what the balance holds; the payout is made from what is left. The daily
`lending.advance_rents` run does the same for owners whose balance holds money and who
have no payout scheduled that day, so an instalment is paid as soon as rents come in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from apps.core.errors import NotFound
from apps.estate import api as estate
from apps.identity import api as identity
from apps.ledger import api as ledger

from ..contracts import OPEN_STATUSES, BorrowerKind, LoanStatus
from ..errors import LoanNotFound
from ..models import Loan, LoanProduct
from . import applications
from .repayments import due_now, repay

__all__ = [
    "AdvanceEligibility",
    "AdvanceLimit",
    "REASONS",
    "accept_advance",
    "advance_apply",
    "advance_detail",
    "advance_of",
    "advance_view",
    "advances_of",
    "backing",
    "eligibility",
    "eligibility_view",
    "landlord_product",
    "landlord_products",
    "limit_for",
    "owned_organizations",
    "rents_deduction",
    "rents_deduction_daily",
    "simulate_advance",
    "withdraw_advance",
]

# the decline reasons the landlord's check adds to the lifecycle's rules (texts translated on
# display by applications.reason_text)
REASONS = {
    "advance_not_owner": gettext_noop(
        "Only an owner of this organization may ask for an advance on its rents."
    ),
    "advance_history_short": gettext_noop(
        "Not enough months of rent collected through Hokwe yet for an advance on rents."
    ),
    "advance_collection_low": gettext_noop("Too large a share of the rents billed was not collected."),
    "advance_above_limit": gettext_noop("This amount is above the advance your rents allow now."),
}
applications.REASONS.update(REASONS)


@dataclass(frozen=True)
class AdvanceLimit:
    organization: UUID
    currency: str
    monthly_net: int  # average monthly net rent collected over the history
    expected_net: int  # net rent expected over the next months
    owed: int  # what open advances still owe (or ask for)
    limit: int  # what may be advanced now (0: nothing)
    months_collected: int
    collection_rate_bps: int
    reasons: tuple[str, ...]  # reason codes that make the organization ineligible ([]: eligible)
    history: tuple = ()  # estate's OwnerRentMonth of the last 12 months, oldest first


@dataclass(frozen=True)
class AdvanceEligibility:
    organization: UUID
    product: LoanProduct
    limit: AdvanceLimit
    minimum: int  # the product's minimum
    maximum: int  # min(the product's maximum, the limit); below `minimum`: not eligible

    @property
    def eligible(self) -> bool:
        return not self.limit.reasons and self.maximum >= self.minimum


def _uuid(value) -> UUID | None:
    try:
        return UUID(str(value))
    except (TypeError, ValueError):
        return None


def owned_organizations(actor) -> list:
    """The owner organizations the actor is an owner of (identity OrganizationInfo), by name."""
    if not getattr(actor, "is_authenticated", False):
        return []
    ids = identity.organization_ids_of(actor, roles=[identity.OrgRole.OWNER])
    orgs = [identity.get_organization(id=i) for i in sorted(ids)]
    # a landlord's organization (kind « owner »): an agency never borrows on the rents it
    # collects for others
    return sorted((o for o in orgs if o.kind == "owner" and o.is_active), key=lambda o: o.name)


def _owner_of(actor, organization) -> bool:
    org = _uuid(organization)
    return org is not None and any(o.public_id == org for o in owned_organizations(actor))


def landlord_products() -> QuerySet:
    return LoanProduct.objects.filter(borrower_kind=BorrowerKind.LANDLORD, active=True).order_by("name")


def backing(organization, *, currency: str, today: date | None = None):
    today = today or timezone.localdate()
    org = _uuid(organization)
    return estate.owner_rent_backing(
        [org], currency=currency, today=today, months=12, ahead=settings.LENDING_ADVANCE_MONTHS_OF_RENT
    )[org]


def _owed_on_advances(organization: UUID, currency: str, *, exclude: int | None = None) -> int:
    rows = Loan.objects.filter(
        borrower_kind=BorrowerKind.LANDLORD,
        organization=organization,
        currency=currency,
        status__in=[s.value for s in OPEN_STATUSES],
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    owed = 0
    for status, principal, p, i, f in rows.values_list(
        "status", "principal", "principal_outstanding", "interest_outstanding", "fees_outstanding"
    ):
        owed += (p + i + f) if status == LoanStatus.ACTIVE else principal
    return owed


def limit_for(
    organization, *, currency: str, today: date | None = None, exclude: int | None = None
) -> AdvanceLimit:
    """What the owner organization may be advanced now (the rule in the module's docstring).
    `exclude`: a loan not to count in what is owed (the application being decided)."""
    org = _uuid(organization)
    rents = backing(org, currency=currency, today=today)
    months = max(len(rents.history), 1)
    monthly_net = rents.net // months
    expected = sum(m.net for m in rents.expected)
    owed = _owed_on_advances(org, currency, exclude=exclude)
    reasons = []
    if rents.months_collected < settings.LENDING_ADVANCE_MIN_MONTHS:
        reasons.append("advance_history_short")
    elif rents.collection_rate_bps < settings.LENDING_ADVANCE_MIN_COLLECTION_BPS:
        reasons.append("advance_collection_low")
    ceiling = min(monthly_net * settings.LENDING_ADVANCE_MONTHS_OF_RENT, expected)
    limit = max(ceiling - owed, 0) if not reasons else 0
    return AdvanceLimit(
        organization=org,
        currency=currency,
        monthly_net=monthly_net,
        expected_net=expected,
        owed=owed,
        limit=limit,
        months_collected=rents.months_collected,
        collection_rate_bps=rents.collection_rate_bps,
        reasons=tuple(reasons),
        history=rents.history,
    )


def eligibility(
    *, actor, organization, product: LoanProduct, today: date | None = None
) -> AdvanceEligibility:
    """The owner organization's advance on `product` (NotFound unless the actor owns it)."""
    if not _owner_of(actor, organization):
        raise NotFound(field="organization")
    limit = limit_for(organization, currency=product.currency, today=today)
    return AdvanceEligibility(
        organization=limit.organization,
        product=product,
        limit=limit,
        minimum=product.min_amount,
        maximum=min(product.max_amount, limit.limit),
    )


def eligibility_view(found: AdvanceEligibility) -> dict:
    """An eligibility as REST, GraphQL and the pages show it (reason texts translated)."""
    limit = found.limit
    return {
        "organization": found.organization,
        "product": found.product.public_id,
        "currency": limit.currency,
        "eligible": found.eligible,
        "minimum": found.minimum,
        "maximum": max(found.maximum, 0),
        "limit": limit.limit,
        "monthly_net": limit.monthly_net,
        "expected_net": limit.expected_net,
        "owed": limit.owed,
        "months_collected": limit.months_collected,
        "collection_rate_bps": limit.collection_rate_bps,
        "reasons": [{"code": code, "text": applications.reason_text(code)} for code in limit.reasons]
        + (
            [{"code": "advance_above_limit", "text": applications.reason_text("advance_above_limit")}]
            if not limit.reasons and found.maximum < found.minimum
            else []
        ),
        "history": [
            {
                "period": m.period,
                "billed": m.billed,
                "collected": m.collected,
                "net": m.net,
                "currency": limit.currency,
            }
            for m in limit.history
        ],
    }


def _check(*, actor, product, amount, term, organization, loan=None) -> list[str]:
    """The lifecycle's eligibility check for landlord products (registered below): the
    reason codes that decline the application, [] to approve."""
    if organization is None or not _owner_of(actor, organization):
        return ["advance_not_owner"]
    current = Loan.objects.filter(
        borrower=actor, product=product, organization=organization, status=LoanStatus.REVIEW
    ).values_list("pk", flat=True)
    limit = limit_for(organization, currency=product.currency, exclude=current.first())
    if limit.reasons:
        return list(limit.reasons)
    if amount > limit.limit:
        return ["advance_above_limit"]
    return []


applications.register_eligibility(BorrowerKind.LANDLORD, _check)


def advance_apply(
    *, actor, organization, product, amount: int, term: int, purpose: str = "", idempotency_key: str
) -> Loan:
    """Apply for an advance on the owner organization's rents (the lifecycle's `apply`, the
    organization's limit checked by the rules): approved (an offer), declined with reasons.
    NotFound unless the actor is an owner of the organization."""
    org = _uuid(organization)
    if org is None or not _owner_of(actor, org):
        raise NotFound(field="organization")
    product = applications._product(product)
    if product.borrower_kind != BorrowerKind.LANDLORD:
        raise NotFound(field="product")
    return applications.apply(
        actor=actor,
        product=product,
        amount=amount,
        term=term,
        purpose=purpose,
        destination_ref=str(org),
        idempotency_key=idempotency_key,
        organization=org,
    )


def advances_of(actor) -> QuerySet:
    """The landlord advances of every organization the actor is an owner of, newest first."""
    orgs = [o.public_id for o in owned_organizations(actor)]
    return (
        Loan.objects.filter(borrower_kind=BorrowerKind.LANDLORD, organization__in=orgs)
        .select_related("product")
        .order_by("-created_at", "-id")
    )


def advance_of(actor, loan_id) -> Loan:
    """One advance of an organization the actor owns (LoanNotFound otherwise)."""
    key = _uuid(loan_id)
    row = advances_of(actor).filter(public_id=key).first() if key else None
    if row is None:
        raise LoanNotFound()
    return row


def landlord_product(product_id) -> LoanProduct:
    """One offered landlord product by its public id (LoanProductNotFound otherwise)."""
    from ..errors import LoanProductNotFound

    key = _uuid(product_id)
    row = landlord_products().filter(public_id=key).first() if key else None
    if row is None:
        raise LoanProductNotFound(field="product")
    return row


def simulate_advance(
    *, actor, organization, product: LoanProduct, amount: int, term: int, language=None
) -> dict:
    """What an advance of `amount` over `term` would cost (the borrower's simulation: schedule,
    total cost, TEG), with the organization's eligibility. Nothing is recorded."""
    from .borrower import simulate

    found = eligibility(actor=actor, organization=organization, product=product)
    return {
        **simulate(product, user=actor, amount=amount, term=term, language=language),
        "eligibility": found,
    }


def advance_view(loan: Loan, language: str | None = None, *, detail: bool = False) -> dict:
    """An advance as the owner reads it: the borrower's view of a loan and its organization."""
    from .borrower import loan_view

    view = loan_view(loan, language, detail=detail)
    view["organization"] = loan.organization
    return view


def advance_detail(actor, loan_id) -> Loan:
    """advance_of with the current schedule prefetched (the detail's reads)."""
    from django.db.models import Prefetch

    from ..models import Instalment

    loan = advance_of(actor, loan_id)
    return (
        Loan.objects.select_related("product")
        .prefetch_related(
            Prefetch("instalments", queryset=Instalment.objects.filter(superseded=False).order_by("number"))
        )
        .get(pk=loan.pk)
    )


def accept_advance(*, actor, loan_id, step_up_token: str | None) -> Loan:
    """The applicant accepts the offer with identity's step-up proof (the lifecycle's accept:
    bound to the loan and its principal); the principal goes to the owner's balance."""
    from .acceptance import accept

    return accept(actor=actor, loan=advance_of(actor, loan_id), step_up_token=step_up_token)


def withdraw_advance(*, actor, loan_id) -> Loan:
    """The applicant gives up the application or the offer (before the disbursement)."""
    return applications.withdraw(actor=actor, loan=advance_of(actor, loan_id))


# ---------------------------------------------------------------------------------------------
# repayment from the rents collected, before the owner's payout


def _due_advances(organization: UUID, currency: str) -> QuerySet:
    return Loan.objects.filter(
        borrower_kind=BorrowerKind.LANDLORD,
        organization=organization,
        currency=currency,
        status=LoanStatus.ACTIVE,
    ).order_by("disbursed_on", "id")


def rents_deduction(*, organization, currency: str, source_account, available: int, today: date) -> int:
    """Payments' payout hook: repay what is due today on the organization's active advances
    from its owners' payable (`source_account`), oldest advance first, at most `available`.
    Returns what was taken. Idempotent: the same state gives the same key, and what is paid
    is no longer due."""
    org = _uuid(organization)
    taken = 0
    for loan in _due_advances(org, currency):
        due = due_now(loan, today)
        amount = min(due, available - taken)
        if amount <= 0:
            continue
        repay(
            loan=loan,
            amount=amount,
            channel="rents",
            source_account=source_account,
            idempotency_key=f"lending.rents:{loan.public_id}:{today.isoformat()}:{loan.outstanding}:{due}",
            today=today,
        )
        taken += amount
        if taken >= available:
            break
    return taken


def rents_deduction_daily(today: date | None = None) -> dict:
    """The daily run: for every owner organization with an active advance that has something
    due, the deduction above on its owners' payable. Returns counts."""
    today = today or timezone.localdate()
    pairs = (
        Loan.objects.filter(
            borrower_kind=BorrowerKind.LANDLORD,
            status=LoanStatus.ACTIVE,
            instalments__superseded=False,
            instalments__due_date__lte=today,
        )
        .filter(Q(instalments__status="pending") | Q(instalments__status="partly_paid"))
        .values_list("organization", "currency")
        .distinct()
    )
    done = {"organizations": 0, "taken": 0}
    for organization, currency in pairs:
        account = ledger.organization_account(
            organization=organization, code="owners_payable", currency=currency
        )
        available = ledger.balance(account=account.public_id).available
        if available <= 0:
            continue
        done["organizations"] += 1
        done["taken"] += rents_deduction(
            organization=organization,
            currency=currency,
            source_account=account.public_id,
            available=available,
            today=today,
        )
    return done
