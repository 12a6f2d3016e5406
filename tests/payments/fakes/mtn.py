"""The local MTN MoMo moved to fakes/mtn_momo.py (the whole Open API: tokens per product,
requesttopay, transfer, status calls, account holders). These names stay for the tests of
the account-holder lookup (test_payouts_individual.py): SUBSCRIPTION_KEY is the
Disbursement product's key."""

from __future__ import annotations

from .mtn_momo import API_KEY, API_USER, TARGET
from .mtn_momo import DISBURSEMENT_KEY as SUBSCRIPTION_KEY
from .mtn_momo import FakeMtnMomo as FakeMtn

__all__ = ["API_KEY", "API_USER", "SUBSCRIPTION_KEY", "TARGET", "FakeMtn"]
