"""Project tooling that is not part of the application (lint contracts, helpers for CI)."""
