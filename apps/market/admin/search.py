"""Back-office of market's search part."""
