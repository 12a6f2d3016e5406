"""Who may do what in the wallet (identity's one policy; docs/wallet.md has the table).

Each part (wallet, tontine, split, safeguarding) appends its own block of rules to RULES."""

from apps.identity import api as identity

RULES: dict = {
    # compliance and finance staff: freeze/unfreeze wallets, safeguarding, tontine disputes
    "wallet.admin.view": identity.ANY_STAFF,
    # safeguarding: finance and compliance read the reports, finance enters bank balances
    "wallet.safeguarding.view": identity.has_staff_role(
        identity.StaffRole.FINANCE, identity.StaffRole.COMPLIANCE
    ),
    "wallet.safeguarding.manage": identity.has_staff_role(identity.StaffRole.FINANCE),
    # Cotis'Hokwe: finance and compliance staff read groups, rounds and contributions (disputes)
    "wallet.tontine.dispute": identity.has_staff_role(
        identity.StaffRole.FINANCE, identity.StaffRole.COMPLIANCE
    ),
}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)


# --- P2P transfers: a transfer above WALLET_P2P_STEP_UP_ABOVE is confirmed by the
# step-up of the authenticator app or a passkey, never an SMS alone (money leaves the sender
# for good: docs/identity.md, "A real second factor"), and waits out the SIM-swap hold.
# Sending, reading one's own transfers: any signed-in user, scoped to their own rows.
STRONG_ACTIONS: dict[str, bool] = {"wallet.transfer.send": True}  # action -> hold_after_sim_swap

_register_rules = register


def register() -> None:
    _register_rules()
    for action, hold in STRONG_ACTIONS.items():
        identity.register_strong_action(action, hold_after_sim_swap=hold)


# --- wallet core: compliance freezes and unfreezes (reason required, audited); a
# withdrawal (money leaves Hokwe for good) needs the strong step-up (authenticator or passkey)
# and waits out the SIM-swap hold. A user reads and moves only their own wallet (scoped reads).
RULES["wallet.wallet.freeze"] = identity.has_staff_role(identity.StaffRole.COMPLIANCE)

_register_before_core = register


def register() -> None:
    _register_before_core()
    identity.register_strong_action("wallet.withdrawal.create", hold_after_sim_swap=True)


# --- HokweSplit: finance and compliance staff read plans and their schedules (admin);
# finance settles a plan whose due date has come or retries missed auto-debits. A saver
# reads and changes only their own plans (scoped reads: selectors.split_plan_get).
RULES["wallet.split.view"] = identity.has_staff_role(
    identity.StaffRole.FINANCE, identity.StaffRole.COMPLIANCE
)
RULES["wallet.split.manage"] = identity.has_staff_role(identity.StaffRole.FINANCE)
