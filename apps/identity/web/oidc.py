from functools import wraps

from django.conf import settings
from django.http import Http404


def oidc_only(view):
    """The SSO routes exist only when an OpenID Provider is configured."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.OIDC_ISSUER:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
