"""The organization's estate settings page (/manager/estate/settings/): the rule for the
first month of a lease starting after the 1st."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError
from apps.identity import api as identity

from ...services.leases import settings_for, settings_update
from .. import forms as f
from .common import _error, _orgs, page


@page
@require_http_methods(["GET", "POST"])
def estate_settings(request):
    """One form per organization the user manages (owner, manager roles)."""
    orgs = _orgs(request, identity.MANAGE_ROLES)
    if not orgs:
        return render(request, "estate/settings.html", {"rows": [], "refused": True}, status=403)
    chosen = request.POST.get("organization") if request.method == "POST" else None
    rows = []
    for org_id, name in orgs:
        current = settings_for(org_id)
        data = request.POST if chosen == str(org_id) else None
        form = f.EstateSettingsForm(data, initial={"first_period_rule": current.first_period_rule})
        form.fields["first_period_rule"].widget.attrs["data-org"] = str(org_id)
        if data is not None and form.is_valid():
            try:
                settings_update(
                    actor=request.user,
                    organization_id=org_id,
                    first_period_rule=form.cleaned_data["first_period_rule"],
                )
                messages.success(request, _("Settings saved for %(org)s.") % {"org": name})
                return redirect("manager:estate-settings")
            except DomainError as exc:
                _error(form, exc)
        rows.append({"id": org_id, "name": name, "form": form})
    return render(request, "estate/settings.html", {"rows": rows})
