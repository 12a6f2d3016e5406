"""What every ads page shares: signed-in users only, and what is not theirs is the 404 page."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from apps.core.errors import DomainError, NotFound


def signed_in_page(view, *, login=None):
    """`view` for signed-in users (else `login(request)`, by default the manager's login); a
    refusal that means « not yours » (NotFound, or a 404 DomainError) becomes the 404 page."""
    login = login or (lambda request: redirect_to_login(request.get_full_path()))

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return login(request)
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            if isinstance(exc, NotFound) or getattr(exc, "status", None) == 404:
                raise Http404 from None
            raise

    return wrapper
