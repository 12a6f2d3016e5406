"""Back-office of market's services part."""
