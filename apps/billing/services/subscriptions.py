"""Subscriptions (docs/billing.md, "Subscriptions"): start (with a trial), change plan at
once with proration or at the end of the term, cancel at the end of the term, pause, resume,
add-ons, coupons, and the roll-over of a period. (Part: subscriptions.)"""

from __future__ import annotations
