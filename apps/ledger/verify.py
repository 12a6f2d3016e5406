"""`ledger_verify`: recompute every stored total from the postings, check that every
transfer balances and that every posting has its transfer and account. Any difference is reported loudly: an ERROR log line per difference and
the `hokwe_ledger_verify_differences` gauge (alert on > 0, deploy/prometheus rules)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import connection
from prometheus_client import Counter, Gauge

logger = logging.getLogger("hokwe.ledger.verify")

DIFFERENCES = Gauge(
    "hokwe_ledger_verify_differences",
    "Differences found by the last ledger_verify run (0 means the books are consistent)",
    ["check"],
)
RUNS = Counter("hokwe_ledger_verify_runs_total", "ledger_verify runs", ["outcome"])

# Totals recomputed from the postings. A pending posting counts as pending until a post or
# void transfer resolves its hold; the running balance of an account's last posting must
# equal its stored posted balance; sequences are 1..posting_count without gaps.
_ACCOUNTS_SQL = """
WITH resolved AS (
    SELECT hold_id FROM ledger_transfer WHERE hold_id IS NOT NULL
), sums AS (
    SELECT p.account_id,
        COALESCE(SUM(p.amount) FILTER (WHERE p.is_debit AND NOT p.pending), 0) AS dp,
        COALESCE(SUM(p.amount) FILTER (WHERE NOT p.is_debit AND NOT p.pending), 0) AS cp,
        COALESCE(SUM(p.amount) FILTER (WHERE p.is_debit AND p.pending AND r.hold_id IS NULL), 0) AS dpe,
        COALESCE(SUM(p.amount) FILTER (WHERE NOT p.is_debit AND p.pending AND r.hold_id IS NULL), 0) AS cpe,
        COUNT(*) AS n,
        MAX(p.sequence) AS last_sequence
    FROM ledger_posting p LEFT JOIN resolved r ON r.hold_id = p.transfer_id
    GROUP BY p.account_id
), last AS (
    SELECT p.account_id, p.balance_after FROM ledger_posting p
    JOIN sums s ON s.account_id = p.account_id AND p.sequence = s.last_sequence
)
SELECT a.public_id, a.code, a.currency,
    a.debits_posted, COALESCE(s.dp, 0), a.credits_posted, COALESCE(s.cp, 0),
    a.debits_pending, COALESCE(s.dpe, 0), a.credits_pending, COALESCE(s.cpe, 0),
    a.posting_count, COALESCE(s.n, 0), COALESCE(s.last_sequence, 0), COALESCE(l.balance_after, 0)
FROM ledger_account a LEFT JOIN sums s ON s.account_id = a.id LEFT JOIN last l ON l.account_id = a.id
WHERE a.debits_posted <> COALESCE(s.dp, 0) OR a.credits_posted <> COALESCE(s.cp, 0)
   OR a.debits_pending <> COALESCE(s.dpe, 0) OR a.credits_pending <> COALESCE(s.cpe, 0)
   OR a.posting_count <> COALESCE(s.n, 0) OR a.posting_count <> COALESCE(s.last_sequence, 0)
   OR a.debits_posted - a.credits_posted <> COALESCE(l.balance_after, 0)
ORDER BY a.id
"""

_TRANSFERS_SQL = """
SELECT t.public_id, t.idempotency_key, p.currency,
    SUM(CASE WHEN p.is_debit THEN p.amount ELSE 0 END),
    SUM(CASE WHEN p.is_debit THEN 0 ELSE p.amount END)
FROM ledger_posting p JOIN ledger_transfer t ON t.id = p.transfer_id
GROUP BY t.id, t.public_id, t.idempotency_key, p.currency
HAVING SUM(CASE WHEN p.is_debit THEN p.amount ELSE -p.amount END) <> 0
ORDER BY t.id
"""

_ORPHANS_SQL = """
SELECT p.id, p.transfer_id, p.account_id FROM ledger_posting p
LEFT JOIN ledger_transfer t ON t.id = p.transfer_id
LEFT JOIN ledger_account a ON a.id = p.account_id
WHERE t.id IS NULL OR a.id IS NULL
ORDER BY p.id LIMIT 1000
"""

_TOTALS_SQL = """
SELECT currency, SUM(debits_posted) - SUM(credits_posted), SUM(debits_pending) - SUM(credits_pending)
FROM ledger_account GROUP BY currency
HAVING SUM(debits_posted) <> SUM(credits_posted) OR SUM(debits_pending) <> SUM(credits_pending)
"""


@dataclass
class Report:
    accounts: list[dict] = field(default_factory=list)
    transfers: list[dict] = field(default_factory=list)
    currencies: list[dict] = field(default_factory=list)
    orphans: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.accounts or self.transfers or self.currencies or self.orphans)


def run() -> Report:
    report = Report()
    with connection.cursor() as cursor:
        cursor.execute(_ACCOUNTS_SQL)
        for row in cursor.fetchall():
            report.accounts.append(
                {
                    "account": str(row[0]),
                    "code": row[1],
                    "currency": row[2],
                    "debits_posted": [row[3], row[4]],
                    "credits_posted": [row[5], row[6]],
                    "debits_pending": [row[7], row[8]],
                    "credits_pending": [row[9], row[10]],
                    "posting_count": [row[11], row[12], row[13]],
                    "last_balance_after": row[14],
                }
            )
        cursor.execute(_TRANSFERS_SQL)
        for row in cursor.fetchall():
            report.transfers.append(
                {
                    "transfer": str(row[0]),
                    "idempotency_key": row[1],
                    "currency": row[2],
                    "debits": row[3],
                    "credits": row[4],
                }
            )
        cursor.execute(_TOTALS_SQL)
        for row in cursor.fetchall():
            report.currencies.append({"currency": row[0], "posted": row[1], "pending": row[2]})
        cursor.execute(_ORPHANS_SQL)
        for row in cursor.fetchall():
            report.orphans.append({"posting": row[0], "transfer_id": row[1], "account_id": row[2]})

    DIFFERENCES.labels(check="account_totals").set(len(report.accounts))
    DIFFERENCES.labels(check="unbalanced_transfers").set(len(report.transfers))
    DIFFERENCES.labels(check="currency_totals").set(len(report.currencies))
    DIFFERENCES.labels(check="orphan_postings").set(len(report.orphans))
    RUNS.labels(outcome="ok" if report.ok else "differences").inc()
    for item in report.accounts:
        logger.error("ledger_verify_account_mismatch", extra={"difference": item})
    for item in report.transfers:
        logger.error("ledger_verify_unbalanced_transfer", extra={"difference": item})
    for item in report.currencies:
        logger.error("ledger_verify_currency_not_zero", extra={"difference": item})
    for item in report.orphans:
        logger.error("ledger_verify_orphan_posting", extra={"difference": item})
    if report.ok:
        logger.info("ledger_verify_ok")
    return report
