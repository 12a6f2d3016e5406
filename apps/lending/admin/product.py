"""Admin of lending's product part."""
