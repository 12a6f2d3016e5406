"""GraphQL: the signed-in user's inbox (list, unread count, mark read) and push devices."""

import graphene
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.graphql.types import FieldError, errors_from

from .. import selectors, services
from .types import InboxMessageType, PushDeviceType

MAX_PAGE = 100


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401
    default_message = _("Authentication required.")


def _user(info):
    user = getattr(info.context, "user", None)
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    return user


class NotificationsQueries(graphene.ObjectType):
    inbox = graphene.List(
        graphene.NonNull(InboxMessageType),
        required=True,
        unread_only=graphene.Boolean(default_value=False),
        first=graphene.Int(default_value=20, description=f"At most {MAX_PAGE}"),
        after=graphene.UUID(description="Id of the last message of the previous page"),
        description="The signed-in user's in-app messages, newest first",
    )
    inbox_unread_count = graphene.Int(required=True)
    push_devices = graphene.List(graphene.NonNull(PushDeviceType), required=True)

    def resolve_inbox(root, info, unread_only=False, first=20, after=None):
        user = _user(info)
        qs = selectors.inbox_list(user=user, unread_only=unread_only)
        if after is not None:
            anchor = selectors.inbox_get(user=user, public_id=after)
            qs = qs.filter(
                Q(created_at__lt=anchor.created_at) | Q(created_at=anchor.created_at, id__lt=anchor.id)
            )
        first = max(1, min(first or 20, MAX_PAGE))
        return [InboxMessageType.from_message(m) for m in qs[:first]]

    def resolve_inbox_unread_count(root, info):
        return selectors.inbox_unread_count(user=_user(info))

    def resolve_push_devices(root, info):
        return [PushDeviceType.from_device(d) for d in selectors.device_list(user=_user(info))]


class MarkInboxMessageRead(graphene.Mutation):
    class Arguments:
        id = graphene.UUID(required=True)

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    message = graphene.Field(InboxMessageType)

    def mutate(root, info, id):
        try:
            message = services.inbox_mark_read(user=_user(info), public_id=id)
        except DomainError as exc:
            return MarkInboxMessageRead(ok=False, errors=errors_from(exc), message=None)
        return MarkInboxMessageRead(ok=True, errors=[], message=InboxMessageType.from_message(message))


class MarkAllInboxMessagesRead(graphene.Mutation):
    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    count = graphene.Int(required=True)

    def mutate(root, info):
        try:
            count = services.inbox_mark_all_read(user=_user(info))
        except DomainError as exc:
            return MarkAllInboxMessagesRead(ok=False, errors=errors_from(exc), count=0)
        return MarkAllInboxMessagesRead(ok=True, errors=[], count=count)


class RegisterPushDevice(graphene.Mutation):
    class Arguments:
        token = graphene.String(required=True)
        platform = graphene.String(required=True, description="android, ios or web")
        app = graphene.String(default_value="")

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    device = graphene.Field(PushDeviceType)

    def mutate(root, info, token, platform, app=""):
        try:
            device = services.device_register(user=_user(info), token=token, platform=platform, app=app)
        except DomainError as exc:
            return RegisterPushDevice(ok=False, errors=errors_from(exc), device=None)
        return RegisterPushDevice(ok=True, errors=[], device=PushDeviceType.from_device(device))


class UnregisterPushDevice(graphene.Mutation):
    class Arguments:
        id = graphene.UUID(required=True)

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    def mutate(root, info, id):
        try:
            services.device_unregister(user=_user(info), public_id=id)
        except DomainError as exc:
            return UnregisterPushDevice(ok=False, errors=errors_from(exc))
        return UnregisterPushDevice(ok=True, errors=[])


class NotificationsMutations(graphene.ObjectType):
    mark_inbox_message_read = MarkInboxMessageRead.Field()
    mark_all_inbox_messages_read = MarkAllInboxMessagesRead.Field()
    register_push_device = RegisterPushDevice.Field()
    unregister_push_device = UnregisterPushDevice.Field()
