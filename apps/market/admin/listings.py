"""Back-office of market's listings part: the staff's moderation queue. Listings in review
(oldest first) with the flags the rules raised; « approve » publishes them and « reject » sends
them back to their owner as drafts (with the reason), through services/listings.py (audited as
moderation decisions). Listings are never added, edited or deleted here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.identity import api as identity

from ..contracts import ListingStatus
from ..models import Listing, ListingModeration
from ..services import listings as svc
from ..services.moderation import flag_labels

PERMISSION = "market.listing.moderate"


class ReviewQueueFilter(admin.SimpleListFilter):
    title = _("moderation")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        # no choice: the queue (in review, oldest first)
        return [("all", _("all listings"))]

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.filter(status=ListingStatus.IN_REVIEW).order_by("status_changed_at", "id")


class ModerationInline(identity.PolicyAdminMixin, admin.TabularInline):
    policy_permissions = {"view": PERMISSION}
    model = ListingModeration
    extra = 0
    can_delete = False
    fields = ("created_at", "decision", "flags", "reason", "staff")
    readonly_fields = fields
    ordering = ("-created_at",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the owner)"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(Listing)
class ListingAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": PERMISSION}
    list_display = (
        "title",
        "status",
        "flags_",
        "price",
        "currency",
        "city",
        "neighbourhood",
        "verified",
        "status_changed_at",
    )
    list_filter = (ReviewQueueFilter, "status", "purpose", "kind", "verified", "country")
    search_fields = ("title", "city", "neighbourhood", "public_id")
    ordering = ("status_changed_at", "id")
    actions = ("approve_selected", "reject_selected")
    inlines = (ModerationInline,)
    readonly_fields = [f.name for f in Listing._meta.fields]

    @admin.display(description=_("flags"))
    def flags_(self, obj):
        return ", ".join(flag_labels(obj.flags)) or "—"

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _require(self, request):
        if not identity.can(request.user, PERMISSION):
            raise PermissionDenied

    @admin.action(description=_("Approve: publish the selected listings"))
    def approve_selected(self, request, queryset):
        self._require(request)
        done = 0
        for listing in queryset:
            try:
                svc.approve(staff=request.user, listing=listing)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{listing.title}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(
                request, _("%(count)d listing(s) published.") % {"count": done}, messages.SUCCESS
            )

    @admin.action(description=_("Reject: send the selected listings back to their owners"))
    def reject_selected(self, request, queryset):
        self._require(request)
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return render(
                request,
                "market/admin/listings_reject.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Reject listings"),
                    "listings": queryset,
                    "form": form,
                    "action": "reject_selected",
                    "opts": self.model._meta,
                },
            )
        done = 0
        for listing in queryset:
            try:
                svc.reject(staff=request.user, listing=listing, reason=form.cleaned_data["reason"])
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{listing.title}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(
                request, _("%(count)d listing(s) rejected.") % {"count": done}, messages.SUCCESS
            )
        return redirect(request.get_full_path())
