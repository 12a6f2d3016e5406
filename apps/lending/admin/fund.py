"""Admin of lending's fund part."""
