"""The verification workflow as data: which status may follow which. Pure (no Django), so
the property tests and the services read the same table; the services move a submission
through it with `services.submissions.SUBMISSION_STATES` (apps.core.statemachine).

    draft ─▶ submitted ─▶ in_review ─▶ approved ─▶ expired
                  │             └────▶ rejected      (the user starts a new draft)
                  └──▶ approved | rejected           (staff decide straight from the queue)
    draft | submitted | in_review ─▶ cancelled       (account closed)
"""

from __future__ import annotations

from .contracts import SubmissionStatus as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.CANCELLED}),
    S.SUBMITTED: frozenset({S.IN_REVIEW, S.APPROVED, S.REJECTED, S.CANCELLED}),
    S.IN_REVIEW: frozenset({S.APPROVED, S.REJECTED, S.CANCELLED}),
    S.APPROVED: frozenset({S.EXPIRED}),
    S.REJECTED: frozenset(),
    S.EXPIRED: frozenset(),
    S.CANCELLED: frozenset(),
}
OPEN = frozenset({S.DRAFT, S.SUBMITTED, S.IN_REVIEW})
DECIDABLE = frozenset({S.SUBMITTED, S.IN_REVIEW})
FINAL = frozenset({S.REJECTED, S.EXPIRED, S.CANCELLED})
