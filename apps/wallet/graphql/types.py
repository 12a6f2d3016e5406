"""The wallet's GraphQL types (each part appends its block, names prefixed Wallet…)."""
