"""Manager pages of identity: phone-code and SSO login, profile, organizations, team."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.errors import DomainError, Forbidden, NotFound

from .. import selectors
from ..errors import RetryLater
from ..phones import mask_phone
from ..policy import can
from ..services import organizations as org_services
from ..services import step_up, users
from . import forms

SESSION_LOGIN_PHONE = "identity_login_phone"
SESSION_ROLE_CHANGE = "identity_role_change"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def domain_errors_as_http(view):
    """NotFound -> 404 page, Forbidden -> 403 page (hidden objects stay hidden)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404
        except Forbidden:
            raise PermissionDenied

    return wrapper


def _add_error(form, exc: DomainError) -> None:
    message = str(exc.message)
    if isinstance(exc, RetryLater):
        message = _("%(message)s (wait %(seconds)d s)") % {"message": message, "seconds": exc.retry_after}
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, message)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


# --- login with a phone code --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_code_request(request):
    form = forms.PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            users.login_code_request(phone=form.cleaned_data["phone"], language=request.LANGUAGE_CODE)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            request.session[SESSION_LOGIN_PHONE] = form.cleaned_data["phone"]
            url = reverse("manager:identity_login_code")
            return redirect(f"{url}?next={_next_url(request)}")
    return render(request, "identity/login_code_request.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def login_code_verify(request):
    phone = request.session.get(SESSION_LOGIN_PHONE)
    if not phone:
        return redirect("manager:identity_login_otp")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, _created = users.user_for_login_code(phone=phone, code=form.cleaned_data["code"])
        except DomainError as exc:
            _add_error(form, exc)
        else:
            request.session.pop(SESSION_LOGIN_PHONE, None)
            login(request, user, backend=MODEL_BACKEND)
            return redirect(_next_url(request))
    return render(
        request,
        "identity/login_code_verify.html",
        {"form": form, "phone": phone, "next": _next_url(request)},
    )


# --- profile ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    initial = {
        "full_name": user.full_name,
        "email": user.email,
        "preferred_language": user.preferred_language,
    }
    form = forms.ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "avatar"}
        try:
            users.user_update_profile(
                actor=user, user=user, avatar=form.cleaned_data.get("avatar") or None, **data
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Your profile was saved."))
            response = redirect("manager:identity_profile")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language)
            return response
    return render(request, "identity/profile.html", {"form": form})


# --- organizations ------------------------------------------------------------------------


def _role_label(role: str) -> str:
    from ..models import Membership

    return str(dict(Membership.Role.choices).get(role, role))


@login_required
@require_http_methods(["GET", "POST"])
def organization_list(request):
    form = forms.OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = org_services.organization_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The organization was created."))
            return redirect("manager:identity_organization_settings", org_id=org.public_id)
    organizations = list(selectors.organizations_of(request.user).order_by("name"))
    for org in organizations:  # the role as a person reads it (« gérant »), never the code
        org.my_role_label = _role_label(org.my_role)
    return render(request, "identity/organization_list.html", {"organizations": organizations, "form": form})


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def organization_settings(request, org_id):
    org = selectors.organization_get(request.user, org_id)
    may_edit = can(request.user, "identity.organization.update", org)
    form = forms.OrganizationForm(request.POST or None, instance=org, editing=True)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                org_services.organization_update(actor=request.user, organization=org, **form.cleaned_data)
            except DomainError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("The settings were saved."))
                return redirect("manager:identity_organization_settings", org_id=org.public_id)
    if not may_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request, "identity/organization_settings.html", {"org": org, "form": form, "may_edit": may_edit}
    )


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def organization_members(request, org_id):
    org = selectors.organization_get(request.user, org_id)
    may_invite = can(request.user, "identity.member.invite", org)
    invite_form = forms.InviteForm(request.POST or None)
    if request.method == "POST":
        if not may_invite:
            raise PermissionDenied
        if invite_form.is_valid():
            try:
                _invitation, _link = org_services.member_invite(
                    actor=request.user,
                    organization=org,
                    phone=invite_form.cleaned_data["phone"],
                    role=invite_form.cleaned_data["role"],
                    link_base=request.build_absolute_uri(reverse("manager:identity_invitation_start")),
                )
            except DomainError as exc:
                _add_error(invite_form, exc)
            else:
                messages.success(request, _("The invitation was sent by SMS."))
                return redirect("manager:identity_organization_members", org_id=org.public_id)
    members = list(selectors.members_of(request.user, org).order_by("created_at"))
    context = {
        "org": org,
        "members": members,
        "invitations": list(selectors.invitations_of(request.user, org).order_by("-created_at")),
        "invite_form": invite_form,
        "may_invite": may_invite,
        "may_change_roles": can(request.user, "identity.member.change_role", org),
        "role_choices": forms.ROLE_CHOICES,
    }
    return render(request, "identity/organization_members.html", context)


@login_required
@domain_errors_as_http
@require_POST
def member_role_start(request, org_id, member_id):
    """Step 1 of a role change: send the step-up code bound to this exact change."""
    org = selectors.organization_get(request.user, org_id)
    membership = selectors.membership_get(request.user, org, member_id)
    if not can(request.user, "identity.member.change_role", membership):
        raise PermissionDenied
    form = forms.RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown role."))
        return redirect("manager:identity_organization_members", org_id=org.public_id)
    role = form.cleaned_data["role"]
    try:
        challenge = step_up.step_up_start(
            actor=request.user,
            action="identity.member.change_role",
            target=org_services.role_change_target(membership, role),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("manager:identity_organization_members", org_id=org.public_id)
    request.session[SESSION_ROLE_CHANGE] = {
        "membership": str(membership.public_id),
        "role": role,
        "challenge": challenge.challenge_id,
    }
    return redirect(
        "manager:identity_member_role_confirm", org_id=org.public_id, member_id=membership.public_id
    )


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def member_role_confirm(request, org_id, member_id):
    """Step 2: the code proves it is really the actor; the change is applied."""
    org = selectors.organization_get(request.user, org_id)
    membership = selectors.membership_get(request.user, org, member_id)
    pending = request.session.get(SESSION_ROLE_CHANGE) or {}
    if pending.get("membership") != str(membership.public_id):
        return redirect("manager:identity_organization_members", org_id=org.public_id)
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proof = step_up.step_up_verify(
                actor=request.user, challenge_id=pending["challenge"], code=form.cleaned_data["code"]
            )
            org_services.membership_change_role(
                actor=request.user, membership=membership, role=pending["role"], step_up_token=proof.token
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            request.session.pop(SESSION_ROLE_CHANGE, None)
            messages.success(request, _("The role was changed."))
            return redirect("manager:identity_organization_members", org_id=org.public_id)
    return render(
        request,
        "identity/member_role_confirm.html",
        {"org": org, "membership": membership, "new_role": _role_label(pending["role"]), "form": form},
    )


@login_required
@domain_errors_as_http
@require_POST
def member_remove(request, org_id, member_id):
    org = selectors.organization_get(request.user, org_id)
    membership = selectors.membership_get(request.user, org, member_id)
    try:
        org_services.membership_remove(actor=request.user, membership=membership)
    except Forbidden:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The member was removed."))
    if membership.user_id == request.user.pk:
        return redirect("manager:identity_organizations")
    return redirect("manager:identity_organization_members", org_id=org.public_id)


@login_required
@domain_errors_as_http
@require_POST
def invitation_revoke(request, org_id, invitation_id):
    org = selectors.organization_get(request.user, org_id)
    invitation = selectors.invitation_get(request.user, org, invitation_id)
    org_services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation was cancelled."))
    return redirect("manager:identity_organization_members", org_id=org.public_id)


# --- invitations (public: the invitee has no account yet) ---------------------------------


def invitation_start(request):
    raise Http404


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    try:
        invitation = org_services.invitation_by_token(token)
    except DomainError:
        return render(request, "identity/invitation_invalid.html", status=404)
    form = forms.InvitationAcceptForm(request.POST if request.POST.get("action") == "accept" else None)
    code_sent = request.session.get("identity_invitation_code") == str(invitation.public_id)
    if request.method == "POST" and request.POST.get("action") == "send":
        try:
            org_services.invitation_code_request(token=token)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            request.session["identity_invitation_code"] = str(invitation.public_id)
            return redirect("manager:identity_invitation_accept", token=token)
    elif request.method == "POST" and form.is_valid():
        try:
            membership, _pair = org_services.invitation_accept(
                token=token,
                code=form.cleaned_data["code"],
                full_name=form.cleaned_data["full_name"],
                issue_tokens=False,
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            request.session.pop("identity_invitation_code", None)
            login(request, membership.user, backend=MODEL_BACKEND)
            messages.success(request, _("Welcome to %(org)s!") % {"org": invitation.organization.name})
            return redirect("manager:identity_organization_members", org_id=invitation.organization.public_id)
    return render(
        request,
        "identity/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "code_sent": code_sent,
            "phone_hint": mask_phone(invitation.phone),
        },
    )
