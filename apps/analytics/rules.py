"""Who may do what in analytics (identity's one policy)."""

from apps.identity import api as identity

RULES: dict = {}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)
