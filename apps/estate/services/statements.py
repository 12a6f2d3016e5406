"""Statement import and matching: money tenants sent straight to the agency (a MoMo transfer
to its merchant number, a bank transfer to its account) never crosses Hokwe's provider; the
agency imports its statement and each credit line is matched to the open dues.

    statement_import   read the file (statements_formats), skip what was imported before
                       (the file's hash; each line's fingerprint), match the new lines
                       (statements_matching, one index per import), apply the strong matches,
                       queue the rest for review. `dry_run=True` writes nothing.
    line_confirm       a manager applies a reviewed line to a due (or splits it between leases);
                       the phone → lease rule is learned
    line_ignore        not rent (a refund, a transfer between accounts): out of the queue
    rule_delete        forget a learned rule

Money is applied through estate's offline-payment path (collections._record_offline: D
offline_collections · C rent_receivable, a numbered receipt RE…, the due paid oldest first
after the named one, the rest tenant credit), method `momo_direct` for a MoMo statement and
`bank_transfer` for a bank's. Each payment of a line carries the idempotency key
`estate:statement-line:<line public id>:<part>` (unique), so a line is never applied twice.
Permission: `estate.finance.manage` (owner, manager, accountant of the organization).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.identity import api as identity

from ..contracts import OPEN_DUE_STATUSES, PaymentMethod
from ..errors import CurrencyNotSupported, InvalidInput, InvalidState, StatementRefused
from ..models import (
    Lease,
    LeaseTenant,
    RentDue,
    StatementImport,
    StatementLine,
    StatementLinePart,
    StatementRule,
)
from . import statements_formats as formats
from . import statements_matching as engine
from .collections import _record_offline
from .common import require

FINANCE = "estate.finance.manage"
REVIEW_STATUSES = (StatementLine.Status.REVIEW, StatementLine.Status.UNMATCHED)
APPLIED_STATUSES = (StatementLine.Status.MATCHED, StatementLine.Status.CONFIRMED)
METHODS = {
    formats.MTN_MOMO: PaymentMethod.MOMO_DIRECT,
    formats.MOOV_MONEY: PaymentMethod.MOMO_DIRECT,
    formats.BANK_CSV: PaymentMethod.BANK_TRANSFER,
    formats.CAMT053: PaymentMethod.BANK_TRANSFER,
}
OUTCOME_STATUS = {
    engine.AUTO: StatementLine.Status.MATCHED,
    engine.REVIEW: StatementLine.Status.REVIEW,
    engine.NONE: StatementLine.Status.UNMATCHED,
}
MAX_BYTES = 20 * 1024 * 1024


def window_days() -> int:
    return int(getattr(settings, "ESTATE_STATEMENT_MATCH_WINDOW_DAYS", 10))


@dataclass
class StatementResult:
    """What an import did (or, in a dry run, would do)."""

    dry_run: bool
    format: str
    currency: str
    filename: str
    statement: StatementImport | None = None
    already_imported: bool = False  # the same file was imported before: nothing imported
    counts: dict = field(default_factory=dict)  # read, new, known, skipped, auto, review, unmatched
    total: int = 0  # the new lines' credits
    auto_amount: int = 0  # what the automatic matches apply
    # one per new line: {"line", "booked_on", "amount", "phone", "payer_name", "reference",
    # "outcome", "due_reference", "lease_reference", "score", "reasons"}
    lines: list = field(default_factory=list)


# --- helpers ------------------------------------------------------------------------------------


def _phone(raw: str) -> str:
    """The payer's phone in E.164 (identity's normalization), or "" when it is not one. MoMo
    exports often write the country code without « + » (« 229 01 97 00 00 11 »)."""
    if not raw:
        return ""
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("00"):
        raw = "+" + digits[2:]
    elif not raw.strip().startswith("+") and len(digits) > 10:
        raw = "+" + digits
    try:
        return identity.normalize_phone(raw)
    except identity.InvalidPhone:
        return ""


def _fingerprint(source: str, parsed: formats.ParsedLine, phone: str, rank: int) -> str:
    """The source and the transaction id; without an id, date + amount + reference + phone and
    the rank of the line among identical ones of the same file (two equal payments the same
    day are two lines; the same line in an overlapping file is the same line)."""
    if parsed.transaction_id:
        text = f"{source}|id|{parsed.transaction_id.strip().upper()}"
    else:
        reference = " ".join(f"{parsed.reference} {parsed.label}".upper().split())
        text = f"{source}|{parsed.booked_on.isoformat()}|{parsed.amount}|{reference}|{phone}|{rank}"
    return hashlib.sha256(text.encode()).hexdigest()


def _refused(exc: formats.StatementFileError, fmt: str) -> StatementRefused:
    where = _("Entry %(line)s") if fmt == formats.CAMT053 else _("Line %(line)s")
    messages = [f"{where % {'line': e['line']}} ({e['field']}) : {e['message']}" for e in exc.errors[:5]]
    more = len(exc.errors) - len(messages)
    text = " ; ".join(messages)
    if more > 0:
        text += " " + _("(and %(n)s more errors)") % {"n": more}
    return StatementRefused(
        _("The statement has errors: nothing was imported. %(errors)s") % {"errors": text},
        field="file",
        errors=exc.errors,
    )


def _currency(organization_id: int, wanted: str | None) -> str:
    currencies = identity.get_organization(id=organization_id).currencies
    code = (wanted or (currencies[0] if currencies else "")).upper()
    if code not in currencies:
        raise CurrencyNotSupported(
            _("This organization does not take money in %(currency)s (its currencies: %(currencies)s).")
            % {"currency": code or "-", "currencies": ", ".join(currencies) or "-"},
            field="currency",
        )
    return code


def open_due_rows(organization_id: int, currency: str) -> list[engine.DueRow]:
    """The organization's open dues in the currency, with their lease's reference and tenants'
    phones: two queries whatever their number."""
    rows = list(
        RentDue.objects.filter(
            organization_id=organization_id, currency=currency, status__in=OPEN_DUE_STATUSES
        )
        .values_list("id", "lease_id", "reference", "lease__reference", "total", "paid", "due_date")
        .order_by("due_date", "id")
    )
    phones: dict[int, list[str]] = {}
    lease_ids = {r[1] for r in rows}
    tenants = LeaseTenant.objects.filter(lease__organization_id=organization_id).values_list(
        "lease_id", "user__phone"
    )
    for lease_id, phone in tenants:
        if lease_id in lease_ids and phone:
            phones.setdefault(lease_id, []).append(str(phone))
    return [
        engine.DueRow(
            id=pk,
            lease_id=lease_id,
            reference=reference,
            lease_reference=lease_reference,
            outstanding=max(total - paid, 0),
            due_date=due_date,
            phones=tuple(phones.get(lease_id, ())),
        )
        for pk, lease_id, reference, lease_reference, total, paid, due_date in rows
    ]


def rule_pairs(organization_id: int) -> list[tuple[str, int]]:
    return list(
        StatementRule.objects.filter(organization_id=organization_id).values_list("phone", "lease_id")
    )


# --- import -------------------------------------------------------------------------------------


def statement_import(
    *,
    actor,
    organization_id: int,
    fmt: str,
    filename: str,
    content: bytes,
    currency: str | None = None,
    dry_run: bool = False,
) -> StatementResult:
    """Import a statement file: new credit lines are stored and matched; the strong matches
    are applied, the others wait in the review queue. A file imported before imports nothing;
    a line already imported (another, overlapping file) is skipped. Any bad line refuses the
    whole file (StatementRefused, line-numbered). `dry_run`: the same figures, nothing written."""
    require(actor, FINANCE, organization_id)
    if fmt not in formats.FORMATS:
        raise InvalidInput(_("Choose the statement's format."), field="format")
    if not content:
        raise InvalidInput(_("The file is empty."), field="file")
    if len(content) > MAX_BYTES:
        raise InvalidInput(_("The file is too large (20 MB at most)."), field="file")
    statement_currency = _currency(organization_id, currency if fmt != formats.CAMT053 else None)
    try:
        parsed = formats.parse(content, fmt, statement_currency)
    except formats.StatementFileError as exc:
        raise _refused(exc, fmt) from None
    if fmt == formats.CAMT053:
        statement_currency = _currency(organization_id, parsed.currency or statement_currency)
    result = StatementResult(
        dry_run=dry_run, format=fmt, currency=statement_currency, filename=filename[:200]
    )
    file_hash = hashlib.sha256(content).hexdigest()
    existing = StatementImport.objects.filter(organization_id=organization_id, file_hash=file_hash).first()
    if existing is not None:
        result.statement = existing
        result.already_imported = True
        result.counts = dict(read=len(parsed.lines), new=0, known=len(parsed.lines), skipped=parsed.skipped)
        return result

    source = formats.SOURCES[fmt]
    prepared = []  # (parsed line, phone, fingerprint)
    ranks: dict[tuple, int] = {}
    seen: set[str] = set()
    for line in parsed.lines:
        phone = _phone(line.phone_raw)
        same = (line.booked_on, line.amount, line.reference, line.label, phone)
        ranks[same] = ranks.get(same, 0) + 1
        fingerprint = _fingerprint(source, line, phone, ranks[same])
        if fingerprint in seen:  # the same transaction id twice in one file
            continue
        seen.add(fingerprint)
        prepared.append((line, phone, fingerprint))
    known = set()
    fingerprints = [p[2] for p in prepared]
    for start in range(0, len(fingerprints), 5000):
        known |= set(
            StatementLine.objects.filter(
                organization_id=organization_id, fingerprint__in=fingerprints[start : start + 5000]
            ).values_list("fingerprint", flat=True)
        )
    new = [p for p in prepared if p[2] not in known]
    dues = open_due_rows(organization_id, statement_currency)
    decisions = engine.match_lines(
        [
            engine.LineRow(
                key=i,
                amount=line.amount,
                booked_on=line.booked_on,
                text=f"{line.reference} {line.label} {line.transaction_id}",
                phone=phone,
            )
            for i, (line, phone, _fp) in enumerate(new)
        ],
        dues,
        rule_pairs(organization_id),
        window_days=window_days(),
    )
    by_due = {d.id: d for d in dues}
    counts = {engine.AUTO: 0, engine.REVIEW: 0, engine.NONE: 0}
    for (line, phone, _fp), decision in zip(new, decisions, strict=True):
        counts[decision.outcome] += 1
        suggested = by_due.get(decision.due_id)
        result.total += line.amount
        if decision.outcome == engine.AUTO:
            result.auto_amount += line.amount
        result.lines.append(
            {
                "line": line.line,
                "booked_on": line.booked_on,
                "amount": line.amount,
                "currency": statement_currency,
                "phone": phone or line.phone_raw,
                "payer_name": line.payer_name,
                "reference": (line.reference or line.label)[:120],
                "outcome": decision.outcome,
                "due_reference": suggested.reference if suggested else "",
                "lease_reference": suggested.lease_reference if suggested else "",
                "score": decision.score,
                "reasons": list(decision.reasons),
            }
        )
    result.counts = {
        "read": len(parsed.lines),
        "new": len(new),
        "known": len(parsed.lines) - len(new),
        "skipped": parsed.skipped,
        "auto": counts[engine.AUTO],
        "review": counts[engine.REVIEW],
        "unmatched": counts[engine.NONE],
    }
    if dry_run:
        return result
    try:
        with transaction.atomic():
            result.statement = _store(
                actor=actor,
                organization_id=organization_id,
                fmt=fmt,
                filename=filename,
                file_hash=file_hash,
                currency=statement_currency,
                parsed=parsed,
                new=new,
                decisions=decisions,
                by_due=by_due,
                result=result,
            )
    except IntegrityError:
        # the same file (or one of its lines) imported at the same moment by someone else
        existing = StatementImport.objects.filter(
            organization_id=organization_id, file_hash=file_hash
        ).first()
        if existing is None:
            raise InvalidState(_("This statement is being imported by someone else: try again.")) from None
        result.statement, result.already_imported = existing, True
        result.counts = dict(read=len(parsed.lines), new=0, known=len(parsed.lines), skipped=parsed.skipped)
        result.lines, result.total, result.auto_amount = [], 0, 0
    return result


def _store(
    *, actor, organization_id, fmt, filename, file_hash, currency, parsed, new, decisions, by_due, result
):
    statement = StatementImport.objects.create(
        organization_id=organization_id,
        format=fmt,
        filename=filename[:200],
        file_hash=file_hash,
        currency=currency,
        lines_read=len(parsed.lines),
        lines_new=len(new),
        lines_known=len(parsed.lines) - len(new),
        lines_skipped=parsed.skipped,
        to_review=result.counts["review"] + result.counts["unmatched"],
        total=result.total,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    rows = [
        StatementLine(
            organization_id=organization_id,
            statement=statement,
            line_number=line.line,
            source=formats.SOURCES[fmt],
            fingerprint=fingerprint,
            transaction_id=line.transaction_id,
            booked_on=line.booked_on,
            amount=line.amount,
            currency=currency,
            payer_phone=phone,
            payer_name=line.payer_name,
            reference=line.reference,
            label=line.label,
            status=StatementLine.Status.REVIEW
            if decision.outcome == engine.AUTO
            else OUTCOME_STATUS[decision.outcome],
            score=decision.score,
            reasons=list(decision.reasons),
            candidates=[
                {"due": c.due_id, "score": c.score, "reasons": list(c.reasons)} for c in decision.candidates
            ],
            suggested_due_id=decision.due_id if decision.due_id in by_due else None,
        )
        for (line, phone, fingerprint), decision in zip(new, decisions, strict=True)
    ]
    StatementLine.objects.bulk_create(rows, batch_size=2000)
    if rows and rows[0].pk is None:  # backends without RETURNING: read the ids back
        ids = dict(StatementLine.objects.filter(statement=statement).values_list("fingerprint", "id"))
        for row in rows:
            row.pk = row.id = ids[row.fingerprint]
    leases = Lease.objects.in_bulk({by_due[d.due_id].lease_id for d in decisions if d.outcome == engine.AUTO})
    matched = applied = 0
    for row, decision in zip(rows, decisions, strict=True):
        if decision.outcome != engine.AUTO:
            continue
        due = by_due[decision.due_id]
        _apply(
            line=row,
            parts=[(leases[due.lease_id], due.id, row.amount)],
            method=METHODS[fmt],
            actor=actor,
            status=StatementLine.Status.MATCHED,
        )
        matched += 1
        applied += row.amount
    statement.matched, statement.applied = matched, applied
    statement.save(update_fields=["matched", "applied", "updated_at"])
    return statement


def _apply(
    *, line: StatementLine, parts: list[tuple[Lease, int | None, int]], method: str, actor, status
) -> None:
    """Record the line's money against the dues through estate's offline-payment path, one
    payment per part (idempotency key per line and part)."""
    received_on = min(line.booked_on, timezone.localdate())
    reference = " ".join(
        p for p in (line.transaction_id, line.reference or line.label, line.payer_name) if p
    )[:100]
    for position, (lease, due_id, amount) in enumerate(parts):
        due = RentDue(pk=due_id) if due_id else None
        payment = _record_offline(
            actor=actor,
            lease=lease,
            amount=amount,
            method=method,
            received_on=received_on,
            due=due,
            reference=reference,
            idempotency_key=f"estate:statement-line:{line.public_id}:{position}",
        )
        StatementLinePart.objects.create(
            line=line, lease=lease, due_id=due_id, amount=amount, payment=payment
        )
    line.applied_amount = sum(amount for _lease, _due, amount in parts)
    line.status = status
    fields = ["applied_amount", "status", "updated_at"]
    if status == StatementLine.Status.CONFIRMED:
        line.decided_by = actor if getattr(actor, "pk", None) else None
        line.decided_at = timezone.now()
        fields += ["decided_by", "decided_at"]
    line.save(update_fields=fields)


# --- the review queue ---------------------------------------------------------------------------


def _locked_line(actor, line: StatementLine) -> StatementLine:
    require(actor, FINANCE, line)
    return StatementLine.objects.select_for_update().select_related("statement").get(pk=line.pk)


def line_confirm(
    *,
    actor,
    line: StatementLine,
    due: RentDue | None = None,
    parts: list[tuple[RentDue, int]] | None = None,
    learn: bool = True,
) -> StatementLine:
    """Apply a reviewed line: to `due` (default: the engine's suggestion), or split between
    several dues (`parts`: [(due, amount)], the amounts summing to the line's). The money is
    applied once, whatever the number of clicks: an applied line is refused. A line with a
    payer phone teaches the rule « this phone pays for this lease » (learn=False: not)."""
    with transaction.atomic():
        line = _locked_line(actor, line)
        if line.status in APPLIED_STATUSES:
            raise InvalidState(_("This line is already applied."), field="line")
        if parts is None:
            due = due or (
                RentDue.objects.filter(pk=line.suggested_due_id).first() if line.suggested_due_id else None
            )
            if due is None:
                raise InvalidInput(_("Choose the due this money pays."), field="due")
            parts = [(due, line.amount)]
        if not parts:
            raise InvalidInput(_("Choose the due this money pays."), field="due")
        for part_due, amount in parts:
            if part_due.organization_id != line.organization_id:
                raise NotFound(field="due")
            if part_due.currency != line.currency:
                raise InvalidInput(_("This due is in another currency than the line."), field="due")
            if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
                raise InvalidInput(_("Each part must be a positive amount."), field="parts")
        if sum(amount for _due, amount in parts) != line.amount:
            raise InvalidInput(
                _("The parts must add up to the line's amount."),
                field="parts",
            )
        leases = Lease.objects.in_bulk({d.lease_id for d, _amount in parts})
        _apply(
            line=line,
            parts=[(leases[d.lease_id], d.pk, amount) for d, amount in parts],
            method=METHODS.get(line.statement.format, PaymentMethod.BANK_TRANSFER),
            actor=actor,
            status=StatementLine.Status.CONFIRMED,
        )
        if learn and line.payer_phone:
            for lease_id in leases:
                StatementRule.objects.get_or_create(
                    organization_id=line.organization_id,
                    phone=line.payer_phone,
                    lease_id=lease_id,
                    defaults={"created_by": actor if getattr(actor, "pk", None) else None},
                )
        return line


def line_ignore(*, actor, line: StatementLine) -> StatementLine:
    """Not rent (a refund, a transfer between the agency's accounts): out of the queue."""
    with transaction.atomic():
        line = _locked_line(actor, line)
        if line.status in APPLIED_STATUSES:
            raise InvalidState(_("This line is already applied."), field="line")
        line.status = StatementLine.Status.IGNORED
        line.decided_by = actor if getattr(actor, "pk", None) else None
        line.decided_at = timezone.now()
        line.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        return line


def rule_delete(*, actor, rule: StatementRule) -> None:
    require(actor, FINANCE, rule)
    StatementRule.objects.filter(pk=rule.pk).delete()


def statement_dates(statement: StatementImport) -> tuple[date | None, date | None]:
    """The first and last dates of an import's lines (for its page)."""
    dates = statement.lines.order_by("booked_on").values_list("booked_on", flat=True)
    first = dates.first()
    last = statement.lines.order_by("-booked_on").values_list("booked_on", flat=True).first()
    return first, last
