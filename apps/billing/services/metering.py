"""Metering (docs/billing.md, "Metering"): usage from the outbox events into counters per
subscription, metric and period, once per event; the live usage of the current period.
(Part: metering and the billing run.)"""

from __future__ import annotations
