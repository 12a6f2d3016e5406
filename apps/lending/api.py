"""PUBLIC: what other modules may call in lending (scoring reads loan repayments through
events; analytics reads the portfolio).

from apps.lending import api as lending
"""

from __future__ import annotations

__all__: list[str] = [
    "emergency_fund_for",
    "portfolio_at_risk",
]


# --- emergency fund (underwriting, scoring) ---


def emergency_fund_for(user, currency: str = "XOF"):
    """The user's emergency fund as a `contracts.EmergencyFundInfo` (balance, pledged,
    available, goal, withdrawal rule, automatic savings, months saving), or None when the user
    has none. `user`: a user, an identity UserInfo or a public id."""
    from .services.fund import emergency_fund_for as read

    return read(user, currency)


# --- delinquency: the portfolio at risk (analytics) ---


def portfolio_at_risk(currency: str | None = None):
    """[contracts.PortfolioAtRisk], one per currency of the active loan book (or `currency`):
    loans, what they owe, PAR30 and PAR90 in basis points, per bucket with the ledger's total
    of the same loans and the provision; `agrees` when the loans and the ledger agree."""
    from .contracts import PortfolioAtRisk, PortfolioBucket
    from .services.reports import par_report

    return [
        PortfolioAtRisk(
            currency=r.currency,
            day=r.day,
            loans=r.loans,
            outstanding=r.outstanding,
            par30_bps=r.par30_bps,
            par90_bps=r.par90_bps,
            agrees=r.agrees,
            buckets=tuple(
                PortfolioBucket(
                    bucket=line.bucket,
                    loans=line.loans,
                    principal=line.principal,
                    outstanding=line.outstanding,
                    ledger=line.ledger,
                    provision=line.provision,
                )
                for line in r.lines
            ),
        )
        for r in par_report(currency=currency)
    ]
