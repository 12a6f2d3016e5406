"""Helpers of the manager pages: login, 404 for what the user may not see, language,
form errors, PDFs."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse

from apps.core.errors import DomainError, NotFound
from apps.identity import api as identity


def page(view):
    """Logged-in users only; a DomainError NotFound becomes the 404 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


def _lang(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "fr") or "fr"


def _orgs(request, roles=None) -> list[tuple[int, str]]:
    ids = sorted(identity.organization_ids_of(request.user, roles))
    return [(i, identity.get_organization(id=i).name) for i in ids]


def _error(form, exc: DomainError) -> None:
    field = (exc.field or "").split(".")[0]
    form.add_error(field if field in form.fields else None, str(exc.message))


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def raise_form(form):
    """Raise the form's first error as a DomainError (shown as a message)."""
    from ...errors import InvalidInput

    field, errors = next(iter(form.errors.items()))
    raise InvalidInput(errors[0], field=field)


def _tenant_names(lease) -> str:
    return ", ".join(t.user.full_name or str(t.user.phone) for t in lease.lease_tenants.all())
