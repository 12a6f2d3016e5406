"""Back-office for identity. The admin site asks staff for password + TOTP (django-otp);
every ModelAdmin here asks the policy (`can`) what the staff role may see and do."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from apps.core.errors import DomainError

from .models import Invitation, Membership, Organization, RefreshToken, SecurityEvent, User
from .policy import PolicyAdminMixin, can
from .services import users as user_services
from .services.otp import otp_unlock
from .services.tokens import tokens_logout_all


class HokweAdminSite(OTPAdminSite):
    """Staff log in with their password and the current code of their TOTP app."""


# The site object is shared (hokwe/urls.py mounts admin.site): switch its class, as
# django-otp documents, so every module's ModelAdmin sits behind the TOTP login.
admin.site.__class__ = HokweAdminSite


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user", "organization")
    fields = ("organization", "user", "role", "is_active", "created_at")
    readonly_fields = ("created_at",)

    def has_add_permission(self, request, obj=None):
        return can(request.user, "identity.staff.manage")

    def has_change_permission(self, request, obj=None):
        return can(request.user, "identity.staff.manage")

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return can(request.user, "identity.user.view")


@admin.register(User)
class UserAdmin(PolicyAdminMixin, DjangoUserAdmin):
    policy_permissions = {
        "view": "identity.user.view",
        "change": "identity.user.update",
        "add": "identity.staff.manage",
    }
    ordering = ("-created_at",)
    list_display = (
        "phone",
        "full_name",
        "email",
        "status",
        "preferred_language",
        "is_staff",
        "staff_role",
        "created_at",
    )
    list_filter = ("status", "is_staff", "staff_role", "preferred_language", "created_at")
    search_fields = ("phone", "full_name", "email", "=public_id", "=oidc_sub")
    readonly_fields = (
        "public_id",
        "created_at",
        "updated_at",
        "last_login",
        "date_joined",
        "closed_at",
        "oidc_sub",
        "tokens_valid_after",
        "status",
    )
    fieldsets = (
        (None, {"fields": ("phone", "password", "public_id", "status", "closed_at")}),
        (_("Profile"), {"fields": ("full_name", "email", "preferred_language", "avatar")}),
        (_("Sign-in"), {"fields": ("oidc_sub", "tokens_valid_after", "last_login")}),
        (_("Staff"), {"fields": ("is_staff", "staff_role", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("date_joined", "created_at", "updated_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("phone", "password1", "password2")}),)
    inlines = [MembershipInline]
    filter_horizontal = ("groups", "user_permissions")
    actions = ["suspend", "reactivate", "close_accounts", "log_out_everywhere", "unlock_otp"]
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can(request.user, "identity.staff.manage"):
            fields += ["is_staff", "staff_role", "is_superuser", "groups", "user_permissions", "password"]
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        needed = {
            "suspend": "identity.user.suspend",
            "reactivate": "identity.user.suspend",
            "close_accounts": "identity.user.close",
            "log_out_everywhere": "identity.user.suspend",
            "unlock_otp": "identity.user.update",
        }
        return {k: v for k, v in actions.items() if k not in needed or can(request.user, needed[k])}

    def _each(self, request, queryset, func, done):
        count = 0
        for user in queryset:
            try:
                func(user)
                count += 1
            except DomainError as exc:
                self.message_user(request, f"{user}: {exc.message}", messages.ERROR)
        self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Suspend the selected users"))
    def suspend(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda u: user_services.user_suspend(actor=request.user, user=u),
            _("%(count)d user(s) suspended."),
        )

    @admin.action(description=_("Reactivate the selected users"))
    def reactivate(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda u: user_services.user_reactivate(actor=request.user, user=u),
            _("%(count)d user(s) reactivated."),
        )

    @admin.action(description=_("Close the selected accounts (anonymise)"))
    def close_accounts(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda u: user_services.user_close(actor=request.user, user=u),
            _("%(count)d account(s) closed."),
        )

    @admin.action(description=_("Log the selected users out of every device"))
    def log_out_everywhere(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda u: tokens_logout_all(user=u, reason="staff"),
            _("%(count)d user(s) logged out."),
        )

    @admin.action(description=_("Lift the phone-code lock of the selected users"))
    def unlock_otp(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda u: u.phone and otp_unlock(phone=str(u.phone)),
            _("%(count)d lock(s) lifted."),
        )


@admin.register(Organization)
class OrganizationAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {
        "view": "identity.organization.view",
        "change": "identity.organization.update",
        "add": "identity.staff.manage",
    }
    list_display = ("name", "kind", "country", "currencies", "city", "is_active", "created_at")
    list_filter = ("kind", "country", "is_active", "created_at")
    search_fields = ("name", "=public_id", "email", "phone", "city")
    readonly_fields = ("public_id", "created_at", "updated_at")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {
        "view": "identity.user.view",
        "change": "identity.staff.manage",
        "add": "identity.staff.manage",
    }
    list_display = ("user", "organization", "role", "is_active", "created_at")
    list_filter = ("role", "is_active", "organization__kind")
    search_fields = ("user__phone", "user__full_name", "organization__name")
    autocomplete_fields = ("user", "organization")
    list_select_related = ("user", "organization")


@admin.register(Invitation)
class InvitationAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "identity.user.view"}
    list_display = ("phone", "organization", "role", "status", "invited_by", "expires_at", "created_at")
    list_filter = ("status", "role")
    search_fields = ("phone", "organization__name")
    list_select_related = ("organization", "invited_by")
    exclude = ("token_hash",)


@admin.register(RefreshToken)
class RefreshTokenAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "identity.audit.view"}
    list_display = (
        "user",
        "family",
        "auth_method",
        "created_at",
        "used_at",
        "revoked_at",
        "revoked_reason",
        "ip",
    )
    list_filter = ("auth_method", "revoked_reason")
    search_fields = ("user__phone", "=family", "ip")
    list_select_related = ("user",)
    exclude = ("token_hash",)


@admin.register(SecurityEvent)
class SecurityEventAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """The audit log: searchable, never editable (append-only)."""

    policy_permissions = {"view": "identity.audit.view"}
    list_display = (
        "created_at",
        "kind",
        "actor",
        "subject",
        "organization",
        "phone_hint",
        "ip",
        "request_id",
    )
    list_filter = ("kind", "created_at")
    search_fields = (
        "phone_hint",
        "ip",
        "request_id",
        "actor__phone",
        "subject__phone",
        "actor__full_name",
        "subject__full_name",
    )
    date_hierarchy = "created_at"
    list_select_related = ("actor", "subject", "organization")
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False
