"""Who may do what in billing (identity's one policy)."""

from apps.identity import api as identity

RULES: dict = {}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)


# --- surfaces: the billing page, REST and GraphQL. An organization's finance roles (owner,
# manager, accountant) read its subscription, invoices and usage; its owners and managers
# change the plan, cancel, pay and buy credits; finance staff read the MRR / churn report ---
def _org(obj):
    return getattr(obj, "organization_id", None) or obj


RULES.update(
    {
        "billing.account.view": identity.has_org_role(*identity.FINANCE_ROLES, org=_org),
        "billing.account.manage": identity.has_org_role(*identity.MANAGE_ROLES, org=_org),
        "billing.report.view": identity.has_staff_role(identity.StaffRole.FINANCE),
    }
)


# --- subscriptions: an organization's owners and managers (and finance or support staff)
# start, change, pause, resume and cancel its subscription at the end of the term; finance
# staff cancel at once (with a prorated credit note); any staff reads the admin ---
RULES.update(
    {
        "billing.subscription.change": identity.has_org_role(*identity.MANAGE_ROLES)
        | identity.has_staff_role(identity.StaffRole.FINANCE, identity.StaffRole.SUPPORT),
        "billing.subscription.staff": identity.has_staff_role(identity.StaffRole.FINANCE),
        "billing.subscription.admin": identity.ANY_STAFF,
    }
)


# --- catalog: staff read the catalog; finance staff edit it (plans, versions, prices,
# add-ons, coupons); staff admins always qualify ---
RULES.update(
    {
        "billing.admin.view": identity.ANY_STAFF,
        "billing.catalog.change": identity.has_staff_role(identity.StaffRole.FINANCE),
    }
)


# --- PDF and payment: an organization's owners and managers (and finance staff) buy prepaid
# credits; any staff reads invoices and credit notes in the admin, finance staff finalize,
# void, write off, record a bank transfer and issue credit notes ---
def _customer_org(obj):
    return getattr(obj, "organization_id", None) or obj


RULES.update(
    {
        "billing.credits.buy": identity.has_org_role(*identity.MANAGE_ROLES, org=_customer_org)
        | identity.has_staff_role(identity.StaffRole.FINANCE),
        "billing.invoice.view": identity.ANY_STAFF,
        "billing.invoice.manage": identity.has_staff_role(identity.StaffRole.FINANCE),
    }
)
