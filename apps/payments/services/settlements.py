"""Settlements: a provider pays the balance it holds for us out to Hokwe's bank.

Imported, never typed in (the manual record stays for a provider with neither):
- from FedaPay's API (`fedapay_import`): its transactions `transferred` in a window, one
  settlement per day and currency (`transferred-<day>-<currency>`), with `GET /balances`
  shown beside the result;
- from a provider's statement file (`file_import`, CSV): one line per settled
  transaction, columns found by their header names (`COLUMNS`, Kkiapay's and FedaPay's
  exports; PAYMENT_SETTLEMENT_COLUMNS adds or overrides a provider's names), grouped by
  the file's settlement (payout) reference, else by day and currency. A line without a
  currency takes the currency of our payment of that transaction, else the provider's
  when it settles one only (Kkiapay: XOF); never a guess.

Each settlement is recorded once per (provider, reference) and each transaction once per
(provider, transaction id), whatever file or run brings it: a file imported twice
records nothing the second time, the same line in two files is counted once. A recorded
settlement posts clearing → bank (net) and the provider's fees (ledger key
`payments:settlement:<provider>:<reference>`). Its transactions are checked against our
succeeded attempts: a transaction we did not record as paid with that amount (and that
is not already in suspense) becomes a reconciliation item `settlement_mismatch`.

The provider is read with no transaction open; each settlement is written in its own.
"""

from __future__ import annotations

import csv
import io
import logging
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.money import EXPONENTS
from apps.ledger import api as ledger

from .. import config, metrics
from ..contracts import AttemptStatus
from ..errors import InvalidPayment
from ..models import PaymentAttempt, ReconciliationItem, Settlement, SettlementLine
from ..providers.fedapay_settlements import FedapaySettlements, ProviderBalance
from . import intents, ledgering

logger = logging.getLogger("hokwe.payments")

# Header names of each provider's settlement export, compared without case and accents.
COLUMNS: dict[str, dict[str, list[str]]] = {
    "kkiapay": {
        "reference": ["transactionid", "transaction id", "id transaction", "reference", "référence"],
        "amount": ["amount", "montant", "montant brut"],
        "fees": ["fees", "frais", "commission"],
        "net": ["net", "montant net", "net amount"],
        "date": ["payout date", "date de reversement", "date reversement", "date", "performedat"],
        "settlement": ["payout", "payout id", "reversement", "id reversement", "settlement"],
        "currency": ["currency", "devise"],
        "status": ["status", "statut"],
    },
    "fedapay": {
        "reference": ["id", "transaction id", "reference"],
        "amount": ["amount", "montant"],
        "fees": ["fees", "frais"],
        "net": ["amount_transferred", "montant transfere"],
        "date": ["transferred_at", "date de transfert", "date"],
        "settlement": ["settlement", "reversement"],
        "currency": ["currency", "devise"],
        "status": ["status", "statut"],
    },
}
SETTLED_STATUSES = {"", "success", "succes", "successful", "approved", "transferred", "paid", "settled"}
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Line:
    """One settled transaction read from a provider or a file."""

    reference: str
    amount: int
    fees: int
    currency: str
    settled_on: date
    settlement: str = ""  # the provider's settlement (payout) reference, when it gives one


@dataclass
class ImportResult:
    provider: str
    settlements: list[Settlement] = field(default_factory=list)  # recorded by this import
    lines_read: int = 0
    lines_new: int = 0
    lines_already: int = 0  # recorded before (another file, an earlier run)
    mismatches: int = 0
    errors: list[str] = field(default_factory=list)  # lines that could not be read
    balances: list[ProviderBalance] = field(default_factory=list)

    @property
    def nothing_new(self) -> bool:
        return not self.settlements


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(text.replace("_", " ").lower().split())


def _amount(value: str) -> int | None:
    text = str(value or "").replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    for suffix in ("FCFA", "XOF", "CFA", "F"):
        if text.upper().endswith(suffix):
            text = text[: -len(suffix)]
    if not text:
        return None
    if text.endswith(".00") or text.endswith(",00"):
        text = text[:-3]
    try:
        return int(text)
    except ValueError:
        return None


def _day(value: str) -> date | None:
    text = str(value or "").strip()
    if not text:
        return None
    for parse in (
        lambda t: datetime.fromisoformat(t.replace("Z", "+00:00")).date(),
        lambda t: datetime.strptime(t[:10], "%d/%m/%Y").date(),
        lambda t: datetime.strptime(t[:10], "%Y-%m-%d").date(),
    ):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def columns_for(provider: str) -> dict[str, list[str]]:
    names = {k: list(v) for k, v in COLUMNS.get(provider, COLUMNS["kkiapay"]).items()}
    for key, value in (settings.PAYMENT_SETTLEMENT_COLUMNS or {}).get(provider, {}).items():
        names[key] = [value] if isinstance(value, str) else list(value)
    return names


def parse_statement(provider: str, content: bytes | str) -> tuple[list[Line], list[str]]:
    """The settled lines of a provider's CSV statement, and the problems of unreadable ones
    (a line number and what is wrong). Raises InvalidPayment when the file has no
    transaction id or amount column."""
    if isinstance(content, bytes):
        if len(content) > MAX_FILE_BYTES:
            raise InvalidPayment(_("The file is too large (5 MB at most)."), field="file")
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            content = content.decode("latin-1")
    sample = content[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(content), dialect)
    header = next(reader, None)
    if not header:
        raise InvalidPayment(_("The file is empty."), field="file")
    folded = [_fold(h) for h in header]
    names = columns_for(provider)
    index = {}
    for key, candidates in names.items():
        for candidate in candidates:
            if _fold(candidate) in folded:
                index[key] = folded.index(_fold(candidate))
                break
    if "reference" not in index or "amount" not in index:
        raise InvalidPayment(
            _("This file has no transaction id or amount column for %(provider)s (columns: %(columns)s).")
            % {"provider": provider, "columns": ", ".join(header)},
            field="file",
        )
    lines, problems = [], []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key, row=row):
            i = index.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        if _fold(cell("status")) not in SETTLED_STATUSES:
            continue
        reference, amount = cell("reference")[:100], _amount(cell("amount"))
        if not reference or amount is None or amount <= 0:
            problems.append(_("line %(n)d: no transaction id or amount") % {"n": number})
            continue
        fees = _amount(cell("fees"))
        if fees is None:
            net = _amount(cell("net"))
            fees = amount - net if net is not None else 0
        if fees < 0 or fees > amount:
            problems.append(_("line %(n)d: fees outside the amount") % {"n": number})
            continue
        settled_on = _day(cell("date"))
        if settled_on is None:
            problems.append(_("line %(n)d: no date") % {"n": number})
            continue
        currency = cell("currency").upper()[:3]
        if currency and currency not in EXPONENTS:
            problems.append(_("line %(n)d: unknown currency %(c)s") % {"n": number, "c": currency})
            continue
        lines.append(
            Line(
                reference=reference,
                amount=amount,
                fees=fees,
                currency=currency,
                settled_on=settled_on,
                settlement=cell("settlement")[:80],
            )
        )
    return lines, problems


# --- recording ------------------------------------------------------------------------------------


def _currency_of(provider: str, line: Line) -> str:
    if line.currency:
        return line.currency
    attempt = (
        PaymentAttempt.objects.select_related("intent")
        .filter(provider=provider, provider_reference=line.reference)
        .first()
    )
    if attempt is not None:
        return attempt.intent.currency
    settled = intents.provider_currencies(provider)  # a provider that settles one currency only
    return next(iter(settled)) if len(settled) == 1 else ""


def _check(provider: str, line: Line, currency: str, settlement: Settlement) -> SettlementLine:
    attempt = (
        PaymentAttempt.objects.select_related("intent")
        .filter(provider=provider, provider_reference=line.reference)
        .first()
    )
    outcome = SettlementLine.Outcome.MISMATCH
    if (
        attempt is not None
        and attempt.status == AttemptStatus.SUCCEEDED
        and attempt.intent.amount == line.amount
        and attempt.intent.currency == currency
    ):
        outcome = SettlementLine.Outcome.MATCHED
    elif ReconciliationItem.objects.filter(
        provider=provider, provider_reference=line.reference, suspense_transfer__isnull=False
    ).exists():
        outcome = SettlementLine.Outcome.SUSPENSE  # known, in suspense: finance decides there
    if outcome == SettlementLine.Outcome.MISMATCH:
        if attempt is None:
            detail = "settled by the provider, no payment of ours knows it"
        elif attempt.status != AttemptStatus.SUCCEEDED:
            detail = f"settled by the provider, {attempt.status} with us"
        else:
            detail = (
                f"settled {line.amount} {currency}, paid {attempt.intent.amount} {attempt.intent.currency}"
            )
        _item, created = ReconciliationItem.objects.get_or_create(
            provider=provider,
            provider_reference=line.reference,
            kind=ReconciliationItem.Kind.SETTLEMENT_MISMATCH,
            defaults=dict(
                intent=attempt.intent if attempt else None,
                attempt=attempt,
                amount_provider=line.amount,
                amount_expected=attempt.intent.amount if attempt else None,
                currency=currency,
                detail=f"{detail} (settlement {settlement.reference})"[:300],
            ),
        )
        if created:
            metrics.RECON_ITEMS.labels(provider=provider, kind="settlement_mismatch").inc()
    return SettlementLine(
        settlement=settlement,
        provider=provider,
        transaction_reference=line.reference,
        amount=line.amount,
        fees=line.fees,
        currency=currency,
        outcome=outcome,
        attempt=attempt,
    )


def _post(settlement: Settlement) -> None:
    result = intents.settlement_record(
        provider=settlement.provider,
        currency=settlement.currency,
        gross=settlement.gross,
        fees=settlement.fees,
        reference=settlement.reference,
    )
    settlement.transfer = result.public_id


def record_lines(
    *, provider: str, lines: list[Line], source: str, filename: str = "", actor=None, result: ImportResult
) -> ImportResult:
    """Record the settlements these lines make, each once, each line once."""
    result.lines_read += len(lines)
    groups: dict[tuple[str, str], list[tuple[Line, str]]] = defaultdict(list)
    seen: set[str] = set()
    for line in lines:
        if line.reference in seen:  # the same transaction twice in one file: once
            result.lines_already += 1
            continue
        seen.add(line.reference)
        currency = _currency_of(provider, line)
        if not currency:
            result.errors.append(_("transaction %(ref)s: no currency") % {"ref": line.reference})
            continue
        reference = line.settlement or f"{line.settled_on.isoformat()}-{currency}"
        groups[(reference, currency)].append((line, currency))
    for (reference, currency), members in sorted(groups.items()):
        known = set(
            SettlementLine.objects.filter(
                provider=provider, transaction_reference__in=[line.reference for line, _c in members]
            ).values_list("transaction_reference", flat=True)
        )
        fresh = [(line, c) for line, c in members if line.reference not in known]
        result.lines_already += len(members) - len(fresh)
        if not fresh:
            continue
        if Settlement.objects.filter(provider=provider, reference=reference).exists():
            # the settlement is recorded and posted already: a line it lacked then is
            # another settlement's (the provider's next one); record it under a suffix
            reference = f"{reference}+{len(known)}-{fresh[0][0].reference}"[:100]
        try:
            with transaction.atomic():
                settlement = Settlement.objects.create(
                    provider=provider,
                    reference=reference,
                    currency=currency,
                    gross=sum(line.amount for line, _c in fresh),
                    fees=sum(line.fees for line, _c in fresh),
                    settled_on=max(line.settled_on for line, _c in fresh),
                    source=source,
                    filename=filename[:200],
                    lines_count=len(fresh),
                    imported_by=actor if getattr(actor, "pk", None) else None,
                )
                rows = [_check(provider, line, c, settlement) for line, c in fresh]
                SettlementLine.objects.bulk_create(rows)
                settlement.mismatches = sum(r.outcome == SettlementLine.Outcome.MISMATCH for r in rows)
                _post(settlement)
                settlement.save()
        except IntegrityError:  # a concurrent import recorded it first
            result.lines_already += len(fresh)
            continue
        result.lines_new += len(fresh)
        result.mismatches += settlement.mismatches
        result.settlements.append(settlement)
    return result


def file_import(*, provider: str, content: bytes | str, filename: str = "", actor=None) -> ImportResult:
    """A provider's settlement statement (CSV) recorded: see the module's docstring."""
    if provider not in COLUMNS and provider not in (settings.PAYMENT_SETTLEMENT_COLUMNS or {}):
        raise InvalidPayment(_("No statement format is known for this provider."), field="provider")
    lines, problems = parse_statement(provider, content)
    result = ImportResult(provider=provider, errors=list(problems))
    return record_lines(
        provider=provider,
        lines=lines,
        source=Settlement.Source.FILE,
        filename=filename,
        actor=actor,
        result=result,
    )


def fedapay_import(*, since: date, until: date | None = None, actor=None) -> ImportResult:
    """FedaPay's transactions transferred on the days [since, until) (until: today, so a
    day is imported once it is over), one settlement per day and currency."""
    until = until or timezone.localdate()
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until, time.min))
    client = FedapaySettlements(config.provider_for("fedapay"))
    result = ImportResult(provider="fedapay")
    result.balances = client.balances()
    lines = [
        Line(
            reference=tx.reference,
            amount=tx.amount,
            fees=tx.fees,
            currency=tx.currency,
            settled_on=timezone.localtime(tx.settled_at).date()
            if timezone.is_aware(tx.settled_at)
            else tx.settled_at.date(),
        )
        for tx in client.transferred(start=start, end=end)
    ]
    return record_lines(
        provider="fedapay", lines=lines, source=Settlement.Source.API, actor=actor, result=result
    )


def fedapay_import_daily(*, days: int = 3) -> ImportResult | None:
    """Beat: the last `days` complete days (a day missed while FedaPay was down is caught up;
    what was recorded is not recorded again). None when FedaPay is not enabled."""
    if "fedapay" not in config.online_providers():
        return None
    today = timezone.localdate()
    return fedapay_import(since=today - timedelta(days=days), until=today)


def manual_record(*, provider: str, currency: str, gross: int, fees: int, reference: str, actor=None):
    """A settlement typed in (a provider with neither an API nor a statement file):
    recorded once per (provider, reference), posted as an imported one."""
    existing = Settlement.objects.filter(provider=provider, reference=reference).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        result = intents.settlement_record(  # checks the amounts before anything is written
            provider=provider, currency=currency, gross=gross, fees=fees, reference=reference
        )
        settlement = Settlement.objects.create(
            provider=provider,
            reference=reference[:100],
            currency=currency,
            gross=gross,
            fees=fees,
            settled_on=timezone.localdate(),
            source=Settlement.Source.MANUAL,
            transfer=result.public_id,
            imported_by=actor if getattr(actor, "pk", None) else None,
        )
    return settlement, True


def clearing_balance(provider: str, currency: str) -> int:
    """What our ledger says the provider still holds for us."""
    return ledger.balance(account=ledgering.clearing(provider, currency)).posted
