"""Paying an invoice (docs/billing.md, "Paying"): the pay link (a payment intent crediting the
customer's receivable), a mobile-money push to the saved number, card, prepaid credits
bought and used, staff-recorded transfers. (Part: PDF and payment.)"""

from __future__ import annotations
