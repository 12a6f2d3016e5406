"""Service accounts: a user with no phone and no password that acts for one organization,
with one role there (partners' API keys act through one; docs/partners.md).

    user = service_account_create(organization_id=org.id, role="accountant", name="Clé API « ERP »")
    service_account_disable(user_id=user.id)   # membership inactive, account suspended

It cannot log in (no phone for a code, an unusable password) and holds no token: the module
that created it authenticates its callers and hands this user to the policy, so the rules
(`has_org_role`) and the foreign keys (`created_by`) work unchanged."""

from __future__ import annotations

from django.db import transaction

from ..models import Membership, User


@transaction.atomic
def service_account_create(*, organization_id: int, role: str, name: str) -> User:
    if role not in Membership.Role.values:
        raise ValueError(f"Unknown role {role!r}")
    user = User(phone=None, full_name=name[:150], status=User.Status.ACTIVE)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, organization_id=organization_id, role=role)
    return user


def service_account_disable(*, user_id: int) -> None:
    """At once: the account can nothing (suspended, membership inactive)."""
    with transaction.atomic():
        Membership.objects.filter(user_id=user_id).update(is_active=False)
        # the User queryset tells the bearer snapshots: refused on its next call
        User.objects.filter(pk=user_id, phone__isnull=True).update(status=User.Status.SUSPENDED)
