"""Admin of the wallet's split part."""
