import graphene


class InboxMessageType(graphene.ObjectType):
    class Meta:
        name = "InboxMessage"

    id = graphene.UUID(required=True)
    template_key = graphene.String(required=True)
    category = graphene.String(required=True)
    title = graphene.String(required=True)
    body = graphene.String(required=True)
    link = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    read_at = graphene.DateTime()
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
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def from_device(device) -> "PushDeviceType":
        return PushDeviceType(
            id=device.public_id, platform=device.platform, app=device.app, created_at=device.created_at
        )
