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
    _seed_products(ctx)
    _seed_lifecycle(ctx)
    _seed_repayments(ctx)
    _seed_advance(ctx)
    _seed_delinquency(ctx)
    _seed_fund(ctx)


# --- the lifecycle: a demo tenant with a good score has had an « Avance loyer » approved,
# accepted and paid straight to this month's rent due ---


def _demo_borrower(product=None):
    """The demo tenant with the best rent score who has an open rent due (and the product's
    KYC tier and tenure when given): (user, due)."""
    from django.contrib.auth import get_user_model

    from apps.estate import api as estate
    from apps.kyc import api as kyc
    from apps.scoring import api as scoring

    best = None
    users = get_user_model().objects
    for public_id in estate.tenants_after(None, limit=500):
        dues = [d for d in estate.tenant_open_dues(public_id) if d.outstanding > 0]
        if not dues or (product and kyc.tier_of(users.get(public_id=public_id)) < product.min_kyc_tier):
            continue
        score = scoring.get_score(public_id, viewer=None, why="system")
        if product and score.features.tenure_months < product.min_tenure_months:
            continue
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
    borrower, due = _demo_borrower(product)
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


# --- loan products: the three demo products, priced below the UEMOA usury ceiling ---

DEMO_PRODUCTS = [
    {
        "code": RENT_ADVANCE,
        "name": "Avance loyer",
        "name_en": "Rent advance",
        "summary": "Votre loyer payé directement à votre bailleur, remboursé en quelques mois.",
        "summary_en": "Your rent paid straight to your landlord, repaid over a few months.",
        "borrower_kind": "tenant",
        "destination": "rent_due",
        "min_amount": 10_000,
        "max_amount": 300_000,
        "min_term": 1,
        "max_term": 6,
        "frequency": "monthly",
        "align_to_rent_date": True,
        "interest_method": "declining",
        "amortization": "equal_instalments",
        "annual_rate_bps": 1_800,
        "upfront_fee_bps": 25,
        "late_fee_bps": 200,
        "late_fee_after_days": 5,
        "min_score_band": "fair",
        "review_band": "weak",
        "min_tenure_months": 6,
        "min_kyc_tier": 1,
        "disclosures": (
            "L'avance est versée directement à votre bailleur sur votre échéance de loyer. "
            "Les frais de dossier sont déduits du montant versé. Les mensualités tombent à la "
            "date de votre loyer. Un retard de plus de 5 jours entraîne une pénalité de 2 % de "
            "la mensualité. Vous pouvez rembourser par anticipation à tout moment, sans frais."
        ),
        "disclosures_en": (
            "The advance is paid straight to your landlord on your rent due. The upfront fee is "
            "deducted from what is paid. Instalments fall on your rent date. A delay of more than "
            "5 days costs a late fee of 2 % of the instalment. You may repay early at any time, "
            "at no charge."
        ),
    },
    {
        "code": "avance-sur-loyers",
        "name": "Avance sur loyers",
        "name_en": "Advance on rents",
        "summary": "Une avance sur les loyers que Hokwe encaisse pour vous, remboursée sur ces loyers.",
        "summary_en": "An advance on the rents Hokwe collects for you, repaid from those rents.",
        "borrower_kind": "landlord",
        "destination": "payout",
        "min_amount": 100_000,
        "max_amount": 5_000_000,
        "min_term": 2,
        "max_term": 12,
        "frequency": "monthly",
        "align_to_rent_date": False,
        "interest_method": "declining",
        "amortization": "equal_instalments",
        "annual_rate_bps": 1_500,
        "upfront_fee_bps": 50,
        "late_fee_bps": 100,
        "late_fee_after_days": 10,
        "min_score_band": "poor",
        "review_band": "",
        "min_kyc_tier": 1,
        "one_open_loan": True,
        "disclosures": (
            "L'avance est versée sur le solde de votre organisation chez Hokwe. Chaque mensualité "
            "est prélevée sur les loyers encaissés avant votre versement. Les frais de dossier "
            "sont déduits du montant versé. Remboursement anticipé possible à tout moment, sans frais."
        ),
        "disclosures_en": (
            "The advance is paid to your organization's balance at Hokwe. Each instalment is taken "
            "from the rents collected before your payout. The upfront fee is deducted from what is "
            "paid. Early repayment is possible at any time, at no charge."
        ),
    },
    {
        "code": "pret-urgence",
        "name": "Prêt d'urgence",
        "name_en": "Emergency loan",
        "summary": "Une petite somme sur votre portefeuille en quelques secondes, remboursée chaque semaine.",
        "summary_en": "A small sum in your wallet in seconds, repaid weekly.",
        "borrower_kind": "tenant",
        "destination": "wallet",
        "min_amount": 5_000,
        "max_amount": 150_000,
        "min_term": 2,
        "max_term": 12,
        "frequency": "weekly",
        "align_to_rent_date": False,
        "interest_method": "declining",
        "amortization": "equal_instalments",
        "annual_rate_bps": 2_000,
        "late_fee_bps": 100,
        "late_fee_after_days": 3,
        "min_score_band": "fair",
        "review_band": "weak",
        "min_tenure_months": 3,
        "min_kyc_tier": 1,
        "disclosures": (
            "Le prêt est versé sur votre portefeuille Hokwe, sans frais de dossier. Les échéances "
            "sont hebdomadaires et prélevées sur votre portefeuille. Un retard de plus de 3 jours "
            "entraîne une pénalité de 1 % de l'échéance. Remboursement anticipé possible à tout "
            "moment, sans frais."
        ),
        "disclosures_en": (
            "The loan is paid to your Hokwe wallet, with no upfront fee. Instalments are weekly and "
            "taken from your wallet. A delay of more than 3 days costs a late fee of 1 % of the "
            "instalment. Early repayment is possible at any time, at no charge."
        ),
    },
]


def _seed_products(ctx) -> None:
    """The demo products (created once, validated like the admin validates them)."""
    from .models import LoanProduct
    from .services import products

    for values in DEMO_PRODUCTS:
        fields = {"country": "BJ", "currency": "XOF", **values}
        if LoanProduct.objects.filter(code=fields["code"]).exists():
            continue
        product = LoanProduct(**fields)
        products.validate(product)
        product.save()
    ctx["lending_products"] = [values["code"] for values in DEMO_PRODUCTS]


# --- landlord advances: the demo landlord Adjovi gets an « Avance sur loyers » offer to accept
# on /manager/lending/advances/ (with the demo TOTP), when the rents collected allow one ---


def _seed_advance(ctx) -> None:
    """An advance of up to 300 000 FCFA (never above the limit) on the first demo landlord's
    rents, decided by the rules and left as an offer; without enough rents collected, nothing
    (the page says why)."""
    from django.contrib.auth import get_user_model

    from apps.identity import api as identity

    from .contracts import LoanStatus
    from .models import Loan, LoanProduct
    from .services import advance

    product = LoanProduct.objects.filter(code="avance-sur-loyers", active=True).first()
    owner_org = (ctx.get("organizations") or {}).get("landlord0")
    if product is None or owner_org is None or Loan.objects.filter(idempotency_key="demo:advance").exists():
        return
    owners = identity.members_of(organization_id=owner_org.pk, roles=[identity.OrgRole.OWNER])
    if not owners:
        return
    landlord = get_user_model().objects.get(pk=owners[0].id)
    found = advance.eligibility(actor=landlord, organization=owner_org.public_id, product=product)
    if not found.eligible:
        log.info("lending demo: no advance for the demo landlord (%s)", ", ".join(found.limit.reasons))
        return
    amount = min(found.maximum, 300_000)
    loan = advance.advance_apply(
        actor=landlord,
        organization=owner_org.public_id,
        product=product,
        amount=amount,
        term=min(max(product.min_term, 3), product.max_term),
        purpose="Travaux de toiture",
        idempotency_key="demo:advance",
    )
    if loan.status == LoanStatus.APPROVED:
        ctx["lending_advance"] = loan.number
        ctx.logins.append(
            (
                "landlord with an « Avance sur loyers » offer (/manager/lending/advances/)",
                str(landlord.phone),
                "",
            )
        )


# --- delinquency: tonight's run once, so the portfolio at risk and its first snapshot are there ---


def _seed_delinquency(ctx) -> None:
    """The nightly delinquency run for today (idempotent for the day): billing, aging, the
    allowance for losses and the aging snapshot the PAR page reads. Its set-based SQL is
    PostgreSQL's: skipped on the embedded SQLite profile."""
    from django.db import connection

    from .services.delinquency import nightly_run

    if connection.vendor != "postgresql":
        log.info("lending demo: the nightly run needs PostgreSQL, skipped")
        return
    result = nightly_run()
    log.info("lending demo: nightly run", extra={"late": result.late_events, "snapshots": result.snapshots})


# --- emergency fund: the demo borrower has opened a fund (a goal, a week's notice, a weekly
# automatic saving) and put part of their wallet in it ---


def _seed_fund(ctx) -> None:
    from apps.core.errors import DomainError
    from apps.wallet import api as wallet

    from .models import LoanProduct
    from .services import fund as fund_service

    borrower, _due = _demo_borrower(LoanProduct.objects.filter(code=RENT_ADVANCE, active=True).first())
    if borrower is None:
        log.info("lending demo: no tenant for the emergency fund")
        return
    fund = fund_service.open_fund(
        actor=borrower, currency="XOF", goal=150_000, withdrawal_rule="notice", notice_days=7
    )
    if not fund.auto_amount:
        fund_service.set_automatic(actor=borrower, fund=fund, amount=5_000, frequency="weekly")
    available = wallet.wallet_info(borrower, "XOF").available
    if available > 0:
        try:
            fund_service.deposit(
                actor=borrower, fund=fund, amount=min(20_000, available), idempotency_key="demo-first-saving"
            )
        except DomainError:  # a second run (the key is used), a wallet frozen or short
            log.info("lending demo: the first saving was not made again")
