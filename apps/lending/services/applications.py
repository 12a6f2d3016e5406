"""Applications and decisions (docs/lending.md, "Lifecycle").

    loan = apply(actor=tenant, product=product, amount=150_000, term=3, purpose="loyer",
                 destination_ref="", idempotency_key="…")   # decided at once by the rules
    loan.status  # approved (an offer until LENDING_OFFER_DAYS), declined, or review
    decide_manually(actor=credit_officer, loan=loan, approve=True, reason="…")  # the grey band
    withdraw(actor=tenant, loan=loan)
    expire_offers()                                             # the beat, set-based

The automatic decision reads the applicant's KYC tier (kyc api), the rent score and the
tenure behind it (`scoring.get_score(why="lending")`) and their emergency fund (savings cover
a grey band). Every decision keeps its reason codes (`decision_reasons`: [{code, text}], the
text in English, `reason_text` translates it). A borrower has at most one open loan per
product when the product says so: the database's partial unique constraint decides between
two applications sent at once, the loser gets OpenLoanExists.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from apps.core.audit import AuditCategory, audit_record
from apps.core.errors import DomainError, Forbidden, IdempotencyConflict
from apps.core.numbering import next_number
from apps.core.statemachine import StateMachine
from apps.estate import api as estate
from apps.identity import api as identity
from apps.kyc import api as kyc
from apps.notifications import api as notifications
from apps.scoring import api as scoring

from ..contracts import BorrowerKind, Destination, LoanStatus, Schedule
from ..errors import (
    AmountOutOfRange,
    InvalidLoanState,
    LoanNotFound,
    LoanProductNotFound,
    NoRentDueToPay,
    OpenLoanExists,
    RentDueNotCovered,
    TermOutOfRange,
)
from ..models import Loan, LoanProduct
from . import schedule as schedules

__all__ = [
    "BAND_ORDER",
    "LOAN_STATES",
    "REASONS",
    "REVIEW_PERMISSION",
    "apply",
    "decide",
    "decide_manually",
    "expire_offers",
    "loan_schedule",
    "reason_text",
    "register_eligibility",
    "upfront_fee_for",
    "withdraw",
]

REVIEW_PERMISSION = "lending.loan.review"

# which status may follow which (apps.core.statemachine); disbursement, repayments and the
# write-off move ACCEPTED -> ACTIVE -> CLOSED / WRITTEN_OFF
LOAN_STATES = StateMachine(
    {
        LoanStatus.REVIEW: {LoanStatus.APPROVED, LoanStatus.DECLINED, LoanStatus.WITHDRAWN},
        LoanStatus.APPROVED: {LoanStatus.ACCEPTED, LoanStatus.EXPIRED, LoanStatus.WITHDRAWN},
        LoanStatus.ACCEPTED: {LoanStatus.ACTIVE, LoanStatus.WITHDRAWN},
        LoanStatus.ACTIVE: {LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF},
        LoanStatus.DECLINED: set(),
        LoanStatus.EXPIRED: set(),
        LoanStatus.WITHDRAWN: set(),
        LoanStatus.CLOSED: set(),
        LoanStatus.WRITTEN_OFF: set(),
    }
)

# scoring's bands, worst first (thin_file has no rank: not enough history for the rules)
BAND_ORDER = ("poor", "weak", "fair", "good", "excellent")
THIN_FILE = "thin_file"

# a grey-band applicant whose emergency fund holds at least this share of the principal
# (basis points) is approved by the rules
SAVINGS_COVER_BPS = 2_500

# the reason codes a decision keeps, with the text the borrower reads (translated on display)
REASONS = {
    "score_ok": gettext_noop("Your rent score meets this product's minimum."),
    "score_low": gettext_noop("Your rent score is below the minimum for this product."),
    "score_grey": gettext_noop("Your rent score is in the band our credit team reviews by hand."),
    "thin_file": gettext_noop("Your rent history is too short for an automatic decision."),
    "kyc_tier_low": gettext_noop(
        "Your identity verification level is too low for this product: complete it first."
    ),
    "tenure_short": gettext_noop("Your current lease is too recent for this product."),
    "savings_cover": gettext_noop("Your emergency fund covers part of the loan."),
    "schedule_invalid": gettext_noop(
        "These terms cannot make a repayment schedule: change the amount or the term."
    ),
    "above_ceiling": gettext_noop(
        "The effective annual rate of this offer would be above the legal ceiling."
    ),
    "manual_approved": gettext_noop("Approved by our credit team."),
    "manual_declined": gettext_noop("Declined by our credit team."),
    "no_rules": gettext_noop("This product is decided by our credit team."),
}


def reason_text(code: str) -> str:
    """A reason code's text in the active language (the code itself when unknown)."""
    text = REASONS.get(code)
    return gettext(text) if text else code


def _reason(code: str, **extra) -> dict:
    return {"code": code, "text": REASONS.get(code, code), **extra}


# Checks a borrower kind adds to the rules (landlord advances: the rents under management
# behind the owner organization). A check returns the reason codes that decline, [] to pass;
# its codes' texts are registered in REASONS by whoever registers the check.
EligibilityCheck = Callable[..., list[str]]
_ELIGIBILITY: dict[str, EligibilityCheck] = {}


def register_eligibility(borrower_kind: str, check: EligibilityCheck) -> None:
    """`check(actor=, product=, amount=, term=, organization=) -> [reason code]` runs before
    the score for products of `borrower_kind`."""
    _ELIGIBILITY[BorrowerKind(borrower_kind).value] = check


# ---------------------------------------------------------------------------------------------
# terms


def upfront_fee_for(product: LoanProduct, amount: int) -> int:
    """The upfront fee of a loan of `amount` (services/products.py), deducted at disbursement."""
    from . import products

    return products.upfront_fee(product, amount)


def loan_schedule(loan: Loan) -> Schedule:
    """The loan's schedule from its own terms (copied at the offer) and its first due date."""
    return schedules.build(
        principal=loan.principal,
        currency=loan.currency,
        annual_rate_bps=loan.annual_rate_bps,
        term=loan.term,
        frequency=loan.frequency,
        interest_method=loan.interest_method,
        amortization=loan.amortization,
        grace_periods=loan.grace_periods,
        first_due_date=loan.first_due_date,
        upfront_fee=loan.upfront_fee,
    )


def _rent_day(loan: Loan) -> int | None:
    if loan.product.align_to_rent_date is False:
        return None
    if loan.destination == Destination.RENT_DUE and loan.destination_ref:
        try:
            return estate.rent_due(UUID(loan.destination_ref)).due_date.day
        except (DomainError, ValueError):
            return None
    dues = (
        estate.tenant_open_dues(loan.borrower.public_id) if loan.borrower_kind == BorrowerKind.TENANT else []
    )
    return dues[0].due_date.day if dues else None


def _set_offer_terms(loan: Loan) -> list[dict]:
    """Copy the product's terms onto the loan with the quote's schedule totals and TEG
    (services/products.quote, disbursed today); the reasons that forbid an offer ([] when it
    can be made: a schedule exists and the TEG is within the country's usury ceiling)."""
    from . import products

    product = loan.product
    loan.currency = product.currency
    loan.frequency = product.frequency
    loan.interest_method = product.interest_method
    loan.amortization = product.amortization
    loan.annual_rate_bps = product.annual_rate_bps
    loan.grace_periods = product.grace_periods
    try:
        quote = products.quote(
            product,
            amount=loan.principal,
            term=loan.term,
            start=timezone.localdate(),
            rent_day=_rent_day(loan),
        )
    except ValueError:
        return [_reason("schedule_invalid")]
    loan.upfront_fee = quote.schedule.upfront_fee
    loan.first_due_date = quote.schedule.lines[0].due_date
    loan.total_interest = quote.schedule.total_interest
    loan.teg_bps = quote.teg_bps
    if quote.ceiling_bps is None or quote.teg_bps > quote.ceiling_bps:
        return [_reason("above_ceiling", teg_bps=quote.teg_bps)]
    return []


# ---------------------------------------------------------------------------------------------
# apply


def _product(product) -> LoanProduct:
    if isinstance(product, LoanProduct):
        return product
    row = LoanProduct.objects.filter(public_id=product).first() if product else None
    if row is None:
        raise LoanProductNotFound(field="product")
    return row


def _destination_ref(*, actor, product: LoanProduct, amount: int, destination_ref: str) -> str:
    """The rent due an « Avance loyer » pays: the one named (the applicant's own), else their
    oldest open due. Its outstanding amount must be covered by the amount less the fee."""
    if product.destination != Destination.RENT_DUE:
        return (destination_ref or "").strip()[:80]
    dues = [
        d
        for d in estate.tenant_open_dues(actor.public_id)
        if d.outstanding > 0 and d.currency == product.currency
    ]
    if destination_ref:
        dues = [d for d in dues if str(d.public_id) == str(destination_ref).strip()]
    if not dues:
        raise NoRentDueToPay(field="destination_ref")
    due = dues[0]
    if amount - upfront_fee_for(product, amount) < due.outstanding:
        raise RentDueNotCovered(field="amount", needed=due.outstanding)
    return str(due.public_id)


def apply(
    *,
    actor,
    product,
    amount: int,
    term: int,
    purpose: str = "",
    destination_ref: str = "",
    idempotency_key: str,
    organization: UUID | None = None,
) -> Loan:
    """Apply for a loan of `amount` over `term` instalments; decided at once by the rules
    (`decide`): the returned loan is approved (an offer), declined (with its reasons) or in
    review. A retry with the same `idempotency_key` returns the first application. Raises
    LoanProductNotFound, AmountOutOfRange, TermOutOfRange, NoRentDueToPay, RentDueNotCovered,
    OpenLoanExists (one open loan per product)."""
    identity.authenticated(actor)
    key = (idempotency_key or "").strip()[:120]
    if not key:
        raise IdempotencyConflict(field="Idempotency-Key")
    product = _product(product)
    done = Loan.objects.filter(borrower=actor, idempotency_key=key).select_related("product").first()
    if done is not None:
        if done.product_id != product.pk or done.principal != amount or done.term != term:
            raise IdempotencyConflict(field="Idempotency-Key")
        return done
    if not product.active:
        raise LoanProductNotFound(field="product")
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int)
        or not product.min_amount <= amount <= product.max_amount
    ):
        raise AmountOutOfRange(field="amount", minimum=product.min_amount, maximum=product.max_amount)
    if (
        isinstance(term, bool)
        or not isinstance(term, int)
        or not product.min_term <= term <= product.max_term
    ):
        raise TermOutOfRange(field="term", minimum=product.min_term, maximum=product.max_term)
    if product.borrower_kind == BorrowerKind.LANDLORD and organization is None:
        raise Forbidden(field="organization")
    ref = _destination_ref(actor=actor, product=product, amount=amount, destination_ref=destination_ref)
    try:
        with transaction.atomic():
            loan = Loan(
                number=next_number(
                    series="lending.loan",
                    scope="hokwe",
                    year=timezone.localdate().year,
                    template="PRT-{year}-{n:06d}",
                ),
                product=product,
                borrower=actor,
                borrower_kind=product.borrower_kind,
                organization=organization,
                status=LoanStatus.REVIEW,
                single_open=product.one_open_loan,
                idempotency_key=key,
                purpose=(purpose or "").strip()[:200],
                principal=amount,
                term=term,
                destination=product.destination,
                destination_ref=ref,
                currency=product.currency,
                frequency=product.frequency,
                interest_method=product.interest_method,
                amortization=product.amortization,
                annual_rate_bps=product.annual_rate_bps,
                grace_periods=product.grace_periods,
            )
            loan.save()
    except IntegrityError:
        done = Loan.objects.filter(borrower=actor, idempotency_key=key).first()
        if done is not None:
            return done
        raise OpenLoanExists(field="product") from None
    return decide(loan)


# ---------------------------------------------------------------------------------------------
# decide


def _savings(user, currency: str) -> int:
    """What the applicant holds in their emergency fund (services/fund.py), 0 without one."""
    from . import fund

    info = fund.emergency_fund_for(user, currency=currency)
    return int(info.available) if info is not None else 0


def _rules(loan: Loan) -> tuple[str, list[dict]]:
    """The automatic decision (status, reasons) and the score read, stored on the loan."""
    product, actor = loan.product, loan.borrower
    declines: list[dict] = []
    if kyc.tier_of(actor) < product.min_kyc_tier:
        declines.append(_reason("kyc_tier_low"))
    check = _ELIGIBILITY.get(loan.borrower_kind)
    if check is not None:
        declines += [
            _reason(code)
            for code in check(
                actor=actor,
                product=product,
                amount=loan.principal,
                term=loan.term,
                organization=loan.organization,
            )
        ]
    if loan.borrower_kind == BorrowerKind.LANDLORD:
        if declines:
            return LoanStatus.DECLINED, declines
        return (LoanStatus.APPROVED, []) if check is not None else (LoanStatus.REVIEW, [_reason("no_rules")])
    score = scoring.get_score(actor.public_id, viewer=actor, why="lending")
    loan.score = score.score
    loan.score_band = str(score.band)
    if score.features.tenure_months < product.min_tenure_months:
        declines.append(_reason("tenure_short", months=score.features.tenure_months))
    if declines:
        return LoanStatus.DECLINED, declines
    band = str(score.band)
    rank = BAND_ORDER.index(band) if band in BAND_ORDER else None
    minimum = BAND_ORDER.index(product.min_score_band) if product.min_score_band in BAND_ORDER else 0
    grey = BAND_ORDER.index(product.review_band) if product.review_band in BAND_ORDER else None
    if rank is not None and rank >= minimum:
        return LoanStatus.APPROVED, [_reason("score_ok", band=band)]
    in_grey = (rank is None and grey is not None) or (rank is not None and grey is not None and rank >= grey)
    if not in_grey:
        return LoanStatus.DECLINED, [_reason("score_low" if rank is not None else "thin_file", band=band)]
    grey_reason = _reason("score_grey" if rank is not None else "thin_file", band=band)
    savings = _savings(actor, loan.currency)
    if savings * 10_000 >= loan.principal * SAVINGS_COVER_BPS:
        return LoanStatus.APPROVED, [grey_reason, _reason("savings_cover", savings=savings)]
    return LoanStatus.REVIEW, [grey_reason]


def _approve(loan: Loan, reasons: list[dict], *, now) -> None:
    """Turn the loan into an offer (the terms, the schedule's totals, the TEG, the expiry),
    or decline it when no lawful schedule can be made."""
    refused = _set_offer_terms(loan)
    if refused:
        loan.status = LoanStatus.DECLINED
        loan.decision_reasons = reasons + refused
        return
    loan.status = LoanStatus.APPROVED
    loan.decision_reasons = reasons
    loan.offer_expires_at = now + timedelta(days=settings.LENDING_OFFER_DAYS)


def decide(loan: Loan) -> Loan:
    """The automatic decision of an application in review (apply calls it): approved with an
    offer, declined, or left in review for credit staff, with the reason codes."""
    status, reasons = _rules(loan)
    now = timezone.now()
    with transaction.atomic():
        row = Loan.objects.select_for_update().get(pk=loan.pk)
        if row.status != LoanStatus.REVIEW:
            return row
        loan.decided_at = now
        if status == LoanStatus.APPROVED:
            _approve(loan, reasons, now=now)
        else:
            loan.status = status
            loan.decision_reasons = reasons
            if status == LoanStatus.REVIEW:
                loan.decided_at = None
        loan.save()
    return loan


def decide_manually(*, actor, loan: Loan, approve: bool, reason: str) -> Loan:
    """Credit staff decide an application in review (the grey band), with a reason; audited."""
    if not identity.can(actor, REVIEW_PERMISSION, loan):
        raise Forbidden()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the decision."), field="reason")
    now = timezone.now()
    with transaction.atomic():
        row = Loan.objects.select_for_update().select_related("product", "borrower").get(pk=loan.pk)
        target = LoanStatus.APPROVED if approve else LoanStatus.DECLINED
        if not LOAN_STATES.can(row.status, target) or row.status != LoanStatus.REVIEW:
            raise InvalidLoanState()
        before = {"status": row.status}
        reasons = list(row.decision_reasons or []) + [
            _reason("manual_approved" if approve else "manual_declined", note=reason[:500])
        ]
        row.decided_at, row.decided_by = now, actor
        if approve:
            _approve(row, reasons, now=now)
        else:
            row.status, row.decision_reasons = LoanStatus.DECLINED, reasons
        row.save()
        if row.status == LoanStatus.DECLINED:
            _release_pledges(row)
        audit_record(
            action="lending.loan.decided",
            category=AuditCategory.STAFF,
            actor=actor,
            target=row,
            organization=row.organization,
            before=before,
            after={"status": row.status, "reasons": [r["code"] for r in row.decision_reasons]},
            reason=reason,
        )
        _tell_decision(row)
    return row


def _tell_decision(loan: Loan) -> None:
    """The borrower waited for staff: an SMS and an in-app message, after commit."""
    from ..messages import LENDING_APPLICATION_DECLINED, LENDING_OFFER_READY

    if loan.status == LoanStatus.APPROVED:
        template = LENDING_OFFER_READY
        context = {"number": loan.number, "amount": {"amount": loan.principal, "currency": loan.currency}}
    else:
        template, context = LENDING_APPLICATION_DECLINED, {"number": loan.number}
    recipient = str(loan.borrower.public_id)
    transaction.on_commit(
        lambda: notifications.send(
            recipient, template, context, idempotency_key=f"lending:decided:{loan.public_id}"
        ),
        robust=True,
    )


# ---------------------------------------------------------------------------------------------
# withdraw, expire

WITHDRAWABLE = (LoanStatus.REVIEW, LoanStatus.APPROVED, LoanStatus.ACCEPTED)


def withdraw(*, actor, loan: Loan) -> Loan:
    """The borrower gives up an application or an offer (or an accepted loan whose
    disbursement has not started). LoanNotFound for another's loan; InvalidLoanState after
    the money has started to move."""
    with transaction.atomic():
        row = (
            Loan.objects.select_for_update()
            .filter(pk=loan.pk, borrower_id=getattr(actor, "pk", None))
            .first()
        )
        if row is None:
            raise LoanNotFound()
        if row.status not in WITHDRAWABLE or not LOAN_STATES.can(row.status, LoanStatus.WITHDRAWN):
            raise InvalidLoanState()
        if row.status == LoanStatus.ACCEPTED and hasattr(row, "disbursement"):
            raise InvalidLoanState()
        row.status = LoanStatus.WITHDRAWN
        row.save(update_fields=["status", "updated_at"])
        _release_pledges(row)
    return row


def _release_pledges(loan: Loan) -> None:
    """A loan that will never be disbursed gives back the savings pledged to it (a guarantor's
    pledged while the loan was in review or offered, the borrower's at the acceptance)."""
    from ..models import Pledge

    if Pledge.objects.filter(loan=loan, status=Pledge.Status.HELD).exists():
        from . import pledges

        pledges.on_repaid(loan)


def expire_offers(now=None) -> int:
    """Offers not accepted in time become EXPIRED (one UPDATE; the beat runs it hourly); the
    few with savings pledged by a guarantor give them back."""
    from ..models import Pledge

    now = now or timezone.now()
    due = Loan.objects.filter(status=LoanStatus.APPROVED, offer_expires_at__lte=now)
    with transaction.atomic():
        pledged = list(
            Loan.objects.filter(pk__in=due.values("pk"), pledges__status=Pledge.Status.HELD).distinct()
        )
        count = due.update(status=LoanStatus.EXPIRED, updated_at=now)
        for loan in pledged:
            loan.refresh_from_db()
            _release_pledges(loan)
    return count
