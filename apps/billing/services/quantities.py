"""Quantity sources for per-unit prices (`estate.units`: the units under management),
registered by the modules that own the figures. (Part: catalog.)"""

from __future__ import annotations
