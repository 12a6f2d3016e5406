"""Back-office: every model, money read-only."""
