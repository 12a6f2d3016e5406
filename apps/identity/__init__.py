"""Identity: users (phone-first), organizations, memberships and roles."""
