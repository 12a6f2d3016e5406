"""Who may do what with KYC (identity's one policy; docs/kyc.md has the table).

KYC images are the most sensitive data Hokwe holds: only the person, the managers of the
organization under KYB, and compliance staff (admins included) ever see them."""

from apps.identity import api as identity

COMPLIANCE = identity.has_staff_role(identity.StaffRole.COMPLIANCE)


def _person(obj):
    """The user a document / submission is about (individual KYC only)."""
    submission = getattr(obj, "submission", obj)
    return submission.user_id if getattr(submission, "subject", "") == "individual" else None


def _organization(obj):
    submission = getattr(obj, "submission", obj)
    if hasattr(submission, "subject"):
        return submission.organization_id if submission.subject == "business" else None
    return getattr(obj, "pk", obj)  # an Organization (or its id)


RULES = {
    # the person's own KYC, or the organization's KYB (managers), or compliance
    "kyc.submission.view": identity.is_self(_person)
    | identity.has_org_role(*identity.MANAGE_ROLES, org=_organization)
    | COMPLIANCE,
    "kyc.document.view": identity.is_self(_person)
    | identity.has_org_role(*identity.MANAGE_ROLES, org=_organization)
    | COMPLIANCE,
    # links issued through the API and pages: the person or the organization's managers only
    # (staff see documents in the back-office, behind its TOTP login)
    "kyc.document.view_own": identity.is_self(_person)
    | identity.has_org_role(*identity.MANAGE_ROLES, org=_organization),
    # staff review (approve / reject), the queue
    "kyc.submission.review": COMPLIANCE,
    # KYB of an organization: status for every member, changes for owners and managers
    "kyc.kyb.view": identity.has_org_role(*identity.READ_ROLES, org=_organization) | COMPLIANCE,
    "kyc.kyb.manage": identity.has_org_role(*identity.MANAGE_ROLES, org=_organization),
    # the limits table
    "kyc.limits.view": identity.ANY_STAFF,
    "kyc.limits.manage": COMPLIANCE,
    # transaction monitoring: the alert queue, decisions and the suspicious-transaction report
    # (compliance only: never the subject, never the organization -- no tipping-off)
    "kyc.monitoring.work": COMPLIANCE,
    "kyc.monitoring.export": COMPLIANCE,
}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)
