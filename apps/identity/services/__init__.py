"""Identity's use cases (writes). Split by topic; import from the submodules."""
