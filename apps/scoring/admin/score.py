"""Admin of scoring's score part."""
