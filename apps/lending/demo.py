"""Demo lending data (seed_demo runs it after scoring's). Idempotent: a second run changes
nothing.

Each part appends a function `_seed_<part>(ctx)` and one call line at the end of `seed`; the
products come first (the lifecycle's loan needs « Avance loyer »)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

RENT_ADVANCE = "avance-loyer"


def seed(ctx) -> None:
    _seed_lifecycle(ctx)
    _seed_repayments(ctx)


# --- the lifecycle: a demo tenant with a good score has had an « Avance loyer » approved,
# accepted and paid straight to this month's rent due ---


def _demo_borrower():
    """The demo tenant with the best rent score who has an open rent due: (user, due)."""
    from django.contrib.auth import get_user_model

    from apps.estate import api as estate
    from apps.scoring import api as scoring

    best = None
    for public_id in estate.tenants_after(None, limit=500):
        dues = [d for d in estate.tenant_open_dues(public_id) if d.outstanding > 0]
        if not dues:
            continue
        score = scoring.get_score(public_id, viewer=None, why="system")
        if best is None or (score.score or 0) > (best[0].score or 0):
            best = (score, public_id, dues[0])
    if best is None:
        return None, None
    return get_user_model().objects.get(public_id=best[1]), best[2]


def _seed_lifecycle(ctx) -> None:
    """Apply (the rules decide; a grey band is approved by the demo's staff admin), accept
    (the key facts kept; no SMS code in a demo run) and disburse: the advance pays the rent due,
    the rest reaches the wallet; the loan is then repaid by its instalments."""
    from django.contrib.auth import get_user_model

    from .contracts import LoanStatus
    from .models import Loan, LoanProduct
    from .services import applications
    from .services.acceptance import key_facts_of
    from .services.disbursement import disburse

    product = LoanProduct.objects.filter(code=RENT_ADVANCE, active=True).first()
    if product is None:
        log.warning("lending demo: no « Avance loyer » product (code %s): no demo loan", RENT_ADVANCE)
        return
    if Loan.objects.filter(product=product, idempotency_key="demo:lifecycle").exists():
        return
    borrower, due = _demo_borrower()
    if borrower is None:
        return
    fee_bps, fixed = product.upfront_fee_bps, product.upfront_fee_fixed
    # the smallest amount whose net (less the fee) pays the due, within the product's range
    amount = max(product.min_amount, -(-(due.outstanding + fixed) * 10_000 // (10_000 - fee_bps)))
    while amount - applications.upfront_fee_for(product, amount) < due.outstanding:
        amount += 1
    if amount > product.max_amount:
        return
    loan = applications.apply(
        actor=borrower,
        product=product,
        amount=amount,
        term=min(max(product.min_term, 3), product.max_term),
        purpose="Loyer du mois",
        destination_ref=str(due.public_id),
        idempotency_key="demo:lifecycle",
    )
    if loan.status == LoanStatus.REVIEW:
        staff = get_user_model().objects.filter(is_staff=True, staff_role="admin").order_by("id").first()
        if staff is None:
            return
        loan = applications.decide_manually(
            actor=staff, loan=loan, approve=True, reason="Démo : historique de loyers régulier"
        )
    if loan.status != LoanStatus.APPROVED:
        log.warning("lending demo: the advance was %s (%s)", loan.status, loan.decision_reasons)
        return
    with transaction.atomic():
        loan = Loan.objects.select_for_update().select_related("product", "borrower").get(pk=loan.pk)
        loan.key_facts = key_facts_of(loan)
        loan.status = LoanStatus.ACCEPTED
        loan.accepted_at = timezone.now()
        loan.save(update_fields=["key_facts", "status", "accepted_at", "updated_at"])
    loan = disburse(loan)
    ctx["lending_loan"] = loan.number
    ctx.logins.append(("tenant with an « Avance loyer » (/lending/)", str(borrower.phone), "(SMS code)"))


# --- repayments: the demo tenant repays the « Avance loyer » from the wallet ---


def _seed_repayments(ctx) -> None:
    """The lifecycle's demo loan, repaid in full from the borrower's wallet (topped up first by
    a sandbox payment when the wallet is short): a closed loan with its repayment, its
    allocation and its ledger transfers to look at."""
    from apps.ledger import api as ledger
    from apps.wallet import api as wallet

    from .contracts import LoanStatus
    from .models import Loan
    from .services import repayments

    loan = Loan.objects.filter(idempotency_key="demo:lifecycle").select_related("borrower", "product").first()
    if loan is None or loan.status != LoanStatus.ACTIVE or loan.repayments.exists():
        return
    owed = repayments.payoff(loan).total
    short = owed - wallet.wallet_info(loan.borrower, loan.currency).available
    if short > 0:
        clearing = ledger.system_account(code="provider_clearing.sandbox", currency=loan.currency)
        wallet.credit_wallet(
            user=loan.borrower,
            amount=short,
            currency=loan.currency,
            from_account=clearing.public_id,
            idempotency_key=f"demo:lending:topup:{loan.public_id}",
            code="wallet.topup",
            kyc_operation=None,
            description="Démo : recharge mobile money",
        )
    repayments.repay_from_wallet(
        actor=loan.borrower, loan=loan, amount=owed, idempotency_key="demo:repay-from-wallet"
    )
    ctx["lending_repaid"] = loan.number
