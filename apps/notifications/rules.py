"""Who may do what with notifications in the back-office (identity's policy table)."""

from apps.identity import api as identity

RULES = {
    "notifications.log.view": identity.ANY_STAFF,
    "notifications.log.requeue": identity.has_staff_role(identity.StaffRole.SUPPORT),
    "notifications.template.view": identity.ANY_STAFF,
    "notifications.template.edit": identity.has_staff_role(identity.StaffRole.SUPPORT),
    "notifications.device.view": identity.has_staff_role(identity.StaffRole.SUPPORT),
    "notifications.preference.change": identity.has_staff_role(identity.StaffRole.SUPPORT),
    "notifications.optout.manage": identity.has_staff_role(
        identity.StaffRole.SUPPORT, identity.StaffRole.COMPLIANCE
    ),
}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)
