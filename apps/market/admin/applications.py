"""Back-office of market's applications part."""
