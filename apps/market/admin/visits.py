"""Back-office of market's visits part."""
