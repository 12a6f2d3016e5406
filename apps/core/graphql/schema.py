import graphene
from django.conf import settings
from django.utils.translation import get_language

from apps.core.graphql.types import deprecated_alias


class ServerInfo(graphene.ObjectType):
    version = graphene.String(required=True)
    environment = graphene.String(required=True)
    language = graphene.String(required=True, description="Language of this response (fr or en)")


class CoreQueries(graphene.ObjectType):
    # The root fields an anonymous caller may query; every other one answers
    # `extensions.code: unauthenticated` without a login (hokwe/schema.py).
    public_fields = ("core_server_info", "server_info")

    core_server_info = graphene.Field(ServerInfo, required=True)

    @staticmethod
    def resolve_core_server_info(root, info):
        return ServerInfo(
            version=settings.HOKWE_VERSION,
            environment=settings.HOKWE_ENVIRONMENT,
            language=get_language() or "fr",
        )

    server_info = deprecated_alias(core_server_info, use="coreServerInfo", resolver=resolve_core_server_info)
