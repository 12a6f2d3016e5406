"""Dunning (docs/billing.md, "Dunning"): the ladder of an overdue invoice (retries of the
saved mobile-money number, reminders by SMS and e-mail with the pay link, restriction after
the grace period), and restoration when it is paid. Never rent collection, never data
access or exports. (Part: dunning.)"""

from __future__ import annotations
