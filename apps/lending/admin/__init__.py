"""Lending's admin (credit staff), one file per part."""

from . import advance, delinquency, fund, loan, product, repayment  # noqa: F401
