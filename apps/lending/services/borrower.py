"""The borrower's reads, shared by REST, GraphQL and the pages (docs/lending.md, "Surfaces"):
the products a tenant may apply for, their own loans (never another's), a loan's schedule,
repayments and key facts, and what closing the loan today would take.

The writes the surfaces call are the lifecycle's and the repayments' services (apply, accept,
withdraw, repay); this file only reads, scoped to the signed-in borrower."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..contracts import BorrowerKind, LoanStatus
from ..errors import InvalidLoanState, LoanNotFound, LoanProductNotFound
from ..models import Instalment, Loan, LoanProduct

__all__ = [
    "PrepaymentQuote",
    "loan_of",
    "loans_of",
    "prepayment_quote",
    "product_for",
    "products_for",
    "repayments_of",
    "schedule_of",
]

# the statuses a borrower can act on
WITHDRAWABLE = (LoanStatus.REVIEW, LoanStatus.APPROVED, LoanStatus.ACCEPTED)
REPAYABLE = (LoanStatus.ACTIVE,)
# what « Mes prêts » shows as current (the rest is history)
CURRENT = (LoanStatus.REVIEW, LoanStatus.APPROVED, LoanStatus.ACCEPTED, LoanStatus.ACTIVE)


def _uuid(value) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        return None


def products_for(user) -> QuerySet:
    """The products a tenant may apply for (offered, for tenants), by name."""
    return LoanProduct.objects.filter(active=True, borrower_kind=BorrowerKind.TENANT).order_by("name", "id")


def product_for(user, product_id) -> LoanProduct:
    """One offered tenant product by its public id, else LoanProductNotFound."""
    pid = _uuid(product_id)
    product = products_for(user).filter(public_id=pid).first() if pid else None
    if product is None:
        raise LoanProductNotFound(field="product")
    return product


def loans_of(user) -> QuerySet:
    """The borrower's own loans (a tenant's: landlord advances are the managers' pages),
    newest first, with their product (one query for the list)."""
    return (
        Loan.objects.filter(borrower_id=user.pk, borrower_kind=BorrowerKind.TENANT)
        .select_related("product")
        .order_by("-created_at", "-id")
    )


def loan_of(user, loan_id, *, with_schedule: bool = False) -> Loan:
    """One of the borrower's loans by its public id; another's (or none) is LoanNotFound."""
    lid = _uuid(loan_id)
    qs = loans_of(user)
    if with_schedule:
        qs = qs.prefetch_related(
            Prefetch("instalments", queryset=Instalment.objects.filter(superseded=False).order_by("number"))
        )
    loan = qs.filter(public_id=lid).first() if lid else None
    if loan is None:
        raise LoanNotFound(field="loan_id")
    return loan


def schedule_of(loan: Loan) -> list[Instalment]:
    """The loan's current schedule (a restructuring's superseded lines left out)."""
    cached = getattr(loan, "_prefetched_objects_cache", {}).get("instalments")
    if cached is not None:
        return list(cached)
    return list(loan.instalments.filter(superseded=False).order_by("number"))


def repayments_of(loan: Loan, *, limit: int = 100) -> list:
    """The loan's repayments, newest first."""
    from ..models import Repayment

    return list(Repayment.objects.filter(loan_id=loan.pk).order_by("-created_at", "-id")[:limit])


@dataclass(frozen=True)
class PrepaymentQuote:
    """What paying the loan off today takes: the principal still owed, the interest and fees
    already due (interest not yet due is not charged: docs/lending.md, "Repayments and
    allocation"), and the total."""

    loan: str
    currency: str
    on: date
    principal: int
    interest: int
    fees: int
    allowed: bool

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.fees


def prepayment_quote(loan: Loan, *, on: date | None = None) -> PrepaymentQuote:
    """Closing the loan today (the repayments' payoff: what is due, the principal not yet
    due, the current period's interest and fee accrued to the day). `allowed` is False when
    the product forbids prepayment or the loan is not being repaid."""
    from . import repayments

    payoff = repayments.payoff(loan, on)
    return PrepaymentQuote(
        loan=str(loan.public_id),
        currency=loan.currency,
        on=payoff.as_of,
        principal=payoff.principal,
        interest=payoff.interest,
        fees=payoff.fees,
        allowed=loan.status == LoanStatus.ACTIVE and bool(loan.product.prepayment_allowed),
    )


def next_instalment(loan: Loan) -> Instalment | None:
    """The oldest instalment still to pay, or None."""
    for line in schedule_of(loan):
        if line.status in (Instalment.Status.PENDING, Instalment.Status.PARTLY_PAID):
            return line
    return None


def _localized(product: LoanProduct, field: str, language: str | None) -> str:
    french = getattr(product, field)
    english = getattr(product, f"{field}_en", "")
    return english if (language or "fr").startswith("en") and english else french


def product_view(product: LoanProduct, language: str | None = None) -> dict:
    """A product as the borrower reads it (REST, GraphQL, pages): its name and summary in
    the language asked (French when there is no English)."""
    return {
        "public_id": product.public_id,
        "code": product.code,
        "name": _localized(product, "name", language),
        "summary": _localized(product, "summary", language),
        "destination": product.destination,
        "currency": product.currency,
        "min_amount": product.min_amount,
        "max_amount": product.max_amount,
        "min_term": product.min_term,
        "max_term": product.max_term,
        "frequency": product.frequency,
        "annual_rate_bps": product.annual_rate_bps,
        "prepayment_allowed": product.prepayment_allowed,
        "requires_guarantor": product.requires_guarantor,
    }


def loan_view(loan: Loan, language: str | None = None, *, detail: bool = False) -> dict:
    """A loan as its borrower reads it; `detail` adds the schedule, the repayments, the
    decision's reasons and the key facts (one query each)."""
    view = {
        "public_id": loan.public_id,
        "number": loan.number,
        "status": loan.status,
        "product": loan.product,
        "product_id": loan.product.public_id,
        "product_name": _localized(loan.product, "name", language),
        "destination": loan.destination,
        "currency": loan.currency,
        "principal": loan.principal,
        "term": loan.term,
        "frequency": loan.frequency,
        "annual_rate_bps": loan.annual_rate_bps,
        "teg_bps": loan.teg_bps,
        "upfront_fee": loan.upfront_fee,
        "total_interest": loan.total_interest,
        "outstanding": loan.outstanding,
        "principal_outstanding": loan.principal_outstanding,
        "interest_outstanding": loan.interest_outstanding,
        "fees_outstanding": loan.fees_outstanding,
        "days_past_due": loan.days_past_due,
        "offer_expires_at": loan.offer_expires_at,
        "disbursed_on": loan.disbursed_on,
        "closed_on": loan.closed_on,
        "created_at": loan.created_at,
        "purpose": loan.purpose,
        "first_due_date": loan.first_due_date,
    }
    if detail:
        view["decision_reasons"] = [
            {"code": str(r.get("code", "")), "text": str(r.get("text", ""))}
            for r in (loan.decision_reasons or [])
            if isinstance(r, dict)
        ]
        view["key_facts"] = key_facts_of(loan)
        view["schedule"] = schedule_of(loan)
        view["repayments"] = repayments_of(loan)
    return view


# --- the borrower's writes: one call each for REST, GraphQL and the pages, onto the
# lifecycle's (applications, acceptance) and the repayments' services ---------------------


def apply_for(
    *,
    actor,
    product_id,
    amount: int,
    term: int,
    purpose: str = "",
    destination_ref: str = "",
    idempotency_key: str,
) -> Loan:
    """Apply for one of the offered tenant products (the decision is made at once by the
    rules: an offer, a refusal with its reasons, or a manual review)."""
    from . import applications

    product = product_for(actor, product_id)
    return applications.apply(
        actor=actor,
        product=product,
        amount=amount,
        term=term,
        purpose=purpose or "",
        destination_ref=destination_ref or "",
        idempotency_key=idempotency_key,
    )


def accept_offer(*, actor, loan_id, step_up_token: str | None) -> Loan:
    """Accept one's own offer with identity's step-up proof (bound to the loan and its
    principal); the disbursement follows."""
    from . import acceptance

    loan = loan_of(actor, loan_id)
    return acceptance.accept(actor=actor, loan=loan, step_up_token=step_up_token)


def withdraw_application(*, actor, loan_id) -> Loan:
    """Give up one's own application or offer before the disbursement."""
    from . import applications

    loan = loan_of(actor, loan_id)
    return applications.withdraw(actor=actor, loan=loan)


def repay_from_wallet(*, actor, loan_id, amount: int, idempotency_key: str):
    """Repay now from one's own wallet (in the loan's currency): the allocation is the
    product's (fees, interest, principal by default), oldest instalment first; what is above
    the due instalments prepays the principal, and paying the payoff closes the loan."""
    from . import repayments

    loan = loan_of(actor, loan_id)
    if loan.status not in REPAYABLE:
        raise InvalidLoanState(field="loan_id")
    return repayments.repay_from_wallet(
        actor=actor,
        loan=loan,
        amount=amount,
        idempotency_key=f"lending:wallet:{actor.public_id}:{idempotency_key}",
    )


def due_now(loan: Loan) -> int:
    """What is due today (billed or falling due today, unpaid)."""
    from . import repayments

    return repayments.due_now(loan)


def pay_link(*, actor, loan_id, amount: int | None = None, idempotency_key: str):
    """A mobile money pay link for one's own loan (payments' intent; applied as a repayment
    when it is paid). Default amount: what is due now, else the next instalment."""
    from . import repayments

    loan = loan_of(actor, loan_id)
    if loan.status not in REPAYABLE:
        raise InvalidLoanState(field="loan_id")
    return repayments.repayment_link(actor=actor, loan=loan, amount=amount, idempotency_key=idempotency_key)


# --- simulation and key facts: the products' quote and key facts statement ----------------


def _lines_view(lines, currency: str) -> list[dict]:
    return [
        {
            "number": line.number,
            "due_date": line.due_date,
            "principal": line.principal,
            "interest": line.interest,
            "fee": line.fee,
            "total": line.total,
            "currency": currency,
        }
        for line in lines
    ]


def simulate(product: LoanProduct, *, user, amount: int, term: int, language: str | None = None) -> dict:
    """A loan of `product` for `amount` over `term` instalments, as it would be offered today:
    the schedule, the upfront fee, what is received, the total cost and the TEG. Nothing is
    recorded. A amount or term out of the product's ranges is refused (the products' quote)."""
    from . import products

    quote = products.quote(product, amount=amount, term=term, start=timezone.localdate(), language=language)
    schedule = quote.schedule
    return {
        "product": product.public_id,
        "currency": schedule.currency,
        "amount": schedule.principal,
        "term": len(schedule.lines),
        "upfront_fee": schedule.upfront_fee,
        "received": schedule.principal - schedule.upfront_fee,
        "total_interest": schedule.total_interest,
        "total_fees": schedule.total_fees,
        "total_cost": schedule.total_cost,
        "total_repaid": schedule.total_repaid,
        "teg_bps": quote.teg_bps,
        "lines": _lines_view(schedule.lines, schedule.currency),
        "key_facts": getattr(quote, "key_facts", {}) or {},
    }


def key_facts_pdf(loan: Loan, *, language: str = "fr") -> bytes:
    """The loan's key facts statement as a PDF: as accepted when it was, else as offered."""
    from . import key_facts

    return key_facts.pdf(loan, language=language)


def key_facts_of(loan: Loan) -> dict:
    """The key facts statement: as accepted (kept with the loan) once accepted; as offered
    (the lifecycle's statement of the offer) while the offer waits; else empty."""
    if loan.key_facts:
        return loan.key_facts
    if loan.status == LoanStatus.APPROVED:
        from . import acceptance

        return acceptance.key_facts_of(loan)
    return {}
