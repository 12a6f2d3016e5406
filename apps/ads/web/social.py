"""The advertiser's social pages (/manager/ads/social/, manager:ads-social): its connected
Facebook pages (connect by OAuth, the callback, choosing the page, disconnecting after a
confirmation), publishing one of its listings on the page or its Instagram account, the
posts with their imported results, boosting a post (a confirmation page: Meta spends the
budget on the advertiser's own ad account; Hokwe charges nothing) and retrying a post the
network did not receive. Signed-in users; everything goes through services/social.py,
scoped to the user: another advertiser's page or post is a 404."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError

from ..models import SocialConnection, SocialPost
from ..services import social as svc
from .pages import signed_in_page

LIST_LIMIT = 100


def social_page(view):
    """Signed-in users only (else the login); what is not theirs is the 404 page."""
    return signed_in_page(view)


def _callback_uri(request) -> str:
    return request.build_absolute_uri(reverse("manager:ads-social-callback"))


def _home(advertiser=None) -> str:
    url = reverse("manager:ads-social")
    return f"{url}?advertiser={advertiser.public_id}" if advertiser is not None else url


STATUS_TONES = {
    "active": "good",
    "published": "good",
    "boosting": "good",
    "completed": "",
    "pending": "warn",
    "expired": "bad",
    "failed": "bad",
    "revoked": "muted",
}


def _tone(status: str) -> str:
    return STATUS_TONES.get(status, "")


class PublishForm(forms.Form):
    connection = forms.ChoiceField(label=gettext_lazy("Page"))
    network = forms.ChoiceField(
        label=gettext_lazy("Where"),
        choices=[
            (SocialPost.Network.FACEBOOK, gettext_lazy("Facebook page")),
            (SocialPost.Network.INSTAGRAM, gettext_lazy("Instagram account")),
        ],
    )
    listing = forms.ChoiceField(
        label=gettext_lazy("Listing"),
        help_text=gettext_lazy("Your listings online on Hokwe."),
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Leave empty: the title, the price and the place of the listing."),
    )

    def __init__(self, *args, connections=(), listings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["connection"].choices = [
            (str(c.public_id), c.page_name or c.page_id) for c in connections
        ]
        self.fields["listing"].choices = [(item.public_id, item.title) for item in listings]


class BoostForm(forms.Form):
    budget = forms.IntegerField(
        label=gettext_lazy("Total budget (FCFA)"),
        min_value=1,
        help_text=gettext_lazy("Spent by Meta on your own ad account, not by Hokwe."),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("Starts on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Ends on (included)"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("After the start."))
        return data

    def window(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(self.cleaned_data["starts_on"], time.min), tz)
        end = timezone.make_aware(
            datetime.combine(self.cleaned_data["ends_on"] + timedelta(days=1), time.min), tz
        )
        return max(start, timezone.now()), end


def _form_error(form, exc: DomainError) -> None:
    field = (exc.field or "").split(".")[0]
    if field == "starts_at":
        field = "starts_on"
    elif field == "ends_at":
        field = "ends_on"
    form.add_error(field if field in form.fields else None, str(exc.message))


def _post_row(post: SocialPost) -> dict:
    return {
        "post": post,
        "tone": _tone(post.status),
        "status": post.get_status_display(),
        "kind": post.get_kind_display(),
        "network": post.get_network_display(),
        "can_boost": (
            post.kind == SocialPost.Kind.POST
            and post.network == SocialPost.Network.FACEBOOK
            and post.status == SocialPost.Status.PUBLISHED
            and bool(post.connection.ad_account_id)
            and post.connection.status == SocialConnection.Status.ACTIVE
        ),
    }


@social_page
@require_GET
def social_home(request):
    advertiser = svc.advertiser_for(request.user, request.GET.get("advertiser") or None)
    connections = list(svc.connections_visible_to(request.user, advertiser=advertiser)[:LIST_LIMIT])
    posts = list(svc.posts_visible_to(request.user, advertiser=advertiser)[:LIST_LIMIT])
    enabled = svc.social_enabled()
    return render(
        request,
        "ads/social/home.html",
        {
            "advertiser": advertiser,
            "enabled": enabled,
            "sandbox": enabled and svc.social_network().sandbox,
            "connections": [
                {"connection": c, "tone": _tone(c.status), "status": c.get_status_display()}
                for c in connections
            ],
            "active": [c for c in connections if c.status == SocialConnection.Status.ACTIVE],
            "posts": [_post_row(p) for p in posts],
        },
    )


@social_page
@require_GET
def social_connect(request):
    """Off to the network's dialog (the sandbox's comes straight back). A link, not a form:
    the pages' CSP (form-action 'self') would stop a form answered by a redirect to Facebook;
    the state it mints is bound to this user and this advertiser, and used once."""
    advertiser = svc.advertiser_for(request.user, request.GET.get("advertiser") or None, manage=True)
    url = svc.connect_start(actor=request.user, advertiser=advertiser, redirect_uri=_callback_uri(request))
    return HttpResponseRedirect(url)


@social_page
@require_GET
def social_callback(request):
    """The dialog came back: the pages to choose from (or why not)."""
    if request.GET.get("error") or not request.GET.get("code"):
        messages.error(request, _("The page was not connected: Facebook's permission was not given."))
        return redirect("manager:ads-social")
    try:
        pending = svc.connect_callback(
            actor=request.user, state=request.GET.get("state", ""), code=request.GET.get("code", "")
        )
    except DomainError as exc:
        if getattr(exc, "status", None) == 404:
            raise
        messages.error(request, str(exc.message))
        return redirect("manager:ads-social")
    return redirect(f"{reverse('manager:ads-social-choose')}?pending={pending.key}")


@social_page
@require_http_methods(["GET", "POST"])
def social_choose(request):
    key = request.POST.get("pending") or request.GET.get("pending") or ""
    try:
        pending = svc.pending_get(actor=request.user, key=key)
    except DomainError as exc:
        if getattr(exc, "status", None) == 404:
            raise
        messages.error(request, str(exc.message))
        return redirect("manager:ads-social")
    error = ""
    if request.method == "POST":
        try:
            row = svc.connect_choose(
                actor=request.user,
                key=key,
                page_id=request.POST.get("page_id", ""),
                ad_account_id=request.POST.get("ad_account_id", ""),
            )
        except DomainError as exc:
            if getattr(exc, "status", None) == 404:
                raise
            error = str(exc.message)
        else:
            messages.success(request, _("The page « %(name)s » is connected.") % {"name": row.page_name})
            return redirect(_home(row.advertiser))
    return render(
        request,
        "ads/social/choose.html",
        {"pending": pending, "error": error},
        status=400 if error else 200,
    )


@social_page
@require_http_methods(["GET", "POST"])
def social_disconnect(request, connection_id):
    """A confirmation page, then Hokwe forgets the page's access."""
    connection = svc.connection_get(request.user, connection_id, manage=True)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        svc.connection_disconnect(actor=request.user, connection=connection)
        messages.success(request, _("The page is disconnected: Hokwe no longer has access to it."))
        return redirect(_home(connection.advertiser))
    return render(request, "ads/social/disconnect.html", {"connection": connection})


@social_page
@require_http_methods(["GET", "POST"])
def social_publish(request):
    advertiser = svc.advertiser_for(
        request.user, request.POST.get("advertiser") or request.GET.get("advertiser") or None, manage=True
    )
    connections = [
        c
        for c in svc.connections_visible_to(request.user, manage=True, advertiser=advertiser)[:LIST_LIMIT]
        if c.status == SocialConnection.Status.ACTIVE
    ]
    listings = svc.listings_to_publish(advertiser)
    initial = {
        "listing": svc.listing_id_of(request.GET.get("listing")),
        "connection": request.GET.get("connection", ""),
    }
    form = PublishForm(request.POST or None, initial=initial, connections=connections, listings=listings)
    if request.method == "POST" and form.is_valid():
        try:
            connection = svc.connection_get(request.user, form.cleaned_data["connection"], manage=True)
            post = svc.post_publish(
                actor=request.user,
                connection=connection,
                listing=form.cleaned_data["listing"],
                network=form.cleaned_data["network"],
                message=form.cleaned_data["message"],
            )
        except DomainError as exc:
            if getattr(exc, "status", None) == 404:
                raise
            _form_error(form, exc)
        else:
            _outcome(request, post)
            return redirect("manager:ads-social-post", post.public_id)
    return render(
        request,
        "ads/social/publish.html",
        {"form": form, "advertiser": advertiser, "connections": connections, "listings": listings},
        status=400 if request.method == "POST" else 200,
    )


def _outcome(request, post: SocialPost) -> None:
    if post.status in (SocialPost.Status.PUBLISHED, SocialPost.Status.BOOSTING):
        messages.success(
            request,
            _("The boost is running.")
            if post.kind == SocialPost.Kind.BOOST
            else _("The listing is published."),
        )
    elif post.error:
        messages.error(request, post.error)


@social_page
@require_GET
def social_post(request, post_id):
    post = svc.post_get(request.user, post_id)
    boosts = []
    if post.kind == SocialPost.Kind.POST:
        boosts = [
            _post_row(b)
            for b in svc.posts_visible_to(request.user, advertiser=post.advertiser).filter(
                kind=SocialPost.Kind.BOOST, external_refs__boosted_post=str(post.public_id)
            )[:LIST_LIMIT]
        ]
    return render(
        request,
        "ads/social/post.html",
        {
            "row": _post_row(post),
            "post": post,
            "boosts": boosts,
            "link": (post.external_refs or {}).get("link", ""),
        },
    )


@social_page
@require_http_methods(["GET", "POST"])
def social_boost(request, post_id):
    """The boost form, then a confirmation page (the advertiser's money on Meta), then the boost."""
    post = svc.post_get(request.user, post_id, manage=True)
    today = timezone.localdate()
    form = BoostForm(
        request.POST or None,
        initial={"starts_on": today, "ends_on": today + timedelta(days=7), "budget": 10_000},
    )
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.window()
        if request.POST.get("confirm") == "yes":
            try:
                boost = svc.post_boost(
                    actor=request.user,
                    post=post,
                    budget=form.cleaned_data["budget"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    idempotency_key=request.POST.get("token") or None,
                )
            except DomainError as exc:
                if getattr(exc, "status", None) == 404:
                    raise
                _form_error(form, exc)
            else:
                _outcome(request, boost)
                return redirect("manager:ads-social-post", post.public_id)
        else:
            return render(
                request,
                "ads/social/boost_confirm.html",
                {"post": post, "form": form, "data": form.cleaned_data, "token": _token()},
            )
    return render(
        request,
        "ads/social/boost.html",
        {"post": post, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _token() -> str:
    import secrets

    return "web-" + secrets.token_urlsafe(16)


@social_page
@require_POST
def social_retry(request, post_id):
    post = svc.post_get(request.user, post_id, manage=True)
    try:
        post = svc.post_retry(actor=request.user, post=post)
    except DomainError as exc:
        if getattr(exc, "status", None) == 404:
            raise
        messages.error(request, str(exc.message))
    else:
        _outcome(request, post)
    return redirect("manager:ads-social-post", post.public_id)
