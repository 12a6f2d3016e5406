"""Who may do what in payments (identity's one policy; docs/payments.md has the table)."""

from apps.identity import api as identity


def _org(obj):
    """Intents, payouts and payout accounts carry organization_id; an Organization is itself."""
    return getattr(obj, "organization_id", None) or obj


def _payer(obj):
    return getattr(obj, "payer_id", None)


FINANCE_STAFF = identity.has_staff_role(identity.StaffRole.FINANCE)

RULES = {
    # reading an intent: any member of the payee organization, or the payer
    "payments.intent.view": identity.has_org_role(*identity.READ_ROLES, org=_org) | identity.is_self(_payer),
    "payments.intent.create": identity.has_org_role(
        *(identity.FINANCE_ROLES | identity.COLLECT_ROLES), org=_org
    ),
    "payments.intent.cancel": identity.has_org_role(*identity.FINANCE_ROLES, org=_org),
    # refunds: managers and owners of the organization, or Hokwe finance staff; step-up OTP
    "payments.intent.refund": identity.has_org_role(*identity.MANAGE_ROLES, org=_org) | FINANCE_STAFF,
    "payments.merchant.collect": identity.has_org_role(*identity.COLLECT_ROLES, org=_org),
    "payments.merchant.report": identity.has_org_role(*identity.COLLECT_ROLES, org=_org),
    "payments.payout.view": identity.has_org_role(*identity.FINANCE_ROLES, org=_org),
    "payments.payout.create": identity.has_org_role(*identity.MANAGE_ROLES, org=_org),
    "payments.payout_account.manage": identity.has_org_role(*identity.MANAGE_ROLES, org=_org),
    # back-office
    "payments.admin.view": identity.ANY_STAFF,
    "payments.admin.change": FINANCE_STAFF,
}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)
    # A strong second factor (TOTP or passkey, never SMS) for money leaving; payouts and
    # payout-account changes also wait out identity's SIM-swap hold (docs/identity.md).
    for action, hold in (
        ("payments.payout.create", True),
        ("payments.payout_account.create", True),
        ("payments.payout_account.remove", True),
        ("payments.intent.refund", False),
    ):
        identity.register_strong_action(action, hold_after_sim_swap=hold)
    # Finance staff sending money held in suspense back (services/suspense.py): money out,
    # the strong factor too (no SIM-swap hold: staff accounts, the payer is paid back).
    identity.register_strong_action("payments.suspense.refund", hold_after_sim_swap=False)
