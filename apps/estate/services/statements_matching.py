"""The matching engine of statement import: which open due does a credit line pay?

Pure Python (stdlib only, no database): services/statements.py loads the organization's open
dues, its learned rules and the file's lines, calls `match_lines` once, then writes what it
decided. bench/matching.py times it on 100,000 lines against 100,000 dues.

The dues are indexed once per import in dicts, so a line costs a few dict look-ups, never a
scan of the dues:

- by reference: every due's reference (« LOY-2026-03-000012 ») and every lease's reference
  (« BAIL-2026-000007 ») under a canonical key; the references written in a line's free text
  are found by one regular expression and looked up;
- by phone: the lease's tenants' phones (E.164, normalized by identity) and the learned rules
  (« this phone pays for this lease »);
- by amount: the open dues by what they still ask (a line that only matches an amount).

Each candidate due is scored (`WEIGHTS`): its own reference in the text 60, its lease's
reference 50, a learned rule 50, a tenant's phone 40, the exact amount still owed 30, the
line's date within `window_days` of the due date 10. A line is applied automatically when
exactly one lease reaches `STRONG` (80) with the exact amount and no other lease comes near
(`RIVAL`, 60); any other line with candidates goes to review (amount differs, several
candidates, phone only); a line without any candidate is unmatched (also reviewed).

Within one statement the engine remembers what its automatic matches already took: two
lines of the same tenant pay two months, not the same month twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

AUTO = "auto"
REVIEW = "review"
NONE = "none"

WEIGHTS = {
    "due_reference": 60,
    "lease_reference": 50,
    "rule": 50,
    "phone": 40,
    "amount": 30,
    "date": 10,
}
STRONG = 80  # a unique lease at or above this, with the exact amount: applied automatically
RIVAL = 60  # another lease at or above this: several candidates, a person decides
AMOUNT_ONLY_MAX = 20  # an amount shared by more open dues than this says nothing
MAX_CANDIDATES = 5

# A reference in free text: 3 to 5 letters, then 1 to 4 groups of digits with any separator
# (« BAIL-2026-000007 », « bail 2026 7 », « LOY/2026/03/12 », « BAIL2026000007 »).
_REFERENCE = re.compile(r"(?<![A-Za-z])([A-Za-z]{3,5})((?:[\s\-_/.:#]*\d+){1,4})")
_DIGITS = re.compile(r"\d+")


def reference_keys(text: str) -> set[str]:
    """The canonical keys of every reference-looking token of `text`: « PREFIX:2026:7 »
    (each group of digits as a number) and « PREFIX#2026000007 » (the digits glued)."""
    keys = set()
    for prefix, tail in _REFERENCE.findall(text or ""):
        groups = _DIGITS.findall(tail)
        head = prefix.upper()
        keys.add(head + ":" + ":".join(str(int(g)) for g in groups))
        keys.add(head + "#" + "".join(groups))
    return keys


@dataclass(frozen=True, slots=True)
class DueRow:
    id: int
    lease_id: int
    reference: str
    lease_reference: str
    outstanding: int
    due_date: date
    phones: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LineRow:
    key: int  # the caller's key (the line's position in the file)
    amount: int
    booked_on: date
    text: str  # reference, label, message: where a reference may be written
    phone: str = ""  # E.164, or empty


@dataclass(frozen=True, slots=True)
class Candidate:
    due_id: int
    lease_id: int
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    key: int
    outcome: str  # AUTO, REVIEW or NONE
    due_id: int | None = None  # the due to pay (AUTO) or the best suggestion (REVIEW)
    lease_id: int | None = None
    score: int = 0
    reasons: tuple[str, ...] = ()
    candidates: tuple[Candidate, ...] = ()


@dataclass
class DueIndex:
    """The organization's open dues and rules, indexed once (dicts), then `decide` per line."""

    dues: Iterable[DueRow]
    rules: Iterable[tuple[str, int]] = ()  # (phone, lease id)
    window_days: int = 10
    by_id: dict[int, DueRow] = field(init=False, default_factory=dict)
    left: dict[int, int] = field(init=False, default_factory=dict)  # what each due still asks
    by_due_reference: dict[str, int] = field(init=False, default_factory=dict)
    by_lease_reference: dict[str, int] = field(init=False, default_factory=dict)
    by_lease: dict[int, list[DueRow]] = field(init=False, default_factory=dict)
    by_phone: dict[str, set[int]] = field(init=False, default_factory=dict)
    by_rule: dict[str, set[int]] = field(init=False, default_factory=dict)
    by_amount: dict[int, list[DueRow]] = field(init=False, default_factory=dict)

    def __post_init__(self):
        for due in self.dues:
            self.by_id[due.id] = due
            self.left[due.id] = due.outstanding
            if due.lease_id not in self.by_lease:  # a lease's reference once, not per due
                self.by_lease[due.lease_id] = []
                for key in reference_keys(due.lease_reference):
                    self.by_lease_reference.setdefault(key, due.lease_id)
            self.by_lease[due.lease_id].append(due)
            self.by_amount.setdefault(due.outstanding, []).append(due)
            for key in reference_keys(due.reference):
                self.by_due_reference.setdefault(key, due.id)
            for phone in due.phones:
                if phone:
                    self.by_phone.setdefault(phone, set()).add(due.lease_id)
        for dues in self.by_lease.values():
            dues.sort(key=lambda d: (d.due_date, d.id))
        for phone, lease_id in self.rules:
            if lease_id in self.by_lease:
                self.by_rule.setdefault(phone, set()).add(lease_id)
        self.dues = ()  # held by the dicts

    # --- one line ---------------------------------------------------------------------------

    def decide(self, line: LineRow) -> Decision:
        keys = reference_keys(line.text)
        named_dues = {self.by_due_reference[k] for k in keys if k in self.by_due_reference}
        named_leases = {self.by_lease_reference[k] for k in keys if k in self.by_lease_reference}
        rule_leases = self.by_rule.get(line.phone, set()) if line.phone else set()
        phone_leases = self.by_phone.get(line.phone, set()) if line.phone else set()
        leases = {self.by_id[d].lease_id for d in named_dues} | named_leases | rule_leases | phone_leases
        candidates: list[Candidate] = []
        for lease_id in leases:
            for due in self.by_lease.get(lease_id, ()):
                if self.left[due.id] <= 0:
                    continue
                reasons = []
                if due.id in named_dues:
                    reasons.append("due_reference")
                elif lease_id in named_leases:
                    reasons.append("lease_reference")
                if lease_id in rule_leases:
                    reasons.append("rule")
                elif lease_id in phone_leases:
                    reasons.append("phone")
                candidates.append(self._scored(line, due, reasons))
        if not candidates:
            candidates = self._amount_only(line)
        if not candidates:
            return Decision(key=line.key, outcome=NONE)
        best_of_lease: dict[int, Candidate] = {}
        for c in candidates:
            held = best_of_lease.get(c.lease_id)
            if held is None or _better(c, held, self.by_id):
                best_of_lease[c.lease_id] = c
        ranked = sorted(
            best_of_lease.values(), key=lambda c: (-c.score, self.by_id[c.due_id].due_date, c.due_id)
        )
        top = ranked[0]
        rivals = [c for c in ranked[1:] if c.score >= RIVAL]
        shown = tuple(ranked[:MAX_CANDIDATES])
        if top.score >= STRONG and "amount" in top.reasons and not rivals:
            self._consume(top.lease_id, top.due_id, line.amount)
            return Decision(line.key, AUTO, top.due_id, top.lease_id, top.score, top.reasons, shown)
        return Decision(line.key, REVIEW, top.due_id, top.lease_id, top.score, top.reasons, shown)

    def _scored(self, line: LineRow, due: DueRow, reasons: list[str]) -> Candidate:
        if line.amount == self.left[due.id]:
            reasons.append("amount")
        if abs((line.booked_on - due.due_date).days) <= self.window_days:
            reasons.append("date")
        return Candidate(due.id, due.lease_id, sum(WEIGHTS[r] for r in reasons), tuple(reasons))

    def _amount_only(self, line: LineRow) -> list[Candidate]:
        bucket = self.by_amount.get(line.amount, ())
        if not bucket or len(bucket) > AMOUNT_ONLY_MAX:
            return []
        return [
            self._scored(line, due, [])
            for due in bucket
            if self.left[due.id] == line.amount
            and abs((line.booked_on - due.due_date).days) <= self.window_days
        ]

    def _consume(self, lease_id: int, due_id: int, amount: int) -> None:
        """What an automatic match takes: the named due first, then the lease's oldest (as
        estate's allocation will do); the rest becomes credit."""
        order = sorted(self.by_lease[lease_id], key=lambda d: (d.id != due_id, d.due_date, d.id))
        for due in order:
            if amount <= 0:
                break
            part = min(amount, self.left[due.id])
            self.left[due.id] -= part
            amount -= part


def _better(a: Candidate, b: Candidate, by_id: dict[int, DueRow]) -> bool:
    if a.score != b.score:
        return a.score > b.score
    return (by_id[a.due_id].due_date, a.due_id) < (by_id[b.due_id].due_date, b.due_id)


def match_lines(
    lines: Iterable[LineRow],
    dues: Iterable[DueRow],
    rules: Iterable[tuple[str, int]] = (),
    *,
    window_days: int = 10,
) -> list[Decision]:
    """One decision per line, in order: index the dues once, then a few look-ups per line."""
    index = DueIndex(dues, rules, window_days)
    return [index.decide(line) for line in lines]


def match_naive(
    lines: Iterable[LineRow],
    dues: Iterable[DueRow],
    rules: Iterable[tuple[str, int]] = (),
    *,
    window_days: int = 10,
) -> list[Decision]:
    """The baseline the benchmark compares with: every line against every due (a nested loop,
    substring tests on the text), the same scores. Never used by the service."""
    dues = list(dues)
    rule_pairs = set(rules)
    left = {d.id: d.outstanding for d in dues}
    decisions = []
    for line in lines:
        text = (line.text or "").upper()
        best: dict[int, Candidate] = {}
        for due in dues:
            if left[due.id] <= 0:
                continue
            reasons = []
            if due.reference and due.reference.upper() in text:
                reasons.append("due_reference")
            elif due.lease_reference and due.lease_reference.upper() in text:
                reasons.append("lease_reference")
            if line.phone and (line.phone, due.lease_id) in rule_pairs:
                reasons.append("rule")
            elif line.phone and line.phone in due.phones:
                reasons.append("phone")
            if not reasons:
                continue
            if line.amount == left[due.id]:
                reasons.append("amount")
            if abs((line.booked_on - due.due_date).days) <= window_days:
                reasons.append("date")
            c = Candidate(due.id, due.lease_id, sum(WEIGHTS[r] for r in reasons), tuple(reasons))
            held = best.get(due.lease_id)
            if held is None or c.score > held.score:
                best[due.lease_id] = c
        ranked = sorted(best.values(), key=lambda c: -c.score)
        if not ranked:
            decisions.append(Decision(line.key, NONE))
            continue
        top = ranked[0]
        if (
            top.score >= STRONG
            and "amount" in top.reasons
            and not [c for c in ranked[1:] if c.score >= RIVAL]
        ):
            left[top.due_id] -= min(line.amount, left[top.due_id])
            decisions.append(Decision(line.key, AUTO, top.due_id, top.lease_id, top.score, top.reasons))
        else:
            decisions.append(Decision(line.key, REVIEW, top.due_id, top.lease_id, top.score, top.reasons))
    return decisions
