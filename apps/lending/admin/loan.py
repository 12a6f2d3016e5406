"""Admin of lending's loan part."""
