"""Admin of scoring's bureau part."""
