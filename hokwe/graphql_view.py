"""The /graphql endpoint.

CSRF is enforced for cookie-authenticated browser calls and skipped for token-authenticated
app calls (Authorization header) and anonymous ones (an app logging in over GraphQL). Unexpected exceptions are logged and masked: a client sees
"Internal error" and the request id, never a stack trace or an exception message.
"""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import GraphQLError

from apps.core.context import get_request_id
from apps.core.errors import DomainError
from apps.core.graphql import protection
from hokwe.schema import PUBLIC_QUERY_FIELDS

logger = logging.getLogger("hokwe.graphql")


class _ProtocolError(HttpError):
    """A refusal before execution (persisted query, size) with a stable extensions code."""

    def __init__(self, status: int, message, code: str):
        super().__init__(HttpResponse(status=status), str(message))
        self.code = code


def _csrf_reject(request):
    check = CsrfViewMiddleware(lambda r: None)
    check.process_request(request)
    return check.process_view(request, None, (), {})


def graphiql_enabled() -> bool:
    """GraphiQL on a browser's GET of /graphql where GRAPHIQL_ENABLED says so (on in dev)
    (read at each request, so a test or a staging profile can switch it on)."""
    return bool(settings.GRAPHIQL_ENABLED)


@method_decorator(csrf_exempt, name="dispatch")
class HokweGraphQLView(GraphQLView):
    # GraphiQL (templates/graphene/graphiql.html) loads React and GraphiQL from our own
    # static files (npm, package.json) and its init script from static/js/graphiql-init.js:
    # it runs under the page CSP; its fetcher sends the CSRF token of the cookie session.
    graphiql_template = "graphene/graphiql.html"

    def dispatch(self, request, *args, **kwargs):
        self.graphiql = graphiql_enabled()
        # CSRF protects cookie sessions: a call signed in by its session cookie must carry
        # the token; an app's call (Authorization header) or an anonymous one (log in,
        # refresh) has no ambient credential to abuse.
        if (
            request.method == "POST"
            and "Authorization" not in request.headers
            and request.user.is_authenticated
        ):
            rejected = _csrf_reject(request)
            if rejected is not None:
                return rejected
        return super().dispatch(request, *args, **kwargs)

    # Protection (apps/core/graphql/protection.py): persisted queries, size, depth, cost,
    # list caps and the introspection switch.
    def get_graphql_params(self, request, data):
        query, variables, operation_name, id_ = super().get_graphql_params(request, data)
        extensions = request.GET.get("extensions") or data.get("extensions")
        try:
            query = protection.resolve_persisted_query(query, extensions)
        except protection.PersistedQueryError as exc:
            raise _ProtocolError(exc.status, exc.message, exc.code)
        if query and len(query) > settings.GRAPHQL_MAX_QUERY_CHARS:
            raise _ProtocolError(413, _("The query is too long."), "query_too_long")
        return query, variables, operation_name, id_

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        self.validation_rules = protection.validation_rules(variables)
        return super().execute_graphql_request(request, data, query, variables, operation_name, show_graphiql)

    def get_middleware(self, request):
        return [
            *(super().get_middleware(request) or []),
            protection.LoginRequiredMiddleware(PUBLIC_QUERY_FIELDS),
            protection.ListCapMiddleware(),
        ]

    @staticmethod
    def format_error(error):
        if isinstance(error, _ProtocolError):
            return {"message": error.message, "extensions": {"code": error.code}}
        if isinstance(error, GraphQLError) and error.original_error is not None:
            original = error.original_error
            if isinstance(original, DomainError):
                formatted = GraphQLView.format_error(error)
                formatted["message"] = str(original.message)
                formatted["extensions"] = {"code": original.code}
                if getattr(original, "retry_after", None) is not None:
                    formatted["extensions"]["retry_after"] = original.retry_after
                return formatted
            if not settings.DEBUG:
                logger.error("graphql_unhandled_error", exc_info=original)
                return {
                    "message": _("Internal error."),
                    "path": error.path,
                    "extensions": {"code": "server_error", "request_id": get_request_id()},
                }
        return GraphQLView.format_error(error)
