"""Admin of scoring's screening part."""
