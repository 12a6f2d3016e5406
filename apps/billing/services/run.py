"""The billing run (docs/billing.md, "The billing run"): every subscription whose period
ends is invoiced (recurring fees, per-unit quantities, add-ons, coupons, the period's usage
from the counters), finalized and collected, and rolled to its next period.
(Part: metering and the billing run.)"""

from __future__ import annotations
