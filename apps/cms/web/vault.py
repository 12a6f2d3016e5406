"""The vault's pages: an organization's vault in the manager (/manager/cms/vault/: folders,
the keyset list, search, upload, share after a confirmation, the access log), a user's own
vault (/me/vault/: the tenant finds their quittances there), and the share links
(/vault/s/<token>/: the document, after an SMS code when the sharer asked for one; an expired
or revoked link is a French 410 page). Everything goes through services/vault.py."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError, NotFound
from apps.identity import api as identity

from .. import selectors
from ..contracts import DocumentKind
from ..errors import VaultShareCodeLocked, VaultShareGone
from ..models.vault import KIND_LABELS
from ..services import vault as svc

SESSION_KEY = "cms_vault_share_ok"


def download_response(content: bytes, filename: str, content_type: str):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def vault_page(view):
    """Signed-in users only (else the login); what is not theirs is the 404 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (PDF, JPEG, PNG or WebP)"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    tags = forms.CharField(label=gettext_lazy("Tags (comma-separated)"), max_length=300, required=False)


class ShareForm(forms.Form):
    hours = forms.IntegerField(label=gettext_lazy("Valid for (hours)"), min_value=1, initial=72)
    phone = forms.CharField(
        label=gettext_lazy("Phone that receives the opening code (optional)"), max_length=30, required=False
    )


def _organization_param(request) -> str | None:
    """The organization of the manager's vault: ?org=, else the first one the user belongs to."""
    wanted = request.GET.get("org") or request.POST.get("org")
    if wanted:
        return wanted
    memberships = identity.memberships_of(request.user)
    if not memberships:
        raise NotFound()
    return str(memberships[0].organization_public_id)


def _list_context(request, owner, *, base_url: str, org: str | None) -> dict:
    folders = selectors.vault_folders(owner)
    folder = None
    if request.GET.get("folder"):
        try:
            folder = svc._folder(owner, request.GET["folder"])
        except DomainError:
            raise NotFound() from None
    rows = selectors.vault_documents(
        owner, query=request.GET.get("q", ""), folder=folder, kind=request.GET.get("kind", "")
    )
    try:
        page, cursor = selectors.vault_page(
            rows, cursor=request.GET.get("cursor"), limit=settings.CMS_VAULT_PAGE_SIZE
        )
    except ValueError:
        page, cursor = selectors.vault_page(rows, limit=settings.CMS_VAULT_PAGE_SIZE)
    keep = request.GET.copy()
    keep.pop("cursor", None)
    if cursor:
        keep["cursor"] = cursor
    return {
        "org": org,
        "base_url": base_url,
        "documents": svc.document_views(page),
        "next_url": f"{base_url}?{keep.urlencode()}" if cursor else "",
        "folders": folders,
        "folder": folder,
        "q": request.GET.get("q", ""),
        "kind": request.GET.get("kind", ""),
        "kinds": [(k.value, KIND_LABELS[k]) for k in DocumentKind],
        "upload_form": UploadForm(),
        "can_manage": identity.can(request.user, svc.MANAGE, owner),
    }


@vault_page
@require_GET
def manager_vault(request):
    org = _organization_param(request)
    owner = svc.owner_for(request.user, organization=org)
    context = _list_context(request, owner, base_url=reverse("manager:cms-vault"), org=org)
    context["organization"] = identity.get_organization(org)
    context["organizations"] = identity.memberships_of(request.user)
    return render(request, "cms/vault/manager_list.html", context)


@vault_page
@require_GET
def my_vault(request):
    owner = svc.owner_for(request.user)
    return render(
        request,
        "cms/vault/my_list.html",
        _list_context(request, owner, base_url=reverse("cms-vault-mine"), org=None),
    )


def _back(request, org: str | None, folder=None) -> str:
    url = reverse("manager:cms-vault") if org else reverse("cms-vault-mine")
    params = [f"org={org}"] if org else []
    if folder:
        params.append(f"folder={folder}")
    return url + ("?" + "&".join(params) if params else "")


@vault_page
@require_POST
def upload(request):
    org = request.POST.get("org") or None
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            owner = svc.owner_for(request.user, organization=org, manage=True)
            upload = form.cleaned_data["file"]
            svc.check_size(upload.size)
            document = svc.document_upload(
                actor=request.user,
                owner=owner,
                data=upload.read(),
                filename=upload.name or "",
                name=form.cleaned_data["name"],
                folder_id=request.POST.get("folder") or None,
                tags=[t for t in form.cleaned_data["tags"].split(",") if t.strip()],
                where=svc.Where.of(request),
            )
        except NotFound:
            raise
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("« %(name)s » is in the vault.") % {"name": document.name})
    else:
        messages.error(request, _("Choose a file."))
    return redirect(_back(request, org, request.POST.get("folder")))


@vault_page
@require_POST
def folder_create(request):
    org = request.POST.get("org") or None
    try:
        owner = svc.owner_for(request.user, organization=org, manage=True)
        svc.folder_create(
            actor=request.user,
            owner=owner,
            name=request.POST.get("name", ""),
            parent_id=request.POST.get("parent") or None,
        )
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(_back(request, org, request.POST.get("parent")))


def _document_context(request, document) -> dict:
    owner = svc._owner_of(document)
    org = (
        identity.organization_public_ids([document.organization_id]).get(document.organization_id)
        if document.organization_id
        else None
    )
    can_manage = identity.can(request.user, svc.MANAGE, document)
    return {
        "document": svc.document_views([document])[0],
        "org": str(org) if org else None,
        "back_url": _back(request, str(org) if org else None),
        "shares": [svc.share_view(s) for s in selectors.vault_shares(document)] if can_manage else [],
        "log": svc.access_views(selectors.vault_access_log(owner, document=document, limit=50)),
        "share_form": ShareForm(),
        "can_manage": can_manage,
    }


@vault_page
@require_GET
def document_page(request, document_id):
    document = svc.document_get(request.user, document_id)
    return render(request, "cms/vault/document.html", _document_context(request, document))


@vault_page
@require_GET
def document_download(request, document_id):
    _doc, content, filename, content_type = svc.document_open(
        request.user, document_id, where=svc.Where.of(request)
    )
    return download_response(content, filename, content_type)


@vault_page
@require_POST
def document_delete(request, document_id):
    document = svc.document_get(request.user, document_id, manage=True)
    org = request.POST.get("org") or None
    try:
        svc.document_delete(actor=request.user, document_id=document_id, where=svc.Where.of(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("cms-vault-document-page", document.public_id)
    messages.success(request, _("The document was deleted."))
    return redirect(_back(request, org))


@vault_page
@require_POST
def share(request, document_id):
    """Two steps: the form posts here, a confirmation page says what will be shared, with
    whom and until when; `confirm=yes` makes the link and shows it once."""
    document = svc.document_get(request.user, document_id, manage=True)
    form = ShareForm(request.POST)
    if not form.is_valid():
        context = _document_context(request, document)
        context["share_form"] = form
        return render(request, "cms/vault/document.html", context, status=400)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "cms/vault/share_confirm.html",
            {"document": document, "form": form, "data": form.cleaned_data},
        )
    try:
        made, token = svc.share_create(
            actor=request.user,
            document_id=document_id,
            hours=form.cleaned_data["hours"],
            phone=form.cleaned_data["phone"],
            where=svc.Where.of(request),
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        context = _document_context(request, document)
        context["share_form"] = form
        return render(request, "cms/vault/document.html", context, status=400)
    url = request.build_absolute_uri(reverse("cms-vault-share", args=[token]))
    return render(
        request, "cms/vault/share_made.html", {"document": document, "share": svc.share_view(made, url=url)}
    )


@vault_page
@require_POST
def share_revoke(request, share_id):
    made = svc.share_revoke(actor=request.user, share_id=share_id, where=svc.Where.of(request))
    messages.success(request, _("The link is revoked: it no longer opens the document."))
    return redirect("cms-vault-document-page", made.document.public_id)


@vault_page
@require_GET
def access_log(request):
    org = request.GET.get("org") or None
    owner = svc.owner_for(request.user, organization=org)
    return render(
        request,
        "cms/vault/access_log.html",
        {"log": svc.access_views(selectors.vault_access_log(owner)), "back_url": _back(request, org)},
    )


# --- share links (anyone with the link) -------------------------------------------------------


def _gone(request, exc=None):
    return render(
        request, "cms/vault/share_gone.html", {"locked": isinstance(exc, VaultShareCodeLocked)}, status=410
    )


@require_http_methods(["GET", "POST"])
def share_link(request, token):
    try:
        share_row = svc.share_active(token)
    except NotFound:
        raise Http404 from None
    except VaultShareGone as exc:
        return _gone(request, exc)
    verified = str(share_row.public_id) in request.session.get(SESSION_KEY, [])
    error = ""
    sent = False
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "send":
                svc.share_send_code(token, language=(request.LANGUAGE_CODE or "fr")[:2])
                sent = True
            elif action == "verify":
                svc.share_verify_code(token, request.POST.get("code", ""))
                request.session[SESSION_KEY] = [
                    *request.session.get(SESSION_KEY, []),
                    str(share_row.public_id),
                ][-20:]
                verified = True
            elif action == "download":
                _doc, content, filename, content_type = svc.share_open(
                    token, verified=verified, where=svc.Where.of(request)
                )
                return download_response(content, filename, content_type)
        except VaultShareGone as exc:
            return _gone(request, exc)
        except DomainError as exc:
            error = str(exc.message)
    return render(
        request,
        "cms/vault/share.html",
        {
            "share": share_row,
            "document": share_row.document,
            "needs_code": bool(share_row.otp_phone) and not verified,
            "phone_hint": share_row.otp_phone[-3:] if share_row.otp_phone else "",
            "sent": sent,
            "error": error,
        },
        status=400 if error else 200,
    )
