"""Safeguarding (issue 19, point 4): every franc of e-money Hokwe owes its users must sit in
the trust bank account. Once a day, per currency:

    outstanding  = the ledger's `wallet` accounts (user wallets) + every `wallet.*` account
                   (tontine pots, HokweSplit vaults, held P2P money, guarantees): one
                   set-based read of the stored totals (`ledger.balance_totals`)
    safeguarded  = the trust bank account's closing balance (TrustBalance: the latest entry on
                   or before the day; entered by finance from the bank statement, who/when kept)
    gap          = safeguarded − outstanding (negative: a shortfall)

    run_daily(day)            one SafeguardingReport per (day, currency); idempotent: a second
                              run of the same day keeps the first figures
    trust_balance_record(...) finance enters a bank balance (audited); the reports of that day
                              and later, which used an older balance, are re-compared
                              (their outstanding, taken at the run, is kept)

Estate's statement imports are the agencies' own MoMo/bank statements (credit lines to match
to dues, no closing balance, no trust account): they cannot feed the trust balance, so
finance enters it. A gap or a missing balance is listed in the admin, logged, and exposed to
Prometheus (apps/wallet/metrics.py: alert HokweSafeguardingGap in deploy/prometheus).
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditCategory, audit_record
from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.ledger.contracts import BalanceTotal

from .. import metrics
from ..errors import InvalidTrustBalance
from ..models import SafeguardingReport, TrustBalance

logger = logging.getLogger("hokwe.wallet.safeguarding")

WALLET_CODE = "wallet"  # ledger AccountCode.WALLET: the users' wallets
WALLET_PREFIX = "wallet."  # pots, vaults, held P2P money, guarantees
VIEW = "wallet.safeguarding.view"
MANAGE = "wallet.safeguarding.manage"


def e_money_outstanding() -> dict[str, BalanceTotal]:
    """{currency: BalanceTotal} of every e-money account, from the stored balances."""
    return {
        total.currency: total
        for total in ledger.balance_totals(codes=[WALLET_CODE], prefixes=[WALLET_PREFIX])
    }


def trust_balance_for(currency: str, day: date) -> TrustBalance | None:
    """The balance that counts for `day`: the latest entry on or before it."""
    return (
        TrustBalance.objects.filter(currency=currency, on__lte=day)
        .order_by("-on", "-created_at", "-id")
        .first()
    )


def _compare(report: SafeguardingReport, balance: TrustBalance | None) -> None:
    report.trust_balance = balance
    if balance is None:
        report.safeguarded = report.gap = None
        report.status = SafeguardingReport.Status.MISSING
        report.source = ""
        return
    report.safeguarded = balance.amount
    report.gap = balance.amount - report.outstanding
    report.status = SafeguardingReport.Status.BALANCED if report.gap == 0 else SafeguardingReport.Status.GAP
    who = balance.entered_by.phone if balance.entered_by_id else ""
    report.source = f"{balance.get_source_display()} {balance.on.isoformat()} {who}".strip()


def _log(report: SafeguardingReport) -> None:
    if report.status == SafeguardingReport.Status.BALANCED:
        logger.info("safeguarding_balanced", extra={"day": str(report.day), "currency": report.currency})
    else:
        logger.error(
            "safeguarding_gap",
            extra={
                "day": str(report.day),
                "currency": report.currency,
                "status": report.status,
                "outstanding": report.outstanding,
                "safeguarded": report.safeguarded,
                "gap": report.gap,
            },
        )


def run_daily(day: date | None = None) -> list[SafeguardingReport]:
    """The day's reports, one per currency with e-money or a trust balance. Idempotent per
    day: a report that exists is returned as it is (a retried or duplicated beat run computes
    nothing twice; two concurrent runs insert once, the unique (day, currency) decides)."""
    day = day or timezone.localdate()
    existing = {r.currency: r for r in SafeguardingReport.objects.filter(day=day)}
    totals = e_money_outstanding()
    currencies = set(totals) | set(TrustBalance.objects.values_list("currency", flat=True).distinct())
    reports = []
    for currency in sorted(currencies):
        if currency in existing:
            reports.append(existing[currency])
            continue
        total = totals.get(currency)
        report = SafeguardingReport(
            day=day,
            currency=currency,
            outstanding=total.posted if total else 0,
            accounts=total.accounts if total else 0,
            computed_at=timezone.now(),
        )
        _compare(report, trust_balance_for(currency, day))
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # a concurrent run wrote it first
            report = SafeguardingReport.objects.get(day=day, currency=currency)
        else:
            _log(report)
        reports.append(report)
    return reports


def trust_balance_record(
    *, actor, currency: str, on: date, amount: int, reference: str = "", note: str = ""
) -> TrustBalance:
    """Finance enters the trust account's closing balance of `on` (from the bank statement).
    Refused: not finance staff (403), a negative or non-integer amount, a day in the future,
    an unknown currency code. The reports of `on` and later that used an older balance are
    compared again with it."""
    identity.require(actor, MANAGE)
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidTrustBalance(_("Enter a three-letter currency code (XOF)."), field="currency")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise InvalidTrustBalance(
            _("Enter the closing balance in whole francs, zero or more."), field="amount"
        )
    if on > timezone.localdate():
        raise InvalidTrustBalance(_("A closing balance cannot be dated in the future."), field="on")
    with transaction.atomic():
        balance = TrustBalance.objects.create(
            currency=currency,
            on=on,
            amount=amount,
            source=TrustBalance.Source.FINANCE,
            reference=reference[:200],
            note=note[:500],
            entered_by=actor,
        )
        audit_record(
            action="wallet.safeguarding.balance_entered",
            category=AuditCategory.MONEY,
            actor=actor,
            target=balance,
            target_label=str(balance),
            after={"currency": currency, "on": on.isoformat(), "amount": amount, "reference": reference},
            reason=note,
        )
        for report in SafeguardingReport.objects.select_for_update().filter(currency=currency, day__gte=on):
            chosen = trust_balance_for(currency, report.day)
            if chosen is not None and chosen.pk == balance.pk:
                _compare(report, balance)
                report.save(
                    update_fields=["trust_balance", "safeguarded", "gap", "status", "source", "updated_at"]
                )
                _log(report)
    return balance


def reports_for(actor, *, currency: str | None = None, gaps_only: bool = False):
    """The reports finance reads (newest first); `gaps_only`: a gap or a missing balance."""
    identity.require(actor, VIEW)
    qs = SafeguardingReport.objects.select_related("trust_balance")
    if currency:
        qs = qs.filter(currency=currency.upper())
    if gaps_only:
        qs = qs.exclude(status=SafeguardingReport.Status.BALANCED)
    return qs.order_by("-day", "currency")


def latest_reports() -> list[SafeguardingReport]:
    """The most recent report of each currency (the metric's source)."""
    return list(SafeguardingReport.objects.order_by("currency", "-day").distinct("currency"))


metrics.register_safeguarding_collector(latest_reports)  # /metrics reads the latest reports
