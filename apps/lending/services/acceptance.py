"""Acceptance of an offer by OTP, with the key facts (docs/lending.md, "Lifecycle").

    challenge = identity.step_up_start(actor=tenant, action=STEP_UP_ACTION,
                                       target=str(loan.public_id), amount=loan.principal,
                                       currency=loan.currency)          # the SMS code
    proof = identity.step_up_verify(actor=tenant, challenge_id=…, code="123456")
    accept(actor=tenant, loan=loan, step_up_token=proof.token)         # then disbursed

The proof is bound to the loan and its principal: a code asked for another loan or another
amount does not accept this one. The key facts statement (the amount, the schedule, the
total cost, the TEG, the fees and the disclosures, as the borrower was shown them) is stored
on the loan. A product that requires guarantors or pledged savings is disbursed only once
they have accepted and the savings are held; otherwise the disbursement follows at once.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.core.errors import DomainError
from apps.identity import api as identity

from ..contracts import LoanStatus
from ..errors import GuarantorsPending, InvalidLoanState, LoanNotFound, OfferExpired
from ..models import Loan
from .applications import loan_schedule

__all__ = ["STEP_UP_ACTION", "accept", "guarantees_ready", "key_facts_of"]

STEP_UP_ACTION = "lending.loan.accept"


def key_facts_of(loan: Loan) -> dict:
    """The key facts statement of the loan's offer as the borrower is shown it (services/
    key_facts.py: the amount, what is paid out, the schedule, the total cost, the TEG, the fees,
    the disclosures and the notices in French and English), disbursed today, with its number."""
    from . import key_facts

    facts = key_facts.statement(
        loan.product,
        schedule=loan_schedule(loan),
        frequency=loan.frequency,
        teg_bps=loan.teg_bps,
        start=timezone.localdate(),
    )
    return {"number": loan.number, **facts}


def guarantees_ready(loan: Loan) -> bool:
    """The product's guarantors are there (services/guarantors.py: one has accepted; True when
    the product asks for none). Pledged savings are held at the disbursement
    (pledges.hold_for_acceptance). Once a guarantor accepts, the sweeper
    (`lending.disburse_pending`) pays the accepted loan out."""
    from .guarantors import guarantors_ready

    return guarantors_ready(loan)


def accept(*, actor, loan: Loan, step_up_token: str | None) -> Loan:
    """The borrower accepts their offer with identity's step-up proof (STEP_UP_ACTION, bound
    to the loan and its principal; StepUpRequired otherwise). The key facts are kept with the
    loan and the pledged savings the product asks are held; then the loan is disbursed at once
    (or by the sweeper after a failure). Raises LoanNotFound (another's loan), OfferExpired,
    InvalidLoanState, GuarantorsPending (no guarantor has accepted yet), PledgeNotCovered. A
    second accept of an accepted or disbursed loan returns it unchanged."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            Loan.objects.select_for_update()
            .select_related("product", "borrower")
            .filter(pk=loan.pk, borrower_id=getattr(actor, "pk", None))
            .first()
        )
        if row is None:
            raise LoanNotFound()
        if row.status in (LoanStatus.ACCEPTED, LoanStatus.ACTIVE):
            return row
        if row.status == LoanStatus.EXPIRED or (
            row.status == LoanStatus.APPROVED and row.offer_expires_at and row.offer_expires_at <= now
        ):
            raise OfferExpired()
        if row.status != LoanStatus.APPROVED:
            raise InvalidLoanState()
        if not guarantees_ready(row):  # guarantors answer before the offer is accepted
            raise GuarantorsPending()
        identity.require_step_up(
            actor=actor,
            action=STEP_UP_ACTION,
            target=str(row.public_id),
            amount=row.principal,
            currency=row.currency,
            token=step_up_token,
        )
        if row.product.pledge_bps:  # the savings pledged are held now (PledgeNotCovered: nothing accepted)
            from . import pledges

            pledges.hold_for_acceptance(row)
        row.key_facts = key_facts_of(row)
        row.status = LoanStatus.ACCEPTED
        row.accepted_at = now
        row.save(update_fields=["key_facts", "status", "accepted_at", "updated_at"])
    from .disbursement import disburse

    try:
        return disburse(row)
    except DomainError:  # waits for its guarantors, or the sweeper retries (disburse_pending)
        row.refresh_from_db()
        return row
