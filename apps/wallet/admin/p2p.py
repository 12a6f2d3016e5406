"""Admin of the wallet's p2p part."""
