"""NotificationsQueries: the signed-in user's inbox, unread count, push devices and\nnotification preferences."""

import graphene
from django.db.models import Q

from apps.core.graphql.mutations import clamp_first, current_user
from apps.core.graphql.types import deprecated_alias
from apps.identity.api import authenticated

from .. import selectors
from .types import InboxMessageType, PreferencesType, PushDeviceType

MAX_PAGE = 100


def resolve_notifications_inbox(root, info, unread_only=False, first=20, after=None):
    user = authenticated(current_user(info))
    qs = selectors.inbox_list(user=user, unread_only=unread_only)
    if after is not None:
        anchor = selectors.inbox_get(user=user, public_id=after)
        qs = qs.filter(
            Q(created_at__lt=anchor.created_at) | Q(created_at=anchor.created_at, id__lt=anchor.id)
        )
    return [InboxMessageType.from_message(m) for m in qs[: clamp_first(first, default=20, maximum=MAX_PAGE)]]


def resolve_notifications_inbox_unread_count(root, info):
    return selectors.inbox_unread_count(user=authenticated(current_user(info)))


def resolve_notifications_push_devices(root, info):
    user = authenticated(current_user(info))
    return [PushDeviceType.from_device(d) for d in selectors.device_list(user=user)]


def resolve_notifications_preferences(root, info):
    user = authenticated(current_user(info))
    return PreferencesType.from_preference(selectors.preference_for(user=user))


class NotificationsQueries(graphene.ObjectType):
    notifications_inbox = graphene.List(
        graphene.NonNull(InboxMessageType),
        required=True,
        unread_only=graphene.Boolean(default_value=False),
        first=graphene.Int(default_value=20, description=f"At most {MAX_PAGE}"),
        after=graphene.UUID(description="Id of the last message of the previous page"),
        description="The signed-in user's in-app messages, newest first",
        resolver=resolve_notifications_inbox,
    )
    notifications_inbox_unread_count = graphene.Int(
        required=True, resolver=resolve_notifications_inbox_unread_count
    )
    notifications_push_devices = graphene.List(
        graphene.NonNull(PushDeviceType), required=True, resolver=resolve_notifications_push_devices
    )
    notifications_preferences = graphene.Field(
        PreferencesType,
        required=True,
        description="The signed-in user's notification preferences",
        resolver=resolve_notifications_preferences,
    )

    # the names before the module prefix (docs/api.md, "GraphQL naming")
    inbox = deprecated_alias(notifications_inbox, use="notificationsInbox")
    inbox_unread_count = deprecated_alias(
        notifications_inbox_unread_count, use="notificationsInboxUnreadCount"
    )
    push_devices = deprecated_alias(notifications_push_devices, use="notificationsPushDevices")
