"""Admin of lending's repayment part."""
