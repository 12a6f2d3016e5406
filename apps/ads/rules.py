"""Who may do what in ads (identity's one policy). Objects checked are Advertiser rows (a
campaign's or a job's `advertiser`)."""

from apps.identity import api as identity
from apps.identity.contracts import MANAGE_ROLES, READ_ROLES

RULES: dict = {}


# money actions confirmed with the strong step-up (an authenticator app or a passkey, never an
# SMS code alone): a flat fee drawn from the ad balance at once
STRONG_ACTIONS: dict[str, bool] = {"ads.campaign.flat_fee": False}  # action -> hold_after_sim_swap


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)
    for action, hold in STRONG_ACTIONS.items():
        identity.register_strong_action(action, hold_after_sim_swap=hold)


def _org(advertiser):
    return advertiser.organization_id if advertiser is not None else None


def _owner(advertiser):
    return advertiser.owner_id if advertiser is not None and advertiser.organization_id is None else None


# --- advertising: an organization's managers run its ads, its members read the reports;
# an independent advertiser (no organization) runs its own; support and compliance moderate ---
RULES.update(
    {
        "ads.advertiser.manage": identity.has_org_role(*MANAGE_ROLES, org=_org) | identity.is_self(_owner),
        "ads.advertiser.view": identity.has_org_role(*READ_ROLES, org=_org) | identity.is_self(_owner),
        "ads.creative.moderate": identity.has_staff_role(
            identity.StaffRole.SUPPORT, identity.StaffRole.COMPLIANCE
        ),
        "ads.delivery.view": identity.has_staff_role(identity.StaffRole.SUPPORT, identity.StaffRole.FINANCE),
    }
)
