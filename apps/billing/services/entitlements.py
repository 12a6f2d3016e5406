"""Entitlements (docs/billing.md, "Entitlements"): what an organization's plan and add-ons
grant, cached, and the dunning restrictions. Read by other modules through
`billing.api.entitlement` / `billing.api.require`. (Part: catalog.)"""

from __future__ import annotations
