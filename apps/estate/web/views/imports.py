"""The onboarding import (dry run, then apply; undo as a whole within 24 hours)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError
from apps.identity import api as identity

from ... import selectors, services
from .. import forms as f
from .common import _error, _orgs, page


def _batch(request, public_id):
    batch = selectors.imports_for(request.user).filter(public_id=public_id).first() if public_id else None
    if batch is None:
        raise Http404
    return type(batch).objects.get(pk=batch.pk)


def _recent(request):
    batches = list(
        selectors.imports_for(request.user)
        .filter(status__in=["applied", "undone"])
        .order_by("-created_at")[:5]
    )
    for batch in batches:
        batch.undoable = services.import_undoable(batch)
    return batches


@page
@require_http_methods(["GET", "POST"])
def import_view(request):
    orgs = _orgs(request, identity.MANAGE_ROLES)
    form = f.ImportForm(request.POST or None, request.FILES or None)
    form.set_orgs(orgs)
    result = None
    if request.method == "POST" and request.POST.get("undo"):
        batch = _batch(request, request.POST["undo"])
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm that the whole import is to be undone."))
            return redirect(reverse("manager:estate-import"))
        try:
            removed = services.import_undo(actor=request.user, batch=batch)
            messages.success(
                request,
                _("Import undone: %(n)s lease(s) and %(d)s due(s) removed, their postings reversed.")
                % {"n": removed["leases"], "d": removed["dues"]},
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect(reverse("manager:estate-import"))
    if request.method == "POST" and request.POST.get("batch"):
        batch = _batch(request, request.POST["batch"])
        try:
            result = services.import_apply(actor=request.user, batch=batch)
            if result.applied:
                messages.success(
                    request,
                    _("Import done: %(n)s lease(s), %(p)s payment(s).")
                    % {"n": result.counts["leases"], "p": result.counts["payments"]},
                )
                return redirect(reverse("manager:estate-import"))
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
    return render(request, "estate/import.html", {"form": form, "result": result, "recent": _recent(request)})
