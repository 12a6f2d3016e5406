"""Admin of lending's delinquency part."""
