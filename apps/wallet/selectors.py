"""The wallet's reads (each part appends its block; scoped reads for the transports)."""
