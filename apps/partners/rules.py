"""Who may do what in partners (identity's one policy; docs/partners.md has the table).

Owners and managers create, rotate and revoke API keys and manage webhook endpoints. An API
key with the `webhooks:manage` scope manages its own organization's endpoints."""

from apps.identity import api as identity

from .contracts import Scope


def _org(obj):
    return getattr(obj, "organization_id", None) or obj


@identity.predicate
def key_may_manage_webhooks(actor, obj) -> bool:
    """The caller is an API key (its service account) holding webhooks:manage for obj's org."""
    scopes = getattr(actor, "_partners_scopes", None)
    if not scopes or Scope.WEBHOOKS_MANAGE not in scopes or obj is None:
        return False
    org = _org(obj)
    org_id = getattr(org, "pk", org)
    return org_id in identity.organization_ids_of(actor)


MANAGE = identity.has_org_role(*identity.MANAGE_ROLES, org=_org)

RULES = {
    "partners.key.manage": MANAGE,
    "partners.key.view": MANAGE,
    "partners.endpoint.manage": MANAGE | key_may_manage_webhooks,
    "partners.endpoint.view": MANAGE | key_may_manage_webhooks,
}


def register() -> None:
    for permission, rule in RULES.items():
        identity.register_rule(permission, rule)
