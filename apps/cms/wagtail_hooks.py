"""Cms's Wagtail hooks (Wagtail imports `<app>.wagtail_hooks` of every installed app). One
block per part."""

from django.contrib.auth import get_user_model
from django.http import HttpResponseForbidden
from wagtail import hooks

# --- sites ---


@hooks.register("before_bulk_action")
def refuse_bulk_actions_on_users(request, action_type, objects, action_class_instance):
    """Users are identity's (/admin/): Wagtail's bulk actions on them (activate, delete, assign
    a role) would bypass identity's services (apps/cms/wagtail_users.py)."""
    if get_user_model() in getattr(action_class_instance, "models", ()):
        return HttpResponseForbidden()
    return None


# --- help ---


# --- news ---


# --- vault ---
