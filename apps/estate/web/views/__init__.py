"""The manager pages (/manager/estate/…), one module per area; urls.py names them here."""

from .dashboard import dashboard
from .dues import due_adjust, due_export, due_list, due_notice, receipt_list, receipt_pdf
from .imports import import_view
from .leases import (
    inspection_detail,
    inspection_new,
    lease_action,
    lease_detail,
    lease_list,
    lease_new,
    lease_pdf,
    payment_new,
)
from .owners import owner_portal, statement_close, statement_detail, statement_list, statement_page
from .portfolio import announce, mandates, property_detail, property_list, property_new, unit_new
from .settings import estate_settings
from .tickets import ticket_board, ticket_detail

__all__ = [
    "announce",
    "dashboard",
    "estate_settings",
    "due_adjust",
    "due_export",
    "due_list",
    "due_notice",
    "import_view",
    "inspection_detail",
    "inspection_new",
    "lease_action",
    "lease_detail",
    "lease_list",
    "lease_new",
    "lease_pdf",
    "mandates",
    "owner_portal",
    "payment_new",
    "property_detail",
    "property_list",
    "property_new",
    "receipt_list",
    "receipt_pdf",
    "statement_close",
    "statement_detail",
    "statement_list",
    "statement_page",
    "ticket_board",
    "ticket_detail",
    "unit_new",
]
