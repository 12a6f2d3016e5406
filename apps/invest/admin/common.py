"""What every invest admin page shares: the permissions, the read-only bases and the
confirmation page of the actions.

- `invest.admin.view` (any staff): read every page;
- `invest.admin.manage` (finance; staff admins): edit partners, products, auctions and
  announced distributions, resolve reconciliation differences, and run the actions.
Both are rules.py's, asked of identity's policy."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse

from apps.identity import api as identity

VIEW = "invest.admin.view"
MANAGE = "invest.admin.manage"


def can(user, permission: str, obj=None) -> bool:
    return identity.can(user, permission, obj)


class StaffAdmin(admin.ModelAdmin):
    """Staff read; `edit` (a permission name, or None: nobody) changes and adds; nobody
    deletes."""

    edit: str | None = None
    can_add = False

    def has_module_permission(self, request):
        return can(request.user, VIEW)

    def has_view_permission(self, request, obj=None):
        return can(request.user, VIEW)

    def has_change_permission(self, request, obj=None):
        return bool(self.edit) and can(request.user, self.edit)

    def has_add_permission(self, request, *args):
        return self.can_add and bool(self.edit) and can(request.user, self.edit)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_manage_permission(self, request):
        return can(request.user, MANAGE)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return can(request.user, VIEW)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def confirmed(model_admin, request, queryset, *, action: str, title, warning):
    """True once the staff member confirmed on the page this returns the first time."""
    if request.POST.get("confirmed") == "yes":
        return True
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "warning": warning,
        "rows": list(queryset),
        "action": action,
        "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "invest/admin/confirm.html", context)
