"""Admin of the wallet's tontine part."""
