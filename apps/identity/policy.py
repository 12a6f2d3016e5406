"""The one authorization policy: `can(actor, "module.entity.action", obj)`.

Every permission is a named rule: a predicate `(actor, obj) -> bool` built from small
predicates combined with `&`, `|` and `~`:

    register_rule(
        "estate.lease.update",
        has_org_role(*MANAGE_ROLES, org=lambda lease: lease.organization_id) | has_staff_role("support"),
    )

Services call `require(...)`, DRF views use `drf_permission(...)`, GraphQL resolvers
`resolver_permission(...)`, pages `page_permission(...)` and ModelAdmins
`PolicyAdminMixin` — all of them end in `can`, so a rule is written once. No transport
is imported here (the DRF / graphene adapters are duck-typed).

An unknown permission name is a programming error and raises KeyError (never "allowed").
Suspended and closed users, and anonymous ones, can nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from apps.core.errors import Forbidden, NotFound

from .contracts import ALL_ROLES, MANAGE_ROLES, StaffRole

_ORG_ROLES_ATTR = "_hokwe_org_roles"


class Rule:
    """A named predicate `(actor, obj) -> bool`; combine with & | ~."""

    def __init__(self, func: Callable[[Any, Any], bool], name: str):
        self.func = func
        self.name = name

    def __call__(self, actor, obj=None) -> bool:
        return bool(self.func(actor, obj))

    def __and__(self, other: Rule) -> Rule:
        return Rule(lambda a, o: self(a, o) and other(a, o), f"({self.name} & {other.name})")

    def __or__(self, other: Rule) -> Rule:
        return Rule(lambda a, o: self(a, o) or other(a, o), f"({self.name} | {other.name})")

    def __invert__(self) -> Rule:
        return Rule(lambda a, o: not self(a, o), f"~{self.name}")

    def __repr__(self):
        return f"Rule({self.name})"


def predicate(func: Callable[[Any, Any], bool]) -> Rule:
    """Decorator: turn `func(actor, obj) -> bool` into a combinable Rule."""
    return Rule(func, func.__name__)


_RULES: dict[str, Rule] = {}


def register_rule(permission: str, rule: Rule | Callable[[Any, Any], bool]) -> None:
    """Declare who may do `permission` ("module.entity.action"). Other modules call this
    (through apps.identity.api) from their AppConfig.ready or a rules.py they import there."""
    if permission.count(".") < 2:
        raise ValueError(f"Permission names look like 'module.entity.action', not {permission!r}")
    if not isinstance(rule, Rule):
        rule = Rule(rule, getattr(rule, "__name__", permission))
    existing = _RULES.get(permission)
    if existing is not None and existing.name != rule.name:
        raise ValueError(f"{permission!r} already has a rule ({existing.name})")
    _RULES[permission] = rule


def registered_permissions() -> list[str]:
    return sorted(_RULES)


def can(actor, permission: str, obj=None) -> bool:
    rule = _RULES[permission]  # KeyError: a typo must never read as "allowed"
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return rule(actor, obj)


def require(actor, permission: str, obj=None, *, hide: bool = False) -> None:
    """Raise Forbidden unless `can(...)`; NotFound instead when `hide` (the actor must not
    even learn that the object exists)."""
    if not can(actor, permission, obj):
        raise NotFound() if hide else Forbidden()


# --- organization roles -------------------------------------------------------------------


def org_roles(actor) -> dict[int, str]:
    """{organization id: role} of the actor's active memberships in active organizations,
    loaded once per actor object (one query per request)."""
    cached = getattr(actor, _ORG_ROLES_ATTR, None)
    if cached is None:
        from .models import Membership

        cached = dict(
            Membership.objects.filter(
                user_id=actor.pk, is_active=True, organization__is_active=True
            ).values_list("organization_id", "role")
        )
        setattr(actor, _ORG_ROLES_ATTR, cached)
    return cached


def forget(actor) -> None:
    """Drop the cached roles after a membership change."""
    if actor is not None and hasattr(actor, _ORG_ROLES_ATTR):
        delattr(actor, _ORG_ROLES_ATTR)


def _org_id(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return getattr(value, "pk", None)


def has_org_role(*roles: str, org: Callable[[Any], Any] = lambda obj: obj) -> Rule:
    """The actor holds one of `roles` in the organization `org(obj)` returns (an
    Organization, its id, or None)."""
    wanted = frozenset(str(r) for r in (roles or ALL_ROLES))

    def check(actor, obj):
        if obj is None:
            return False
        org_id = _org_id(org(obj))
        return org_id is not None and org_roles(actor).get(org_id) in wanted

    return Rule(check, f"has_org_role({','.join(sorted(wanted))})")


def has_staff_role(*roles: str) -> Rule:
    """Hokwe staff with one of `roles` (staff admins always qualify)."""
    wanted = frozenset(str(r) for r in roles) | {StaffRole.ADMIN.value}

    def check(actor, obj):
        return bool(actor.is_staff and actor.staff_role in wanted)

    return Rule(check, f"has_staff_role({','.join(sorted(wanted))})")


def is_self(user_of: Callable[[Any], Any] = lambda obj: obj) -> Rule:
    def check(actor, obj):
        return obj is not None and _org_id(user_of(obj)) == actor.pk

    return Rule(check, "is_self")


is_authenticated = Rule(lambda actor, obj: True, "is_authenticated")  # can() already checked it
ANY_STAFF = has_staff_role(*StaffRole)


# --- identity's own rules (docs/identity.md has the table) --------------------------------


def _org_of(obj):
    return getattr(obj, "organization_id", None) or obj


register_rule("identity.organization.create", is_authenticated)
register_rule("identity.organization.view", has_org_role(*ALL_ROLES, org=_org_of) | ANY_STAFF)
register_rule(
    "identity.organization.update",
    has_org_role(*MANAGE_ROLES, org=_org_of) | has_staff_role(StaffRole.SUPPORT),
)
register_rule("identity.member.view", has_org_role(*ALL_ROLES, org=_org_of) | ANY_STAFF)
register_rule("identity.member.invite", has_org_role(*MANAGE_ROLES, org=_org_of))
register_rule("identity.member.change_role", has_org_role(*MANAGE_ROLES, org=_org_of))
register_rule(
    "identity.member.remove",
    has_org_role(*MANAGE_ROLES, org=_org_of) | is_self(lambda m: getattr(m, "user_id", None)),
)
register_rule("identity.user.view", ANY_STAFF | is_self())
register_rule("identity.user.update", has_staff_role(StaffRole.SUPPORT) | is_self())
register_rule("identity.user.suspend", has_staff_role(StaffRole.COMPLIANCE))
register_rule("identity.user.close", has_staff_role(StaffRole.COMPLIANCE) | is_self())
register_rule("identity.user.impersonate", has_staff_role(StaffRole.SUPPORT))
register_rule("identity.staff.manage", has_staff_role())
register_rule("identity.audit.view", has_staff_role(StaffRole.COMPLIANCE))


# --- adapters for the transports (duck-typed: no DRF or graphene import) ------------------


def drf_permission(permission: str, *, obj_free: bool = False) -> type:
    """A DRF permission class: `permission_classes = [drf_permission("estate.lease.update")]`.
    Object permissions are checked with the object; `obj_free=True` checks the view too."""

    class PolicyPermission:
        message = Forbidden.default_message

        def has_permission(self, request, view):
            user = getattr(request, "user", None)
            if not getattr(user, "is_authenticated", False):
                return False
            return can(user, permission) if obj_free else True

        def has_object_permission(self, request, view, obj):
            return can(request.user, permission, obj)

    PolicyPermission.__name__ = f"Can[{permission}]"
    return PolicyPermission


def resolver_permission(permission: str, *, obj: Callable[..., Any] | None = None):
    """Decorate a graphene resolver: the user of `info.context` must `can(permission,
    obj(root, info, **kwargs))`; raises Forbidden (a typed GraphQL error) otherwise."""

    def decorate(resolver):
        @functools.wraps(resolver)
        def wrapper(root, info, **kwargs):
            target = obj(root, info, **kwargs) if obj else None
            require(getattr(info.context, "user", None), permission, target)
            return resolver(root, info, **kwargs)

        return wrapper

    return decorate


def page_permission(permission: str, *, obj: Callable[..., Any] | None = None):
    """Decorate a Django view: anonymous users go to the login page, others need the
    permission (403 otherwise)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            from django.contrib.auth.views import redirect_to_login
            from django.core.exceptions import PermissionDenied

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            target = obj(request, *args, **kwargs) if obj else None
            if not can(request.user, permission, target):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


class PolicyAdminMixin:
    """ModelAdmin mixin: `policy_permissions = {"view": "...", "change": "...", "add": ...,
    "delete": ...}`; a missing entry means nobody (superusers included) may do it."""

    policy_permissions: dict[str, str] = {}

    def _policy(self, request, action: str, obj=None) -> bool:
        name = self.policy_permissions.get(action)
        return bool(name) and can(request.user, name, obj)

    def has_module_permission(self, request):
        return self._policy(request, "view") or self._policy(request, "change")

    def has_view_permission(self, request, obj=None):
        return self._policy(request, "view", obj) or self._policy(request, "change", obj)

    def has_change_permission(self, request, obj=None):
        return self._policy(request, "change", obj)

    def has_add_permission(self, request, *args):
        return self._policy(request, "add")

    def has_delete_permission(self, request, obj=None):
        return self._policy(request, "delete", obj)


def roles_matrix(permissions: Iterable[str] | None = None) -> dict[str, list[str]]:
    """{permission: rule description} — for the docs and the admin."""
    names = permissions or registered_permissions()
    return {name: [_RULES[name].name] for name in names}
