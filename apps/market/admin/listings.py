"""Back-office of market's listings part."""
