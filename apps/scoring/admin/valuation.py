"""Admin of scoring's valuation part."""
