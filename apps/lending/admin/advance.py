"""Admin of lending's advance part."""
