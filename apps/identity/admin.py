from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organization, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user", "organization")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("-created_at",)
    list_display = ("phone", "full_name", "email", "status", "is_staff", "staff_role", "created_at")
    list_filter = ("status", "is_staff", "staff_role", "preferred_language")
    search_fields = ("phone", "full_name", "email", "public_id")
    readonly_fields = ("public_id", "created_at", "updated_at", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("phone", "password", "public_id")}),
        (_("Profile"), {"fields": ("full_name", "email", "preferred_language", "avatar", "status")}),
        (_("Staff"), {"fields": ("is_staff", "staff_role", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "created_at", "updated_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("phone", "password1", "password2")}),)
    inlines = [MembershipInline]
    filter_horizontal = ("groups", "user_permissions")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country", "city", "is_active", "created_at")
    list_filter = ("kind", "country", "is_active")
    search_fields = ("name", "public_id", "email", "phone")
    readonly_fields = ("public_id", "created_at", "updated_at")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__phone", "user__full_name", "organization__name")
    autocomplete_fields = ("user", "organization")
