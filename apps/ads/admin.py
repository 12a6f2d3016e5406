"""Back-office: every model, money read-only."""

# --- advertising: the moderation queue of creatives, advertisers, campaigns and their delivery health ---
from django import forms as _adv_forms
from django.contrib import admin as _adv_admin
from django.contrib import messages as _adv_messages
from django.core.exceptions import PermissionDenied as _AdvPermissionDenied
from django.shortcuts import redirect as _adv_redirect
from django.shortcuts import render as _adv_render
from django.utils.translation import gettext_lazy as _adv_

from apps.core.errors import DomainError as _AdvDomainError
from apps.identity import api as _adv_identity

from .models import Advertiser as _Advertiser
from .models import Campaign as _Campaign
from .models import CampaignDay as _CampaignDay
from .models import Creative as _Creative
from .models import TopUp as _TopUp

_MODERATE = "ads.creative.moderate"
_HEALTH = "ads.delivery.view"


class _ReadOnly(_adv_identity.PolicyAdminMixin, _adv_admin.ModelAdmin):
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _RejectForm(_adv_forms.Form):
    reason = _adv_forms.CharField(
        label=_adv_("Reason (sent to the advertiser)"),
        max_length=300,
        widget=_adv_forms.Textarea(attrs={"rows": 3}),
    )


@_adv_admin.register(_Creative)
class CreativeAdmin(_ReadOnly):
    """The moderation queue: creatives in review, oldest first, with the rules' flags."""

    policy_permissions = {"view": _MODERATE}
    list_display = ("__str__", "kind", "status", "flags", "campaign", "link_url", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("headline", "body", "link_url", "public_id")
    ordering = ("status", "created_at")
    actions = ("approve_selected", "reject_selected")
    readonly_fields = [f.name for f in _Creative._meta.fields]

    def _require(self, request):
        if not _adv_identity.can(request.user, _MODERATE):
            raise _AdvPermissionDenied

    @_adv_admin.action(description=_adv_("Approve: show the selected ads"))
    def approve_selected(self, request, queryset):
        from .services.campaigns import creative_approve

        self._require(request)
        done = 0
        for row in queryset:
            try:
                creative_approve(staff=request.user, creative=row)
                done += 1
            except _AdvDomainError as exc:
                self.message_user(request, f"{row}: {exc.message}", _adv_messages.WARNING)
        if done:
            self.message_user(
                request, _adv_("%(count)d ad(s) approved.") % {"count": done}, _adv_messages.SUCCESS
            )

    @_adv_admin.action(description=_adv_("Reject: refuse the selected ads, with a reason"))
    def reject_selected(self, request, queryset):
        from .services.campaigns import creative_reject

        self._require(request)
        form = _RejectForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return _adv_render(
                request,
                "ads/admin/creatives_reject.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _adv_("Reject ads"),
                    "creatives": queryset,
                    "form": form,
                    "action": "reject_selected",
                    "opts": self.model._meta,
                },
            )
        for row in queryset:
            try:
                creative_reject(staff=request.user, creative=row, reason=form.cleaned_data["reason"])
            except _AdvDomainError as exc:
                self.message_user(request, f"{row}: {exc.message}", _adv_messages.WARNING)
        return _adv_redirect(request.get_full_path())


@_adv_admin.register(_Advertiser)
class AdvertiserAdmin(_ReadOnly):
    policy_permissions = {"view": _HEALTH}
    list_display = ("name", "kind", "currency", "suspended", "created_at")
    list_filter = ("kind", "suspended")
    search_fields = ("name", "public_id")
    readonly_fields = [f.name for f in _Advertiser._meta.fields]


class _DayInline(_adv_identity.PolicyAdminMixin, _adv_admin.TabularInline):
    policy_permissions = {"view": _HEALTH}
    model = _CampaignDay
    extra = 0
    can_delete = False
    fields = ("day", "impressions", "clicks", "conversions", "spent_milli", "filtered")
    readonly_fields = fields
    ordering = ("-day",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@_adv_admin.register(_Campaign)
class CampaignAdmin(_ReadOnly):
    """Delivery health: each campaign's state in PostgreSQL beside the delivery store's (live,
    budget left, spent today) and when it was last synchronised."""

    policy_permissions = {"view": _HEALTH}
    list_display = (
        "name",
        "advertiser",
        "status",
        "pricing",
        "bid",
        "total_budget",
        "charged",
        "impressions",
        "clicks",
        "store_state",
        "synced_at",
    )
    list_filter = ("status", "pricing")
    search_fields = ("name", "public_id")
    readonly_fields = [f.name for f in _Campaign._meta.fields]
    inlines = (_DayInline,)

    @_adv_admin.display(description=_adv_("delivery store"))
    def store_state(self, obj):
        from .services.store import get_store

        state = get_store().state(obj.public_id.hex)
        if not state:
            return "—"
        live = _adv_("live") if state.get("live") == "1" else _adv_("not delivered")
        return f"{live} · {int(state.get('bud', 0)) // 1000} / {int(state.get('sd', 0)) // 1000}"


@_adv_admin.register(_TopUp)
class TopUpAdmin(_ReadOnly):
    policy_permissions = {"view": _HEALTH}
    list_display = ("advertiser", "amount", "currency", "status", "created_at", "paid_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in _TopUp._meta.fields]


# --- social: connected pages (never their tokens) and social posts, read-only for support ---
from django.contrib import admin as _social_admin  # noqa: E402

from apps.identity import api as _social_identity  # noqa: E402

from .models import SocialConnection as _SocialConnection  # noqa: E402
from .models import SocialPost as _SocialPost  # noqa: E402

_SOCIAL_TOKEN_FIELDS = {"token_sealed", "token_key_id", "token_wrapped"}


class _SocialReadOnly(_social_identity.PolicyAdminMixin, _social_admin.ModelAdmin):
    policy_permissions = {"view": "ads.delivery.view"}

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@_social_admin.register(_SocialConnection)
class SocialConnectionAdmin(_SocialReadOnly):
    list_display = (
        "page_name",
        "page_id",
        "advertiser",
        "status",
        "ad_account_id",
        "token_expires_at",
        "created_at",
    )
    list_filter = ("status",)
    search_fields = ("page_name", "page_id", "public_id")
    exclude = tuple(_SOCIAL_TOKEN_FIELDS)
    readonly_fields = [f.name for f in _SocialConnection._meta.fields if f.name not in _SOCIAL_TOKEN_FIELDS]


@_social_admin.register(_SocialPost)
class SocialPostAdmin(_SocialReadOnly):
    list_display = (
        "public_id",
        "network",
        "kind",
        "status",
        "advertiser",
        "impressions",
        "clicks",
        "created_at",
    )
    list_filter = ("status", "network", "kind")
    search_fields = ("public_id", "external_id", "external_ad_id")
    readonly_fields = [f.name for f in _SocialPost._meta.fields]


# --- creators: creators, their jobs, files and revenue shares, read-only for support and finance ---
from django.contrib import admin as _cr_admin  # noqa: E402

from apps.identity import api as _cr_identity  # noqa: E402

from .models import Creator as _Creator  # noqa: E402
from .models import CreatorJob as _CreatorJob  # noqa: E402
from .models import Deliverable as _Deliverable  # noqa: E402
from .models import RevenueShare as _RevenueShare  # noqa: E402


class _CreatorsReadOnly(_cr_identity.PolicyAdminMixin, _cr_admin.ModelAdmin):
    policy_permissions = {"view": "ads.delivery.view"}

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@_cr_admin.register(_Creator)
class CreatorAdmin(_CreatorsReadOnly):
    list_display = ("display_name", "city", "skills", "revenue_share", "suspended", "created_at")
    list_filter = ("suspended", "revenue_share")
    search_fields = ("display_name", "city", "public_id")
    readonly_fields = [f.name for f in _Creator._meta.fields]


@_cr_admin.register(_CreatorJob)
class CreatorJobAdmin(_CreatorsReadOnly):
    list_display = (
        "title",
        "advertiser",
        "creator",
        "status",
        "price",
        "currency",
        "payout_failure",
        "created_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("title", "public_id", "listing")
    list_select_related = ("advertiser", "creator")
    readonly_fields = [f.name for f in _CreatorJob._meta.fields]


@_cr_admin.register(_Deliverable)
class DeliverableAdmin(_CreatorsReadOnly):
    list_display = ("public_id", "job", "kind", "status", "review", "failure", "scanned", "created_at")
    list_filter = ("kind", "status", "review", "scanned")
    list_select_related = ("job",)
    readonly_fields = [f.name for f in _Deliverable._meta.fields]


@_cr_admin.register(_RevenueShare)
class RevenueShareAdmin(_CreatorsReadOnly):
    list_display = ("job", "day", "basis", "amount", "transfer")
    list_filter = ("day",)
    list_select_related = ("job",)
    readonly_fields = [f.name for f in _RevenueShare._meta.fields]
