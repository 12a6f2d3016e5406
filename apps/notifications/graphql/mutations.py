"""NotificationsMutations: mark inbox messages read, register and unregister push devices,
change my notification preferences."""

import graphene

from apps.core.graphql.mutations import HokweMutation

from .. import services
from .types import ChannelsOffInput, InboxMessageType, PreferencesType, PushDeviceType


class MarkInboxMessageRead(HokweMutation):
    class Arguments:
        id = graphene.UUID(required=True)

    message = graphene.Field(InboxMessageType)

    @classmethod
    def perform(cls, info, user, *, id):
        message = services.inbox_mark_read(user=user, public_id=id)
        return {"message": InboxMessageType.from_message(message)}


class MarkAllInboxMessagesRead(HokweMutation):
    count = graphene.Int(required=True, default_value=0)

    @classmethod
    def perform(cls, info, user):
        return {"count": services.inbox_mark_all_read(user=user)}


class RegisterPushDevice(HokweMutation):
    class Arguments:
        token = graphene.String(required=True)
        platform = graphene.String(required=True, description="android, ios or web")
        app = graphene.String(default_value="")

    device = graphene.Field(PushDeviceType)

    @classmethod
    def perform(cls, info, user, *, token, platform, app=""):
        device = services.device_register(user=user, token=token, platform=platform, app=app)
        return {"device": PushDeviceType.from_device(device)}


class UnregisterPushDevice(HokweMutation):
    class Arguments:
        id = graphene.UUID(required=True)

    @classmethod
    def perform(cls, info, user, *, id):
        services.device_unregister(user=user, public_id=id)


class UpdateNotificationPreferences(HokweMutation):
    """Change my notification preferences (only the arguments given change; `disabled`
    replaces the whole list of channels turned off; null quiet hours remove them)."""

    class Arguments:
        disabled = graphene.List(
            graphene.NonNull(ChannelsOffInput),
            description="Channels to turn off, per category (security messages cannot be turned off)",
        )
        marketing_opt_out = graphene.Boolean()
        quiet_hours_start = graphene.Time()
        quiet_hours_end = graphene.Time()
        timezone = graphene.String(description="IANA name (Africa/Porto-Novo); empty: the country's own")

    preferences = graphene.Field(PreferencesType)

    @classmethod
    def perform(cls, info, user, *, disabled=None, timezone=None, **changes):
        if disabled is not None:
            off: dict[str, list[str]] = {}
            for entry in disabled:
                off.setdefault(entry.category, []).extend(entry.channels)
            changes["disabled"] = off
        if timezone is not None:
            changes["zone"] = timezone
        preference = services.preference_update(user=user, **changes)
        return {"preferences": PreferencesType.from_preference(preference)}


class NotificationsMutations(graphene.ObjectType):
    notifications_mark_inbox_message_read = MarkInboxMessageRead.Field()
    notifications_mark_all_inbox_messages_read = MarkAllInboxMessagesRead.Field()
    notifications_register_push_device = RegisterPushDevice.Field()
    notifications_unregister_push_device = UnregisterPushDevice.Field()
    notifications_update_preferences = UpdateNotificationPreferences.Field()

    # the names before the module prefix (docs/api.md, "GraphQL naming")
    mark_inbox_message_read = MarkInboxMessageRead.Field(
        deprecation_reason="Use notificationsMarkInboxMessageRead."
    )
    mark_all_inbox_messages_read = MarkAllInboxMessagesRead.Field(
        deprecation_reason="Use notificationsMarkAllInboxMessagesRead."
    )
    register_push_device = RegisterPushDevice.Field(deprecation_reason="Use notificationsRegisterPushDevice.")
    unregister_push_device = UnregisterPushDevice.Field(
        deprecation_reason="Use notificationsUnregisterPushDevice."
    )
