import graphene

from apps.core.graphql.types import UTCDateTime


class InboxMessageType(graphene.ObjectType):
    class Meta:
        name = "InboxMessage"

    id = graphene.UUID(required=True)
    template_key = graphene.String(required=True)
    category = graphene.String(required=True)
    title = graphene.String(required=True)
    body = graphene.String(required=True)
    link = graphene.String(required=True)
    created_at = UTCDateTime(required=True)
    read_at = UTCDateTime()
    is_read = graphene.Boolean(required=True)

    @staticmethod
    def from_message(message) -> "InboxMessageType":
        return InboxMessageType(
            id=message.public_id,
            template_key=message.template_key,
            category=message.category,
            title=message.subject,
            body=message.body,
            link=message.action_url,
            created_at=message.created_at,
            read_at=message.read_at,
            is_read=message.read_at is not None,
        )


class PushDeviceType(graphene.ObjectType):
    class Meta:
        name = "PushDevice"

    id = graphene.UUID(required=True)
    platform = graphene.String(required=True)
    app = graphene.String(required=True)
    created_at = UTCDateTime(required=True)

    @staticmethod
    def from_device(device) -> "PushDeviceType":
        return PushDeviceType(
            id=device.public_id, platform=device.platform, app=device.app, created_at=device.created_at
        )


class ChannelsOffType(graphene.ObjectType):
    class Meta:
        name = "NotificationChannelsOff"

    category = graphene.String(required=True)
    channels = graphene.List(graphene.NonNull(graphene.String), required=True)


class ChannelsOffInput(graphene.InputObjectType):
    class Meta:
        name = "NotificationChannelsOffInput"

    category = graphene.String(required=True, description="account, rent, payments, savings or marketing")
    channels = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="sms, email, push or inapp"
    )


class PreferencesType(graphene.ObjectType):
    class Meta:
        name = "NotificationPreferences"

    disabled = graphene.List(
        graphene.NonNull(ChannelsOffType), required=True, description="Channels turned off, per category"
    )
    marketing_opt_out = graphene.Boolean(required=True)
    quiet_hours_start = graphene.Time()
    quiet_hours_end = graphene.Time()
    timezone = graphene.String(required=True, description="IANA name; empty: the country's own")

    @staticmethod
    def from_preference(preference) -> "PreferencesType":
        return PreferencesType(
            disabled=[
                ChannelsOffType(category=category, channels=list(channels))
                for category, channels in sorted((preference.disabled or {}).items())
            ],
            marketing_opt_out=preference.marketing_opt_out,
            quiet_hours_start=preference.quiet_hours_start,
            quiet_hours_end=preference.quiet_hours_end,
            timezone=preference.timezone,
        )
