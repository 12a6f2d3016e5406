"""The wallet's statement: the ledger's posted lines on the wallet account with the running
balance (ledger.statement: stored, gap-free per account), as pages (REST/GraphQL), CSV and PDF."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.money import format_amount
from apps.identity import api as identity
from apps.ledger import api as ledger

from ..models import Wallet

__all__ = ["StatementLineView", "line_label", "statement_csv", "statement_page", "statement_pdf"]


@dataclass(frozen=True)
class StatementLineView:
    sequence: int
    date: datetime
    code: str
    label: str
    description: str
    amount: int  # signed: money in > 0, money out < 0
    balance: int  # running balance after the line
    transfer: str


def line_label(code: str) -> str:
    """What a line is, as the holder reads it (in the active language)."""
    labels = {
        "wallet.topup": _("Top-up"),
        "payment": _("Payment"),
        "payout": _("Withdrawal"),
        "refund": _("Refund"),
    }
    if code in labels:
        return labels[code]
    if code.startswith("wallet.p2p"):
        return _("Transfer")
    if code.startswith("wallet.tontine"):
        return _("Cotis'Hokwe")
    if code.startswith("wallet.split"):
        return _("HokweSplit")
    return _("Movement")


def _view(line) -> StatementLineView:
    signed = line.amount if line.side == "credit" else -line.amount
    return StatementLineView(
        sequence=line.sequence,
        date=line.created_at,
        code=line.code,
        label=line_label(line.code),
        description=line.description,
        amount=signed,
        balance=line.balance_after,
        transfer=str(line.transfer),
    )


def statement_page(
    wallet: Wallet,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    after: int | None = None,
    limit: int = 50,
) -> tuple[int, list[StatementLineView], int | None]:
    """(opening balance, lines, next cursor) of one page: a fixed number of queries whatever
    the page's size (the ledger reads the account's postings in one query)."""
    limit = max(1, min(int(limit or 50), 200))
    page = ledger.statement(account=wallet.account, start=start, end=end, after_sequence=after, limit=limit)
    return page.opening_balance, [_view(line) for line in page.lines], page.next_after


def _all_lines(wallet: Wallet, start, end) -> tuple[int, list[StatementLineView]]:
    lines: list[StatementLineView] = []
    opening = None
    after = None
    while len(lines) < settings.WALLET_STATEMENT_MAX_LINES:
        page = ledger.statement(account=wallet.account, start=start, end=end, after_sequence=after, limit=500)
        if opening is None:
            opening = page.opening_balance
        lines.extend(_view(line) for line in page.lines)
        if page.next_after is None:
            break
        after = page.next_after
    return opening or 0, lines[: settings.WALLET_STATEMENT_MAX_LINES]


def statement_csv(wallet: Wallet, *, start=None, end=None, language: str = "fr") -> str:
    """date (UTC, ISO 8601), operation, description, amount and balance in minor units."""
    with translation.override(language):
        opening, lines = _all_lines(wallet, start, end)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["date", "operation", "description", "amount", "balance", "currency", "transfer"])
        for line in lines:
            writer.writerow(
                [
                    line.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    line.label,
                    line.description,
                    line.amount,
                    line.balance,
                    wallet.currency,
                    line.transfer,
                ]
            )
    return out.getvalue()


def statement_pdf(wallet: Wallet, *, start=None, end=None, language: str = "fr") -> bytes:
    from weasyprint import HTML

    cur = wallet.currency
    with translation.override(language):
        opening, lines = _all_lines(wallet, start, end)
        closing = lines[-1].balance if lines else opening
        holder = identity.get_user(id=wallet.user_id)
        html = render_to_string(
            "wallet/pdf/statement.html",
            {
                "LANGUAGE": language,
                "holder": holder.full_name or holder.phone or "",
                "currency": cur,
                "start": start,
                "end": end,
                "printed": timezone.now(),
                "opening": format_amount(opening, cur, language),
                "closing": format_amount(closing, cur, language),
                "lines": [
                    {
                        "date": line.date,
                        "label": line.description or line.label,
                        "amount": format_amount(line.amount, cur, language),
                        "balance": format_amount(line.balance, cur, language),
                    }
                    for line in lines
                ],
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
