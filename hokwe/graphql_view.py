"""The /graphql endpoint.

CSRF is enforced for cookie-authenticated browser calls and skipped for token-authenticated
app calls (Authorization header). Unexpected exceptions are logged and masked: a client sees
"Internal error" and the request id, never a stack trace or an exception message.
"""

import logging

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from graphql import GraphQLError

from apps.core.context import get_request_id
from apps.core.errors import DomainError

logger = logging.getLogger("hokwe.graphql")


def _csrf_reject(request):
    check = CsrfViewMiddleware(lambda r: None)
    check.process_request(request)
    return check.process_view(request, None, (), {})


@method_decorator(csrf_exempt, name="dispatch")
class HokweGraphQLView(GraphQLView):
    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and "Authorization" not in request.headers:
            rejected = _csrf_reject(request)
            if rejected is not None:
                return rejected
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def format_error(error):
        if isinstance(error, GraphQLError) and error.original_error is not None:
            original = error.original_error
            if isinstance(original, DomainError):
                formatted = GraphQLView.format_error(error)
                formatted["message"] = str(original.message)
                formatted["extensions"] = {"code": original.code}
                return formatted
            if not settings.DEBUG:
                logger.error("graphql_unhandled_error", exc_info=original)
                return {
                    "message": _("Internal error."),
                    "path": error.path,
                    "extensions": {"code": "server_error", "request_id": get_request_id()},
                }
        return GraphQLView.format_error(error)
