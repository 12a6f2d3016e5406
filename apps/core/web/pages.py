"""What the modules' signed-in pages share: the view decorator that answers 405 to a method
the page does not take, sends an anonymous visitor to the login with `next`, and turns a
not-found refusal (NotFound, or any DomainError of status 404: another user's object) into
the module's own 404 page.

    def wallet_page(methods=("GET",)):
        return signed_in_page(methods, login_url=_login_url, not_found=_not_found)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpResponse
from django.shortcuts import redirect

from apps.core.errors import DomainError


def signed_in_page(
    methods=("GET",),
    *,
    login_url: Callable[[object], str],
    not_found: Callable[[object], HttpResponse],
):
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = HttpResponse(status=405)
                response["Allow"] = ", ".join(methods)
                return response
            if not request.user.is_authenticated:
                return redirect(login_url(request))
            try:
                return view(request, *args, **kwargs)
            except DomainError as exc:
                if exc.status == 404:
                    return not_found(request)
                raise

        wrapper.hokwe_methods = tuple(methods)
        return wrapper

    return decorate
