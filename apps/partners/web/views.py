"""« Développeurs »: an organization's API keys and webhook endpoints (owners and managers).

A key's or an endpoint's secret is shown once, on the page that answers the POST that made
it (it is never kept in the session). Creating a key asks a confirmation and a step-up code;
revoking and rotating ask a confirmation."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError, NotFound
from apps.core.web.confirm import Confirmation, confirm_flow
from apps.identity import api as identity

from .. import selectors, services
from ..contracts import EventType, Scope


def scope_labels() -> dict[str, str]:
    return {
        Scope.PAYMENTS_READ: _("Read payments"),
        Scope.PAYMENTS_WRITE: _("Create payments and refunds"),
        Scope.ESTATE_READ: _("Read leases and dues"),
        Scope.WEBHOOKS_MANAGE: _("Manage webhooks"),
    }


def event_labels() -> dict[str, str]:
    return {
        EventType.PAYMENT_SUCCEEDED: _("Payment succeeded"),
        EventType.PAYMENT_FAILED: _("Payment failed"),
        EventType.REFUND_SUCCEEDED: _("Refund succeeded"),
        EventType.REFUND_FAILED: _("Refund failed"),
        EventType.DUE_PAID: _("Rent due paid"),
        "webhook.test": _("Test event"),
    }


def status_labels() -> dict[str, str]:
    return {
        "pending": _("to retry"),
        "sending": _("sending"),
        "succeeded": _("delivered"),
        "failed": _("failed"),
        "active": _("in use"),
        "disabled": _("disabled"),
    }


class KeyForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    scopes = forms.MultipleChoiceField(label=gettext_lazy("Permissions"), widget=forms.CheckboxSelectMultiple)
    rate = forms.ChoiceField(label=gettext_lazy("Rate limit"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = list(scope_labels().items())
        self.fields["rate"].choices = [("", _("default"))] + [
            (rate, rate.replace("/min", " " + _("per minute"))) for rate in settings.PARTNERS_KEY_RATE_CHOICES
        ]


class EndpointForm(forms.Form):
    url = forms.CharField(label=gettext_lazy("URL"), max_length=500)
    events = forms.MultipleChoiceField(label=gettext_lazy("Events"), widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(k, v) for k, v in event_labels().items() if k != "webhook.test"]


def page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


def _managed_orgs(request) -> list:
    orgs = sorted(identity.organization_ids_of(request.user, identity.MANAGE_ROLES))
    return [identity.get_organization(id=org) for org in orgs]


def _org(request, orgs):
    wanted = request.GET.get("org") or request.POST.get("org")
    if wanted:
        return next((o for o in orgs if str(o.public_id) == wanted), None)
    return orgs[0] if orgs else None


def _home(org) -> str:
    return f"{reverse('manager:partners-developers')}?org={org.public_id}"


def _refused(request, reason: str):
    return render(request, "partners/refused.html", {"reason": reason}, status=403)


def _context(request, org, orgs, **extra):
    return {
        "org": org,
        "orgs": orgs,
        "keys": list(selectors.keys_for(request.user, org.id)[:100]),
        "endpoints": list(selectors.endpoints_for(request.user, org.id)[:100]),
        "key_form": extra.pop("key_form", None) or KeyForm(),
        "endpoint_form": extra.pop("endpoint_form", None) or EndpointForm(),
        "scope_labels": scope_labels(),
        "event_labels": event_labels(),
        "status_labels": status_labels(),
        "environment": settings.PARTNERS_KEY_ENVIRONMENT,
        **extra,
    }


@page
def developers(request):
    orgs = _managed_orgs(request)
    org = _org(request, orgs)
    if org is None:
        return _refused(
            request, _("Only an owner or a manager of an organization manages its API keys and webhooks.")
        )
    return render(request, "partners/developers.html", _context(request, org, orgs))


def _secret_page(request, org, *, title: str, secret: str, what: str):
    return render(
        request,
        "partners/secret.html",
        {"org": org, "title": title, "secret": secret, "what": what, "back": _home(org)},
    )


@page
@require_POST
def key_new(request):
    orgs = _managed_orgs(request)
    org = _org(request, orgs)
    if org is None:
        return _refused(
            request, _("Only an owner or a manager of an organization manages its API keys and webhooks.")
        )
    post = request.POST.copy()
    scopes = post.getlist("scopes")
    if len(scopes) == 1 and "," in scopes[0]:  # carried by the confirmation step
        post.setlist("scopes", scopes[0].split(","))
    form = KeyForm(post)
    if not form.is_valid():
        return render(
            request, "partners/developers.html", _context(request, org, orgs, key_form=form), status=400
        )
    data = form.cleaned_data
    labels = scope_labels()
    confirmation = Confirmation(
        title=_("Create an API key"),
        question=_("Create the key « %(name)s » for %(org)s?") % {"name": data["name"], "org": org.name},
        facts=[(_("Permissions"), ", ".join(str(labels[s]) for s in data["scopes"]))],
        warning=_("Whoever holds this key acts for your organization within these permissions."),
        hidden={
            "org": str(org.public_id),
            "name": data["name"],
            "scopes": ",".join(data["scopes"]),
            "rate": data["rate"],
        },
        action_url=reverse("manager:partners-key-new"),
        cancel_url=_home(org),
        button=_("Create the key"),
        step_up=True,
    )
    binding = {"action": "partners.key.create", "target": str(org.public_id)}

    def send_code():
        challenge = identity.step_up_start(actor=request.user, **binding)
        return challenge.challenge_id, challenge.phone_hint

    def perform(*, challenge, code):
        proof = identity.step_up_verify(actor=request.user, challenge_id=challenge, code=code)
        created = services.key_create(
            actor=request.user,
            organization_id=org.id,
            name=data["name"],
            scopes=data["scopes"],
            rate=data["rate"] or "",
            step_up_token=proof.token,
        )
        return _secret_page(
            request,
            org,
            title=_("Your new API key"),
            secret=created.secret,
            what=_("Copy this key now and keep it on your server: it will not be shown again."),
        )

    return confirm_flow(
        request,
        confirmation,
        key=f"partners.key.create:{org.public_id}",
        send_code=send_code,
        perform=perform,
    )


@page
@require_POST
def key_action(request, key_id, action):
    key = selectors.key_for(request.user, key_id)
    org = identity.get_organization(id=key.organization_id)
    if action == "revoke":
        confirmation = Confirmation(
            title=_("Revoke an API key"),
            question=_("Revoke the key « %(name)s »?") % {"name": key.name},
            facts=[(_("Key"), f"{key.prefix}…{key.last4}")],
            warning=_("Every call with this key is refused from now on. This cannot be undone."),
            action_url=reverse(
                "manager:partners-key-action", kwargs={"key_id": key.public_id, "action": action}
            ),
            cancel_url=_home(org),
            button=_("Revoke"),
        )

        def perform(*, challenge, code):
            services.key_revoke(actor=request.user, key=key)
            messages.success(request, _("The key « %(name)s » is revoked.") % {"name": key.name})
            return redirect(_home(org))

    elif action == "rotate":
        confirmation = Confirmation(
            title=_("Rotate an API key"),
            question=_("Replace the key « %(name)s » with a new one?") % {"name": key.name},
            facts=[(_("Key"), f"{key.prefix}…{key.last4}")],
            warning=_(
                "The old key keeps working for %(hours)s hours, then stops: put the new one on your server before."
            )
            % {"hours": settings.PARTNERS_KEY_ROTATION_OVERLAP_HOURS},
            action_url=reverse(
                "manager:partners-key-action", kwargs={"key_id": key.public_id, "action": action}
            ),
            cancel_url=_home(org),
            button=_("Rotate"),
        )

        def perform(*, challenge, code):
            created = services.key_rotate(actor=request.user, key=key)
            return _secret_page(
                request,
                org,
                title=_("Your new API key"),
                secret=created.secret,
                what=_("Copy this key now and keep it on your server: it will not be shown again."),
            )

    else:
        raise Http404
    return confirm_flow(request, confirmation, key=f"partners.key.{action}:{key.public_id}", perform=perform)


@page
@require_POST
def endpoint_new(request):
    orgs = _managed_orgs(request)
    org = _org(request, orgs)
    if org is None:
        return _refused(
            request, _("Only an owner or a manager of an organization manages its API keys and webhooks.")
        )
    form = EndpointForm(request.POST)
    if form.is_valid():
        try:
            endpoint = services.endpoint_create(
                actor=request.user, organization_id=org.id, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(
                "url" if exc.field == "url" else "events" if exc.field == "events" else None, str(exc.message)
            )
        else:
            return _secret_page(
                request,
                org,
                title=_("Your endpoint's signing secret"),
                secret=endpoint.secret,
                what=_(
                    "Check the Hokwe-Signature header of each event with this secret. Copy it now: it will not be shown again."
                ),
            )
    return render(
        request, "partners/developers.html", _context(request, org, orgs, endpoint_form=form), status=400
    )


@page
def endpoint_detail(request, endpoint_id):
    endpoint = selectors.endpoint_for(request.user, endpoint_id)
    org = identity.get_organization(id=endpoint.organization_id)
    deliveries = list(selectors.deliveries_for(request.user, endpoint)[:50])
    return render(
        request,
        "partners/endpoint.html",
        {
            "org": org,
            "endpoint": endpoint,
            "deliveries": deliveries,
            "event_labels": event_labels(),
            "status_labels": status_labels(),
            "back": _home(org),
        },
    )


def _send_now_in_dev(delivery) -> None:
    """With eager tasks (the embedded dev profile) nothing else sends it: this page does, after
    its writes committed (no transaction is open here)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        services.deliver_one(delivery.pk)


@page
@require_POST
def endpoint_action(request, endpoint_id, action):
    endpoint = selectors.endpoint_for(request.user, endpoint_id)
    detail = reverse("manager:partners-endpoint", kwargs={"endpoint_id": endpoint.public_id})
    org = identity.get_organization(id=endpoint.organization_id)
    try:
        if action == "test":
            _send_now_in_dev(services.endpoint_send_test(actor=request.user, endpoint=endpoint))
            messages.success(request, _("A test event is on its way: its result appears below."))
        elif action in ("enable", "disable"):
            services.endpoint_update(actor=request.user, endpoint=endpoint, enabled=action == "enable")
            messages.success(
                request,
                _("The endpoint is enabled.") if action == "enable" else _("The endpoint is disabled."),
            )
        elif action == "rotate":
            confirmation = Confirmation(
                title=_("New signing secret"),
                question=_("Give %(url)s a new signing secret?") % {"url": endpoint.url},
                warning=_(
                    "Events are signed with both secrets for %(hours)s hours, then with the new one only."
                )
                % {"hours": settings.PARTNERS_WEBHOOK_SECRET_OVERLAP_HOURS},
                action_url=reverse(
                    "manager:partners-endpoint-action",
                    kwargs={"endpoint_id": endpoint.public_id, "action": action},
                ),
                cancel_url=detail,
                button=_("Rotate the secret"),
            )

            def perform(*, challenge, code):
                row = services.endpoint_rotate_secret(actor=request.user, endpoint=endpoint)
                return _secret_page(
                    request,
                    org,
                    title=_("Your endpoint's signing secret"),
                    secret=row.secret,
                    what=_("Copy this secret now: it will not be shown again."),
                )

            return confirm_flow(
                request, confirmation, key=f"partners.endpoint.rotate:{endpoint.public_id}", perform=perform
            )
        else:
            raise Http404
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, str(exc.message))
    return redirect(detail)


@page
@require_POST
def delivery_replay(request, delivery_id):
    delivery = selectors.delivery_for(request.user, delivery_id)
    detail = reverse("manager:partners-endpoint", kwargs={"endpoint_id": delivery.endpoint.public_id})
    try:
        _send_now_in_dev(services.delivery_replay(actor=request.user, delivery=delivery))
        messages.success(request, _("The event is sent again: the new attempt appears in its log."))
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, str(exc.message))
    return redirect(detail)
