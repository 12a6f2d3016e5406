"""Who may do what in the wallet (identity's one policy; docs/wallet.md has the table).

Each part (wallet, tontine, split, safeguarding) appends its own block of rules to RULES."""

from apps.identity import api as identity

RULES: dict = {
    # compliance and finance staff: freeze/unfreeze wallets, safeguarding, tontine disputes
    "wallet.admin.view": identity.ANY_STAFF,
}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)
