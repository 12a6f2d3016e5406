"""Guarantors (docs/lending.md, "Emergency fund, guarantors and pledged savings").

    invite(actor=, loan=, phone=, name="") -> Guarantor       the borrower, before acceptance
    revoke(actor=, guarantor=)                                the borrower takes it back
    requests_for(actor) -> QuerySet                           what was asked of the actor's phone
    STEP_UP_ACTION, step_up_amount(guarantor)                 the code the guarantor answers with
    accept(actor=, guarantor=, step_up_token=, pledge=0) -> Guarantor
    decline(actor=, guarantor=) -> Guarantor
    guarantors_ready(loan) -> bool; require_guarantors(loan)  for the acceptance

The borrower invites someone by phone number (an SMS with the link; no account needed to be
asked). The invited person signs in with that number and accepts with identity's step-up
code, bound to this guarantee and the loan's principal (the SMS says what they stand
behind); they may pledge savings of their own emergency fund with it (a ledger hold,
services/pledges.py). Declining needs no code: it commits nobody to anything.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.identity import api as identity
from apps.notifications import api as notifications

from ..contracts import LoanStatus
from ..errors import (
    GuarantorAlreadyAnswered,
    GuarantorInvalid,
    GuarantorNotFound,
    GuarantorsMissing,
    InvalidLoanState,
    LoanNotFound,
)
from ..messages import LENDING_GUARANTOR_ACCEPTED, LENDING_GUARANTOR_DECLINED, LENDING_GUARANTOR_INVITED
from ..models import Guarantor, Loan

__all__ = [
    "ANSWERABLE",
    "STEP_UP_ACTION",
    "accept",
    "decline",
    "guarantors_ready",
    "invite",
    "requests_for",
    "require_guarantors",
    "revoke",
    "step_up_amount",
]

STEP_UP_ACTION = "lending.guarantee.accept"
# a guarantee may be asked, answered or taken back only before the loan is disbursed
ANSWERABLE = (LoanStatus.REVIEW, LoanStatus.APPROVED)
MAX_GUARANTORS = 3


def _answer_url() -> str:
    from django.conf import settings

    base = (getattr(settings, "PAYMENT_PUBLIC_BASE_URL", "") or "https://hokwe.com").rstrip("/")
    return f"{base}/lending/guarantees/"


def invite(*, actor, loan: Loan, phone: str, name: str = "") -> Guarantor:
    """The borrower asks `phone` to stand guarantor (an SMS). Only the borrower, only
    before the offer is accepted; never the borrower's own number; one open request per
    number and loan (asking again returns it); at most MAX_GUARANTORS."""
    if actor is None or loan.borrower_id != actor.pk:
        raise LoanNotFound(field="loan")
    if loan.status not in ANSWERABLE:
        raise InvalidLoanState(field="loan")
    phone = identity.normalize_phone(phone)
    if actor.phone and phone == str(actor.phone):
        raise GuarantorInvalid(field="phone")
    found = loan.guarantors.exclude(status=Guarantor.Status.REVOKED).filter(phone=phone).first()
    if found is not None:
        return found
    if loan.guarantors.exclude(status__in=[Guarantor.Status.REVOKED, Guarantor.Status.DECLINED]).count() >= (
        MAX_GUARANTORS
    ):
        raise GuarantorInvalid(_too_many(), field="phone")
    try:
        with transaction.atomic():
            guarantor = Guarantor.objects.create(loan=loan, phone=phone, name=(name or "").strip()[:120])
    except IntegrityError:
        return loan.guarantors.exclude(status=Guarantor.Status.REVOKED).get(phone=phone)
    borrower_name = actor.full_name or str(actor.phone)
    context = {
        "borrower_name": borrower_name[:60],
        "amount": {"amount": loan.principal, "currency": loan.currency},
        "answer_url": _answer_url(),
    }
    transaction.on_commit(
        lambda: notifications.send(
            phone,
            LENDING_GUARANTOR_INVITED,
            context,
            idempotency_key=f"lending:guarantor:{guarantor.public_id}:invited",
        ),
        robust=True,
    )
    return guarantor


def _too_many():
    from django.utils.translation import gettext_lazy as _

    return _("A loan has at most three guarantors.")


def revoke(*, actor, guarantor: Guarantor) -> Guarantor:
    """The borrower withdraws a request (or an acceptance) before the loan is accepted; a
    pledge the guarantor made is released."""
    loan = guarantor.loan
    if actor is None or loan.borrower_id != actor.pk:
        raise GuarantorNotFound(field="guarantor")
    if loan.status not in ANSWERABLE:
        raise InvalidLoanState(field="loan")
    from .pledges import release_guarantor

    with transaction.atomic():
        guarantor = Guarantor.objects.select_for_update().get(pk=guarantor.pk)
        if guarantor.status == Guarantor.Status.REVOKED:
            return guarantor
        release_guarantor(guarantor)
        guarantor.status = Guarantor.Status.REVOKED
        guarantor.save(update_fields=["status", "updated_at"])
    return guarantor


def requests_for(actor):
    """The guarantee requests addressed to the actor's phone number (newest first)."""
    if actor is None or not getattr(actor, "phone", None):
        return Guarantor.objects.none()
    return (
        Guarantor.objects.filter(phone=str(actor.phone))
        .exclude(status=Guarantor.Status.REVOKED)
        .select_related("loan", "loan__borrower", "loan__product")
        .order_by("-created_at")
    )


def _mine(actor, guarantor: Guarantor) -> Guarantor:
    """The request, locked, if it is addressed to the actor (else not found: another's is
    never revealed)."""
    row = Guarantor.objects.select_for_update().select_related("loan", "loan__borrower").get(pk=guarantor.pk)
    if (
        actor is None
        or not actor.phone
        or row.phone != str(actor.phone)
        or row.status == Guarantor.Status.REVOKED
    ):
        raise GuarantorNotFound(field="guarantor")
    if row.loan.borrower_id == actor.pk:
        raise GuarantorInvalid(field="guarantor")
    return row


def step_up_amount(guarantor: Guarantor) -> tuple[int, str]:
    """The amount and currency the guarantor's code is bound to: the loan's principal."""
    return guarantor.loan.principal, guarantor.loan.currency


def _tell_borrower(guarantor: Guarantor, template: str) -> None:
    loan = guarantor.loan
    who = guarantor.name or guarantor.phone
    transaction.on_commit(
        lambda: notifications.send(
            str(loan.borrower.public_id),
            template,
            {"guarantor_name": who[:60], "number": loan.number},
            idempotency_key=f"lending:guarantor:{guarantor.public_id}:{guarantor.status}",
        ),
        robust=True,
    )


def accept(*, actor, guarantor: Guarantor, step_up_token: str | None, pledge: int = 0) -> Guarantor:
    """The invited person accepts with identity's step-up proof (STEP_UP_ACTION, the
    guarantee's id, the loan's principal): StepUpRequired without it. `pledge` > 0: that
    much of their own emergency fund is held for the loan (PledgeNotCovered when it cannot)."""
    from .fund import fund_of
    from .pledges import pledge_from_fund

    if isinstance(pledge, bool) or not isinstance(pledge, int) or pledge < 0:
        from ..errors import FundAmountInvalid

        raise FundAmountInvalid(field="pledge")
    with transaction.atomic():
        row = _mine(actor, guarantor)
        if row.status != Guarantor.Status.INVITED:
            raise GuarantorAlreadyAnswered(field="guarantor")
        if row.loan.status not in ANSWERABLE:
            raise InvalidLoanState(field="loan")
        amount, currency = step_up_amount(row)
        identity.require_step_up(
            actor=actor,
            action=STEP_UP_ACTION,
            target=str(row.public_id),
            amount=amount,
            currency=currency,
            token=step_up_token,
        )
        if pledge:
            fund = fund_of(actor, row.loan.currency)
            if fund is None:
                from ..errors import PledgeNotCovered

                raise PledgeNotCovered(field="pledge")
            pledge_from_fund(loan=row.loan, fund=fund, amount=pledge, guarantor=row)
        row.user_id = actor.pk
        row.status = Guarantor.Status.ACCEPTED
        row.pledge_amount = pledge
        row.responded_at = timezone.now()
        if not row.name:
            row.name = (actor.full_name or "")[:120]
        row.save()
        _tell_borrower(row, LENDING_GUARANTOR_ACCEPTED)
    return row


def decline(*, actor, guarantor: Guarantor) -> Guarantor:
    """The invited person says no (no code needed)."""
    with transaction.atomic():
        row = _mine(actor, guarantor)
        if row.status != Guarantor.Status.INVITED:
            raise GuarantorAlreadyAnswered(field="guarantor")
        row.user_id = actor.pk
        row.status = Guarantor.Status.DECLINED
        row.responded_at = timezone.now()
        row.save(update_fields=["user", "status", "responded_at", "updated_at"])
        _tell_borrower(row, LENDING_GUARANTOR_DECLINED)
    return row


def guarantors_ready(loan: Loan) -> bool:
    """True when the product asks no guarantor, or one has accepted."""
    if not loan.product.requires_guarantor:
        return True
    return loan.guarantors.filter(status=Guarantor.Status.ACCEPTED).exists()


def require_guarantors(loan: Loan) -> None:
    """For the acceptance: GuarantorsMissing unless `guarantors_ready(loan)`."""
    if not guarantors_ready(loan):
        raise GuarantorsMissing(field="loan")
