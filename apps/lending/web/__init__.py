"""Lending's pages: the borrower's (loans*.py, fund*.py) at /lending/ (public_urls.py), the
manager's landlord advances (advance*.py) under /manager/lending/ (urls.py)."""
