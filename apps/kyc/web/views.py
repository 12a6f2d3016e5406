"""Manager pages of KYB (/manager/kyc/): an organization's business verification —
registration data, directors, documents, submission, decision. Members see the status;
owners and managers fill it in. Another organization's page is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError, Forbidden, NotFound
from apps.identity import api as identity

from .. import selectors
from ..models import Submission
from ..services import documents as document_services
from ..services import submissions as submission_services
from . import forms


@login_required
def kyb_index(request):
    rows = []
    for membership in identity.memberships_of(request.user):
        latest = selectors.latest_business_submission(membership.organization_id)
        rows.append(
            {
                "organization": identity.get_organization(id=membership.organization_id),
                "verified": selectors.organization_verified(membership.organization_id),
                "submission": latest,
            }
        )
    return render(request, "kyc/kyb_index.html", {"rows": rows})


def _organization(request, org_id):
    try:
        return selectors.organization_for(request.user, org_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def kyb_page(request, org_id):
    org = _organization(request, org_id)
    may_manage = identity.can(request.user, "kyc.kyb.manage", org.id)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        return _act(request, org)
    submission = selectors.open_business_submission(org.id) or selectors.latest_business_submission(org.id)
    if submission is not None:
        submission = selectors.with_details(Submission.objects.filter(pk=submission.pk)).get()
    editable = may_manage and (
        submission is None or submission.status == "draft" or submission.status in ("rejected", "expired")
    )
    directors = list(submission.directors.all()) if submission and submission.status == "draft" else []
    context = {
        "org": org,
        "submission": submission,
        "verified": selectors.organization_verified(org.id),
        "may_manage": may_manage,
        "editable": editable,
        "missing": submission_services.missing_requirements(submission)
        if submission and submission.status == "draft"
        else [],
        "kyb_form": forms.KybForm(initial=_initial(submission)),
        "director_form": forms.DirectorForm(),
        "upload_form": forms.UploadForm(directors=directors),
    }
    return render(request, "kyc/kyb_page.html", context)


def _initial(submission):
    if submission is None:
        return {}
    return {name: getattr(submission, name) for name in submission_services.BUSINESS_FIELDS}


def _act(request, org):
    action = request.POST.get("action", "")
    try:
        if action == "save":
            form = forms.KybForm(request.POST)
            if not form.is_valid():
                return _form_errors(request, org, form)
            draft = submission_services.draft_for_organization(actor=request.user, organization_id=org.id)
            submission_services.submission_update(actor=request.user, submission=draft, **form.cleaned_data)
            messages.success(request, _("The business details were saved."))
        elif action == "add_director":
            form = forms.DirectorForm(request.POST)
            if not form.is_valid():
                return _form_errors(request, org, form)
            submission_services.director_add(actor=request.user, organization_id=org.id, **form.cleaned_data)
            messages.success(request, _("The director was added."))
        elif action == "remove_director":
            submission_services.director_remove(
                actor=request.user,
                organization_id=org.id,
                director_public_id=request.POST.get("director", ""),
            )
            messages.success(request, _("The director was removed."))
        elif action == "upload":
            draft = submission_services.draft_for_organization(actor=request.user, organization_id=org.id)
            form = forms.UploadForm(request.POST, request.FILES, directors=draft.directors.all())
            if not form.is_valid():
                return _form_errors(request, org, form)
            uploaded = form.cleaned_data["file"]
            document_services.kyb_document_upload(
                actor=request.user,
                organization_id=org.id,
                kind=form.cleaned_data["kind"],
                side=form.cleaned_data.get("side") or "",
                director_public_id=form.cleaned_data.get("director") or None,
                data=uploaded.read(),
                filename=uploaded.name or "",
                content_type=uploaded.content_type or "",
            )
            messages.success(request, _("The document was uploaded and encrypted."))
        elif action == "submit":
            draft = submission_services.draft_for_organization(actor=request.user, organization_id=org.id)
            submission_services.submission_submit(actor=request.user, submission=draft)
            messages.success(
                request, _("The business verification was submitted. Hokwe's team will review it.")
            )
        else:
            messages.error(request, _("Unknown action."))
    except NotFound:
        raise Http404 from None
    except Forbidden:
        raise PermissionDenied from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("manager:kyc_organization", org_id=org.public_id)


def _form_errors(request, org, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect("manager:kyc_organization", org_id=org.public_id)
