"""Staff reports (docs/billing.md, "Reports"): MRR, ARR, churn and the subscriptions by
plan. (Part: surfaces.)"""

from __future__ import annotations
