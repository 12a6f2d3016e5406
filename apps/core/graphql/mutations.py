"""The one GraphQL mutation style, and the resolver helpers every module shares.

A mutation subclasses `HokweMutation`, declares its `Arguments` and payload fields, and
implements `perform(cls, info, user, **arguments) -> dict` (the payload fields besides
`ok` and `errors`). The base:
- refuses an anonymous caller with the typed error `not_authenticated` (set
  `login_required = False` for the few public mutations: log in, refresh a token);
- runs `perform` in its own transaction: a DomainError or a Django ValidationError rolls
  every write back and comes out as typed, translated `errors { field code message }` with
  `ok: false`, never as a top-level GraphQL error. The request itself is not wrapped
  (`ATOMIC_MUTATIONS` is off): a mutation that calls a provider sets `atomic = False` and
  its service commits before the call, and so does one whose refusal must leave a trace
  (a wrong code counted, a reused refresh token revoking its session family);
- answers with the mutation's own payload, or with its `Output` type when several
  mutations share one named payload (`payload(**fields)`);
- anything else is a bug, masked by the view as "Internal error" with the request id.

    class CreateEstateUnit(HokweMutation):
        class Arguments:
            property_id = graphene.UUID(required=True)
            label = graphene.String(required=True)

        unit = graphene.Field(EstateUnitType)

        @classmethod
        def perform(cls, info, user, *, property_id, label):
            prop = selectors.property_get(user, property_id)
            return {"unit": services.unit_create(actor=user, property=prop, label=label)}
"""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import DomainError, NotFound

from .types import FieldError, errors_from

DEFAULT_PAGE = 50
MAX_PAGE = 200


def current_user(info):
    """The authenticated user of this request, or None."""
    user = getattr(info.context, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def unauthenticated_errors() -> list[FieldError]:
    return [FieldError(field=None, code="not_authenticated", message=_("Log in first."))]


def clamp_first(first: int | None, *, default: int = DEFAULT_PAGE, maximum: int = MAX_PAGE) -> int:
    """A list's `first` argument, between 1 and `maximum`."""
    return max(1, min(first or default, maximum))


def or_none(func):
    """Decorate a resolver: a NotFound (what the caller may not see) resolves to null."""

    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except NotFound:
            return None

    wrapper.__name__ = getattr(func, "__name__", "resolver")
    wrapper.__doc__ = func.__doc__
    return wrapper


class HokweMutation(graphene.Mutation):
    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    login_required = True
    # False for a mutation that calls an outside system (starting a checkout): its service
    # records the intent, commits, and calls with no transaction open
    # (docs/architecture.md, "No network call under a lock").
    atomic = True

    class Meta:
        abstract = True

    @classmethod
    def perform(cls, info, user, **arguments) -> dict | None:
        raise NotImplementedError(f"{cls.__name__}.perform")

    @classmethod
    def payload(cls, **fields):
        """The payload: the mutation class itself, or its shared `Output` type (several
        mutations answering with one named payload type, e.g. a token pair)."""
        return cls._meta.output(**fields)

    @classmethod
    def mutate(cls, root, info, **arguments):
        user = current_user(info)
        if cls.login_required and user is None:
            return cls.payload(ok=False, errors=unauthenticated_errors())
        try:
            if cls.atomic:
                with transaction.atomic():
                    payload = cls.perform(info, user, **arguments) or {}
            else:
                payload = cls.perform(info, user, **arguments) or {}
        except (DomainError, ValidationError) as exc:
            return cls.payload(ok=False, errors=errors_from(exc))
        return cls.payload(ok=True, errors=[], **payload)
