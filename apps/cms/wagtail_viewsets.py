"""The users viewset of Wagtail's users app (apps/cms/wagtail_users.py): nobody gets in.
Hokwe's users are identity's (/admin/): Wagtail's user screens would edit
`first_name`/`last_name`/`is_active` directly, bypassing identity's services and policy.
"""

from django.db.models import QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.users.views.users import UserViewSet


class NobodyPolicy(BasePermissionPolicy):
    """Denies every action to everyone, superusers included: the menu item, the search area
    and every view of the viewset ask it."""

    def user_has_permission(self, user, action):
        return False

    def user_has_any_permission(self, user, actions):
        return False

    def users_with_any_permission(self, actions) -> QuerySet:
        return self.model._default_manager.none()

    def user_has_permission_for_instance(self, user, action, instance):
        return False

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return False

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        return self.model._default_manager.none()


class HokweUserViewSet(UserViewSet):
    add_to_settings_menu = False

    @property
    def permission_policy(self):
        return NobodyPolicy(self.model)
