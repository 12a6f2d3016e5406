"""Prices to amounts (docs/billing.md, "Catalog"): flat, per unit and usage prices, with
graduated or volume tiers and included units; a plan version's recurring lines for a period.
Integers only. (Part: catalog.)"""

from __future__ import annotations
