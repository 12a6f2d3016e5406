"""Admin of the wallet's safeguarding part."""
