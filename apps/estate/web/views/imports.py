"""The onboarding import (dry run, then apply)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError
from apps.identity import api as identity

from ... import selectors, services
from .. import forms as f
from .common import _error, _orgs, page


@page
@require_http_methods(["GET", "POST"])
def import_view(request):
    orgs = _orgs(request, identity.MANAGE_ROLES)
    form = f.ImportForm(request.POST or None, request.FILES or None)
    form.set_orgs(orgs)
    result = None
    if request.method == "POST" and request.POST.get("batch"):
        batch = selectors.imports_for(request.user).filter(public_id=request.POST["batch"]).first()
        if batch is None:
            raise Http404
        try:
            result = services.import_apply(actor=request.user, batch=type(batch).objects.get(pk=batch.pk))
            if result.applied:
                messages.success(
                    request,
                    _("Import done: %(n)s lease(s), %(p)s payment(s).")
                    % {"n": result.counts["leases"], "p": result.counts["payments"]},
                )
                return redirect("manager:estate-leases")
        except DomainError as exc:
            messages.error(request, str(exc.message))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_run(
                actor=request.user,
                organization_id=int(form.cleaned_data["organization"]),
                filename=upload.name,
                content=upload.read(),
                dry_run=True,
            )
        except DomainError as exc:
            _error(form, exc)
    return render(request, "estate/import.html", {"form": form, "result": result})
