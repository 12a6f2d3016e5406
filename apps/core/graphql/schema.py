import graphene
from django.conf import settings
from django.utils.translation import get_language


class ServerInfo(graphene.ObjectType):
    version = graphene.String(required=True)
    environment = graphene.String(required=True)
    language = graphene.String(required=True, description="Language of this response (fr or en)")


class CoreQueries(graphene.ObjectType):
    server_info = graphene.Field(ServerInfo, required=True)

    def resolve_server_info(root, info):
        return ServerInfo(
            version=settings.HOKWE_VERSION,
            environment=settings.HOKWE_ENVIRONMENT,
            language=get_language() or "fr",
        )
