"""Tables (docs/analytics.md): rollups and their drift, scheduled reports, product events."""

from .product import ExportCursor, ProductEvent
from .rollups import AppliedEvent, Drift, Rollup
from .subscriptions import ReportDelivery, ReportSubscription

__all__ = [
    "AppliedEvent",
    "Drift",
    "ExportCursor",
    "ProductEvent",
    "ReportDelivery",
    "ReportSubscription",
    "Rollup",
]
